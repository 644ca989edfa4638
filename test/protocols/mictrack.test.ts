import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame, fromLatin1, latin1, type DecodedFrame } from '../../src/decode/index.js';
import {
  commandFrame,
  mt700,
  otherFrame,
  replyFrame,
  reportFrame,
} from '../../src/protocols/mictrack/index.js';
import type { FrameType, Pattern, Protocol } from '../../src/schema/index.js';

// ---- a test-side cutter that follows the framing declared by the schema ---------------------------
// (The streaming framer is written separately; this one reads the same declarations, so the capture
// files double as a check that the declarations cut the document's frames where they belong.)

const CLASSES: Record<string, RegExp> = {
  digit: /[0-9]/,
  hex: /[0-9A-Fa-f]/,
  alpha: /[A-Za-z]/,
  alnum: /[0-9A-Za-z]/,
  upper: /[A-Z]/,
  print: /[\x20-\x7e]/,
};

function matchPattern(s: string, pos: number, p: Pattern): number {
  let i = pos;
  for (const atom of p) {
    if ('lit' in atom) {
      if (!s.startsWith(atom.lit, i)) return -1;
      i += atom.lit.length;
    } else {
      let n = 0;
      while (n < atom.max && i + n < s.length && CLASSES[atom.cls]!.test(s[i + n]!)) n++;
      if (n < atom.min) return -1;
      i += n;
    }
  }
  return i;
}

const starts = (ft: FrameType): readonly Pattern[] =>
  ft.framing.kind === 'delimited' || ft.framing.kind === 'line' ? (ft.framing.start ?? []) : [];
const anyStart = (proto: Protocol, s: string, pos: number) =>
  proto.frames.some((ft) => starts(ft).some((p) => matchPattern(s, pos, p) >= 0));
const lineEndLength = (s: string, i: number) =>
  s.startsWith('\r\n', i) ? 2 : s[i] === '\r' || s[i] === '\n' ? 1 : 0;

interface Cut {
  readonly frameType: FrameType;
  readonly offset: number;
  readonly text: string;
  /** The frame with the line end accounted to it, as it sits in the file. */
  readonly wire: string;
}

function cut(proto: Protocol, s: string): { frames: Cut[]; undecoded: string } {
  const frames: Cut[] = [];
  let undecoded = '';
  let pos = 0;
  next: while (pos < s.length) {
    const eol = lineEndLength(s, pos);
    if (eol > 0) {
      pos += eol;
      continue;
    }
    for (const ft of proto.frames) {
      const f = ft.framing;
      if (f.kind !== 'delimited' && f.kind !== 'line') continue;
      const from = starts(ft)
        .map((p) => matchPattern(s, pos, p))
        .find((e) => e >= 0);
      if (from === undefined) continue;
      let end = s.length;
      let after = s.length;
      if (f.kind === 'line') {
        end = pos;
        while (end < s.length && lineEndLength(s, end) === 0) end++;
        after = end + lineEndLength(s, end);
      } else {
        for (let i = from; i < s.length; i++) {
          const le = lineEndLength(s, i);
          if (f.endsBeforeNextStart && le > 0 && anyStart(proto, s, i + le)) {
            [end, after] = [i, i + le];
            break;
          }
          const marker = f.end.find((m) => s.startsWith(m, i));
          if (marker === undefined) continue;
          const k = i + marker.length;
          if (f.endMustBeFollowed && k < s.length && lineEndLength(s, k) === 0 && !anyStart(proto, s, k))
            continue;
          [end, after] = [k, f.swallowLineEnd ? k + lineEndLength(s, k) : k];
          break;
        }
      }
      frames.push({ frameType: ft, offset: pos, text: s.slice(pos, end), wire: s.slice(pos, after) });
      pos = after;
      continue next;
    }
    undecoded += s[pos];
    pos++;
  }
  return { frames, undecoded };
}

const capture = (name: string) =>
  readFileSync(new URL(`../../captures/mt700/${name}`, import.meta.url), 'latin1');
const cutFile = (name: string) => cut(mt700, capture(name));
const decode = (ft: FrameType, text: string) => decodeFrame(mt700, ft, fromLatin1(text));
const ids = (d: DecodedFrame) => d.issues.map((i) => i.id);

/** encode(decode(bytes)) with the observed layout gives the bytes back. */
function expectRoundTrip(ft: FrameType, text: string): void {
  const d = decode(ft, text);
  expect(latin1(encodeFrame(mt700, ft, d.value, { layout: d.layout }))).toBe(text);
}

const nmeaTime = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

// Values the decoded report carries for its first record.
interface RecordValue {
  voltage: string;
  lbs?: { cell?: { mcc: string; mnc: string; lac: string; cell_id: string } };
  sentence: Record<string, unknown> & { checksum: string };
}
const records = (d: DecodedFrame) => (d.value as { records: RecordValue[] }).records;
const head = (d: DecodedFrame) => (d.value as { head: Record<string, unknown> }).head;

// ---- §2.2.1 GPS examples ------------------------------------------------------------------------

describe('GPS data examples (§2.2.1)', () => {
  const { frames, undecoded } = cutFile('gps-examples.txt');

  test('the file cuts into four reports; the stray "# " before example 3 is left undecoded', () => {
    expect(frames.map((f) => f.frameType.name)).toEqual(['report', 'report', 'report', 'report']);
    expect(undecoded).toBe('# ');
    expect(frames[2]!.text.startsWith('#862255061984701#')).toBe(true);
  });

  test('example 1: GPS available, LBS off', () => {
    const d = decode(reportFrame, frames[0]!.text);
    expect(d.ok).toBe(true);
    expect(d.issues).toEqual([]);
    expect(head(d)).toEqual({
      imei: '862255061947757',
      model: 'MT700',
      password: '0000',
      status: 'AUTO',
      count: '1',
    });
    const [r] = records(d);
    expect(r!.lbs).toBeUndefined();
    expect(d.normalized['ident']).toBe('862255061947757');
    expect(d.normalized['battery.voltage']).toBe(3.815);
    expect(d.normalized['position.latitude'] as number).toBeCloseTo(22.648243333, 6);
    expect(d.normalized['position.longitude'] as number).toBeCloseTo(114.034391667, 6);
    expect(d.normalized['timestamp']).toBe(nmeaTime(2024, 1, 10, 12, 33, 18));
    expect(d.normalized['position.valid']).toBe(true);
    expect(d.checksums).toMatchObject([{ status: 'good', expected: 0x5c, actual: 0x5c, algorithm: 'xor8' }]);
  });

  test('example 2: GPS available, LBS on (a bare "#", no cell info)', () => {
    const d = decode(reportFrame, frames[1]!.text);
    expect(d.issues).toEqual([]);
    const [r] = records(d);
    expect(r!.lbs).toEqual({});
    expect(d.normalized['gsm.mcc']).toBeUndefined();
    expect(d.normalized['position.latitude'] as number).toBeCloseTo(22.648226667, 6);
    expect(d.normalized['position.longitude'] as number).toBeCloseTo(114.0344, 6);
    expect(d.normalized['timestamp']).toBe(nmeaTime(2024, 1, 10, 12, 35, 48));
    expect(d.checksums).toMatchObject([{ status: 'good', actual: 0x5a }]);
  });

  test('example 3: GPS unavailable, LBS off: the no-fix layout with eight empty fields', () => {
    const d = decode(reportFrame, frames[2]!.text);
    expect(d.issues).toEqual([]);
    expect(head(d)['imei']).toBe('862255061984701');
    const [r] = records(d);
    expect(r!.sentence['gprmc_no_fix']).toMatchObject({
      time: '023216.00',
      status: 'V',
      date: '290424',
      mode: 'A',
    });
    expect(d.normalized['position.valid']).toBe(false);
    expect(d.normalized['position.latitude']).toBeUndefined();
    expect(d.normalized['timestamp']).toBe(nmeaTime(2024, 4, 29, 2, 32, 16));
    expect(d.checksums).toMatchObject([{ status: 'good', actual: 0x7f }]);
  });

  test('example 4: GPS unavailable, LBS on: cell info, hex LAC and cell id', () => {
    const d = decode(reportFrame, frames[3]!.text);
    expect(d.issues).toEqual([]);
    expect(records(d)[0]!.lbs).toEqual({ cell: { mcc: '460', mnc: '00', lac: '1D29', cell_id: '156153D' } });
    expect(d.normalized).toMatchObject({
      'gsm.mcc': 460,
      'gsm.mnc': 0,
      'gsm.lac': 0x1d29,
      'gsm.cellid': 0x156153d,
      'battery.voltage': 3.815,
      'position.valid': false,
      timestamp: nmeaTime(2024, 1, 10, 12, 18, 31),
    });
    expect(d.checksums).toMatchObject([{ status: 'good', actual: 0x7c }]);
  });

  test('every example re-encodes to its bytes', () => {
    for (const f of frames) expectRoundTrip(reportFrame, f.text);
  });

  test('a report built by hand (count and checksum left out) gives example 1 as it goes on the wire', () => {
    const bytes = encodeFrame(mt700, reportFrame, {
      head: { imei: '862255061947757', model: 'MT700', password: '0000', status: 'AUTO' },
      records: [
        {
          voltage: '3815',
          sentence: {
            gprmc: {
              time: '123318.00',
              status: 'A',
              lat: '2238.8946',
              lat_hemisphere: 'N',
              lon: '11402.0635',
              lon_hemisphere: 'E',
              speed: '',
              course: '',
              date: '100124',
              magnetic_variation: '',
              variation_direction: '',
              mode: 'A',
            },
          },
        },
      ],
      end: '##',
    });
    expect(latin1(bytes)).toBe(frames[0]!.wire);
  });

  test('a no-fix record with cell info built by hand gives example 4', () => {
    const bytes = encodeFrame(mt700, reportFrame, {
      head: { imei: '862255061947757', model: 'MT700', password: '0000', status: 'AUTO' },
      records: [
        {
          voltage: '3815',
          lbs: { cell: { mcc: '460', mnc: '00', lac: '1D29', cell_id: '156153D' } },
          sentence: {
            gprmc_no_fix: {
              time: '121831.00',
              status: 'V',
              date: '100124',
              magnetic_variation: '',
              variation_direction: '',
              mode: 'A',
            },
          },
        },
      ],
      end: '##',
    });
    expect(latin1(bytes)).toBe(frames[3]!.wire);
  });
});

// ---- §2.2.2 WiFi examples -----------------------------------------------------------------------

describe('WiFi data examples (§2.2.2)', () => {
  const { frames, undecoded } = cutFile('wifi-examples.txt');
  const decoded = frames.map((f) => decode(reportFrame, f.text));

  test('the file cuts into four reports', () => {
    expect(frames.map((f) => f.frameType.name)).toEqual(['report', 'report', 'report', 'report']);
    expect(undecoded).toBe('');
  });

  test('example 1: LBS off, five access points', () => {
    const d = decoded[0]!;
    expect(d.issues).toEqual([]);
    expect(records(d)[0]!.lbs).toBeUndefined();
    expect(d.normalized['wifi.mac.address']).toEqual([
      '6877248FA31A',
      '7E77248FA31A',
      'DC333DF82C74',
      '0260736CF982',
      '90769F421140',
    ]);
    expect(d.normalized['wifi.signal.strength']).toEqual([-39, -39, -73, -75, -77]);
    expect(d.normalized['timestamp']).toBe(nmeaTime(2024, 1, 10, 12, 45, 17));
    expect(d.normalized['battery.voltage']).toBe(3.815);
    expect(d.checksums).toMatchObject([{ status: 'good', actual: 0x0e }]);
  });

  test('example 2 (joined where the document wraps DC333DF8|2C74): LBS on', () => {
    const d = decoded[1]!;
    expect(d.issues).toEqual([]);
    expect(records(d)[0]!.lbs).toEqual({});
    expect(d.normalized['wifi.mac.address']).toEqual([
      '6877248FA31A',
      '7E77248FA31A',
      '0260736CF982',
      'DC333DF82C74',
      '90769F421140',
    ]);
    expect(d.normalized['wifi.signal.strength']).toEqual([-31, -32, -73, -74, -74]);
    expect(d.checksums).toMatchObject([{ status: 'good', actual: 0x0f }]);
  });

  test('example 3: no access points, MT700W; its checksum *06 is wrong in the document (0x4F)', () => {
    const d = decoded[2]!;
    expect(d.ok).toBe(true);
    expect(head(d)['model']).toBe('MT700W');
    expect(records(d)[0]!.sentence['wifi_no_access_points']).toMatchObject({
      time: '095147.00',
      status: 'V',
      date: '241223',
    });
    expect(d.normalized).toMatchObject({
      'gsm.mcc': 460,
      'gsm.mnc': 0,
      'gsm.lac': 0x262c,
      'gsm.cellid': 0x11f1,
    });
    expect(d.normalized['wifi.mac.address']).toBeUndefined();
    expect(d.checksums).toMatchObject([{ status: 'bad', expected: 0x4f, actual: 0x06 }]);
    expect(d.issues).toMatchObject([
      { id: 'mt700.records.sentence.checksum.bad', group: 'checksum', expected: '4F', actual: '06' },
    ]);
  });

  test('example 4 (joined where the document wraps 0260736CF9|82): its checksum *74 is wrong (0x08)', () => {
    const d = decoded[3]!;
    expect(d.ok).toBe(true);
    expect(d.normalized['wifi.mac.address']).toEqual([
      '6877248FA31A',
      '7E77248FA31A',
      '0260736CF982',
      'DC333DF82C74',
      '90769F421140',
    ]);
    expect(d.normalized['gsm.cellid']).toBe(0x11f1);
    expect(d.normalized['timestamp']).toBe(nmeaTime(2024, 1, 10, 2, 23, 0));
    expect(d.checksums).toMatchObject([{ status: 'bad', expected: 0x08, actual: 0x74 }]);
    expect(d.issues).toMatchObject([
      { id: 'mt700.records.sentence.checksum.bad', expected: '08', actual: '74' },
    ]);
  });

  test('valid examples re-encode to their bytes; the two errata re-encode with the corrected checksum', () => {
    expectRoundTrip(reportFrame, frames[0]!.text);
    expectRoundTrip(reportFrame, frames[1]!.text);
    for (const [i, good] of [
      [2, '4F'],
      [3, '08'],
    ] as const) {
      const d = decoded[i]!;
      const text = frames[i]!.text;
      const fixed = latin1(encodeFrame(mt700, reportFrame, d.value, { layout: d.layout }));
      expect(fixed).toBe(text.replace(/\*[0-9A-F]{2}\r\n/, `*${good}\r\n`));
      expect(decode(reportFrame, fixed).issues).toEqual([]);
      const kept = encodeFrame(mt700, reportFrame, d.value, { layout: d.layout, keepDerived: true });
      expect(latin1(kept)).toBe(text);
    }
  });
});

// ---- the tables of §2.1, §2.2.1 and §2.2.2 reassembled ---------------------------------------------

describe('table examples reassembled (§2.1, §2.2.1, §2.2.2)', () => {
  const { frames } = cutFile('table-examples.txt');
  const decoded = frames.map((f) => decode(reportFrame, f.text));

  test('the §2.2.1 record reassembled from the table verifies (*74) with both printed cell infos', () => {
    for (const d of decoded.slice(0, 2)) {
      expect(d.issues).toEqual([]);
      expect(head(d)).toMatchObject({ imei: '867198059727390', model: 'MT700', status: 'AUTO', count: '1' });
      expect(d.checksums).toMatchObject([{ status: 'good', actual: 0x74 }]);
      expect(d.normalized['position.latitude'] as number).toBeCloseTo(22.638451667, 6);
      expect(d.normalized['position.longitude'] as number).toBeCloseTo(114.029291667, 6);
      expect(d.normalized['position.direction']).toBe(96.7);
      expect(d.normalized['position.speed']).toBeUndefined();
      expect(d.normalized['timestamp']).toBe(nmeaTime(2021, 3, 25, 10, 57, 21));
      expect(d.normalized['gsm.mcc']).toBe(460);
    }
    expect(decoded[0]!.normalized).toMatchObject({ 'gsm.lac': 0x262c, 'gsm.cellid': 0x0e4d });
    expect(decoded[1]!.normalized).toMatchObject({ 'gsm.lac': 0x1d29, 'gsm.cellid': 0xd622f52 });
  });

  test('the §2.2.2 record reassembled from the table verifies (*77)', () => {
    for (const d of decoded.slice(2, 4)) {
      expect(d.issues).toEqual([]);
      expect(d.checksums).toMatchObject([{ status: 'good', actual: 0x77 }]);
      expect(d.normalized['wifi.mac.address']).toEqual([
        '6877248FA31A',
        '7CB59B3B8777',
        '0C839AA8B6B8',
        'DC333DF82C74',
        '90769F421140',
      ]);
      expect(d.normalized['wifi.signal.strength']).toEqual([-36, -46, -75, -76, -76]);
      expect(d.normalized['timestamp']).toBe(nmeaTime(2023, 2, 16, 10, 43, 56));
    }
    expect(decoded[3]!.normalized).toMatchObject({ 'gsm.lac': 0x1d29, 'gsm.cellid': 0x156153d });
  });

  test('they re-encode to their bytes', () => {
    for (const f of frames) expectRoundTrip(reportFrame, f.text);
  });
});

// ---- variants (real-world-variants.md "Mictrack") ------------------------------------------------------

describe('variant shapes', () => {
  const { frames, undecoded } = cutFile('variants.txt');
  const decoded = frames.map((f) => decode(reportFrame, f.text));
  const statuses = decoded.map((d) => head(d)['status']);

  test('frames are cut at "##", before a head when "##" is missing, and at the end of the data', () => {
    expect(undecoded).toBe('');
    expect(frames.map((f) => f.frameType.name)).toEqual(Array(12).fill('report'));
    expect(statuses).toEqual([
      'AUTO',
      'AUTO',
      'TOWED',
      'HT',
      'AUTO',
      'AUTOSTART',
      'AUTOSTOP',
      'SOS',
      'CLP',
      'OS',
      'RS',
      'OVERSPEED',
    ]);
    expect((decoded[5]!.value as { end?: string }).end).toBeUndefined();
    expect((decoded[11]!.value as { end?: string }).end).toBeUndefined();
    expect((decoded[6]!.value as { end?: string }).end).toBe('##');
  });

  test('every variant decodes without issues and re-encodes to its bytes', () => {
    for (const [i, d] of decoded.entries()) {
      expect(d.ok, frames[i]!.text).toBe(true);
      expect(d.issues, frames[i]!.text).toEqual([]);
      expectRoundTrip(reportFrame, frames[i]!.text);
    }
  });

  test('empty model name', () => {
    expect(head(decoded[0]!)).toMatchObject({ imei: '867198059727390', model: '', password: '0000' });
  });

  test('MT600 head with door, fuel/ADC voltage, external power, battery and temperature', () => {
    expect(head(decoded[1]!)).toEqual({
      imei: '867198059727390',
      model: 'MT600',
      password: '0000',
      mt600: {
        door: '1',
        fuel_voltage: '1.25',
        external_power: '12.60',
        battery: '4.10',
        temperature: '26.5',
      },
      status: 'AUTO',
      count: '1',
    });
  });

  test('two batched records, with 2-digit (tenths of a volt) and 4-digit (millivolt) voltages', () => {
    const d = decoded[2]!;
    expect(records(d).map((r) => r.voltage)).toEqual(['38', '4012']);
    expect(d.normalized['battery.voltage']).toEqual([3.8, 4.012]);
    expect(d.normalized['timestamp']).toEqual([
      nmeaTime(2024, 1, 10, 12, 33, 18),
      nmeaTime(2024, 1, 10, 12, 35, 48),
    ]);
    expect(d.checksums.map((c) => c.status)).toEqual(['good', 'good']);
  });

  test('an empty voltage with LBS on: the record line itself starts with "##"', () => {
    const d = decoded[3]!;
    expect(records(d)[0]!.voltage).toBe('');
    expect(d.normalized['battery.voltage']).toBeUndefined();
    expect(d.normalized['gsm.cellid']).toBe(0x156153d);
  });

  test('validity L (last known position)', () => {
    const d = decoded[4]!;
    expect((records(d)[0]!.sentence['gprmc'] as { status: string }).status).toBe('L');
    expect(d.normalized['position.valid']).toBe(false);
    expect(d.normalized['position.latitude'] as number).toBeCloseTo(22.648243333, 6);
  });

  test('the status words of §2.2.3 and of the variants note are all named', () => {
    const names = [
      ...['AUTO', 'AUTOLOW', 'HT', 'TOWED', 'WIFI', 'SMS', 'SHAKE', 'LOCK', 'DEF', 'BLP', 'CALL', 'STILL'],
      ...['AUTOSTART', 'AUTOSTOP', 'SOS', 'CLP', 'OS', 'RS', 'OVERSPEED'],
    ];
    const base = frames[0]!.text;
    for (const status of names) {
      const d = decode(reportFrame, base.replace('#AUTO#1', `#${status}#1`));
      expect(d.issues, status).toEqual([]);
      expect(head(d)['status']).toBe(status);
    }
    const unknown = decode(reportFrame, base.replace('#AUTO#1', '#PARTY#1'));
    expect(unknown.ok).toBe(true);
    expect(unknown.issues).toMatchObject([
      { id: 'mt700.head.status.unknown', severity: 'note', actual: 'PARTY' },
    ]);
  });

  test('a record count that disagrees with the record lines is reported (countOf)', () => {
    const one = decode(reportFrame, frames[0]!.text.replace('#AUTO#1', '#AUTO#2'));
    expect(one.ok).toBe(true);
    expect(one.issues).toMatchObject([{ id: 'mt700.head.count.bad', expected: 1, actual: 2 }]);
    const two = decode(reportFrame, frames[2]!.text.replace('#TOWED#2', '#TOWED#1'));
    expect(two.issues).toMatchObject([{ id: 'mt700.head.count.bad', expected: 2, actual: 1 }]);
  });

  test('a batched report built by hand gets its count from the records', () => {
    const d = decoded[2]!;
    const value = d.value as { head: Record<string, unknown> };
    const { count: _count, ...headWithoutCount } = value.head;
    const bytes = encodeFrame(mt700, reportFrame, { ...value, head: headWithoutCount }, { layout: d.layout });
    expect(latin1(bytes)).toBe(frames[2]!.text);
  });
});

// ---- replies (§3) ----------------------------------------------------------------------------------

describe('command replies (§3)', () => {
  const { frames, undecoded } = cutFile('replies.txt');

  test('every reply in the file is cut as a reply, not as a report', () => {
    expect(undecoded).toBe('');
    expect(frames).toHaveLength(35);
    expect(new Set(frames.map((f) => f.frameType.name))).toEqual(new Set(['reply']));
  });

  test('every reply form decodes without issues and re-encodes to its bytes', () => {
    for (const f of frames) {
      const d = decode(replyFrame, f.text);
      expect(d.ok, f.text).toBe(true);
      expect(d.issues, f.text).toEqual([]);
      expect(d.normalized['ident']).toBe('862255061947757');
      expectRoundTrip(replyFrame, f.text);
    }
  });

  test('OK and FS results, and the Read Config info', () => {
    expect(decode(replyFrame, '#862255061947757#REPLY#803,OK##').value).toEqual({
      imei: '862255061947757',
      command: '803',
      result: { status: 'OK' },
    });
    expect(decode(replyFrame, '#862255061947757#REPLY#MODE,FS##').value).toMatchObject({
      command: 'MODE',
      result: { status: 'FS' },
    });
    expect(decode(replyFrame, '#862255061947757#REPLY#RCONF,3#info3##').value).toEqual({
      imei: '862255061947757',
      command: 'RCONF',
      config: { index: '3', info: 'info3' },
    });
    // A failed RCONF carries no info: it is a plain result, not config part "FS".
    const failed = decode(replyFrame, '#862255061947757#REPLY#RCONF,FS##');
    expect(failed.issues).toEqual([]);
    expect(failed.value).toMatchObject({ command: 'RCONF', result: { status: 'FS' } });
  });

  test('out-of-range config part and unknown words are reported', () => {
    expect(decode(replyFrame, '#862255061947757#REPLY#RCONF,5#x##').issues).toMatchObject([
      { id: 'mt700.reply.config.index.range', expected: '1..4', actual: '5' },
    ]);
    expect(ids(decode(replyFrame, '#862255061947757#REPLY#MODE,MAYBE##'))).toEqual([
      'mt700.reply.result.status.unknown',
    ]);
    expect(ids(decode(replyFrame, '#862255061947757#REPLY#XYZ,OK##'))).toEqual([
      'mt700.reply.command.unknown',
    ]);
  });

  test('a reply built by hand gives the documented text', () => {
    const bytes = encodeFrame(mt700, replyFrame, {
      imei: '862255061947757',
      command: 'RCONF',
      config: { index: '2', info: 'info2' },
    });
    expect(latin1(bytes)).toBe('#862255061947757#REPLY#RCONF,2#info2##');
    const ok = encodeFrame(mt700, replyFrame, {
      imei: '862255061947757',
      command: 'LTP',
      result: { status: 'OK' },
    });
    expect(latin1(ok)).toBe('#862255061947757#REPLY#LTP,OK##');
  });
});

// ---- server commands (§3) ----------------------------------------------------------------------------

const DOCUMENTED_COMMANDS: readonly [string, unknown][] = [
  [
    '803,internet,internet,Internet',
    { keyword: '803', apn: { apn: 'internet', username: 'internet', password: 'Internet' } },
  ],
  ['803,mbiot,,', { keyword: '803', apn: { apn: 'mbiot', username: '', password: '' } }],
  ['804,e.trackits.com,7700', { keyword: '804', server: { host: 'e.trackits.com', port: '7700' } }],
  ['MODE,1,10', { keyword: 'MODE', mode: { mode: '1', real_time: { interval: '10' } } }],
  [
    'MODE,2,10,1,1',
    { keyword: 'MODE', mode: { mode: '2', gps_auto: { interval: '10', gps: '1', tcp: '1' } } },
  ],
  ['MODE,3,1', { keyword: 'MODE', mode: { mode: '3', deep_sleep: { interval: '1' } } }],
  ['MODE,4,60', { keyword: 'MODE', mode: { mode: '4', vibrate: { interval: '60' } } }],
  [
    'MODE,5,5,0,1',
    { keyword: 'MODE', mode: { mode: '5', wifi_only: { interval: '5', gps: '0', tcp: '1' } } },
  ],
  ['MODE,6', { keyword: 'MODE', mode: { mode: '6', sms_only: {} } }],
  [
    'MODE,7,10,1',
    { keyword: 'MODE', mode: { mode: '7', smart: { moving_interval: '10', still_interval: '1' } } },
  ],
  [
    'MODE,0,10,1',
    { keyword: 'MODE', mode: { mode: '0', auto: { moving_interval: '10', still_interval: '1' } } },
  ],
  [
    'MODE:10,1,01:00',
    { keyword: 'MODE:10', mode10_colon: { interval: '1', time: { hour: '01', minute: '00' } } },
  ],
  ['LOCK,10,1', { keyword: 'LOCK', lock_without_password: { interval: '10', return_after: '1' } }],
  ['NWM,3,0,2', { keyword: 'NWM', network_mode: { setting: '3,0,2' } }],
  ['NWM,3,1,3', { keyword: 'NWM', network_mode: { setting: '3,1,3' } }],
  ['NWM,1,2,1', { keyword: 'NWM', network_mode: { setting: '1,2,1' } }],
  ['BAND,12,8,f', { keyword: 'BAND', band: { cat_m1_band: '12', nb_iot_band: '8', gsm_band: 'f' } }],
  ['EDRX,1,4,0010', { keyword: 'EDRX', edrx: { state: '1', network: '4', value: '0010' } }],
  ['EDRX,0,4,0010', { keyword: 'EDRX', edrx: { state: '0', network: '4', value: '0010' } }],
  ['EDRX,1,5,0010', { keyword: 'EDRX', edrx: { state: '1', network: '5', value: '0010' } }],
  ['EDRX,0,5,0010', { keyword: 'EDRX', edrx: { state: '0', network: '5', value: '0010' } }],
  ['PRIOR,0', { keyword: 'PRIOR', priority: { priority: '0' } }],
  ['LEP,0', { keyword: 'LEP', last_known_position: { setting: '0' } }],
  ['LBS,0', { keyword: 'LBS', lbs: { setting: '0' } }],
  ['HBC,5', { keyword: 'HBC', heartbeat: { interval: '5' } }],
  ['DUR,3', { keyword: 'DUR', gps_duration: { duration: '3' } }],
  ['RWT,60', { keyword: 'RWT', keep_alive: { interval: '60' } }],
  ['AGPS,1', { keyword: 'AGPS', agps: { setting: '1' } }],
  ['LTP,1', { keyword: 'LTP', light_sensor: { setting: '1' } }],
  ['800,TCP', { keyword: '800', transport: { transport: 'TCP' } }],
  ['RCONF,1', { keyword: 'RCONF', read_config: { index: '1' } }],
  ['REBOOT', { keyword: 'REBOOT', reboot: {} }],
];

/** One parameter out of its documented range or value names per command and parameter. */
const OUT_OF_RANGE: readonly [string, string, string?][] = [
  ['804,e.trackits.com,70000', 'mt700.cmd.server.port.range', '1..65535'],
  ['MODE,1,5', 'mt700.cmd.mode.real_time.interval.range', '10..600'],
  ['MODE,1,601', 'mt700.cmd.mode.real_time.interval.range', '10..600'],
  ['MODE,2,61,1,1', 'mt700.cmd.mode.gps_auto.interval.range', '10..60'],
  ['MODE,2,10,2,1', 'mt700.cmd.mode.gps_auto.gps.unknown'],
  ['MODE,2,10,1,2', 'mt700.cmd.mode.gps_auto.tcp.unknown'],
  ['MODE,3,25', 'mt700.cmd.mode.deep_sleep.interval.range', '1..24'],
  ['MODE,4,9', 'mt700.cmd.mode.vibrate.interval.range', '10..600'],
  ['MODE,5,61,0,1', 'mt700.cmd.mode.wifi_only.interval.range', '1..60'],
  ['MODE,5,5,1,1', 'mt700.cmd.mode.wifi_only.gps.unknown'],
  ['MODE,7,1441,1', 'mt700.cmd.mode.smart.moving_interval.range', '10..1440'],
  ['MODE,7,10,25', 'mt700.cmd.mode.smart.still_interval.range', '1..24'],
  ['MODE,0,601,1', 'mt700.cmd.mode.auto.moving_interval.range', '10..600'],
  ['MODE,0,10,0', 'mt700.cmd.mode.auto.still_interval.range', '1..24'],
  ['MODE,10,25,01:00', 'mt700.cmd.mode.clock.interval.range', '0..24'],
  ['MODE,10,1,24:00', 'mt700.cmd.mode.clock.time.hour.range', '0..23'],
  ['MODE,10,1,23:60', 'mt700.cmd.mode.clock.time.minute.range', '0..59'],
  ['MODE:10,1,24:00', 'mt700.cmd.mode10_colon.time.hour.range', '0..23'],
  ['MODE,8,1', 'mt700.cmd.mode.mode.unknown'],
  ['LOCK,0000,61,1', 'mt700.cmd.lock.interval.range', '10..60'],
  ['LOCK,0000,10,61', 'mt700.cmd.lock.return_after.range', '1..60'],
  ['LOCK,9,1', 'mt700.cmd.lock_without_password.interval.range', '10..60'],
  ['NWM,2,2,2', 'mt700.cmd.network_mode.setting.unknown'],
  ['BAND,12,8,g', 'mt700.cmd.band.gsm_band.unknown'],
  ['EDRX,2,4,0010', 'mt700.cmd.edrx.state.unknown'],
  ['EDRX,1,6,0010', 'mt700.cmd.edrx.network.unknown'],
  ['PRIOR,2', 'mt700.cmd.priority.priority.unknown'],
  ['LEP,2', 'mt700.cmd.last_known_position.setting.unknown'],
  ['LBS,4', 'mt700.cmd.lbs.setting.unknown'],
  ['HBC,4', 'mt700.cmd.heartbeat.interval.range', '5..60'],
  ['HBC,61', 'mt700.cmd.heartbeat.interval.range', '5..60'],
  ['DUR,0', 'mt700.cmd.gps_duration.duration.range', '1..10'],
  ['DUR,11', 'mt700.cmd.gps_duration.duration.range', '1..10'],
  ['RWT,59', 'mt700.cmd.keep_alive.interval.range', '60..600'],
  ['RWT,601', 'mt700.cmd.keep_alive.interval.range', '60..600'],
  ['AGPS,2', 'mt700.cmd.agps.setting.unknown'],
  ['LTP,2', 'mt700.cmd.light_sensor.setting.unknown'],
  ['800,SCTP', 'mt700.cmd.transport.transport.unknown'],
  ['RCONF,0', 'mt700.cmd.read_config.index.range', '1..4'],
  ['RCONF,5', 'mt700.cmd.read_config.index.range', '1..4'],
];

describe('server commands (§3)', () => {
  const { frames, undecoded } = cutFile('commands.txt');

  test('the file holds every command example printed, each cut as a command line', () => {
    expect(undecoded).toBe('');
    expect(frames.map((f) => f.text)).toEqual(DOCUMENTED_COMMANDS.map(([text]) => text));
    expect(new Set(frames.map((f) => f.frameType.name))).toEqual(new Set(['command']));
  });

  test.each(DOCUMENTED_COMMANDS)(
    '%s decodes with its documented parameters and re-encodes',
    (text, value) => {
      const d = decode(commandFrame, text);
      expect(d.ok).toBe(true);
      expect(d.direction).toBe('downlink');
      expect(d.value).toEqual(value);
      expectRoundTrip(commandFrame, text);
      // Built from the value alone (no layout), the command gives the documented text.
      expect(latin1(encodeFrame(mt700, commandFrame, value))).toBe(text);
    },
  );

  test('the documented examples raise no issues except the MODE:10 and LOCK oddities', () => {
    const oddities: Record<string, string[]> = {
      'MODE:10,1,01:00': ['mt700.cmd.keyword.unknown', 'mt700.cmd.mode10_colon.deviation'],
      'LOCK,10,1': ['mt700.cmd.lock_without_password.deviation'],
    };
    for (const [text] of DOCUMENTED_COMMANDS)
      expect(ids(decode(commandFrame, text)), text).toEqual(oddities[text] ?? []);
  });

  test('MODE:10,1,01:00 (":" for ",") decodes T1 and T2 with a note on the keyword', () => {
    const d = decode(commandFrame, 'MODE:10,1,01:00');
    expect(d.issues).toMatchObject([
      { id: 'mt700.cmd.keyword.unknown', severity: 'note', actual: 'MODE:10' },
      { id: 'mt700.cmd.mode10_colon.deviation', severity: 'warn', offset: 7 },
    ]);
    expect(d.value).toMatchObject({ mode10_colon: { interval: '1', time: { hour: '01', minute: '00' } } });
    // The format the document gives decodes under the regular clock mode.
    expect(decode(commandFrame, 'MODE,10,1,01:00').value).toEqual({
      keyword: 'MODE',
      mode: { mode: '10', clock: { interval: '1', time: { hour: '01', minute: '00' } } },
    });
  });

  test('LOCK with and without the password', () => {
    expect(decode(commandFrame, 'LOCK,0000,10,1').value).toEqual({
      keyword: 'LOCK',
      lock: { password: '0000', interval: '10', return_after: '1' },
    });
    const withoutPassword = decode(commandFrame, 'LOCK,10,1');
    expect(withoutPassword.value).toEqual({
      keyword: 'LOCK',
      lock_without_password: { interval: '10', return_after: '1' },
    });
    expect(withoutPassword.issues).toMatchObject([
      { id: 'mt700.cmd.lock_without_password.deviation', severity: 'warn', offset: 4 },
    ]);
    expect(decode(commandFrame, 'LOCK,0000,10,1').issues).toEqual([]);
  });

  test.each(OUT_OF_RANGE)('%s reports %s', (text, id, range) => {
    const d = decode(commandFrame, text);
    expect(d.ok).toBe(true);
    expect(ids(d)).toContain(id);
    if (range) expect(d.issues.find((i) => i.id === id)).toMatchObject({ expected: range, severity: 'warn' });
  });

  test('an unknown command or mode keeps its parameters', () => {
    expect(decode(commandFrame, 'FOO,1,2').value).toEqual({
      keyword: 'FOO',
      unrecognised: { parameters: ['1', '2'] },
    });
    expect(decode(commandFrame, 'FOO').value).toEqual({ keyword: 'FOO', no_parameters: {} });
    expect(decode(commandFrame, 'MODE,8,1,2').value).toEqual({
      keyword: 'MODE',
      mode: { mode: '8', parameters: ['1', '2'] },
    });
    expectRoundTrip(commandFrame, 'FOO,1,2');
    expectRoundTrip(commandFrame, 'MODE,8,1,2');
  });

  test('commands built by hand give the documented text', () => {
    const build = (value: unknown) => latin1(encodeFrame(mt700, commandFrame, value));
    expect(build({ keyword: 'MODE', mode: { mode: '2', gps_auto: { interval: 10, gps: 1, tcp: 1 } } })).toBe(
      'MODE,2,10,1,1',
    );
    expect(build({ keyword: '803', apn: { apn: 'mbiot', username: '', password: '' } })).toBe('803,mbiot,,');
    expect(build({ keyword: '803', apn: { apn: 'mbiot' } })).toBe('803,mbiot');
    expect(
      build({
        keyword: 'MODE',
        mode: { mode: '10', clock: { interval: 1, time: { hour: '01', minute: '00' } } },
      }),
    ).toBe('MODE,10,1,01:00');
    expect(build({ keyword: 'NWM', network_mode: { setting: '1,2,1' } })).toBe('NWM,1,2,1');
    expect(build({ keyword: 'LOCK', lock: { password: '0000', interval: 10, return_after: 1 } })).toBe(
      'LOCK,0000,10,1',
    );
    expect(build({ keyword: 'REBOOT', reboot: {} })).toBe('REBOOT');
    // The encoder refuses values outside the documented range.
    expect(() => build({ keyword: 'HBC', heartbeat: { interval: 61 } })).toThrow(/heartbeat\.interval/);
  });
});

// ---- Mictrack-other -------------------------------------------------------------------------------

describe('Mictrack-other formats', () => {
  const { frames, undecoded } = cutFile('other-formats.txt');

  test('semicolon records and result lines are cut as "other", not as MT700 frames', () => {
    expect(undecoded).toBe('');
    expect(frames.map((f) => f.frameType.name)).toEqual(['other', 'other']);
  });

  test('the semicolon format is split at ";" and labelled Mictrack-other', () => {
    const d = decode(otherFrame, frames[0]!.text);
    expect(d.issues).toEqual([]);
    expect(d.value).toEqual({
      semicolon: {
        format: '5',
        imei: '867198059727390',
        record_type: 'R0',
        fields: ['10+240110123318+22.648243+114.034392+0.00+0+9+3815+1'],
      },
    });
    expect(d.normalized).toMatchObject({ 'message.type': 'Mictrack-other', ident: '867198059727390' });
    expect(decode(otherFrame, 'MT;5;867198059727390;R1;a;;b').value).toMatchObject({
      semicolon: { record_type: 'R1', fields: ['a', '', 'b'] },
    });
  });

  test('the result line', () => {
    const d = decode(otherFrame, frames[1]!.text);
    expect(d.issues).toEqual([]);
    expect(d.value).toEqual({
      command_result: { imei: '867198059727390', command: 'cmd', result: 'Success', end: '!' },
    });
    expect(d.normalized['message.type']).toBe('Mictrack-other');
  });

  test('both re-encode to their bytes', () => {
    for (const f of frames) expectRoundTrip(otherFrame, f.text);
    expectRoundTrip(otherFrame, 'MT;5;867198059727390;R1;a;;b;');
  });
});

// ---- bad input --------------------------------------------------------------------------------------

describe('malformed and truncated input', () => {
  const all: [FrameType, string][] = [
    ...cutFile('gps-examples.txt').frames,
    ...cutFile('wifi-examples.txt').frames,
    ...cutFile('variants.txt').frames,
    ...cutFile('replies.txt').frames.slice(0, 4),
    ...cutFile('replies.txt').frames.slice(-6),
    ...cutFile('commands.txt').frames,
    ...cutFile('other-formats.txt').frames,
  ].map((f) => [f.frameType, f.text]);

  test('every prefix of every example decodes as every frame type without throwing', () => {
    for (const [, text] of all)
      for (let n = 0; n <= text.length; n++)
        for (const ft of mt700.frames) {
          const d = decode(ft, text.slice(0, n));
          expect(typeof d.ok).toBe('boolean');
          if (!d.ok) expect(ids(d)).toContain('mt700.malformed');
        }
  });

  test('a report cut inside a record is malformed, keeps what it read and names the offset', () => {
    const text = all[0]![1];
    const d = decode(reportFrame, text.slice(0, text.indexOf('*')));
    expect(d.ok).toBe(false);
    expect(d.issues).toMatchObject([{ id: 'mt700.malformed', offset: text.indexOf('*') }]);
    expect(head(d)['imei']).toBe('862255061947757');
  });

  test('an unknown sentence type is malformed, not mis-read', () => {
    const d = decode(reportFrame, '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPGGA,123318.00,,*00\r\n##');
    expect(d.ok).toBe(false);
    expect(d.issues[0]).toMatchObject({ id: 'mt700.malformed', offset: 42 });
  });

  test('a reply without its "##" is malformed', () => {
    const d = decode(replyFrame, '#862255061947757#REPLY#803,OK');
    expect(d.ok).toBe(false);
    expect(ids(d)).toEqual(['mt700.malformed']);
  });
});
