// The NMEA-style sentence ending every MT700 record line: `$GPRMC,...*CS` (mt700-protocol.md §2.2.1)
// or `$WIFI,...*CS` (§2.2.2). The checksum is the XOR of the bytes between `$` and `*`.
import {
  checksum,
  choice,
  computed,
  decimal,
  delimited,
  digits,
  hex,
  integer,
  lit,
  picklist,
  repeat,
  span,
  struct,
  text,
} from '../../schema/index.js';
import { VALIDITY, rmcComputed, rmcFix, rmcMotion } from '../shared/nmea.js';
import { NMEA_MODE } from './tables.js';

// The document's own no-fix examples (GPS examples 3 and 4, WiFi example 3) carry eight empty fields
// between status and date where the standard RMC layout has six; their XOR checksums are correct, so
// this is what the firmware sends. Matching the run of commas literally is what tells the layouts apart.
const EIGHT_EMPTY_FIELDS = ',,,,,,,';

const time = decimal({ title: 'UTC time (hhmmss.ss)' });
const status = picklist(VALIDITY, { title: 'Status' });
const date = digits({ title: 'Date (ddmmyy)', length: [6, 6] });
const fixTime = computed('nmeaTimestamp', ['date', 'time'], {
  title: 'Fix time (UTC)',
  unit: 's',
  param: 'timestamp',
});

const rmcTail = {
  magnetic_variation: text({ title: 'Reserved (NMEA magnetic variation)' }),
  variation_direction: text({ title: 'Reserved (NMEA magnetic variation E/W)' }),
  mode: picklist(NMEA_MODE, { title: 'Fix value (NMEA mode indicator, documented as A)' }),
} as const;

const gprmcNoFix = delimited(
  ',',
  {
    type: lit('GPRMC', { title: 'Message type' }),
    time,
    status,
    empty_fields: lit(EIGHT_EMPTY_FIELDS, {
      title: 'Eight empty fields (the standard layout has six: latitude to course)',
    }),
    date,
    ...rmcTail,
    timestamp: fixTime,
    valid: rmcComputed.valid,
  },
  { title: '$GPRMC without a fix, as the MT700 document prints it' },
);

const gprmc = delimited(
  ',',
  { type: lit('GPRMC', { title: 'Message type' }), ...rmcFix, ...rmcMotion, ...rmcTail, ...rmcComputed },
  { title: '$GPRMC (standard RMC layout)' },
);

const wifiNoAccessPoints = delimited(
  ',',
  {
    type: lit('WIFI', { title: 'Message type' }),
    time,
    status,
    empty_fields: lit(EIGHT_EMPTY_FIELDS, { title: 'Eight empty fields (no access point found)' }),
    date,
    timestamp: fixTime,
  },
  { title: '$WIFI without access points, as the MT700 document prints it' },
);

const accessPoint = delimited(
  ',',
  {
    rssi: integer({ title: 'RSSI', unit: 'dBm', param: 'wifi.signal.strength', paramAs: 'number' }),
    mac: hex({ title: 'MAC address of the access point', length: [12, 12], param: 'wifi.mac.address' }),
  },
  { title: 'Access point' },
);

const wifi = delimited(
  ',',
  {
    type: lit('WIFI', { title: 'Message type' }),
    time,
    status,
    access_points: repeat(accessPoint, { sep: ',', min: 1, title: 'Access points' }),
    date,
    timestamp: fixTime,
  },
  { title: '$WIFI (RSSI, MAC pairs)' },
);

/** `$` content `*` checksum; the content is one of the layouts above (specific ones first). */
export const sentence = struct(
  {
    start: lit('$', { title: 'Sentence start' }),
    content: choice({
      gprmc_no_fix: gprmcNoFix,
      gprmc,
      wifi_no_access_points: wifiNoAccessPoints,
      wifi,
    }),
    star: lit('*', { title: 'Checksum delimiter' }),
    checksum: hex({
      title: 'Checksum (XOR of the bytes between $ and *)',
      length: [2, 2],
      derive: checksum('xor8', span('content')),
    }),
  },
  { title: 'Sentence' },
);
