// Reassembly and resynchronisation in real tshark: frames split over segments, several frames in one
// segment, a garbage prefix and a bogus Meiligao length all decode fully, with and without two-pass
// (-2) and tree building (-V); and `editcap -E` corruption never raises a Lua error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../src/protocols/index.js';
import { fieldDecls } from '../../src/dissector/index.js';
import { ndjson, trackshark } from '../helpers/cli.js';
import { compareCapture } from './compare.js';
import { writeStreamCapture } from './streams.js';
import { HAS_TSHARK, tshark } from './tshark.js';

const tmp = mkdtempSync(join(tmpdir(), 'trackshark-streams-'));
const HEUR = ['-o', 'tcp.try_heuristic_first:TRUE'];

const MEILIGAO_LOGIN = Buffer.from('2424001112345678901fff50006f350d0a', 'hex');
/** The same login ending in CR VT instead of CR LF: its length and CRC still hold. */
const WRONG_END_LOGIN = Buffer.from('2424001112345678901fff50006f350d0b', 'hex');
const MT700 =
  '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,100124,,,A*5C\r\n##';
const H02 = '*HQ,865205030330012,V1,123548,A,2238.8936,N,11402.0640,E,000.00,000,100124,FFFFFBFF#';

/** Field values of one field over the whole capture, in order (-T fields, one line per packet). */
function values(file: string, field: string, extra: string[] = []): string[] {
  const r = tshark([...HEUR, ...extra, '-r', file, '-T', 'fields', '-E', 'occurrence=a', '-e', field]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').flatMap((l) => (l.trim() === '' ? [] : l.split(',')));
}

describe.skipIf(!HAS_TSHARK)('TCP streams in tshark', () => {
  const cases = {
    'meiligao split in three': [
      MEILIGAO_LOGIN.subarray(0, 3),
      MEILIGAO_LOGIN.subarray(3, 9),
      MEILIGAO_LOGIN.subarray(9),
    ],
    'meiligao merged with garbage and a bogus length': [
      Buffer.concat([
        Buffer.from('xx\x00junk'),
        MEILIGAO_LOGIN,
        Buffer.from('2424ffff', 'hex'),
        MEILIGAO_LOGIN,
      ]),
      MEILIGAO_LOGIN,
    ],
    'meiligao with a wrong terminator, then a good frame': [Buffer.concat([WRONG_END_LOGIN, MEILIGAO_LOGIN])],
    'mt700 split and merged': [Buffer.from(MT700.slice(0, 7)), Buffer.from(MT700.slice(7) + '\r\n' + MT700)],
    'h02 garbage then three frames in one segment, then a split one': [
      Buffer.from(`garbage${H02}${H02}\r\n${H02}${H02.slice(0, 30)}`),
      Buffer.from(H02.slice(30)),
    ],
  };
  /** The frames of each stream, a field, and how many of them show it with this value. */
  const expected = {
    'meiligao split in three': ['meiligao.device_id', 1, '12345678901', 1],
    // The bogus-length frame reads its ID from the login bytes it swallowed.
    'meiligao merged with garbage and a bogus length': ['meiligao.device_id', 3, '12345678901', 2],
    'meiligao with a wrong terminator, then a good frame': ['meiligao.device_id', 2, '12345678901', 2],
    'mt700 split and merged': ['mt700.head.imei', 2, '862255061947757', 2],
    'h02 garbage then three frames in one segment, then a split one': ['h02.id', 4, '865205030330012', 4],
  } as const;
  for (const [name, segments] of Object.entries(cases)) {
    const file = join(tmp, `${name.replace(/\W+/g, '-')}.pcap`);
    writeStreamCapture(file, segments);
    for (const mode of [[], ['-2'], ['-V'], ['-2', '-V']]) {
      it(`${name} ${mode.join(' ') || '(one pass)'}: the frames decode --json finds, field by field`, () => {
        const [field, count, value, shown] = expected[name as keyof typeof expected];
        const decoded = ndjson(trackshark(['decode', '--json', file]).stdout);
        const json = tshark([...HEUR, ...mode, '-r', file, '-T', 'json', '--no-duplicate-keys']);
        const pdml = tshark([...HEUR, ...mode, '-r', file, '-T', 'pdml']);
        expect(json.stdout).not.toMatch(/Lua Error|_ws\.lua\.error/);
        const { frames, diffs } = compareCapture(PROTOCOLS, decoded, json.stdout, pdml.stdout);
        expect(diffs).toEqual([]);
        expect(frames).toBe(count);
        expect(values(file, field, mode).filter((v) => v === value).length).toBe(shown);
      });
    }
  }

  it('the bogus length and the garbage are reported as experts, the CRCs are good', () => {
    const file = join(tmp, 'meiligao-merged-with-garbage-and-a-bogus-length.pcap');
    // The bogus frame runs to the first CRLF followed by a frame start, so it takes the login after
    // it (as the decoder's framer does): good, bad, good.
    expect(values(file, 'meiligao.crc.status')).toEqual(['1', '0', '1']);
    expect(values(file, 'meiligao.crc.calculated')).toContain('0x6f35');
    expect(values(file, 'meiligao.length')).toContain('65535');
    expect(values(file, 'meiligao.undecoded')).toEqual(['7878006a756e6b']);
  });

  it('without TCP reassembly a split frame is shown as far as it goes, flagged incomplete', () => {
    // Packet 4 ends in the first 30 bytes of an H02 frame: shown as a fourth frame, ID included. (A
    // split Meiligao frame is not: its length says it goes on, so its pieces stay undecoded bytes.)
    const file = join(tmp, 'h02-garbage-then-three-frames-in-one-segment-then-a-split-one.pcap');
    const r = tshark([
      ...HEUR,
      '-o',
      'tcp.desegment_tcp_streams:FALSE',
      '-r',
      file,
      '-Y',
      'h02.incomplete',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      'h02.id',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([`4\t${Array(4).fill('865205030330012').join(',')}`]);
  });

  it('fuzzed captures (editcap -E, 50 seeds) raise no Lua error', () => {
    const sources = [
      'captures/pcap/vt600-ota-ethernet-us-le.pcap',
      'captures/pcap/mt700-vlan-ns-be.pcap',
      'captures/pcap/h02-qinq-us-be.pcap',
    ];
    const fuzzed: string[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const out = join(tmp, `fuzz-${seed}.pcap`);
      const src = sources[seed % sources.length]!;
      expect(spawnSync('editcap', ['-E', '0.03', '--seed', String(seed), src, out]).status).toBe(0);
      fuzzed.push(out);
    }
    const merged = join(tmp, 'fuzz-all.pcap');
    expect(spawnSync('mergecap', ['-a', '-F', 'pcap', '-w', merged, ...fuzzed]).status).toBe(0);
    const r = tshark([...HEUR, '-r', merged, '-V']);
    expect(r.stdout).toMatch(/Meiligao|MT700|H02/);
    expect(r.stdout).not.toMatch(/Lua Error/);
  });

  it('the port preference names the server: frame types chosen by direction, as decode does', () => {
    const file = 'captures/pcap/h02-qinq-us-be.pcap';
    const pref = ['-o', 'h02.tcp_port:5013'];
    const json = tshark([...pref, '-r', file, '-T', 'json', '--no-duplicate-keys']);
    const pdml = tshark([...pref, '-r', file, '-T', 'pdml']);
    expect(json.stdout).not.toMatch(/Lua Error|_ws\.lua\.error/);
    const decoded = ndjson(trackshark(['decode', '--json', file]).stdout);
    const { frames, diffs } = compareCapture(PROTOCOLS, decoded, json.stdout, pdml.stdout);
    expect(diffs).toEqual([]);
    expect(frames).toBe(22);
    const info = tshark([
      ...pref,
      '-r',
      file,
      '-Y',
      'h02 && tcp.srcport == 5013',
      '-T',
      'fields',
      '-e',
      '_ws.col.Info',
    ]);
    expect(
      info.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(['Server command', 'Server command']);
  });

  it('tshark -G fields lists every field of every schema', () => {
    const listed = new Set(
      tshark(['-G', 'fields'])
        .stdout.split('\n')
        .map((l) => l.split('\t')[2]),
    );
    for (const protocol of PROTOCOLS)
      for (const d of fieldDecls(protocol)) expect(listed.has(d.path), d.path).toBe(true);
  });
});
