// The fuzzing engine: cases regenerate from seed and index, mutations aim at the schema's fields,
// lengths and checksums are fixed up (or left wrong on purpose), and trackshark's own decoders take
// every case without an exception while accounting for every byte.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeFrame, fromHex, toHex } from '../../src/decode/index.js';
import { fuzzCaseArbitrary } from '../../src/fuzz/arbitrary.js';
import { segmentsOf, streamOf } from '../../src/fuzz/delivery.js';
import { FuzzEngine, schemaHash } from '../../src/fuzz/engine.js';
import { fixDerived } from '../../src/fuzz/fixup.js';
import { decodeCase } from '../../src/fuzz/in-process.js';
import { applyMutations } from '../../src/fuzz/mutation.js';
import { runInProcess } from '../../src/fuzz/run.js';
import { schemaSeeds, seedFromFrame } from '../../src/fuzz/seeds.js';
import { meiligao, mt700, PROTOCOLS } from '../../src/protocols/index.js';

/** VT600 OTA protocol §1: login of device 12345678901, CRC 0x6F35. */
const LOGIN = fromHex('2424001112345678901fff50006f350d0a')!;
const ft = meiligao.frames[0]!;
const allSeeds = PROTOCOLS.flatMap((p) => schemaSeeds(p, { seed: 1, perFrameType: 12 }));

describe('seeds', () => {
  test('a document frame becomes a seed whose fields are the schema paths and spans', () => {
    const seed = seedFromFrame(meiligao, ft, LOGIN, 'doc')!;
    expect(seed.direction).toBe('uplink');
    const byPath = Object.fromEntries(seed.fields.map((f) => [f.path, [f.start, f.end]]));
    expect(byPath['meiligao.length']).toEqual([2, 4]);
    expect(byPath['meiligao.device_id']).toEqual([4, 11]);
    expect(byPath['meiligao.crc']).toEqual([13, 15]);
  });

  test('a frame with a bad CRC is no seed (VT600 0x9505 sample, CRC erratum)', () => {
    expect(
      seedFromFrame(meiligao, ft, fromHex('4040001110113092363 3ff95053619 0d0a'.replace(/ /g, ''))!, 'doc'),
    ).toBeUndefined();
  });

  test('every protocol gets schema seeds', () => {
    expect(new Set(allSeeds.map((s) => s.protocol.name))).toEqual(new Set(PROTOCOLS.map((p) => p.name)));
  });
});

describe('fix-ups', () => {
  test('a mutated login gets its length and CRC-16/CCITT-FALSE recomputed', () => {
    const seed = seedFromFrame(meiligao, ft, LOGIN, 'doc')!;
    const derived = new Map(
      seed.fields.filter((f) => 'derive' in f.node && f.node.derive).map((f) => [f.path, f.node]),
    );
    // Three bytes appended to the (opaque) login body: the frame grows to 20 bytes.
    const grown = applyMutations(LOGIN, [
      {
        kind: 'field',
        field: 'meiligao.login',
        at: 13,
        remove: 0,
        insert: Uint8Array.of(1, 2, 3),
        how: 'test',
      },
    ]);
    const fixed = fixDerived({ protocol: meiligao, frameType: ft, direction: 'uplink' }, grown, derived);
    expect(toHex(fixed.subarray(0, 4))).toBe('24240014');
    const d = decodeFrame(meiligao, ft, fixed);
    expect(d.checksums).toEqual([expect.objectContaining({ path: 'meiligao.crc', status: 'good' })]);
    expect(d.issues).toEqual([]);
    // Undoing the growth gives back the document's own CRC.
    expect(
      toHex(fixDerived({ protocol: meiligao, frameType: ft, direction: 'uplink' }, LOGIN, derived)),
    ).toBe(toHex(LOGIN));
  });

  test('an MT700 NMEA XOR checksum is fixed up after its sentence changes', () => {
    const text =
      '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,100124,,,A*5C\r\n##\r\n';
    const report = mt700.frames.find((f) => f.name === 'report')!;
    const seed = seedFromFrame(mt700, report, Buffer.from(text, 'latin1'), 'doc')!;
    const derived = new Map(
      seed.fields.filter((f) => 'derive' in f.node && f.node.derive).map((f) => [f.path, f.node]),
    );
    const changed = Buffer.from(text.replace('2238.8946', '2238.8947'), 'latin1');
    const fixed = Buffer.from(
      fixDerived({ protocol: mt700, frameType: report, direction: 'uplink' }, changed, derived),
    ).toString('latin1');
    // XOR flips in the low bit: 0x5C becomes 0x5D.
    expect(fixed).toContain('*5D\r\n');
  });
});

describe('the engine', () => {
  const engine = new FuzzEngine(allSeeds, { seed: 42 });

  test('seed and index regenerate identical bytes; other indexes and seeds differ', () => {
    const again = new FuzzEngine(allSeeds, { seed: 42 });
    for (const i of [0, 1, 17, 99_999]) {
      expect(toHex(streamOf(again.case(i).delivery))).toBe(toHex(streamOf(engine.case(i).delivery)));
      expect(again.case(i).mutations).toEqual(engine.case(i).mutations);
    }
    const other = new FuzzEngine(allSeeds, { seed: 43 });
    const differs = [0, 1, 2, 3, 4].filter((i) => toHex(other.case(i).frame) !== toHex(engine.case(i).frame));
    expect(differs.length).toBeGreaterThan(3);
  });

  test('most cases keep their lengths and checksums right; the configured share breaks one', () => {
    const meiligaoOnly = allSeeds.filter((s) => s.protocol === meiligao);
    const e = new FuzzEngine(meiligaoOnly, { seed: 5, badDerivedShare: 0.3, havocShare: 0 });
    let broken = 0;
    let crcBadWhenFixed = 0;
    const n = 400;
    for (let i = 0; i < n; i++) {
      const c = e.case(i);
      const d = decodeFrame(meiligao, ft, c.frame);
      if (c.derived.mode === 'broken') {
        broken++;
        expect(d.issues.some((x) => x.id === 'meiligao.crc.bad' || x.id === 'meiligao.length.bad')).toBe(
          true,
        );
      } else if (d.checksums.some((x) => x.status === 'bad')) crcBadWhenFixed++;
    }
    expect(broken / n).toBeGreaterThan(0.2);
    expect(broken / n).toBeLessThan(0.4);
    expect(crcBadWhenFixed).toBe(0);
  });

  test('mutations name the schema field they aim at', () => {
    const fields = new Set<string>();
    for (let i = 0; i < 300; i++)
      for (const m of engine.case(i).mutations) if (m.field) fields.add(m.field.split('.')[0]!);
    expect([...fields].sort()).toEqual(['fibocom', 'h02', 'meiligao', 'mt700', 'wln']);
  });

  test('segments carry exactly the delivery stream', () => {
    fc.assert(
      fc.property(fuzzCaseArbitrary(engine), (c) => {
        expect(Buffer.concat(segmentsOf(c.delivery))).toEqual(Buffer.from(streamOf(c.delivery)));
        expect(c.delivery.frames[c.delivery.target]).toEqual(c.frame);
      }),
      { numRuns: 200 },
    );
  });

  test('decoders never throw on fuzz cases and account for every byte (fast-check property)', () => {
    fc.assert(
      fc.property(fuzzCaseArbitrary(engine), (c) => {
        expect(decodeCase(c)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  test('20 000 in-process cases over every schema: no finding', async () => {
    const r = await runInProcess(engine, { cases: 20_000, start: 1_000_000 });
    expect(r.cases).toBe(20_000);
    expect([...r.hits.keys()]).toEqual([]);
  });

  test('the schema hash changes with the schemas', () => {
    expect(schemaHash(PROTOCOLS)).toMatch(/^[0-9a-f]{16}$/);
    expect(schemaHash([meiligao])).not.toBe(schemaHash([mt700]));
    expect(schemaHash([...PROTOCOLS].reverse())).toBe(schemaHash(PROTOCOLS));
  });
});
