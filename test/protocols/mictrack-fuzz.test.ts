import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame, latin1 } from '../../src/decode/index.js';
import { MODELS, REPORT_STATUS, mt700, reportFrame } from '../../src/protocols/mictrack/index.js';

// Text made of the characters the MT700 grammars care about, so that random input often gets deep
// into a frame before it goes wrong.
const ALPHABET = [...'#$*,;:!= .-0123456789ABCDEFLNSVWGPRMCIOKTUXZ\r\n'];
const pieces = [
  '#862255061947757#',
  'MT700#0000#AUTO#1\r\n',
  'REPLY#',
  '$GPRMC,',
  '$WIFI,',
  ',,,,,,,',
  '2238.8946,N,11402.0635,E',
  '-31,6877248FA31A',
  '*5C',
  '##',
  'MODE,',
  'MT;5;',
  '460,00,1D29,156153D',
];
const mt700ish = fc
  .array(fc.oneof(fc.constantFrom(...ALPHABET), fc.constantFrom(...pieces)), { maxLength: 60 })
  .map((parts) => Uint8Array.from(parts.join(''), (c) => c.charCodeAt(0)));

describe('random input', () => {
  test('no frame type throws on MT700-like text or on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.oneof(mt700ish, fc.uint8Array({ maxLength: 200 })), (bytes) => {
        for (const ft of mt700.frames) {
          const d = decodeFrame(mt700, ft, bytes);
          expect(d.length).toBe(bytes.length);
          if (!d.ok) expect(d.issues.some((i) => i.id === 'mt700.malformed')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('whatever decodes cleanly re-encodes to the same bytes', () => {
    let clean = 0;
    fc.assert(
      fc.property(mt700ish, (bytes) => {
        for (const ft of mt700.frames) {
          const d = decodeFrame(mt700, ft, bytes);
          if (!d.ok || d.issues.length > 0) continue;
          clean++;
          expect(latin1(encodeFrame(mt700, ft, d.value, { layout: d.layout }))).toBe(latin1(bytes));
        }
      }),
      { numRuns: 2000 },
    );
    // Guard against a generator that never reaches a clean frame (the property would hold vacuously).
    expect(clean).toBeGreaterThan(0);
  });
});

// Report values built from the grammar's own vocabulary: encode, then decode must give them back
// with good checksums and a matching record count.
const digitsOf = (min: number, max = min) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
const hexOf = (min: number, max = min) =>
  fc.array(fc.constantFrom(...'0123456789ABCDEF'), { minLength: min, maxLength: max }).map((d) => d.join(''));
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m, s]) => [h, m, s].map((x) => String(x).padStart(2, '0')).join('') + '.00');
const date = fc
  .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }))
  .map(([d, m, y]) => [d, m, y].map((x) => String(x).padStart(2, '0')).join(''));
const coordinate = (degreeDigits: number) =>
  fc
    .tuple(digitsOf(degreeDigits), fc.integer({ min: 0, max: 59 }), digitsOf(4))
    .map(([d, m, f]) => `${d}${String(m).padStart(2, '0')}.${f}`);
const rmc = fc.record({
  time,
  status: fc.constantFrom('A', 'V', 'L'),
  lat: coordinate(2),
  lat_hemisphere: fc.constantFrom('N', 'S'),
  lon: coordinate(3),
  lon_hemisphere: fc.constantFrom('E', 'W'),
  speed: fc.constantFrom('', '0.00', '12.5'),
  course: fc.constantFrom('', '96.70', '0'),
  date,
  magnetic_variation: fc.constant(''),
  variation_direction: fc.constant(''),
  mode: fc.constantFrom('A', 'D', 'N'),
});
const rmcNoFix = fc.record({
  time,
  status: fc.constant('V'),
  date,
  magnetic_variation: fc.constant(''),
  variation_direction: fc.constant(''),
  mode: fc.constant('A'),
});
const accessPoint = fc.record({ rssi: fc.integer({ min: -99, max: -1 }).map(String), mac: hexOf(12) });
const wifi = fc.record({
  time,
  status: fc.constantFrom('A', 'V'),
  access_points: fc.array(accessPoint, { minLength: 1, maxLength: 6 }),
  date,
});
const wifiNone = fc.record({ time, status: fc.constant('V'), date });
const sentence = fc.oneof(
  rmc.map((gprmc) => ({ gprmc })),
  rmcNoFix.map((gprmc_no_fix) => ({ gprmc_no_fix })),
  wifi.map((w) => ({ wifi: w })),
  wifiNone.map((wifi_no_access_points) => ({ wifi_no_access_points })),
);
const cell = fc.record({ mcc: digitsOf(3), mnc: digitsOf(2), lac: hexOf(4), cell_id: hexOf(4, 7) });
const record = fc.record(
  {
    voltage: fc.oneof(fc.constant(''), digitsOf(2), digitsOf(4)),
    lbs: fc.oneof(
      fc.constant({}),
      cell.map((c) => ({ cell: c })),
    ),
    sentence,
  },
  { requiredKeys: ['voltage', 'sentence'] },
);
const mt600 = fc.record({
  door: fc.constantFrom('0', '1'),
  fuel_voltage: fc.constantFrom('0.00', '1.25'),
  external_power: fc.constantFrom('12.60', '0'),
  battery: fc.constantFrom('4.10', '3.9'),
  temperature: fc.constantFrom('26.5', '-4.0'),
});
const report = fc.record(
  {
    head: fc.record(
      {
        imei: digitsOf(15),
        model: fc.constantFrom('', ...Object.keys(MODELS)),
        password: fc.constant('0000'),
        mt600,
        status: fc.constantFrom(...Object.keys(REPORT_STATUS)),
      },
      { requiredKeys: ['imei', 'model', 'password', 'status'] },
    ),
    records: fc.array(record, { minLength: 1, maxLength: 4 }),
    end: fc.constant('##'),
  },
  { requiredKeys: ['head', 'records'] },
);

test('built reports decode back to their values with good checksums and counts', () => {
  fc.assert(
    fc.property(report, (value) => {
      const bytes = encodeFrame(mt700, reportFrame, value);
      const d = decodeFrame(mt700, reportFrame, bytes);
      expect(d.ok).toBe(true);
      expect(d.issues).toEqual([]);
      expect(d.checksums).toHaveLength(value.records.length);
      expect(d.value).toMatchObject({
        ...value,
        head: { ...value.head, count: String(value.records.length) },
      });
    }),
    { numRuns: 500 },
  );
});
