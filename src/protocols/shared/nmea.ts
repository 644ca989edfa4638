// NMEA RMC-style position fields shared by MT700 `$GPRMC`, Meiligao 0x9955 and H02 V1.
// Raw tokens keep the exact text; computed siblings carry degrees, km/h, unix time and validity.
import { computed, decimal, digits, picklist } from '../../schema/index.js';

export const VALIDITY = { A: 'valid fix', V: 'no valid fix', L: 'last known position' } as const;
export const NORTH_SOUTH = { N: 'north', S: 'south' } as const;
export const EAST_WEST = { E: 'east', W: 'west' } as const;

/** RMC fields from UTC time to the east/west indicator. */
export const rmcFix = {
  time: decimal({ title: 'UTC time (hhmmss.ss)' }),
  status: picklist(VALIDITY, { title: 'Status' }),
  lat: decimal({ title: 'Latitude (ddmm.mmmm)' }),
  lat_hemisphere: picklist(NORTH_SOUTH, { title: 'N/S indicator' }),
  lon: decimal({ title: 'Longitude (dddmm.mmmm)' }),
  lon_hemisphere: picklist(EAST_WEST, { title: 'E/W indicator' }),
} as const;

export const rmcMotion = {
  speed: decimal({ title: 'Speed over ground', unit: 'kn' }),
  course: decimal({ title: 'Course over ground', unit: '°', param: 'position.direction', paramAs: 'number' }),
  date: digits({ title: 'Date (ddmmyy)', length: [6, 6] }),
} as const;

/** Values computed from rmcFix and rmcMotion; place after both. */
export const rmcComputed = {
  latitude: computed('nmeaLatitude', ['lat', 'lat_hemisphere'], {
    title: 'Latitude',
    unit: '°',
    param: 'position.latitude',
  }),
  longitude: computed('nmeaLongitude', ['lon', 'lon_hemisphere'], {
    title: 'Longitude',
    unit: '°',
    param: 'position.longitude',
  }),
  timestamp: computed('nmeaTimestamp', ['date', 'time'], {
    title: 'Fix time (UTC)',
    unit: 's',
    param: 'timestamp',
  }),
  speed_kmh: computed('knotsToKmh', ['speed'], { title: 'Speed', unit: 'km/h', param: 'position.speed' }),
  valid: computed('validity', ['status'], { title: 'Position valid', param: 'position.valid' }),
} as const;
