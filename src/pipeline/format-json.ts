// NDJSON: one object per record. Field values are keyed by their dotted path (the Wireshark filter
// name); a path seen several times (repeated items) holds a list. Spans are [offset, length] within
// the frame, as tshark's PDML pos/size.
import { toHex, type DecodedFrame } from '../decode/index.js';
import type { SourcePosition, TimelineRecord } from './records.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function jsonValue(v: unknown): Json {
  if (v instanceof Uint8Array) return toHex(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return null;
}

/** Flat fields and spans of a decoded frame. */
export function flatFields(frame: DecodedFrame): {
  fields: Record<string, Json>;
  spans: Record<string, Json>;
} {
  const values = new Map<string, Json[]>();
  const spans = new Map<string, Json[]>();
  for (const f of frame.fields) {
    if (f.value === undefined) continue;
    const v = jsonValue(f.value);
    values.set(f.path, [...(values.get(f.path) ?? []), v]);
    spans.set(f.path, [...(spans.get(f.path) ?? []), [f.start, f.end - f.start]]);
  }
  const single = (m: Map<string, Json[]>) =>
    Object.fromEntries([...m].map(([k, list]) => [k, list.length === 1 ? list[0]! : list]));
  return { fields: single(values), spans: single(spans) };
}

function source(s: SourcePosition): Json {
  return s.line === undefined
    ? { file: s.file, offset: s.offset }
    : { file: s.file, offset: s.offset, line: s.line };
}

export function recordToJson(r: TimelineRecord, index: number): Record<string, Json> {
  const base: Record<string, Json> = { index, kind: r.kind, source: source(r.source) };
  if (r.conversation !== undefined) base.conversation = r.conversation;
  if (r.direction !== undefined) base.direction = r.direction;
  if (r.timestamp !== undefined) base.timestamp = r.timestamp;
  if (r.kind !== 'frame') {
    return {
      ...base,
      reason: r.reason,
      length: r.bytes.length,
      hex: toHex(r.bytes),
      ...(r.kind === 'undecoded' && r.carriedBy ? { carriedBy: r.carriedBy.map(source) } : {}),
    };
  }
  const f = r.frame;
  const { fields, spans } = flatFields(f);
  const out: Record<string, Json> = {
    ...base,
    protocol: f.protocol,
    frameType: f.frameType,
    ...(f.direction ? { direction: f.direction } : {}),
    length: f.length,
    ok: f.ok,
    hex: toHex(r.bytes),
    fields,
    spans,
    normalized: jsonValue(f.normalized),
    checksums: f.checksums.map((c) => ({
      field: c.path,
      algorithm: c.algorithm,
      status: c.status,
      expected: c.expected,
      actual: c.actual,
      covered: [c.start, c.end - c.start],
    })),
    issues: f.issues.map((i) => jsonValue(i)),
  };
  if (r.carriedBy) out.carriedBy = r.carriedBy.map(source);
  if (r.nested && r.nested.length > 0) out.nested = r.nested.map((n, i) => recordToJson(n, i + 1));
  return out;
}
