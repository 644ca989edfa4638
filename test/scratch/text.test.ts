import { test } from 'vitest';
import { decodeFrame, encodeFrame, fromLatin1, latin1 } from '../../src/decode/index.js';
import {
  checksum,
  choice,
  computed,
  countOf,
  delimited,
  digits,
  frameType,
  hex,
  integer,
  line,
  lit,
  oneOf,
  optional,
  picklist,
  protocol,
  repeat,
  span,
  struct,
  text,
} from '../../src/schema/index.js';
import { rmcComputed, rmcFix, rmcMotion } from '../../src/protocols/shared/nmea.js';

const gprmc = struct({
  content: delimited(
    ',',
    {
      type: lit('GPRMC'),
      ...rmcFix,
      ...rmcMotion,
      magnetic_variation: text(),
      variation_direction: text(),
      mode: text(),
      ...rmcComputed,
    },
    { lead: '$' },
  ),
  star: lit('*'),
  checksum: hex({ length: [2, 2], derive: checksum('xor8', span('content')) }),
});
const wifi = struct({
  content: delimited(
    ',',
    {
      type: lit('WIFI'),
      time: text(),
      status: text(),
      access_points: repeat(
        delimited(',', {
          rssi: integer({ param: 'wifi.signal.strength', paramAs: 'number' }),
          mac: hex({ param: 'wifi.mac.address' }),
        }),
        { sep: ',' },
      ),
      date: digits(),
    },
    { lead: '$' },
  ),
  star: lit('*'),
  checksum: hex({ length: [2, 2], derive: checksum('xor8', span('content')) }),
});
const record = struct(
  {
    voltage: digits({ lead: '#' } as never),
    lbs: optional(oneOf({ '#': 'LBS on' })),
    cell: optional(delimited(',', { mcc: digits(), mnc: digits(), lac: hex(), cell_id: hex() })),
    sentence: choice({ gprmc, wifi }),
    volts: computed('mictrackVoltage', ['voltage'], { param: 'battery.voltage' }),
  },
  { lead: '#' } as never,
);
const report = struct({
  head: line(
    delimited(
      '#',
      {
        imei: digits({ param: 'ident' }),
        model: text(),
        password: text(),
        status: picklist({ AUTO: 'mode 1' }),
        count: digits({ derive: countOf('records') }),
      },
      { lead: '#' },
    ),
  ),
  records: repeat(line(record), { min: 1 }),
  end: optional(line(lit('##'))),
});
const p = protocol({
  name: 'mt700',
  title: 'x',
  ref: '',
  frames: [
    frameType({ name: 'report', segment: '', title: 'r', node: report, framing: { kind: 'line', max: 100 } }),
  ],
});

test('text', () => {
  for (const t of [
    '#862255061947757#MT700#0000#AUTO#1\r\n#3815#460,00,1D29,156153D$GPRMC,121831.00,V,,,,,,,,,100124,,,A*7C\r\n##\r\n',
    '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,100124,,,A*5C\r\n##\r\n',
    '#862255061947757#MT700#0000#AUTO#1\r\n#3815#$WIFI,125200.00,A,-31,6877248FA31A,-32,7E77248FA31A,-73,0260736CF982,-74,DC333DF82C74,-74,90769F421140,100124*0F\r\n##\r\n',
    '#862255061947757#MT700W#0000#AUTO#1\r\n#3815#460,00,262C,11F1$WIFI,095147.00,V,,,,,,,,,241223*06\r\n##\r\n',
    '#862255061947757#MT700#0000#AUTO#2\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,100124,,,A*5C\r\n',
    '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPXXX,123318.00\r\n',
  ]) {
    const d = decodeFrame(p, p.frames[0]!, fromLatin1(t));
    console.log(
      JSON.stringify(d.value),
      '\n ok',
      d.ok,
      d.issues.map((i) => i.message),
      JSON.stringify(d.normalized),
      d.checksums.map((c) => c.status),
    );
    if (d.ok) {
      const e = encodeFrame(p, p.frames[0]!, d.value, { layout: d.layout });
      console.log(' roundtrip', latin1(e) === t, JSON.stringify(latin1(e)));
    }
  }
});
