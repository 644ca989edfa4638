// Fixed-size binary frames some H02 devices interleave with the text frames: `$` (32, 42 or 45 bytes,
// BCD-packed) and `X` (32 bytes). Spec: shared/specs/real-world-variants.md (section "Cantrack: the
// H02 *XX,...# text family") names them only; the `$` layout below is how widely used open-source
// tracking servers decode it:
//   $ | id BCD (5 bytes; 8 bytes, 15 digits + pad, in 42-byte frames) | hhmmss BCD | ddmmyy BCD |
//   latitude ddmm.mmmm BCD (4) | one byte | longitude dddmm.mmmm BCD (4.5) with the last nibble
//   holding flags (bit 1 valid, bit 2 north, bit 3 east) | speed (3 BCD digits, knots) and course
//   (3 BCD digits) | STATUS (4 bytes, as in the text frames) | rest.
// Not established, so kept as labelled bytes: the byte between latitude and longitude (a battery level
// on some devices), the bytes after STATUS, and the whole body of `X` frames.
import { bcd, bytes, choice, computed, lit, struct, u32, u8 } from '../../schema/index.js';
import { rmcComputed } from '../shared/nmea.js';

const coreFields = (idBytes: 5 | 8) => ({
  marker: lit('$', { title: 'Binary position marker' }),
  id: bcd(idBytes, {
    title: 'Device ID',
    doc: idBytes === 5 ? '10 digits' : '15 digits padded with F',
    param: 'ident',
  }),
  time: bcd(3, { title: 'Time (hhmmss, UTC)' }),
  date: bcd(3, { title: 'Date (ddmmyy)' }),
  lat: bcd(4, { title: 'Latitude (ddmmmmmm = ddmm.mmmm)' }),
  unknown_byte: u8({
    title: 'Byte after the latitude (battery level on some devices; not established)',
    display: 'hex',
  }),
  lon: bcd(4, { title: 'Longitude, first 8 of 9 digits (dddmmmmm)' }),
  lon_flags: u8({
    title: 'Last longitude digit (high nibble) and flags (low nibble: bit 1 valid, bit 2 N, bit 3 E)',
    display: 'hex',
  }),
  speed_course: bcd(3, { title: 'Speed (3 digits, knots) then course (3 digits, degrees)' }),
  state: u32({ title: 'Vehicle status (STATUS)', display: 'hex', param: 'vehicle.state.bitmask' }),
});

const derivedFields = {
  latitude: computed('h02Coordinate', ['lat', 'lon_flags'], {
    title: 'Latitude',
    unit: '°',
    options: { axis: 'lat' },
    param: 'position.latitude',
  }),
  longitude: computed('h02Coordinate', ['lon', 'lon_flags'], {
    title: 'Longitude',
    unit: '°',
    options: { axis: 'lon' },
    param: 'position.longitude',
  }),
  speed: computed('digitSlice', ['speed_course'], {
    title: 'Speed',
    unit: 'kn',
    options: { start: 0, end: 3 },
  }),
  speed_kmh: computed('knotsToKmh', ['speed'], { title: 'Speed', unit: 'km/h', param: 'position.speed' }),
  course: computed('digitSlice', ['speed_course'], {
    title: 'Course',
    unit: '°',
    options: { start: 3, end: 6 },
    param: 'position.direction',
  }),
  timestamp: rmcComputed.timestamp,
  valid: computed('bitSet', ['lon_flags'], {
    title: 'Position valid',
    options: { bit: 1 },
    param: 'position.valid',
  }),
  north: computed('bitSet', ['lon_flags'], { title: 'North', options: { bit: 2 } }),
  east: computed('bitSet', ['lon_flags'], { title: 'East', options: { bit: 3 } }),
  ignition: computed('bitSet', ['state'], {
    title: 'Ignition on (STATUS bit 10)',
    options: { bit: 10 },
    param: 'engine.ignition.status',
  }),
} as const;

/** The `$` frame of `size` bytes; every field is fixed-size, so a variant only parses at its size. */
const positionRecord = (size: 32 | 42 | 45, label: string, title: string) => {
  const idBytes = size === 42 ? 8 : 5;
  const rest = size - (idBytes + 24);
  return struct(
    {
      ...coreFields(idBytes),
      rest: bytes(rest, { title: `Remaining ${rest} bytes (layout not established)` }),
      ...derivedFields,
    },
    { label, title },
  );
};

/** Tried longest first: a shorter frame runs out of bytes in the longer variants. */
export const binaryPosition = choice({
  extended: positionRecord(45, 'extended', '45-byte binary position'),
  long_id: positionRecord(42, 'long_id', '42-byte binary position (15-digit ID)'),
  short: positionRecord(32, 'short', '32-byte binary position'),
});

export const binaryX = struct({
  marker: lit('X', { title: 'X frame marker' }),
  data: bytes(31, { title: 'Body (layout not established)' }),
});
