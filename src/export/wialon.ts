// Wialon's two message forms (shared/specs/wialon-messages-and-wln.md): WLN lines
// `REG;time;lon;lat;speed;course;doubles;ints;texts;longs;booleans;` and the message JSON (`ud` data
// messages, `ucr` commands). Both carry the same parameters under the same Wialon names.
import { latin1, toHex, type Scalar } from '../decode/index.js';
import { num, transportOf, type ExportMessage } from './messages.js';

/** Parameters Wialon knows by a name of its own; the rest keep their flespi name, dots as `_`. */
const WIALON_NAMES: Readonly<Record<string, string>> = {
  'position.altitude': 'ALT',
  'position.satellites': 'SATS',
  'position.hdop': 'hdop',
  'position.valid': 'valid',
  'battery.voltage': 'pwr_int',
  'gsm.mcc': 'mcc',
  'gsm.mnc': 'mnc',
  'gsm.lac': 'lac',
  'gsm.cellid': 'cell_id',
  'vehicle.mileage': 'mileage',
  'message.type': 'message_type',
};

/** Measurements that stay doubles even when a value happens to be whole (`ALT:24.0`). */
const DOUBLES = new Set(['ALT', 'hdop', 'pwr_int', 'mileage', 'battery_level']);

/** In the WLN head (or the JSON `t`/`pos`), so never repeated as a parameter. */
const HEAD = new Set([
  'timestamp',
  'position.latitude',
  'position.longitude',
  'position.speed',
  'position.direction',
]);

/** `pos` fields of the JSON: they leave `p` when `pos` is written. */
const POS = new Set(['position.altitude', 'position.satellites']);

/** Without a valid fix there is no `pos`: its values travel in `p` under these names. */
const POSITIONLESS_NAMES: Readonly<Record<string, string>> = {
  ...WIALON_NAMES,
  'position.latitude': 'lat',
  'position.longitude': 'lon',
  'position.speed': 'speed',
  'position.direction': 'course',
};

function wialonName(param: string, names = WIALON_NAMES): string {
  return names[param] ?? param.replace(/[^A-Za-z0-9_]/g, '_');
}

type ParamGroup = 'doubles' | 'ints' | 'texts' | 'longs' | 'booleans';

interface WialonParam {
  readonly name: string;
  readonly group: ParamGroup;
  readonly value: Scalar;
}

const INT32_MAX = 2 ** 31 - 1;

function groupOf(name: string, v: Scalar): ParamGroup {
  if (typeof v === 'boolean') return 'booleans';
  if (typeof v === 'string') return 'texts';
  if (DOUBLES.has(name) || !Number.isInteger(v)) return 'doubles';
  return Math.abs(v) <= INT32_MAX ? 'ints' : 'longs';
}

/**
 * The message's parameters under Wialon names and typed groups. A list (the cells of an LBS report)
 * becomes one parameter per element, numbered from 1 (`cell_id_1`, `cell_id_2`).
 */
function wialonParams(
  m: ExportMessage,
  skip: ReadonlySet<string> = HEAD,
  names = WIALON_NAMES,
): WialonParam[] {
  const out: WialonParam[] = [];
  for (const [key, value] of Object.entries(m.params)) {
    if (skip.has(key)) continue;
    const name = wialonName(key, names);
    const items = Array.isArray(value)
      ? value.map((v, i) => [`${name}_${i + 1}`, v] as const)
      : [[name, value as Scalar] as const];
    for (const [n, v] of items) {
      if (typeof v === 'number' && !Number.isFinite(v)) continue;
      out.push({ name: n, group: groupOf(name, v), value: v });
    }
  }
  return out;
}

/** A number as WLN and Wialon write it: plain decimal, never an exponent. */
function decimalText(n: number, double = false): string {
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(12).replace(/\.?0+$/, '');
  return double && !s.includes('.') ? `${s}.0` : s;
}

/** WLN text values are quoted with no escape: a `"` inside becomes `'`, line ends become spaces. */
function wlnText(s: string): string {
  return `"${s.replace(/"/g, "'").replace(/[\r\n]/g, ' ')}"`;
}

function wlnValue(p: WialonParam): string {
  switch (p.group) {
    case 'booleans':
      return p.value === true ? '1' : '0';
    case 'texts':
      return wlnText(String(p.value));
    case 'doubles':
      return decimalText(Number(p.value), true);
    default:
      return decimalText(Number(p.value));
  }
}

const GROUPS: readonly ParamGroup[] = ['doubles', 'ints', 'texts', 'longs', 'booleans'];

/** The WLN line of a message with a position and a time, else undefined (WLN lines need both). */
export function toWln(m: ExportMessage): string | undefined {
  if (!m.fix || m.time === undefined) return undefined;
  const params = wialonParams(m);
  const groups = GROUPS.map((g) =>
    params
      .filter((p) => p.group === g)
      .map((p) => `${p.name}:${wlnValue(p)}`)
      .join(','),
  );
  const head = [
    String(Math.floor(m.time)),
    decimalText(m.fix.lon),
    decimalText(m.fix.lat),
    decimalText(num(m.params, 'position.speed') ?? 0),
    decimalText(num(m.params, 'position.direction') ?? 0),
  ];
  return `REG;${head.join(';')};${groups.join(';')};`;
}

/** Data message flags (the document's table). */
const FLAG_LOCATION = 0x01;
const FLAG_ALARM = 0x10;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function pValue(p: WialonParam): Json {
  return typeof p.value === 'boolean' ? (p.value ? 1 : 0) : p.value;
}

function pObject(params: readonly WialonParam[]): { [k: string]: Json } {
  return Object.fromEntries(params.map((p) => [p.name, pValue(p)]));
}

/** Seconds as the document's `<uint>` times. */
function uint(t: number | undefined): number {
  return t === undefined ? 0 : Math.max(0, Math.floor(t));
}

/**
 * A data message (`tp: "ud"`). `pos` is written for a valid fix (flag 0x01); an invalid or missing one
 * gives `pos: null`, and whatever position values there are move into `p` (`lat`, `lon`, `speed`,
 * `course`, `ALT`, `SATS`) so that nothing is lost. Inputs and outputs are not decoded: `i`, `o` are
 * 0 with their flags clear; `lc` (LBS checksum) is 0.
 */
function dataMessage(m: ExportMessage): { [k: string]: Json } {
  const fix = m.fix?.valid ? m.fix : undefined;
  const alarm = m.params['alarm.code'];
  const flags = (fix ? FLAG_LOCATION : 0) | (alarm !== undefined && alarm !== 0 ? FLAG_ALARM : 0);
  const round = (key: string) => Math.round(num(m.params, key) ?? 0);
  const pos = fix
    ? {
        y: fix.lat,
        x: fix.lon,
        z: round('position.altitude'),
        s: Math.max(0, round('position.speed')),
        c: Math.max(0, round('position.direction')),
        sc: Math.max(0, round('position.satellites')),
      }
    : null;
  const params = fix
    ? wialonParams(m, new Set([...HEAD, ...POS]))
    : wialonParams(m, new Set(['timestamp']), POSITIONLESS_NAMES);
  return {
    t: uint(m.time),
    f: flags,
    tp: 'ud',
    pos,
    i: 0,
    o: 0,
    p: pObject(params),
    lc: 0,
    rt: uint(m.serverTime ?? m.time),
  };
}

/** Whether the frame's bytes are text (then `cp` holds them as text, else as hex). */
function isText(bytes: Uint8Array): boolean {
  return bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0d || b === 0x0a);
}

/**
 * A server-to-device command (`tp: "ucr"`): `ca` the command's name from the frame (`S20`,
 * `ota_data`), `cn` Wialon's type for a raw command (`custom_msg`), `cp` the frame as sent (hex for
 * binary frames), `lt` the link type (`tcp`, `udp`, or empty when the input does not say).
 */
function commandMessage(m: ExportMessage): { [k: string]: Json } {
  const bytes = m.record.bytes;
  const t = uint(m.time);
  return {
    t,
    f: 0,
    tp: 'ucr',
    ca: String(m.params['message.type'] ?? ''),
    cn: 'custom_msg',
    cp: isText(bytes) ? latin1(bytes).replace(/[\r\n]+$/, '') : toHex(bytes),
    ui: 0,
    ln: '',
    lt: transportOf(m.conversation) ?? '',
    et: uint(m.serverTime ?? m.time),
    p: pObject(wialonParams(m, new Set(['timestamp', 'message.type']))),
  };
}

export function toWialonJson(m: ExportMessage): { [k: string]: Json } {
  return m.direction === 'downlink' ? commandMessage(m) : dataMessage(m);
}
