// The flat formats: flespi-style JSON (the normalized object with the Cantrack parameter names, plus
// what flespi adds on receipt) and CSV (a fixed header, so that rows stream).
import type { Scalar } from '../decode/index.js';
import { isoTime, peerOf, type ExportMessage } from './messages.js';

/**
 * The message as flespi would store it: the normalized parameters, `timestamp` falling back to the
 * capture time as flespi's does to the receive time, `server.timestamp` (when the capture saw it)
 * and `peer` (the device's address in a captured conversation).
 */
export function toFlespi(m: ExportMessage): Record<string, Scalar | readonly Scalar[]> {
  const out: Record<string, Scalar | readonly Scalar[]> = { ...m.params };
  if (m.time !== undefined) out['timestamp'] = m.time;
  if (m.serverTime !== undefined) out['server.timestamp'] = m.serverTime;
  const peer = peerOf(m.conversation);
  if (peer !== undefined) out['peer'] = peer;
  return out;
}

/** Parameters with a column of their own (the Cantrack list's); the others go to `other` as JSON. */
const PARAM_COLUMNS = [
  'message.type',
  'position.latitude',
  'position.longitude',
  'position.valid',
  'position.speed',
  'position.direction',
  'position.altitude',
  'position.satellites',
  'position.hdop',
  'battery.voltage',
  'battery.level',
  'gsm.mcc',
  'gsm.mnc',
  'gsm.lac',
  'gsm.cellid',
  'gsm.signal.level',
  'engine.ignition.status',
  'vehicle.state.bitmask',
] as const;

/** Columns about the message rather than its parameters. */
const MESSAGE_COLUMNS = [
  'time',
  'timestamp',
  'server.timestamp',
  'ident',
  'protocol',
  'direction',
  'conversation',
  'source',
] as const;

export const CSV_HEADER: readonly string[] = [...MESSAGE_COLUMNS, ...PARAM_COLUMNS, 'other'];

const TAKEN = new Set<string>([...PARAM_COLUMNS, 'timestamp', 'ident']);

/** RFC 4180: a field with a comma, quote or line end is quoted, quotes doubled. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A list (the cells of an LBS report) is one field, its items joined with `|`. */
function cell(v: Scalar | readonly Scalar[] | undefined): string {
  if (v === undefined) return '';
  return Array.isArray(v) ? v.map(String).join('|') : String(v);
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

export function toCsvRow(m: ExportMessage): string {
  const s = m.record.source;
  const source = `${s.file}${s.line !== undefined ? `:${s.line}` : ''}@${s.offset}`;
  const other = Object.fromEntries(Object.entries(m.params).filter(([k]) => !TAKEN.has(k)));
  return csvLine([
    isoTime(m.time),
    cell(m.time),
    cell(m.serverTime),
    m.ident ?? '',
    m.protocol,
    m.direction ?? '',
    m.conversation ?? '',
    source,
    ...PARAM_COLUMNS.map((c) => cell(m.params[c])),
    Object.keys(other).length > 0 ? JSON.stringify(other) : '',
  ]);
}
