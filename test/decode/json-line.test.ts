// `decode --json` writes each record's JSON text directly (recordToJsonLine); it must be exactly what
// JSON.stringify makes of the record object (recordToJson), for every capture and for the awkward
// values a frame can hold.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeStream } from '../../src/decode/index.js';
import { recordToJson, recordToJsonLine, type PayloadRecord } from '../../src/pipeline/format-json.js';
import { decodeInput } from '../../src/pipeline/index.js';
import { h02, meiligao } from '../../src/protocols/index.js';

function captureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return captureFiles(path);
    return name.endsWith('.md') ? [] : [path];
  });
}

const isPayload = (r: { kind: string }): r is PayloadRecord =>
  r.kind === 'frame' || r.kind === 'undecoded' || r.kind === 'skipped';

function expectSameText(r: PayloadRecord, index: number): void {
  expect(recordToJsonLine(r, index)).toBe(JSON.stringify(recordToJson(r, index)));
}

describe('recordToJsonLine', () => {
  test('is JSON.stringify(recordToJson) for every record of every capture', async () => {
    let records = 0;
    for (const file of captureFiles('captures')) {
      let index = 0;
      for await (const r of decodeInput(file)) {
        if (!isPayload(r)) continue;
        expectSameText(r, ++index);
        records++;
      }
    }
    expect(records).toBeGreaterThan(400);
  });

  const frame = decodeStream(meiligao, Buffer.from('2424001112345678901fff50006f350d0a', 'hex')).find(
    (r) => r.kind === 'frame',
  )!;
  if (frame.kind !== 'frame') throw new Error('no frame');
  const base: PayloadRecord = {
    kind: 'frame',
    source: { file: 'a.bin', offset: 0 },
    frame: frame.frame,
    bytes: frame.bytes,
  };

  test('escapes strings, writes non-finite numbers as null, keeps key order of a direction override', () => {
    const odd = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\ud800', '\udc00', 'é', '\u2028', 'a') }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(undefined),
      fc.uint8Array({ maxLength: 4 }),
      fc.array(fc.oneof(fc.string(), fc.double()), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        odd,
        odd,
        fc.string(),
        fc.constantFrom(undefined, 'uplink', 'downlink'),
        (a, b, file, dir) => {
          const fields = [
            ...base.frame.fields,
            { path: 'meiligao.odd', node: base.frame.fields[0]!.node, start: 1, end: 3, value: a },
            { path: 'meiligao.odd', node: base.frame.fields[0]!.node, start: 4, end: 4, value: b },
            { path: 'meiligao.__proto__', node: base.frame.fields[0]!.node, start: 0, end: 1, value: b },
          ];
          const r: PayloadRecord = {
            ...base,
            source: { file, offset: 5, line: 7 },
            ...(dir ? { direction: dir } : {}),
            conversation: file,
            timestamp: typeof a === 'number' ? a : 1.25,
            frame: {
              ...base.frame,
              fields,
              normalized: { ...base.frame.normalized, [file]: typeof b === 'string' ? b : 1, list: [1, 'x'] },
              issues: [{ id: 'x', severity: 'note', group: 'protocol', message: file, actual: NaN }],
              checksums: base.frame.checksums.map((c) => ({ ...c, actual: NaN })),
            },
            carriedBy: [{ file, offset: 1 }],
            nested: [
              { kind: 'undecoded', source: { file, offset: 2 }, bytes: new Uint8Array([1]), reason: file },
            ],
          };
          expectSameText(r, 3);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('groups a path repeated within a frame into lists, in first-seen order', () => {
    const wifi = decodeStream(
      h02,
      Buffer.from(
        '*HQ,4209951296,V5,144418,A,2232.7178,N,11404.6773,E,000.21,000,080218,FFFFFBFF,a,-1,b,-2#',
      ),
    ).find((r) => r.kind === 'frame');
    if (wifi?.kind !== 'frame') throw new Error('no frame');
    const r: PayloadRecord = {
      kind: 'frame',
      source: { file: 'x', offset: 0 },
      frame: wifi.frame,
      bytes: wifi.bytes,
    };
    const line = JSON.parse(recordToJsonLine(r, 1)) as { fields: Record<string, unknown> };
    expect(Object.values(line.fields).some(Array.isArray)).toBe(true);
    expectSameText(r, 1);
  });
});
