// `trackshark export`: the WLN round trip (trackshark's own WLN decoder reads back what was written),
// each format's values against the documents, golden files of every format over bundled captures,
// and bad arguments.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Normalized, Scalar } from '../../src/decode/index.js';
import { messagesOf, toWln, type ExportMessage } from '../../src/export/index.js';
import { decodeInput } from '../../src/pipeline/decode-input.js';
import type { FrameRecord } from '../../src/pipeline/index.js';
import { ndjson, trackshark } from '../helpers/cli.js';
import { CAPTURES, expectGolden, readWln } from './helpers.js';

async function messages(file: string): Promise<ExportMessage[]> {
  const out: ExportMessage[] = [];
  for await (const r of decodeInput(file)) out.push(...messagesOf(r));
  return out;
}

/** A message as the exporters see it, from parameters alone. */
function message(params: Normalized): ExportMessage {
  return {
    device: 'd',
    ident: undefined,
    protocol: 'test',
    direction: 'uplink',
    time: params['timestamp'] as number,
    serverTime: undefined,
    conversation: undefined,
    params,
    fix: {
      lat: params['position.latitude'] as number,
      lon: params['position.longitude'] as number,
      valid: params['position.valid'] !== false,
    },
    record: {} as FrameRecord,
  };
}

const HEAD_KEYS = [
  'timestamp',
  'position.latitude',
  'position.longitude',
  'position.speed',
  'position.direction',
  'position.altitude',
  'position.satellites',
  'position.hdop',
] as const;

describe('WLN round trip', () => {
  it('reads back the same positions, times and parameters from the bundled captures', async () => {
    let checked = 0;
    for (const file of CAPTURES)
      for (const m of await messages(file)) {
        const line = toWln(m);
        if (!line) continue;
        const back = readWln(line);
        expect(back.ok, line).toBe(true);
        for (const k of HEAD_KEYS)
          if (m.params[k] !== undefined) expect(back.normalized[k], `${k} in ${line}`).toBe(m.params[k]);
        expect(back.normalized['timestamp']).toBe(Math.floor(m.time!));
        expect(back.groups['texts']!['ident']).toBe(m.ident);
        expect(back.groups['booleans']!['valid']).toBe(m.fix!.valid ? '1' : '0');
        checked++;
      }
    // 2 MT700 fixes in the capture, 1 carried in the AT log, 10 H02 reports with positions.
    expect(checked).toBe(13);
  });

  it('keeps the Wialon document example line value for value', () => {
    const doc = readWln(
      'REG;1466585078;30.4367027283;59.7207145691;1;273;ALT:24.0,hdop:1.7;SATS:5;soft_version:"44";;;',
    );
    const params: Normalized = { ...doc.normalized, 'position.valid': true } as Normalized;
    const line = toWln(message(params))!;
    expect(line).toBe(
      'REG;1466585078;30.4367027283;59.7207145691;1;273;ALT:24.0,hdop:1.7;SATS:5;message_type:"reg";;valid:1;',
    );
    expect(readWln(line).normalized).toEqual(doc.normalized);
  });

  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/).map((n) => `x_${n}`);
  const text = fc.string({ unit: fc.constantFrom(...'ab ,;:-_.0Z/'.split('')), maxLength: 12 });
  const fixed = (scale: number, max: number) =>
    fc.integer({ min: -max * scale, max: max * scale }).map((i) => i / scale + 0);

  it('property: any message with a position reads back equal', () => {
    fc.assert(
      fc.property(
        fc.record({
          timestamp: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          'position.latitude': fixed(1e7, 90),
          'position.longitude': fixed(1e7, 180),
          'position.speed': fixed(1e3, 500).map(Math.abs),
          'position.direction': fc.integer({ min: 0, max: 359 }),
          'position.altitude': fixed(10, 9000),
          'position.satellites': fc.integer({ min: 0, max: 40 }),
          'position.valid': fc.boolean(),
        }),
        fc.dictionary(
          name,
          fc.oneof(
            text,
            fc.integer(),
            fc.integer({ min: 2 ** 31, max: 2 ** 52 }),
            fixed(1e4, 1e6),
            fc.boolean(),
          ),
          { maxKeys: 6 },
        ),
        (head, extra) => {
          const params = { 'message.type': 'report', ...head, ...extra } as Record<string, Scalar>;
          const line = toWln(message(params))!;
          const back = readWln(line);
          expect(back.ok, line).toBe(true);
          for (const k of HEAD_KEYS)
            if (k in params) expect(back.normalized[k], `${k} in ${line}`).toBe(params[k]);
          const all = Object.assign({}, ...Object.values(back.groups)) as Record<string, string>;
          for (const [k, v] of Object.entries(extra)) {
            const read = all[k];
            if (typeof v === 'boolean') expect(read).toBe(v ? '1' : '0');
            else if (typeof v === 'string') expect(read).toBe(v);
            else expect(Number(read)).toBe(v);
          }
          // Each value is in the group its type calls for.
          for (const [k, v] of Object.entries(extra)) {
            const group = Object.entries(back.groups).find(([, g]) => k in g)![0];
            const want =
              typeof v === 'boolean'
                ? 'booleans'
                : typeof v === 'string'
                  ? 'texts'
                  : !Number.isInteger(v)
                    ? 'doubles'
                    : Math.abs(v) < 2 ** 31
                      ? 'ints'
                      : 'longs';
            expect(group, `${k}=${v}`).toBe(want);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes the exported file with `trackshark decode` to the same positions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trackshark-export-'));
    const out = join(dir, 'x.wln');
    const r = trackshark(['export', '--to', 'wln', '--out', out, ...CAPTURES]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^trackshark: 13 messages written as wln to .*x\.wln; \d+ left out/);
    const back = ndjson(trackshark(['decode', '--json', out]).stdout);
    expect(back).toHaveLength(13);
    expect(back[0]!['normalized']).toMatchObject({
      timestamp: 1704889998,
      'position.latitude': 22.6482433,
      'position.longitude': 114.0343917,
    });
  });
});

describe('formats', () => {
  const run = (to: string, ...inputs: string[]) => {
    const r = trackshark(['export', '-q', '--to', to, ...inputs]);
    expect(r.status).toBe(0);
    return r.stdout;
  };

  it('wialon-json: data messages with pos, flags and typed p; commands as ucr', () => {
    const [first, , , lbs] = ndjson(run('wialon-json', CAPTURES[0]!));
    expect(first).toEqual({
      t: 1704889998,
      f: 0x01,
      tp: 'ud',
      pos: { y: 22.6482433, x: 114.0343917, z: 0, s: 0, c: 0, sc: 0 },
      i: 0,
      o: 0,
      p: { message_type: 'report', ident: '862255061947757', valid: 1, pwr_int: 3.815 },
      lc: 0,
      rt: 1704889998,
    });
    // An LBS report: no location flag, no pos, the cell in p.
    expect(lbs).toMatchObject({
      t: 1704889111,
      f: 0,
      pos: null,
      p: { mcc: 460, lac: 7465, cell_id: 22418749 },
    });
    const commands = ndjson(run('wialon-json', 'captures/h02/commands.txt'));
    expect(commands[0]).toEqual({
      t: 0,
      f: 0,
      tp: 'ucr',
      ca: 'S20',
      cn: 'custom_msg',
      cp: '*HQ,4209951296,S20,130305,1,1#',
      ui: 0,
      ln: '',
      lt: '',
      et: 0,
      p: { vendor_code: 'HQ', ident: '4209951296' },
    });
  });

  it('wialon-json: binary commands carry hex, captured ones their link type', () => {
    const ota = ndjson(run('wialon-json', 'captures/pcap/vt600-ota-ethernet-us-le.pcap'));
    const ucr = ota.filter((m) => m['tp'] === 'ucr');
    expect(ucr.length).toBeGreaterThan(0);
    expect(ucr[0]).toMatchObject({ tp: 'ucr', ca: 'ota_info_request', lt: 'tcp' });
    expect(ucr[0]!['cp']).toMatch(/^4040[0-9a-f]+0d0a$/);
  });

  it('flespi: the normalized object with server.timestamp and peer; batches split', () => {
    const [first] = ndjson(run('flespi', CAPTURES[0]!));
    expect(first).toEqual({
      'message.type': 'report',
      ident: '862255061947757',
      'position.latitude': 22.6482433,
      'position.longitude': 114.0343917,
      timestamp: 1704889998,
      'position.valid': true,
      'battery.voltage': 3.815,
      'server.timestamp': 1704889998.004,
      peer: '10.20.30.40:40100',
    });
    // variants.txt line 2: one report frame with two records.
    const batch = ndjson(run('flespi', 'captures/mt700/variants.txt')).slice(2, 4);
    expect(batch.map((m) => [m['timestamp'], m['position.latitude'], m['battery.voltage']])).toEqual([
      [1704889998, 22.6482433, 3.8],
      [1704890148, 22.6482267, 4.012],
    ]);
  });

  it('csv: a header, then a row per message with quoted fields where needed', () => {
    const lines = run('csv', CAPTURES[0]!, 'captures/h02/v3.txt').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 4)).toEqual(['time', 'timestamp', 'server.timestamp', 'ident']);
    const row = lines[1]!.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    const col = (name: string) => row[header.indexOf(name)];
    expect(col('time')).toBe('2024-01-10T12:33:18Z');
    expect(col('position.latitude')).toBe('22.6482433');
    expect(col('conversation')).toBe('tcp:0 10.20.30.40:40100 > 192.0.2.10:7700');
    // Two cells of an H02 V3 report: one field, joined with |.
    expect(lines.find((l) => l.includes('24852|24852'))).toContain('35421|35425');
  });

  it('geojson: a Point per fix and one LineString per device with two or more valid fixes', () => {
    const g = JSON.parse(run('geojson', ...CAPTURES)) as {
      type: string;
      features: { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
    };
    expect(g.type).toBe('FeatureCollection');
    const lines = g.features.filter((f) => f.geometry.type === 'LineString');
    const points = g.features.filter((f) => f.geometry.type === 'Point');
    expect(points).toHaveLength(13);
    expect(lines.map((l) => l.properties['device'])).toEqual(['862255061947757', '4209951296']);
    // MT700: the two capture fixes and the one carried in the AT log, in time order.
    expect(lines[0]!.geometry.coordinates).toEqual([
      [114.0343917, 22.6482433],
      [114.0344, 22.6482267],
      [114.0344, 22.6482267],
    ]);
  });

  it('golden files of each format', () => {
    expectGolden('all.wln', run('wln', ...CAPTURES));
    expectGolden('all.wialon.ndjson', run('wialon-json', ...CAPTURES));
    expectGolden('all.flespi.ndjson', run('flespi', ...CAPTURES));
    expectGolden('all.csv', run('csv', ...CAPTURES));
    expectGolden('all.geojson', run('geojson', ...CAPTURES));
  });
});

describe('bad arguments and inputs', () => {
  it('an unknown format is an argument error', () => {
    const r = trackshark(['export', '--to', 'kml', CAPTURES[0]!]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Invalid values:[\s\S]*kml/);
  });

  it('an unwritable --out is one line and status 2', () => {
    const r = trackshark(['export', '--to', 'csv', '--out', '/nonexistent/dir/x.csv', CAPTURES[0]!]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^trackshark: \/nonexistent\/dir\/x\.csv: cannot write: ENOENT/),
    ]);
  });

  it('a missing input is reported; the other inputs are still exported', () => {
    const r = trackshark(['export', '--to', 'flespi', 'no-such.pcap', CAPTURES[2]!]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('trackshark: no-such.pcap: cannot read: no such file');
    expect(ndjson(r.stdout)).toHaveLength(10);
  });

  it('--device keeps one device', () => {
    const out = trackshark(['export', '-q', '--to', 'flespi', '--device', '4106012736', CAPTURES[2]!]).stdout;
    const idents = new Set(ndjson(out).map((m) => m['ident']));
    expect([...idents]).toEqual(['4106012736']);
  });

  it('exports read from a file match those from stdin', () => {
    const file = readFileSync(CAPTURES[2]!);
    const viaStdin = trackshark(['export', '-q', '--to', 'csv', '-'], file).stdout;
    expect(viaStdin.split('\n')[1]).toContain('4209951296');
    // Row for row the same, but for the file named in the source column.
    const viaFile = trackshark(['export', '-q', '--to', 'csv', CAPTURES[2]!]).stdout;
    expect(viaStdin).toBe(viaFile.replaceAll(`,${CAPTURES[2]}@`, ',-@'));
  });
});
