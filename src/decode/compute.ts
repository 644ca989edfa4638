// The TypeScript implementation of every function a `computed` node may name.
import type { ComputeFn } from '../schema/index.js';
import { isDigit } from './scope.js';

type Arg = unknown;
type Options = Readonly<Record<string, number | string>> | undefined;

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

function numeric(x: Arg): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x !== 'string' || x.trim() === '') return undefined;
  const n = Number(x.trim());
  return Number.isFinite(n) ? n : undefined;
}

const DASHED = /^(-?)(\d+)-(\d+(?:\.\d+)?)$/;

/**
 * NMEA `ddmm.mmmm` / `dddmm.mmmm` to signed decimal degrees. Also reads the variants trackers send:
 * minus-separated `-23-3.3408` (degrees, then minutes) and a missing decimal point.
 */
function nmeaCoordinate(
  raw: Arg,
  hemisphere: Arg,
  degreeDigits: number,
  negative: string,
): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  let degrees: number;
  let minutes: number;
  let sign = 1;
  // The dashed form has a minus after the first character; most texts do not, and skip the match.
  const dashed = text.indexOf('-', 1) > 0 ? DASHED.exec(text) : null;
  if (dashed) {
    sign = dashed[1] === '-' ? -1 : 1;
    degrees = Number(dashed[2]);
    minutes = Number(dashed[3]);
  } else {
    let body = text;
    if (body.startsWith('-')) {
      sign = -1;
      body = body.slice(1);
    }
    if (!/^\d+(\.\d*)?$/.test(body)) return undefined;
    if (!body.includes('.') && body.length > degreeDigits + 2)
      body = `${body.slice(0, degreeDigits + 2)}.${body.slice(degreeDigits + 2)}`;
    const value = Number(body);
    degrees = Math.floor(value / 100);
    minutes = value - degrees * 100;
  }
  if (minutes >= 60) return undefined;
  // The hemisphere letter decides the sign when there is one; in `-23-3.3408,S` the minus signs only
  // separate degrees from minutes. Without a letter, a leading minus means south or west.
  const hemi = typeof hemisphere === 'string' ? hemisphere.trim().toUpperCase() : '';
  if (hemi !== '') sign = hemi === negative ? -1 : 1;
  return round(sign * (degrees + minutes / 60), 7);
}

function digitsAt(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** The two-digit number at `i` (digits already checked). */
const twoDigits = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/**
 * `ddmmyy` and `hhmmss[.sss]` (UTC) to unix seconds. Read character by character: this runs for every
 * position report, and regular expression matches allocate.
 */
function nmeaTimestamp(date: Arg, time: Arg): number | undefined {
  if (typeof date !== 'string' || typeof time !== 'string') return undefined;
  const d = date.trim();
  const t = time.trim();
  if (d.length !== 6 || !digitsAt(d, 0, 6) || t.length < 6 || !digitsAt(t, 0, 6)) return undefined;
  // An optional fraction: a point and at least one digit.
  if (t.length > 6 && (t.length === 7 || t.charCodeAt(6) !== 46 || !digitsAt(t, 7, t.length)))
    return undefined;
  const day = twoDigits(d, 0);
  const month = twoDigits(d, 2);
  const year = 2000 + twoDigits(d, 4);
  const hour = twoDigits(t, 0);
  const minute = twoDigits(t, 2);
  const second = twoDigits(t, 4);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const fraction = t.length > 6 ? Number(t.slice(6)) : 0;
  return ms / 1000 + fraction;
}

function bitSet(x: Arg, options: Options): boolean | undefined {
  const bit = Number(options?.bit ?? 0);
  const value =
    typeof x === 'number'
      ? x
      : typeof x === 'string' && /^[0-9a-fA-F]+$/.test(x)
        ? parseInt(x, 16)
        : undefined;
  if (value === undefined) return undefined;
  return Math.floor(value / 2 ** bit) % 2 === 1;
}

function hexToText(x: Arg): string | undefined {
  if (typeof x !== 'string' || x.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(x)) return undefined;
  let out = '';
  for (let i = 0; i < x.length; i += 2) out += String.fromCharCode(parseInt(x.slice(i, i + 2), 16));
  return out;
}

/**
 * H02 binary coordinates: 8 packed digits, plus for longitude a ninth digit in the high nibble of the
 * flags byte (dddmm.mmmm); flags bit 2 set means north, bit 3 set means east.
 */
function h02Coordinate(digits: Arg, flags: Arg, options: Options): number | undefined {
  if (typeof digits !== 'string' || !/^[0-9]{8}$/.test(digits) || typeof flags !== 'number') return undefined;
  const lon = options?.axis === 'lon';
  if (lon && flags >> 4 > 9) return undefined;
  const text = lon ? `${digits}${flags >> 4}` : digits;
  const degreeDigits = lon ? 3 : 2;
  const degrees = Number(text.slice(0, degreeDigits));
  const minutes = Number(`${text.slice(degreeDigits, degreeDigits + 2)}.${text.slice(degreeDigits + 2)}`);
  if (minutes >= 60) return undefined;
  const positive = Math.floor(flags / (lon ? 8 : 4)) % 2 === 1;
  return round((positive ? 1 : -1) * (degrees + minutes / 60), 7);
}

// Arguments are read by index, not destructured: destructuring goes through the iterator protocol.
export const COMPUTE: Readonly<
  Record<ComputeFn, (args: readonly Arg[], options: Options) => string | number | boolean | undefined>
> = {
  nmeaLatitude: (a) => nmeaCoordinate(a[0], a[1], 2, 'S'),
  nmeaLongitude: (a) => nmeaCoordinate(a[0], a[1], 3, 'W'),
  nmeaTimestamp: (a) => nmeaTimestamp(a[0], a[1]),
  knotsToKmh: (a) => {
    const n = numeric(a[0]);
    return n === undefined ? undefined : round(n * 1.852, 3);
  },
  number: (a) => numeric(a[0]),
  hexNumber: (a) => {
    const v = a[0];
    return typeof v === 'string' && /^[0-9a-fA-F]+$/.test(v) ? parseInt(v, 16) : undefined;
  },
  scale: (a, o) => {
    const n = numeric(a[0]);
    return n === undefined ? undefined : round(n * Number(o?.factor ?? 1), 9);
  },
  validity: (a) => {
    const v = a[0];
    return typeof v === 'string' && v !== '' ? v.trim().toUpperCase() === 'A' : undefined;
  },
  mictrackVoltage: (a) => {
    const n = numeric(a[0]);
    if (n === undefined) return undefined;
    return n > 100 ? round(n / 1000, 3) : round(n / 10, 3);
  },
  bitSet: (a, o) => bitSet(a[0], o),
  hexToText: (a) => hexToText(a[0]),
  digitSlice: (a, o) => {
    const v = a[0];
    if (typeof v !== 'string') return undefined;
    const part = v.slice(Number(o?.start ?? 0), o?.end === undefined ? undefined : Number(o.end));
    return /^[0-9]+$/.test(part) ? Number(part) : undefined;
  },
  h02Coordinate: (a, o) => h02Coordinate(a[0], a[1], o),
};
