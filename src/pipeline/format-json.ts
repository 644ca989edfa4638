// NDJSON: one object per record. Field values are keyed by their dotted path (the Wireshark filter
// name); a path seen several times (repeated items) holds a list. Spans are [offset, length] within
// the frame, as tshark's PDML pos/size.
//
// Two forms with the same content: `recordToJson` builds the object, and `recordToJsonLine` writes
// its JSON text directly (the form `decode --json` needs: building the object and stringifying it
// costs several times as much). `recordToJsonLine(r, i) === JSON.stringify(recordToJson(r, i))`.
import { toHex, type ChecksumResult, type DecodedFrame, type FieldRecord } from '../decode/index.js';
import type {
  FrameRecord,
  SkippedRecord,
  SourcePosition,
  TimelineRecord,
  UndecodedRecord,
} from './records.js';

/** The records written here; capture events (gaps, conflicts, notices) have a formatter of their own. */
export type PayloadRecord = FrameRecord | UndecodedRecord | SkippedRecord;

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function jsonValue(v: unknown): Json {
  if (v instanceof Uint8Array) return toHex(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return null;
}

/**
 * Fields grouped by path in first-seen order: one record per path, except repeated items. Both forms
 * share it; `undefined` values (containers) are left out.
 */
function groupByPath(fields: readonly FieldRecord[]): Map<string, FieldRecord[]> {
  const groups = new Map<string, FieldRecord[]>();
  for (const f of fields) {
    if (f.value === undefined) continue;
    const list = groups.get(f.path);
    if (list) list.push(f);
    else groups.set(f.path, [f]);
  }
  return groups;
}

/** Flat fields and spans of a decoded frame. */
export function flatFields(frame: DecodedFrame): {
  fields: Record<string, Json>;
  spans: Record<string, Json>;
} {
  const span = (f: FieldRecord): Json => [f.start, f.end - f.start];
  const groups = [...groupByPath(frame.fields)];
  // fromEntries, not assignment, so that any path is an own key (even `__proto__`).
  return {
    fields: Object.fromEntries(
      groups.map(([path, list]) => [
        path,
        list.length === 1 ? jsonValue(list[0]!.value) : list.map((f) => jsonValue(f.value)),
      ]),
    ),
    spans: Object.fromEntries(
      groups.map(([path, list]) => [path, list.length === 1 ? span(list[0]!) : list.map(span)]),
    ),
  };
}

export function source(s: SourcePosition): Json {
  const out: { [k: string]: Json } = { file: s.file, offset: s.offset };
  if (s.line !== undefined) out.line = s.line;
  if (s.packet !== undefined) out.packet = s.packet;
  return out;
}

/** The keys every record starts with: index, kind, where it came from and what it belongs to. */
export function recordHead(r: TimelineRecord, index: number): Record<string, Json> {
  const out: Record<string, Json> = { index, kind: r.kind, source: source(r.source) };
  if (r.conversation !== undefined) out.conversation = r.conversation;
  if (r.direction !== undefined) out.direction = r.direction;
  if (r.timestamp !== undefined) out.timestamp = r.timestamp;
  return out;
}

export function recordToJson(r: PayloadRecord, index: number): Record<string, Json> {
  // Keys are assigned in output order; a frame's own direction overrides the record's in place.
  const out = recordHead(r, index);
  if (r.kind !== 'frame') {
    out.reason = r.reason;
    out.length = r.bytes.length;
    out.hex = toHex(r.bytes);
    if (r.kind === 'undecoded' && r.carriedBy) out.carriedBy = r.carriedBy.map(source);
    return out;
  }
  const f = r.frame;
  const { fields, spans } = flatFields(f);
  out.protocol = f.protocol;
  out.frameType = f.frameType;
  if (f.direction) out.direction = f.direction;
  out.length = f.length;
  out.ok = f.ok;
  out.hex = toHex(r.bytes);
  out.fields = fields;
  out.spans = spans;
  out.normalized = jsonValue(f.normalized);
  out.checksums = f.checksums.map((c) => ({
    field: c.path,
    algorithm: c.algorithm,
    status: c.status,
    expected: c.expected,
    actual: c.actual,
    covered: [c.start, c.end - c.start],
  }));
  out.issues = f.issues.map((i) => jsonValue(i));
  if (r.carriedBy) out.carriedBy = r.carriedBy.map(source);
  if (r.nested && r.nested.length > 0) out.nested = r.nested.map((n, i) => recordToJson(n, i + 1));
  return out;
}

// ---- JSON text ------------------------------------------------------------------------------------

/** Whether a string is its own JSON text between quotes: no quote, backslash, control or surrogate. */
function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** A string as JSON. Field values rarely need escapes, so a scan avoids JSON.stringify for most. */
function str(s: string): string {
  return plain(s) ? `"${s}"` : JSON.stringify(s);
}

/** A number as JSON.stringify writes it; what jsonValue makes of non-finite numbers (null). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** The JSON text of jsonValue(v). */
function value(v: unknown): string {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return `"${toHex(v)}"`;
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + value(v[i]);
    return `${out}]`;
  }
  if (v && typeof v === 'object') return object(v as Record<string, unknown>);
  return 'null';
}

/** An object's own enumerable keys in their iteration order, as JSON.stringify would write them. */
function object(o: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const k of Object.keys(o)) {
    out += `${first ? '' : ','}${key(k)}${value(o[k])}`;
    first = false;
  }
  return `${out}}`;
}

// Keys (field paths, parameter names) come from schemas, so their quoted forms are few and reused
// frame after frame. The bound only guards against callers that invent keys.
interface Key {
  /** `"k":` */
  readonly text: string;
  /** `,"k":` */
  readonly next: string;
  /** `"k":"` and `,"k":"`, before a string value. */
  readonly quoted: string;
  readonly nextQuoted: string;
  /** `"k":[` and `,"k":[`, for spans. */
  readonly span: string;
  readonly nextSpan: string;
  /** The last fieldsText call that met this path: a repeated path within one frame is seen again. */
  seenIn: number;
  /** For a checksum field: the head of its JSON object, for either verdict. */
  checksum?: { readonly algorithm: string; readonly good: string; readonly bad: string };
}
const KEYS = new Map<string, Key>();
const MAX_KEYS = 1 << 14;
let fieldsCalls = 0;

function keyOf(k: string): Key {
  let found = KEYS.get(k);
  if (found === undefined) {
    if (KEYS.size >= MAX_KEYS) KEYS.clear();
    const text = `${str(k)}:`;
    found = {
      text,
      next: `,${text}`,
      quoted: `${text}"`,
      nextQuoted: `,${text}"`,
      span: `${text}[`,
      nextSpan: `,${text}[`,
      seenIn: 0,
    };
    KEYS.set(k, found);
  }
  return found;
}

/** `"k":` */
const key = (k: string): string => keyOf(k).text;

// Every record of an input names the same file: its JSON text is written once per input, not per record.
let lastFile = '';
let lastFileText = '""';

function fileText(file: string): string {
  if (file !== lastFile) [lastFile, lastFileText] = [file, str(file)];
  return lastFileText;
}

function sourceText(s: SourcePosition): string {
  let text = `{"file":${fileText(s.file)},"offset":${num(s.offset)}`;
  if (s.line !== undefined) text += `,"line":${num(s.line)}`;
  if (s.packet !== undefined) text += `,"packet":${num(s.packet)}`;
  return `${text}}`;
}

function sourcesText(list: readonly SourcePosition[]): string {
  return `[${list.map(sourceText).join(',')}]`;
}

// `n,` and `n]` for the offsets and lengths of most spans, written once: a span is then two pieces.
const SMALL = 1024;
const WITH_COMMA = Array.from({ length: SMALL }, (_, n) => `${n},`);
const WITH_BRACKET = Array.from({ length: SMALL }, (_, n) => `${n}]`);
const isSmall = (n: number) => n >>> 0 === n && n < SMALL;
const withComma = (n: number) => (isSmall(n) ? WITH_COMMA[n]! : `${num(n)},`);
const withBracket = (n: number) => (isSmall(n) ? WITH_BRACKET[n]! : `${num(n)}]`);

/** `offset,length]` */
const spanTail = (f: FieldRecord) => withComma(f.start) + withBracket(f.end - f.start);

const spanText = (f: FieldRecord) => `[${spanTail(f)}`;

/**
 * `"fields":{…},"spans":{…}`. Paths are unique in most frames, and then both objects are written in
 * one pass; a repeated path (first seen again) switches to grouping.
 */
function fieldsText(fields: readonly FieldRecord[]): string {
  const call = ++fieldsCalls;
  let values = '';
  let spans = '';
  for (const f of fields) {
    if (f.value === undefined) continue;
    const k = keyOf(f.path);
    if (k.seenIn === call) return groupedFieldsText(fields);
    k.seenIn = call;
    // Few, large pieces: every concatenation is an allocation, and a node to walk when flattened.
    const first = values === '';
    const v = f.value;
    if (typeof v === 'string' && plain(v)) values += `${first ? k.quoted : k.nextQuoted}${v}"`;
    else values += (first ? k.text : k.next) + value(v);
    spans += (first ? k.span : k.nextSpan) + spanTail(f);
  }
  return `"fields":{${values}},"spans":{${spans}}`;
}

function groupedFieldsText(fields: readonly FieldRecord[]): string {
  let values = '';
  let spans = '';
  for (const [path, list] of groupByPath(fields)) {
    const sep = values === '' ? '' : ',';
    const k = key(path);
    values +=
      sep +
      k +
      (list.length === 1 ? value(list[0]!.value) : `[${list.map((f) => value(f.value)).join(',')}]`);
    spans += sep + k + (list.length === 1 ? spanText(list[0]!) : `[${list.map(spanText).join(',')}]`);
  }
  return `"fields":{${values}},"spans":{${spans}}`;
}

const checksumHeadText = (path: string, algorithm: string, status: string) =>
  `{"field":${str(path)},"algorithm":${str(algorithm)},"status":${str(status)},"expected":`;

/** `{"field":…,"algorithm":…,"status":…,"expected":` of a checksum: schema text, written once per field. */
function checksumHead(c: ChecksumResult): string {
  const k = keyOf(c.path);
  if (k.checksum?.algorithm !== c.algorithm)
    k.checksum = {
      algorithm: c.algorithm,
      good: checksumHeadText(c.path, c.algorithm, 'good'),
      bad: checksumHeadText(c.path, c.algorithm, 'bad'),
    };
  return c.status === 'bad' ? k.checksum.bad : k.checksum.good;
}

function checksumsText(frame: DecodedFrame): string {
  let out = '[';
  for (let i = 0; i < frame.checksums.length; i++) {
    const c = frame.checksums[i]!;
    out +=
      `${i === 0 ? '' : ','}${checksumHead(c)}${num(c.expected)},"actual":${num(c.actual)},` +
      `"covered":[${withComma(c.start)}${withBracket(c.end - c.start)}}`;
  }
  return `${out}]`;
}

function frameText(r: FrameRecord, head: string): string {
  const f = r.frame;
  let out = `${head},"protocol":${str(f.protocol)},"frameType":${str(f.frameType)}`;
  if (f.direction && r.direction === undefined) out += `,"direction":${str(f.direction)}`;
  out +=
    `,"length":${num(f.length)},"ok":${f.ok ? 'true' : 'false'},"hex":"${toHex(r.bytes)}",` +
    `${fieldsText(f.fields)},"normalized":${object(f.normalized)},"checksums":${checksumsText(f)},` +
    `"issues":${value(f.issues)}`;
  if (r.carriedBy) out += `,"carriedBy":${sourcesText(r.carriedBy)}`;
  if (r.nested && r.nested.length > 0)
    out += `,"nested":[${r.nested.map((n, i) => recordToJsonLine(n, i + 1)).join(',')}]`;
  return `${out}}`;
}

/** The JSON text of recordToJson(r, index), written directly. */
export function recordToJsonLine(r: PayloadRecord, index: number): string {
  let head = `{"index":${num(index)},"kind":${str(r.kind)},"source":${sourceText(r.source)}`;
  if (r.conversation !== undefined) head += `,"conversation":${value(r.conversation)}`;
  // A frame's own direction stands where the record's would, with the frame's value.
  const direction = r.kind === 'frame' ? r.frame.direction || r.direction : r.direction;
  if (r.direction !== undefined) head += `,"direction":${value(direction)}`;
  if (r.timestamp !== undefined) head += `,"timestamp":${value(r.timestamp)}`;
  if (r.kind === 'frame') return frameText(r, head);
  let out = `${head},"reason":${value(r.reason)},"length":${num(r.bytes.length)},"hex":"${toHex(r.bytes)}"`;
  if (r.kind === 'undecoded' && r.carriedBy) out += `,"carriedBy":${sourcesText(r.carriedBy)}`;
  return `${out}}`;
}
