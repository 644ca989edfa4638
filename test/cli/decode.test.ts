// `trackshark decode` as users run it: the real binary, its exit status, stdout and stderr.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ndjson, trackshark } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'trackshark-cli-'));

describe('trackshark decode', () => {
  test('--json prints one object per frame with fields, spans, checksums and issues', () => {
    const r = trackshark(['decode', '--json', 'captures/vt600/ota-commands.hex']);
    expect(r.status).toBe(0);
    const records = ndjson(r.stdout);
    expect(records).toHaveLength(14);
    const first = records[0]!;
    expect(first).toMatchObject({
      index: 1,
      kind: 'frame',
      protocol: 'meiligao',
      direction: 'uplink',
      source: { file: 'captures/vt600/ota-commands.hex', line: 4 },
      length: 17,
      ok: true,
      hex: '2424001112345678901fff50006f350d0a',
      normalized: { ident: '12345678901', 'message.type': 'login' },
      checksums: [
        {
          field: 'meiligao.crc',
          algorithm: 'crc16-ccitt-false',
          status: 'good',
          expected: 0x6f35,
          actual: 0x6f35,
          covered: [0, 13],
        },
      ],
      issues: [],
    });
    expect(first.fields).toMatchObject({
      'meiligao.start': '$$',
      'meiligao.length': 17,
      'meiligao.device_id': '12345678901',
      'meiligao.command': 0x5000,
      'meiligao.crc': 0x6f35,
    });
    expect(first.spans).toMatchObject({
      'meiligao.start': [0, 2],
      'meiligao.device_id': [4, 7],
      'meiligao.crc': [13, 2],
    });
    const bad = records
      .filter((x) => (x.issues as unknown[]).length > 0)
      .map((x) => (x.source as { line: number }).line);
    expect(bad).toEqual([9, 16, 17]);
  });

  test('the tree names coded values, checksum verdicts and errata; stderr has one line per problem', () => {
    const r = trackshark(['decode', 'captures/vt600/ota-commands.hex']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Command: OTA cancel (0x9505)');
    expect(r.stdout).toContain('Checksum: 0x3619 [incorrect, should be 0x6f39]');
    expect(r.stdout).toContain('Maximum OTA data length: 128 bytes');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(
      'trackshark: captures/vt600/ota-commands.hex:16 (byte 1834): meiligao frame byte 13: meiligao.crc.bad: meiligao.crc is 0x3619, crc16-ccitt-false of bytes 0..12 is 0x6F39',
    );
    expect(lines.at(-1)).toBe('trackshark: captures/vt600/ota-commands.hex: 14 frames (3 with errors)');
  });

  test('reads stdin, and raw binary with garbage: undecoded bytes get a record and a position', () => {
    const bytes = Buffer.from(
      '7788' + '2424001112345678901fff50006f350d0a' + '0000' + '40400011101130923633ff95013f9c0d0a',
      'hex',
    );
    const r = trackshark(['decode', '--json', '-'], bytes);
    expect(r.status).toBe(0);
    const records = ndjson(r.stdout);
    expect(records.map((x) => [x.kind, (x.source as { offset: number }).offset, x.length])).toEqual([
      ['undecoded', 0, 2],
      ['frame', 2, 17],
      ['undecoded', 19, 2],
      ['frame', 21, 17],
    ]);
    expect(r.stderr).toContain('trackshark: - (byte 0): 2 undecoded bytes (no frame start)');
    expect(r.stderr).toContain('meiligao.crc.bad');
  });

  test('--protocol forces a protocol; --input forces a kind', () => {
    const file = join(tmp, 'frames.txt');
    writeFileSync(file, '2424001112345678901fff50006f350d0a\n');
    const r = trackshark(['decode', '--json', '--input', 'hex-lines', '--protocol', 'meiligao', file]);
    expect(ndjson(r.stdout).map((x) => x.protocol)).toEqual(['meiligao']);
  });

  test('an unreadable input gives a one-line error and exit status 2; the other inputs are still decoded', () => {
    const r = trackshark(['decode', '--json', 'does-not-exist.log', 'captures/vt600/ota-procedure.hex']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('trackshark: does-not-exist.log: cannot read: no such file');
    expect(ndjson(r.stdout)).toHaveLength(15);
  });

  test('wrong arguments exit 2 with a usage hint', () => {
    const r = trackshark(['decode', '--input', 'nonsense', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Invalid values:[\s\S]*Argument: input/);
    expect(trackshark(['decode']).status).toBe(2);
    expect(trackshark(['decode', '--protocol', 'nope', 'captures/vt600/ota-procedure.hex']).stderr).toContain(
      'unknown protocol',
    );
  });

  test('--help lists the command and its options', () => {
    const r = trackshark(['decode', '--help']);
    expect(r.status).toBe(0);
    for (const option of ['--json', '--input', '--protocol', '--direction', '--hex'])
      expect(r.stdout).toContain(option);
  });
});
