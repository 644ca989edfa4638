// The TypeScript implementation of every function a `computed` node may name.
import type { ComputeFn } from '../schema/index.js';

type Arg = unknown;
type Options = Readonly<Record<string, number | string>> | undefined;

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

function numeric(x: Arg): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x !== 'string' || x.trim() === '') return undefined;
  const n = Number(x.trim());
  return Number.isFinite(n) ? n : undefined;
}

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
  const dashed = /^(-?)(\d+)-(\d+(?:\.\d+)?)$/.exec(text);
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

/** `ddmmyy` and `hhmmss[.sss]` (UTC) to unix seconds. */
function nmeaTimestamp(date: Arg, time: Arg): number | undefined {
  if (typeof date !== 'string' || typeof time !== 'string') return undefined;
  const d = /^(\d{2})(\d{2})(\d{2})$/.exec(date.trim());
  const t = /^(\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(time.trim());
  if (!d || !t) return undefined;
  const [day, month, year] = [Number(d[1]), Number(d[2]), 2000 + Number(d[3])];
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const fraction = t[4] ? Number(t[4]) : 0;
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

export const COMPUTE: Readonly<
  Record<ComputeFn, (args: readonly Arg[], options: Options) => string | number | boolean | undefined>
> = {
  nmeaLatitude: ([v, h]) => nmeaCoordinate(v, h, 2, 'S'),
  nmeaLongitude: ([v, h]) => nmeaCoordinate(v, h, 3, 'W'),
  nmeaTimestamp: ([date, time]) => nmeaTimestamp(date, time),
  knotsToKmh: ([v]) => {
    const n = numeric(v);
    return n === undefined ? undefined : round(n * 1.852, 3);
  },
  number: ([v]) => numeric(v),
  hexNumber: ([v]) => (typeof v === 'string' && /^[0-9a-fA-F]+$/.test(v) ? parseInt(v, 16) : undefined),
  scale: ([v], o) => {
    const n = numeric(v);
    return n === undefined ? undefined : round(n * Number(o?.factor ?? 1), 9);
  },
  validity: ([v]) => (typeof v === 'string' && v !== '' ? v.trim().toUpperCase() === 'A' : undefined),
  mictrackVoltage: ([v]) => {
    const n = numeric(v);
    if (n === undefined) return undefined;
    return n > 100 ? round(n / 1000, 3) : round(n / 10, 3);
  },
  bitSet: ([v], o) => bitSet(v, o),
  hexToText: ([v]) => hexToText(v),
  digitSlice: ([v], o) => {
    if (typeof v !== 'string') return undefined;
    const part = v.slice(Number(o?.start ?? 0), o?.end === undefined ? undefined : Number(o.end));
    return /^[0-9]+$/.test(part) ? Number(part) : undefined;
  },
  h02Coordinate: ([digits, flags], o) => h02Coordinate(digits, flags, o),
};
