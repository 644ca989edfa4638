// H02 / Cantrack schema: every message type, command and variant of shared/specs/real-world-variants.md
// (section "Cantrack: the H02 *XX,...# text family") and the payload examples of
// shared/specs/cantrack-parameters.md, decoded from captures/h02 (see its README for provenance).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeFrame, decodeStream, encodeFrame, fromLatin1, latin1, toHex } from '../../src/decode/index.js';
import type { DecodedFrame } from '../../src/decode/index.js';
import { h02 } from '../../src/protocols/h02/index.js';
import { comparable, frameArbitrary } from '../../src/fuzz/arbitrary.js';
import { checkSchema, listFields, type FrameType } from '../../src/schema/index.js';

const frameType = (name: string): FrameType => h02.frames.find((f) => f.name === name)!;
const MESSAGE = frameType('message');
const COMMAND = frameType('command');
const BINARY = frameType('binary');
const BINARY_X = frameType('binary_x');

const capture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../captures/h02/${name}`, import.meta.url)));

interface Cut {
  readonly frameType: FrameType;
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly decoded: DecodedFrame;
}

/** A capture through the streaming framer and decoder, as one TCP direction's bytes. */
function stream(name: string) {
  return decodeStream(h02, capture(name));
}

function frames(name: string): Cut[] {
  return stream(name).flatMap((r) =>
    r.kind === 'frame'
      ? [
          {
            frameType: h02.frames.find((f) => f.name === r.frame.frameType)!,
            bytes: r.bytes,
            text: latin1(r.bytes),
            decoded: r.frame,
          },
        ]
      : [],
  );
}

const decode = (c: Cut) => c.decoded;
const VALID_CAPTURES = [
  'cantrack-custom-commands.txt',
  'commands.txt',
  'v1.txt',
  'v2.txt',
  'v3.txt',
  'v4.txt',
  'v5.txt',
  'v19.txt',
  'vp1.txt',
  'htbt.txt',
  'nbr.txt',
  'link.txt',
  'sms-and-unknown.txt',
  'several-frames-one-segment.txt',
  'binary-32.bin',
  'binary-42.bin',
  'binary-45.bin',
  'binary-x.bin',
  'mixed-text-binary.bin',
];

const errors = (d: DecodedFrame) => d.issues.filter((i) => i.severity !== 'note');
const roundTrip = (c: Cut, d: DecodedFrame) =>
  toHex(encodeFrame(h02, c.frameType, d.value, { layout: d.layout }));
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
const KNOT = 1.852;

describe('framing', () => {
  test('each capture cuts into frames of the expected types', () => {
    const types = (name: string) => frames(name).map((c) => c.frameType.name);
    expect(types('v1.txt')).toEqual(Array(10).fill('message'));
    expect(types('commands.txt')).toEqual(Array(7).fill('command'));
    expect(types('cantrack-custom-commands.txt')).toEqual(Array(4).fill('command'));
    expect(types('several-frames-one-segment.txt')).toEqual(['message', 'message', 'message', 'message']);
    expect(types('mixed-text-binary.bin')).toEqual([
      'message',
      'binary',
      'message',
      'binary_x',
      'binary',
      'message',
    ]);
  });

  test('frames sharing one segment are cut at their # and line ends are not part of a frame', () => {
    const texts = frames('several-frames-one-segment.txt').map((c) => c.text);
    expect(texts[1]).toBe('*HQ,4209951296,HTBT,100#');
    expect(texts[2]).toBe('*HQ,1600068860,LINK,112137,20,8,67,0,0,081116,FFFFFBFF#');
    expect(texts.every((t) => t.startsWith('*') && t.endsWith('#'))).toBe(true);
  });

  test('binary frames are cut at 32, 42 and 45 bytes', () => {
    expect(frames('binary-32.bin').map((c) => c.bytes.length)).toEqual([32]);
    expect(frames('binary-42.bin').map((c) => c.bytes.length)).toEqual([42]);
    expect(frames('binary-45.bin').map((c) => c.bytes.length)).toEqual([45]);
    expect(frames('mixed-text-binary.bin').map((c) => c.bytes.length)).toEqual([79, 32, 23, 32, 45, 79]);
  });

  test('every byte of every valid capture lands in a frame or a line-end separator', () => {
    for (const name of VALID_CAPTURES) {
      const records = stream(name);
      expect(records.filter((r) => r.kind === 'undecoded')).toEqual([]);
      for (const r of records) if (r.kind === 'separator') expect(latin1(r.bytes)).toMatch(/^[\r\n]+$/);
    }
  });

  test('a frame that lost its # ends where the next line starts a frame', () => {
    const records = decodeStream(
      h02,
      fromLatin1('*HQ,4209951296,V1,144418,A,2232.7178,N\r\n*HQ,4209951296,HTBT,100#\r\n'),
    );
    const got = records.filter((r) => r.kind === 'frame');
    expect(got.map((r) => latin1(r.bytes))).toEqual([
      '*HQ,4209951296,V1,144418,A,2232.7178,N',
      '*HQ,4209951296,HTBT,100#',
    ]);
    expect(got[0]!.frame.ok).toBe(false);
    expect(got[1]!.frame.normalized['battery.level']).toBe(100);
  });

  test('device messages travel uplink, commands downlink', () => {
    expect(decode(frames('v1.txt')[0]!).direction).toBe('uplink');
    expect(decode(frames('commands.txt')[0]!).direction).toBe('downlink');
    expect(decode(frames('binary-32.bin')[0]!).direction).toBe('uplink');
  });
});

describe('every valid capture frame', () => {
  const all = VALID_CAPTURES.flatMap((name) => frames(name).map((c) => [name, c] as const));

  test.each(all.map(([name, c]) => [name, c.text.slice(0, 40), c]))(
    '%s %j decodes cleanly and re-encodes to the same bytes',
    (_name, _text, c) => {
      const d = decode(c);
      expect(d.ok).toBe(true);
      expect(errors(d)).toEqual([]);
      expect(roundTrip(c, d)).toBe(toHex(c.bytes));
    },
  );
});

describe('V1 position', () => {
  const v1 = frames('v1.txt').map(decode);

  test('fields and normalized parameters', () => {
    const d = v1[0]!;
    expect(d.value).toMatchObject({
      maker: 'HQ',
      id: '4209951296',
      type: 'V1',
      position: {
        time: '144418',
        status: 'A',
        lat: '2232.7178',
        lat_hemisphere: 'N',
        lon: '11404.6773',
        lon_hemisphere: 'E',
        speed: '000.21',
        course: '000',
        date: '080218',
        state: 'FFFFFBFF',
      },
    });
    const n = d.normalized;
    expect(n['ident']).toBe('4209951296');
    expect(n['vendor.code']).toBe('HQ');
    expect(n['message.type']).toBe('V1');
    expect(n['position.latitude']).toBeCloseTo(22 + 32.7178 / 60, 6);
    expect(n['position.longitude']).toBeCloseTo(114 + 4.6773 / 60, 6);
    expect(n['position.speed']).toBeCloseTo(0.21 * KNOT, 3);
    expect(n['position.direction']).toBe(0);
    expect(n['position.valid']).toBe(true);
    expect(n['timestamp']).toBe(utc(2018, 2, 8, 14, 44, 18));
    expect(n['vehicle.state.bitmask']).toBe(0xfffffbff);
    expect(n['engine.ignition.status']).toBe(false);
  });

  test('serving cell after STATUS feeds gsm.*; further values are kept', () => {
    expect(v1[1]!.normalized).toMatchObject({
      'gsm.mcc': 460,
      'gsm.mnc': 0,
      'gsm.lac': 10342,
      'gsm.cellid': 4283,
    });
    expect(v1[2]!.value).toMatchObject({
      position: { tail: { cell: { mcc: '310', mnc: '260', lac: '49101', cid: '1753', extra: ['5'] } } },
    });
    expect(v1[2]!.issues).toMatchObject([{ id: 'h02.position.tail.cell.extra.deviation', severity: 'note' }]);
    expect(v1[2]!.normalized['position.longitude']).toBeCloseTo(-(67 + 5.7455 / 60), 6);
  });

  test('STATUS bit 10 set means ignition on', () => {
    const th = v1[7]!;
    expect(th.normalized['engine.ignition.status']).toBe(true);
    expect(th.normalized['vehicle.state.bitmask']).toBe(0xffffffff);
  });

  test('coordinates without a decimal point read like the dotted form', () => {
    const plain = v1[4]!;
    expect(errors(plain)).toEqual([]);
    expect(plain.normalized['position.latitude']).toBeCloseTo(22 + 32.7178 / 60, 6);
    expect(plain.normalized['position.longitude']).toBeCloseTo(114 + 4.6773 / 60, 6);
  });

  // The minus signs of `-23-3.3408` separate degrees and minutes; the hemisphere letter gives the sign.
  test('dashed degrees-minutes coordinates decode without issues, signed by S/W', () => {
    const dashed = v1[3]!;
    expect(dashed.ok).toBe(true);
    expect(dashed.issues).toEqual([]);
    expect(dashed.normalized['position.latitude']).toBeCloseTo(-(23 + 3.3408 / 60), 6);
    expect(dashed.normalized['position.longitude']).toBeCloseTo(-(46 + 38.1142 / 60), 6);
  });

  test('speed with leading spaces converts from knots', () => {
    const spaced = v1[5]!;
    expect(spaced.value).toMatchObject({ position: { speed: '   0.00' } });
    expect(errors(spaced)).toEqual([]);
    expect(spaced.normalized['position.speed']).toBe(0);
    expect(v1[7]!.normalized['position.speed']).toBeCloseTo(14.28 * KNOT, 3);
  });

  test('validity B is recognised (no note) and not a valid fix', () => {
    expect(v1[6]!.issues).toEqual([]);
    expect(v1[6]!.normalized['position.valid']).toBe(false);
  });

  test('maker codes TH and lowercase hq, 15-digit and empty IDs', () => {
    expect(v1[7]!.normalized['vendor.code']).toBe('TH');
    expect(v1[8]!.issues).toEqual([]);
    expect(v1[8]!.normalized).toMatchObject({ 'vendor.code': 'hq', ident: '355488020930796' });
    expect(v1[9]!.ok).toBe(true);
    expect(v1[9]!.normalized['ident']).toBeUndefined();
  });

  test('a hand-built V1 encodes to the expected text', () => {
    const bytes = encodeFrame(h02, MESSAGE, {
      maker: 'HQ',
      id: '4209951296',
      position: {
        time: '144418',
        status: 'A',
        lat: '2232.7178',
        lat_hemisphere: 'N',
        lon: '11404.6773',
        lon_hemisphere: 'E',
        speed: '000.21',
        course: '000',
        date: '080218',
        state: 'FFFFFBFF',
        tail: { cell: { mcc: '460', mnc: '00', lac: '10342', cid: '4283' } },
      },
    });
    expect(latin1(bytes)).toBe(
      '*HQ,4209951296,V1,144418,A,2232.7178,N,11404.6773,E,000.21,000,080218,FFFFFBFF,460,00,10342,4283#',
    );
  });
});

describe('V2', () => {
  test('validity 0 is a known variant: no note, not valid', () => {
    const [zero, a] = frames('v2.txt').map(decode);
    expect(zero!.issues).toEqual([]);
    expect(zero!.value).toMatchObject({ type: 'V2', position: { status: '0' } });
    expect(zero!.normalized['position.valid']).toBe(false);
    expect(zero!.normalized['message.type']).toBe('V2');
    expect(a!.normalized['position.speed']).toBeCloseTo(10 * KNOT, 3);
    expect(a!.normalized['position.direction']).toBe(90);
    expect(a!.normalized['engine.ignition.status']).toBe(true);
  });
});

describe('V3 multi-cell LBS', () => {
  const v3 = frames('v3.txt');

  test('cells, battery, X, date and STATUS', () => {
    const d = decode(v3[0]!);
    expect(d.value).toMatchObject({
      type: 'V3',
      lbs: {
        time: '002339',
        mcc_mnc: '62160',
        cell_count: '2',
        cells: [
          { lac: '024852', cid: '035421', rssi: '148', value4: '0' },
          { lac: '024852', cid: '035425', rssi: '143', value4: '0' },
        ],
        battery: '0407',
        battery_value: 0x0407,
        date: '071218',
        state: 'FFFFFBFF',
      },
    });
    expect(d.normalized).toMatchObject({
      'gsm.lac': [24852, 24852],
      'gsm.cellid': [35421, 35425],
      timestamp: utc(2018, 12, 7, 0, 23, 39),
      'engine.ignition.status': false,
      'vehicle.state.bitmask': 0xfffffbff,
    });
  });

  test('the cell count decides nothing: every count from 1 up parses by the X position', () => {
    const counts = v3.slice(0, 3).map((c) => (decode(c).value as { lbs: { cells: unknown[] } }).lbs.cells);
    expect(counts.map((c) => c.length)).toEqual([2, 4, 1]);
    expect(decode(v3[1]!).normalized['engine.ignition.status']).toBe(true);
  });

  test('a zero-padded count verifies and re-encodes as written; a wrong one is corrected', () => {
    const c = frames('v3-zero-padded-count.txt')[0]!;
    const d = decode(c);
    expect(d.issues).toEqual([]);
    expect(latin1(encodeFrame(h02, MESSAGE, d.value, { layout: d.layout }))).toBe(c.text);
    const wrong = JSON.parse(JSON.stringify(d.value).replace('"cell_count":"02"', '"cell_count":"03"'));
    expect(latin1(encodeFrame(h02, MESSAGE, wrong))).toContain(',62160,2,');
  });

  test('a hand-built V3 gets its cell count filled in', () => {
    const bytes = encodeFrame(h02, MESSAGE, {
      maker: 'HQ',
      id: '4209951296',
      type: 'V3',
      lbs: {
        time: '080000',
        mcc_mnc: '46000',
        cells: [
          { lac: '9338', cid: '3692', rssi: '150', value4: '0' },
          { lac: '9338', cid: '3691', rssi: '145', value4: '0' },
        ],
        battery: '0400',
        date: '180813',
        state: 'FFFFFBFF',
      },
    });
    expect(latin1(bytes)).toBe(
      '*HQ,4209951296,V3,080000,46000,2,9338,3692,150,0,9338,3691,145,0,0400,X,180813,FFFFFBFF#',
    );
  });
});

describe('V4 command acknowledgement', () => {
  const [done, echoed, none] = frames('v4.txt').map(decode);

  test('command, echoed parameters and the position', () => {
    expect(done!.value).toMatchObject({
      type: 'V4',
      reply: { command: 'S20', params: ['DONE'], time: '164035', status: 'A', state: 'FFFFFBFF' },
    });
    expect(done!.normalized['position.latitude']).toBeCloseTo(18 + 27.373 / 60, 6);
    expect(done!.normalized['position.longitude']).toBeCloseTo(-(67 + 5.7476 / 60), 6);
    expect(done!.normalized['timestamp']).toBe(utc(2017, 1, 10, 16, 40, 35));
    expect(echoed!.value).toMatchObject({
      reply: { command: 'S20', params: ['130305', '1', '3', '10'], time: '164035' },
    });
  });

  test('an acknowledgement without parameters', () => {
    expect(none!.value).toMatchObject({ reply: { command: 'SCF', time: '164035', status: 'V' } });
    expect((none!.value as { reply: object }).reply).not.toHaveProperty('params');
    expect(none!.normalized['position.valid']).toBe(false);
  });

  test('hand-built acknowledgements encode with and without parameters', () => {
    const position = {
      time: '164035',
      status: 'A',
      lat: '1827.3730',
      lat_hemisphere: 'N',
      lon: '06705.7476',
      lon_hemisphere: 'W',
      speed: '000.00',
      course: '000',
      date: '100117',
      state: 'FFFFFBFF',
    };
    const tail = '164035,A,1827.3730,N,06705.7476,W,000.00,000,100117,FFFFFBFF#';
    const encode = (reply: object) =>
      latin1(encodeFrame(h02, MESSAGE, { maker: 'HQ', id: '4106012736', type: 'V4', reply }));
    expect(encode({ command: 'S20', params: ['130305', '1', '3', '10'], ...position })).toBe(
      `*HQ,4106012736,V4,S20,130305,1,3,10,${tail}`,
    );
    expect(encode({ command: 'SCF', ...position })).toBe(`*HQ,4106012736,V4,SCF,${tail}`);
  });
});

describe('V5 WiFi', () => {
  const [withFix, noFix, noAps] = frames('v5.txt').map(decode);

  test('access points feed wifi.* lists', () => {
    expect(withFix!.normalized).toMatchObject({
      'wifi.mac.address': ['68:77:24:8F:A3:1A', '7E:77:24:8F:A3:1A'],
      'wifi.signal.strength': [-61, -70],
      'engine.ignition.status': false,
      timestamp: utc(2017, 1, 10, 16, 40, 35),
    });
    expect(noFix!.normalized['wifi.signal.strength']).toEqual([-32, -73, -74]);
    expect(noFix!.normalized['position.latitude']).toBeUndefined();
    expect(noFix!.normalized['engine.ignition.status']).toBe(true);
  });

  test('a V5 without access points', () => {
    expect(noAps!.value).toMatchObject({ type: 'V5', wifi: { state: 'FFFFFBFF' } });
    expect(noAps!.normalized['wifi.mac.address']).toBeUndefined();
  });
});

describe('other device messages', () => {
  test('V19: position, SIM phone number and ICCID, STATUS', () => {
    const d = decode(frames('v19.txt')[0]!);
    expect(d.value).toMatchObject({
      position_sim: {
        sim_value: '',
        phone: '0032475874141',
        iccid: '8944538530000543700F',
        state: 'FFFFFBFF',
      },
    });
    expect(d.normalized['position.latitude']).toBeCloseTo(50 + 52.9749 / 60, 6);
    expect(d.normalized['position.longitude']).toBeCloseTo(4 + 26.4322 / 60, 6);
    expect(d.normalized['position.valid']).toBe(false);
  });

  test('VP1: cells without a fix, position without time', () => {
    const [lbs, fix, b] = frames('vp1.txt').map(decode);
    expect(lbs!.value).toMatchObject({
      maker: 'hq',
      vp1: {
        status: 'V',
        lbs: {
          mcc: '470',
          mnc: '002',
          cells: [
            { lac: '92', cid: '41592', value3: '', value4: '', rssi: '-61' },
            { lac: '92', cid: '42182', value3: '', value4: '', rssi: '-85' },
          ],
        },
      },
    });
    expect(lbs!.normalized).toMatchObject({ 'gsm.mcc': 470, 'gsm.mnc': 2, 'gsm.cellid': [41592, 42182] });
    expect(fix!.normalized['position.latitude']).toBeCloseTo(22 + 32.7178 / 60, 6);
    expect(fix!.normalized['position.valid']).toBe(true);
    expect(fix!.normalized['timestamp']).toBeUndefined();
    expect(b!.value).toMatchObject({ vp1: { status: 'B', fix: { speed: '5.40', course: '180.00' } } });
    expect(b!.normalized['position.speed']).toBeCloseTo(5.4 * KNOT, 3);
  });

  test('HTBT: battery level, or nothing', () => {
    const [full, low, bare] = frames('htbt.txt').map(decode);
    expect(full!.normalized['battery.level']).toBe(100);
    expect(low!.normalized['battery.level']).toBe(35);
    expect(bare!.value).toEqual({ maker: 'HQ', id: '4209951296', type: 'HTBT', heartbeat: {} });
    expect(bare!.normalized['battery.level']).toBeUndefined();
    expect(bare!.normalized['message.type']).toBe('HTBT');
  });

  test('NBR: neighbour cells between TA and the date', () => {
    const [three, one] = frames('nbr.txt').map(decode);
    expect(three!.value).toMatchObject({
      neighbours: {
        mcc: '262',
        mnc: '03',
        gsm_delay: '255',
        ta: '6',
        cell_count: '3',
        cells: [
          { lac: '802', cid: '54702', rssi: '46' },
          { lac: '802', cid: '5032', rssi: '37' },
          { lac: '802', cid: '54782', rssi: '30' },
        ],
        date: '081116',
      },
    });
    expect(three!.normalized).toMatchObject({
      'gsm.mcc': 262,
      'gsm.mnc': 3,
      timestamp: utc(2016, 11, 8, 12, 1, 56),
    });
    expect(one!.value).toMatchObject({ neighbours: { cells: [{ lac: '9338', cid: '3692', rssi: '150' }] } });
  });

  test('LINK: signal, satellites, battery, steps', () => {
    const d = decode(frames('link.txt')[0]!);
    expect(d.value).toMatchObject({
      link: { signal: '20', satellites: '8', battery: '67', steps: '0', turnovers: '0' },
    });
    expect(d.normalized).toMatchObject({
      'position.satellites': 8,
      'battery.level': 67,
      timestamp: utc(2016, 11, 8, 11, 21, 37),
    });
  });

  test('SMS and undocumented types keep their values as labelled text', () => {
    const [sms, unknown] = frames('sms-and-unknown.txt').map(decode);
    expect(sms!.value).toMatchObject({ type: 'SMS', sms: [{ value: '13812341234' }, { value: 'Hello' }] });
    expect(sms!.issues).toEqual([]);
    expect(unknown!.value).toMatchObject({
      type: 'V9',
      fields: [{ value: '123456' }, { value: 'X' }, { value: 'Y' }],
    });
    expect(unknown!.issues.map((i) => i.id)).toEqual(['h02.type.unknown']);
    expect(unknown!.normalized['message.type']).toBe('V9');
  });
});

describe('server commands', () => {
  test('the Cantrack custom-command payloads as frames', () => {
    const [cmd, md, s2, literal] = frames('cantrack-custom-commands.txt').map(decode);
    expect(cmd!.value).toMatchObject({
      command: { name: 'CMD', custom: { time: '130305', instruction: 'stop654321' } },
    });
    expect(md!.value).toMatchObject({
      working_mode: { password: '123456', args: { mode: '1', values: ['3', '8', '1'] } },
    });
    expect(md!.normalized['message.type']).toBe('MD');
    expect(s2!.value).toMatchObject({
      command: { name: 'S2', center_number: { time: '130305', phone: '13812341234' } },
    });
    expect(s2!.normalized).toMatchObject({ 'message.type': 'S2', ident: '4209951296', 'vendor.code': 'HQ' });
    // The scheme "*,,#" taken literally: empty maker code and ID.
    expect(literal!.ok).toBe(true);
    expect(literal!.value).toMatchObject({ maker: '', id: '' });
  });

  test('known commands decode their parameters; others keep time and parameters', () => {
    const d = frames('commands.txt').map(decode);
    expect(d[0]!.value).toMatchObject({
      command: { name: 'S20', engine: { time: '130305', action: '1', timing: ['1'] } },
    });
    expect(d[1]!.value).toMatchObject({ command: { engine: { action: '0', timing: ['0'] } } });
    const timing = (d[2]!.value as { command: { engine: { timing: string[] } } }).command.engine.timing;
    expect(timing).toEqual(['3', '10', '3', '5', '5', '3', '5', '3', '5', '3', '5']);
    expect(d[3]!.value).toMatchObject({
      command: { name: 'SCF', alarm: { time: '130305', action: '0', repeat_action: '0' } },
    });
    expect(d[4]!.value).toMatchObject({
      command: { name: 'SCF', alarm: { action: '1', repeat_action: '1' } },
    });
    expect(d[5]!.value).toMatchObject({ command: { name: 'S71', interval: { mode: '22', interval: '30' } } });
    expect(d[6]!.value).toMatchObject({
      command: { name: 'D1', args: { time: '130305', params: ['30', '1'] } },
    });
    expect(d[6]!.issues.map((i) => i.id)).toEqual(['h02.command.name.unknown']);
    expect(d).toHaveLength(7);
    for (const f of d)
      expect(f.normalized['message.type']).toBe((f.value as { command: { name: string } }).command.name);
  });

  test('hand-built commands encode to the documented text', () => {
    const encode = (v: object) => latin1(encodeFrame(h02, COMMAND, { maker: 'HQ', id: '4209951296', ...v }));
    expect(encode({ command: { center_number: { time: '130305', phone: '13812341234' } } })).toBe(
      '*HQ,4209951296,S2,130305,13812341234#',
    );
    expect(encode({ command: { custom: { time: '130305', instruction: 'stop654321' } } })).toBe(
      '*HQ,4209951296,CMD,130305,stop654321#',
    );
    expect(
      encode({ working_mode: { password: '123456', args: { mode: '1', values: ['3', '8', '1'] } } }),
    ).toBe('*HQ,4209951296,MD123456 1 3 8 1#');
    expect(encode({ command: { engine: { time: '130305', action: '1', timing: ['1'] } } })).toBe(
      '*HQ,4209951296,S20,130305,1,1#',
    );
    expect(encode({ command: { name: 'D1', args: { time: '130305', params: ['30', '1'] } } })).toBe(
      '*HQ,4209951296,D1,130305,30,1#',
    );
  });

  test('a device message taken as a command is flagged (its TYPE is no command name)', () => {
    const v1 = frames('v1.txt')[0]!;
    const d = decodeFrame(h02, COMMAND, v1.bytes);
    expect(d.direction).toBe('downlink');
    expect(d.issues.map((i) => i.id)).toContain('h02.command.name.unknown');
  });
});

describe('binary frames', () => {
  test('32-byte $ frame: BCD ID, time, date, coordinates, flags, speed/course, STATUS', () => {
    const d = decode(frames('binary-32.bin')[0]!);
    expect(d.value).toMatchObject({
      short: {
        id: '4106012736',
        time: '164035',
        date: '100117',
        lat: '18273730',
        lon: '06705747',
        lon_flags: 0x66,
        speed_course: '014028',
        state: 0xfffffbff,
        valid: true,
        north: true,
        east: false,
        ignition: false,
      },
    });
    expect(d.normalized).toMatchObject({
      ident: '4106012736',
      timestamp: utc(2017, 1, 10, 16, 40, 35),
      'position.valid': true,
      'vehicle.state.bitmask': 0xfffffbff,
      'engine.ignition.status': false,
      'position.speed': 14 * KNOT,
      'position.direction': 28,
    });
    // Latitude 1827.3730 north; longitude 0670574 + the flag byte's high nibble 6 = 06705.7476, west.
    expect(d.normalized['position.latitude']).toBeCloseTo(18 + 27.373 / 60, 6);
    expect(d.normalized['position.longitude']).toBeCloseTo(-(67 + 5.7476 / 60), 6);
  });

  test('42-byte frame has a 15-digit ID; 45-byte frame keeps 16 bytes after STATUS', () => {
    const long = decode(frames('binary-42.bin')[0]!);
    expect(long.value).toMatchObject({
      long_id: {
        id: '355488020930796',
        lat: '33521234',
        lon_flags: 0x6a,
        valid: true,
        north: false,
        east: true,
        ignition: true,
      },
    });
    expect(long.normalized['timestamp']).toBe(utc(2024, 12, 31, 23, 59, 59));
    const ext = decode(frames('binary-45.bin')[0]!);
    expect(ext.value).toMatchObject({
      extended: { id: '4209951296', valid: false, north: true, east: true },
    });
    expect((ext.value as { extended: { rest: Uint8Array } }).extended.rest).toHaveLength(16);
  });

  test('X frame: marker and 31 labelled bytes', () => {
    const d = decode(frames('binary-x.bin')[0]!);
    expect((d.value as { data: Uint8Array }).data).toHaveLength(31);
  });

  test('a binary frame of the wrong size is malformed', () => {
    const b = frames('binary-32.bin')[0]!.bytes;
    const d = decodeFrame(h02, BINARY, b.slice(0, 30));
    expect(d.ok).toBe(false);
    expect(d.issues.map((i) => i.id)).toContain('h02.malformed');
    expect(decodeFrame(h02, BINARY_X, b.slice(0, 20)).ok).toBe(false);
  });
});

describe('malformed and deviating frames', () => {
  const bad = frames('malformed.txt').map(decode);
  const ids = (d: DecodedFrame) => d.issues.map((i) => i.id);

  test('each deviation is flagged', () => {
    expect(bad[0]!.ok).toBe(false);
    expect(ids(bad[0]!)).toContain('h02.malformed');
    expect(ids(bad[1]!)).toEqual(['h02.position.state.syntax']);
    expect(ids(bad[1]!).length).toBe(1);
    expect(ids(bad[2]!)).toEqual([
      'h02.id.syntax',
      'h02.position.status.unknown',
      'h02.position.lat_hemisphere.unknown',
    ]);
    const countBad = bad[3]!.issues.find((i) => i.id === 'h02.lbs.cell_count.bad');
    expect(countBad).toMatchObject({ expected: 2, actual: 3 });
    expect(bad[4]!.issues.find((i) => i.id === 'h02.lbs.cell_count.bad')).toMatchObject({
      expected: 1,
      actual: 2,
    });
    // V4's validity is a literal (it anchors the echoed parameters): an unknown letter is malformed.
    expect(bad[5]!.ok).toBe(false);
    expect(bad[6]!.issues.find((i) => i.id === 'h02.neighbours.cell_count.bad')).toMatchObject({
      expected: 1,
      actual: 5,
    });
    expect(ids(bad[7]!)).toEqual(['h02.heartbeat.battery.level.range']);
    // Every command carries a time (`*HQ,ID,CMD,hhmmss,params#`).
    expect(bad[8]!.ok).toBe(false);
    expect(bad[8]!.issues.find((i) => i.id === 'h02.malformed')).toMatchObject({
      offset: 17,
      expected: '","',
    });
    // V4 ends at STATUS: values after it are not part of the acknowledgement.
    expect(bad[9]!.ok).toBe(false);
  });

  test('a truncated frame keeps what was decoded before the failure', () => {
    expect(bad[0]!.value).toMatchObject({ type: 'V1', position: { time: '144418', lat: '2232.7178' } });
    expect(bad[0]!.normalized['ident']).toBe('4209951296');
  });

  test('every strict prefix of every valid frame is malformed, keeps its length and never throws', () => {
    for (const name of VALID_CAPTURES)
      for (const c of frames(name))
        for (let n = 0; n < c.bytes.length; n++) {
          const d = decodeFrame(h02, c.frameType, c.bytes.subarray(0, n));
          expect(d.length).toBe(n);
          // A cut 45-byte (42-byte) frame still holds a whole 42-byte (32-byte) one: the size choice
          // cannot see the frame length, so it decodes as the shorter one (any rest as trailing bytes).
          const shorter = [32, 42].filter((s) => n >= s).pop();
          if (c.frameType === BINARY && shorter !== undefined) {
            if (n > shorter) expect(ids(d)).toContain('h02.trailing');
            continue;
          }
          expect(d.ok).toBe(false);
          expect(ids(d)).toContain('h02.malformed');
        }
  });

  test('random bytes and mutated frames never throw; a failed parse always says where', () => {
    const seeds = VALID_CAPTURES.flatMap((name) => frames(name));
    const check = (b: Uint8Array) => {
      for (const ft of h02.frames) {
        const d = decodeFrame(h02, ft, b);
        expect(d.length).toBe(b.length);
        if (!d.ok) expect(d.issues.find((i) => i.id === 'h02.malformed')?.offset).toBeTypeOf('number');
      }
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        (c, edits) => {
          const b = c.bytes.slice();
          for (const [at, v] of edits) b[at % b.length] = v;
          check(b);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), check), { numRuns: 300 });
  });
});

describe('schema', () => {
  test('passes checkSchema', () => {
    expect(checkSchema(h02)).toEqual([]);
  });

  test('the issue ids the decoder emits for H02 deviations are declared experts', () => {
    const emitted = new Set(
      [
        ...frames('malformed.txt'),
        ...frames('v1.txt'),
        ...frames('commands.txt'),
        ...frames('sms-and-unknown.txt'),
      ]
        .flatMap((c) => c.decoded.issues.map((i) => i.id))
        .filter(
          (id) =>
            !/\.(syntax|range)$/.test(id) &&
            !id.endsWith('status.unknown') &&
            !id.endsWith('hemisphere.unknown'),
        ),
    );
    const declared = new Set(h02.experts.map((e) => e.id));
    expect([...emitted].filter((id) => !declared.has(id))).toEqual([]);
    expect(emitted.size).toBeGreaterThanOrEqual(6);
  });

  test.each(h02.frames.map((ft) => [ft.name, ft] as const))(
    'random valid %s values round-trip through encode and decode',
    (_name, ft) => {
      fc.assert(
        fc.property(frameArbitrary(h02, ft), ({ value, direction }) => {
          const bytes = encodeFrame(h02, ft, value, { direction });
          const d = decodeFrame(h02, ft, bytes, { direction });
          expect(d.ok).toBe(true);
          expect(d.issues.filter((i) => i.severity === 'error')).toEqual([]);
          expect(comparable(ft.node, d.value)).toEqual(comparable(ft.node, value));
          expect(encodeFrame(h02, ft, d.value, { direction, layout: d.layout })).toEqual(bytes);
        }),
        { numRuns: 300 },
      );
    },
  );

  test('V3 and V4 count variants share their nodes, so each field path has one definition', () => {
    const byPath = new Map<string, number>();
    for (const f of listFields(h02)) byPath.set(f.path, (byPath.get(f.path) ?? 0) + 1);
    for (const path of ['h02.lbs.mcc_mnc', 'h02.lbs.battery', 'h02.reply.command', 'h02.reply.lat'])
      expect(byPath.get(path)).toBe(1);
  });
});
