// Fields of the H02 V1-style position (`hhmmss,A,ddmm.mmmm,N,dddmm.mmmm,E,speed,course,ddmmyy,STATUS`),
// shared by V1, V2, V4, V5, V19 and the NBR/LINK/V3 tails. Spec: shared/specs/real-world-variants.md
// (section "Cantrack: the H02 *XX,...# text family"); parameter names:
// shared/specs/cantrack-parameters.md.
import { computed, digits, hex, oneOf, picklist, text } from '../../schema/index.js';
import { EAST_WEST, NORTH_SOUTH, rmcComputed, rmcMotion } from '../shared/nmea.js';
import { VALIDITY } from './names.js';

export const time = digits({ title: 'Time (hhmmss, UTC)', length: [6, 6], examples: ['164035'] });
export const date = rmcMotion.date;

/** Validity as a token: an unknown letter decodes with a note. */
export const validity = picklist(VALIDITY, { title: 'Validity' });

// Coordinates and speed are `text`: devices send `-23-3.3408` (degrees-minutes with minus signs),
// coordinates without a decimal point and speeds with leading spaces, none of which is a `decimal`;
// the computed latitude/longitude/speed read all of these forms and stay absent for anything else.
export const latitudeFields = {
  lat: text({ title: 'Latitude (ddmm.mmmm)', examples: ['2232.7178', '-23-3.3408', '22327178'] }),
  lat_hemisphere: picklist(NORTH_SOUTH, { title: 'N/S indicator' }),
  lon: text({ title: 'Longitude (dddmm.mmmm)', examples: ['11404.6773', '-46-38.1142'] }),
  lon_hemisphere: picklist(EAST_WEST, { title: 'E/W indicator' }),
} as const;

export const speed = text({ title: 'Speed', unit: 'kn', examples: ['000.00', '   0.21'] });
export const course = rmcMotion.course;

/** STATUS: 8 hex digits, active-low alarm bits; bit 10 set means ignition on. */
export const state = hex({
  title: 'Vehicle status (STATUS)',
  length: [8, 8],
  param: 'vehicle.state.bitmask',
  paramAs: 'hex',
  examples: ['FFFFFBFF', 'FFFFFFFF'],
});

export const ignition = computed('bitSet', ['state'], {
  title: 'Ignition on (STATUS bit 10)',
  options: { bit: 10 },
  param: 'engine.ignition.status',
});

/** Time through date: the fix, as every position message starts. */
export const fixFields = {
  time,
  status: validity,
  ...latitudeFields,
  speed,
  course,
  date,
} as const;

/** Time through STATUS, as in V1. */
export const positionFields = { ...fixFields, state } as const;

/**
 * The same with a validity that must be A, V, B or 0: a literal, so that V4's variants (see messages.ts)
 * only match where the validity really stands and values after STATUS make the frame malformed instead
 * of shifting every field.
 */
export const anchoredPositionFields = {
  ...positionFields,
  status: oneOf(VALIDITY, { title: 'Validity' }),
} as const;

/** Degrees, km/h, unix time, validity and ignition computed from the fields above; place after them. */
export const positionComputed = { ...rmcComputed, ignition } as const;

/** Serving cell some V1 devices append after STATUS. */
export const cellFields = {
  mcc: digits({ title: 'MCC', param: 'gsm.mcc', paramAs: 'number' }),
  mnc: digits({ title: 'MNC', param: 'gsm.mnc', paramAs: 'number' }),
  lac: digits({ title: 'LAC', param: 'gsm.lac', paramAs: 'number' }),
  cid: digits({ title: 'Cell ID', param: 'gsm.cellid', paramAs: 'number' }),
} as const;

export const extraValue = text({ title: 'Additional value (meaning not documented)' });
