// Wialon WLN lines: the example of shared/specs/wialon-messages-and-wln.md ("WLN messages") and the
// variants of shared/specs/real-world-variants.md ("Wialon WLN export lines"), from captures/wln.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeFrame,
  decodeStream,
  encodeFrame,
  fromLatin1,
  latin1,
  type DecodedFrame,
} from '../../src/decode/index.js';
import { comparable, frameArbitrary } from '../../src/fuzz/arbitrary.js';
import { wln } from '../../src/protocols/wialon-wln/index.js';
import { checkSchema } from '../../src/schema/index.js';

const REG = wln.frames[0]!;

const capture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../captures/wln/${name}`, import.meta.url)));

/** The lines of a capture through the streaming framer and decoder. */
function lines(name: string): { text: string; bytes: Uint8Array; d: DecodedFrame }[] {
  return decodeStream(wln, capture(name)).flatMap((r) =>
    r.kind === 'frame' ? [{ text: latin1(r.bytes), bytes: r.bytes, d: r.frame }] : [],
  );
}

const reencode = (d: DecodedFrame) => latin1(encodeFrame(wln, REG, d.value, { layout: d.layout }));

interface Entry {
  readonly name: string;
  readonly value: string;
}
/** name -> value of one group, whichever variant (altitude, hdop, satellites, param) each entry took. */
function entries(group: unknown): Entry[] {
  return (group as Record<string, Entry>[]).flatMap((item) =>
    Object.values(item).filter((e): e is Entry => 'name' in e),
  );
}
const groups = (d: DecodedFrame) =>
  (d.value as { reg: Record<'doubles' | 'ints' | 'texts' | 'longs' | 'booleans', unknown> }).reg;

describe('the Wialon document example', () => {
  const [doc] = lines('wialon-document-example.wln');
  const d = doc!.d;

  test('decodes cleanly and re-encodes to the same bytes', () => {
    expect(d.ok).toBe(true);
    expect(d.issues).toEqual([]);
    expect(reencode(d)).toBe(doc!.text);
  });

  test('time, longitude before latitude, speed, course', () => {
    expect(d.value).toMatchObject({
      reg: { time: '1466585078', lon: '30.4367027283', lat: '59.7207145691', speed: '1', course: '273' },
    });
    expect(d.normalized['timestamp']).toBe(1466585078);
    expect(d.normalized['position.longitude']).toBeCloseTo(30.4367027283, 6);
    expect(d.normalized['position.latitude']).toBeCloseTo(59.7207145691, 6);
    expect(d.normalized['position.speed']).toBe(1);
    expect(d.normalized['position.direction']).toBe(273);
  });

  test('ALT and SATS feed altitude and satellites', () => {
    expect(d.normalized['position.altitude']).toBe(24);
    expect(d.normalized['position.satellites']).toBe(5);
    expect(d.normalized['position.hdop']).toBe(1.7);
  });

  test('every parameter of every group, with the empty element kept', () => {
    const g = groups(d);
    const doubles = Object.fromEntries(entries(g.doubles).map((e) => [e.name, e.value]));
    expect(doubles).toEqual({
      ALT: '24.0',
      adc1: '0.0',
      adc2: '25.57',
      adc3: '0.0',
      adc4: '0.0',
      adc5: '0.0',
      adc6: '0.0',
      fuel1: '0.0',
      fuel2: '170.0',
      fuel3: '0.0',
      odometer: '7293607.0',
      acc: '0.0',
      pwr_int: '0.731',
      pwr_ext: '25.751',
      hdop: '1.7',
    });
    expect(g.ints).toEqual([
      { param: { name: 'in13', value: '1' } },
      { empty: {} },
      { satellites: { name: 'SATS', value: '5' } },
      { param: { name: 'count1', value: '1' } },
      { param: { name: 'count2', value: '0' } },
      { param: { name: 'temp1', value: '0' } },
      { param: { name: 'temp2', value: '23' } },
      { param: { name: 'temp3', value: '0' } },
      { param: { name: 'sats_glonass', value: '0' } },
      { param: { name: 'sats_gps', value: '5' } },
    ]);
    expect(g.texts).toEqual([{ param: { name: 'soft_version', value: '44' } }]);
    expect(g.longs).toEqual([{ empty: {} }]);
    expect(g.booleans).toEqual([{ empty: {} }]);
  });

  test('quoting is layout: the text value is 44, the quotes come back on encode', () => {
    const soft = d.fields.find((f) => f.path === 'wln.reg.texts.param.value');
    expect(soft?.value).toBe('44');
    expect(latin1(doc!.bytes.subarray(soft!.start, soft!.end))).toBe('"44"');
  });
});

describe('constructed lines', () => {
  const [empty, full, alt, leading] = lines('constructed.wln').map((l) => l.d);

  test('each decodes cleanly and re-encodes byte for byte (CRLF line ends are not frame bytes)', () => {
    for (const l of lines('constructed.wln')) {
      expect(l.d.ok).toBe(true);
      expect(l.d.issues).toEqual([]);
      expect(reencode(l.d)).toBe(l.text);
      expect(l.text.endsWith(';')).toBe(true);
    }
  });

  test('all groups empty', () => {
    expect(empty!.normalized).toEqual({
      'message.type': 'reg',
      timestamp: 1700000000,
      'position.longitude': -58.3816,
      'position.latitude': -34.6037,
      'position.speed': 0,
      'position.direction': 0,
    });
  });

  test('empty elements anywhere, quoted texts holding separators, longs and booleans', () => {
    const g = groups(full!);
    expect(g.doubles).toEqual([
      { altitude: { name: 'ALT', value: '-12.5' } },
      { empty: {} },
      { hdop: { name: 'hdop', value: '0.9' } },
    ]);
    expect(g.ints).toEqual([{ satellites: { name: 'SATS', value: '11' } }, { empty: {} }, { empty: {} }]);
    expect(entries(g.texts)).toEqual([
      { name: 'name', value: 'truck 7' },
      { name: 'driver', value: 'Ivan, Petrov; shift 2' },
    ]);
    expect(entries(g.longs)).toEqual([
      { name: 'odometer', value: '123456789012' },
      { name: 'fuel_total', value: '-5' },
    ]);
    expect(entries(g.booleans)).toEqual([
      { name: 'ign', value: '1' },
      { name: 'door', value: '0' },
    ]);
    expect(full!.normalized).toMatchObject({
      'position.altitude': -12.5,
      'position.satellites': 11,
      'position.hdop': 0.9,
      'position.speed': 42.5,
    });
  });

  test('an empty quoted text and a leading empty element', () => {
    expect(entries(groups(alt!).texts)).toEqual([{ name: 'note', value: '' }]);
    expect(groups(leading!).doubles).toEqual([
      { empty: {} },
      { altitude: { name: 'ALT', value: '24.0' } },
      { empty: {} },
    ]);
    expect(leading!.normalized['position.altitude']).toBe(24);
  });

  test('a hand-built record encodes to the expected line', () => {
    const bytes = encodeFrame(wln, REG, {
      reg: {
        time: '1466585078',
        lon: '30.4367027283',
        lat: '59.7207145691',
        speed: '1',
        course: '273',
        doubles: [
          { altitude: { name: 'ALT', value: '24.0' } },
          { param: { name: 'pwr_ext', value: '25.751' } },
        ],
        ints: [
          { param: { name: 'in13', value: '1' } },
          { empty: {} },
          { satellites: { name: 'SATS', value: '5' } },
        ],
        texts: [{ param: { name: 'soft_version', value: '44' } }],
        longs: [],
        booleans: [],
      },
    });
    expect(latin1(bytes)).toBe(
      'REG;1466585078;30.4367027283;59.7207145691;1;273;' +
        'ALT:24.0,pwr_ext:25.751;in13:1,,SATS:5;soft_version:"44";;;',
    );
  });
});

describe('malformed lines', () => {
  const bad = lines('malformed.wln').map((l) => l.d);
  const ids = (d: DecodedFrame) => d.issues.map((i) => i.id);

  test('a missing group (no trailing separator) is malformed', () => {
    expect(bad[0]!.ok).toBe(false);
    // Five of the six groups' separators: the missing one is reported at the end of the line.
    expect(bad[0]!.issues).toMatchObject([
      { id: 'wln.malformed', offset: 41, expected: '":" or "," or ";"' },
    ]);
    expect(bad[0]!.normalized['timestamp']).toBe(1700000000);
  });

  test('an unquoted text value is malformed where the quote should be', () => {
    expect(bad[1]!.ok).toBe(false);
    expect(bad[1]!.issues.find((i) => i.id === 'wln.malformed')).toMatchObject({
      offset: 'REG;1700000060;13.40;52.52;42.5;90;ALT:1.0;SATS:11;name:'.length,
      expected: `'"'`,
    });
    expect(bad[1]!.normalized['position.satellites']).toBe(11);
  });

  test('a truncated line keeps what it has', () => {
    expect(bad[2]!.ok).toBe(false);
    expect(bad[2]!.value).toMatchObject({ reg: { time: '1700000180', lon: '30.43' } });
    expect(bad[2]!.normalized['position.longitude']).toBe(30.43);
    // lat reads "59.7", not "59.72": the byte kept for the trailing `;` (reported to the lead).
  });

  test('values of the wrong syntax decode with issues', () => {
    expect(bad[3]!.ok).toBe(true);
    expect(ids(bad[3]!)).toEqual([
      'wln.reg.lon.syntax',
      'wln.reg.doubles.altitude.value.syntax',
      'wln.reg.ints.satellites.value.syntax',
    ]);
  });

  test('every strict prefix of a valid line is malformed and never throws', () => {
    for (const l of [...lines('wialon-document-example.wln'), ...lines('constructed.wln')])
      for (let n = 0; n < l.bytes.length; n++) {
        const d = decodeFrame(wln, REG, l.bytes.subarray(0, n));
        expect(d.ok).toBe(false);
        expect(ids(d)).toContain('wln.malformed');
      }
  });

  test('random bytes and WLN-like text never throw', () => {
    const pieces = ['REG;', ';', ',', ':', '"', 'ALT', 'SATS', '24.0', '-1', 'x', ',,', ';;'];
    const wlnish = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => fromLatin1(p.join('')));
    fc.assert(
      fc.property(fc.oneof(wlnish, fc.uint8Array({ maxLength: 120 })), (b) => {
        const d = decodeFrame(wln, REG, b);
        expect(d.length).toBe(b.length);
        if (!d.ok) expect(ids(d)).toContain('wln.malformed');
        else if (d.issues.length === 0)
          expect(latin1(encodeFrame(wln, REG, d.value, { layout: d.layout }))).toBe(latin1(b));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('framing and round trips', () => {
  test('passes checkSchema', () => {
    expect(checkSchema(wln)).toEqual([]);
  });

  test('one frame per line, LF or CRLF, nothing left undecoded', () => {
    for (const name of ['wialon-document-example.wln', 'constructed.wln', 'malformed.wln']) {
      const records = decodeStream(wln, capture(name));
      expect(records.filter((r) => r.kind === 'undecoded')).toEqual([]);
      const count = latin1(capture(name))
        .split(/\r?\n/)
        .filter((l) => l !== '').length;
      expect(records.filter((r) => r.kind === 'frame')).toHaveLength(count);
    }
  });

  test('random valid records round-trip through encode and decode', () => {
    fc.assert(
      fc.property(frameArbitrary(wln, REG), ({ value }) => {
        const bytes = encodeFrame(wln, REG, value);
        const d = decodeFrame(wln, REG, bytes);
        expect(d.ok).toBe(true);
        expect(comparable(REG.node, d.value)).toEqual(comparable(REG.node, value));
        expect(encodeFrame(wln, REG, d.value, { layout: d.layout })).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });
});
