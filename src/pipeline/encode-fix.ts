// `trackshark encode --fix`: each frame of a hex argument or an input is decoded, then encoded again
// from its own value and layout, so that only derived fields (lengths, counts, checksums) can change;
// the result is shown as the fixed bytes, the fields that changed and the bytes that changed.
import { stat } from 'node:fs/promises';
import {
  decodeFrame,
  decodeStream,
  detectProtocol,
  EncodeError,
  encodeFrame,
  fromHex,
  toHex,
  type DecodedFrame,
  type FieldRecord,
} from '../decode/index.js';
import { PAYLOAD_PROTOCOLS, protocolByName } from '../protocols/index.js';
import type { Direction, Node } from '../schema/index.js';
import { plural } from './check-findings.js';
import { decodeInput, resolveProtocol, timelineRecord, type InputKind } from './decode-input.js';
import { caseName } from './encode-catalog.js';
import { flatFields, recordHead, type Json } from './format-json.js';
import { where } from './format-tree.js';
import { InputError, type FrameRecord, type TimelineRecord, type UndecodedRecord } from './records.js';

export interface FieldDifference {
  readonly field: string;
  readonly old: string;
  readonly new: string;
}

export type FixOutcome =
  | {
      readonly kind: 'fixed' | 'correct';
      readonly record: FrameRecord;
      readonly fixed: Uint8Array;
      readonly differences: readonly FieldDifference[];
      /** Offsets of the bytes that differ (from the first difference on, when the length changed). */
      readonly changed: readonly number[];
    }
  | { readonly kind: 'unfixable'; readonly record: FrameRecord | UndecodedRecord; readonly reason: string };

export interface FixOptions {
  readonly protocol?: string;
  readonly direction?: Direction;
  readonly input?: InputKind;
}

/** Frames of `target`: a file (or `-`), else hex bytes whose protocol is named or detected. */
export async function* fixTargets(target: string, opts: FixOptions): AsyncGenerator<TimelineRecord> {
  const isFile =
    target === '-' ||
    (await stat(target).then(
      () => true,
      () => false,
    ));
  const direction = opts.direction ? { direction: opts.direction } : {};
  if (isFile) {
    yield* decodeInput(target, {
      ...direction,
      ...(opts.protocol ? { protocol: opts.protocol } : {}),
      ...(opts.input ? { input: opts.input } : {}),
    });
    return;
  }
  const bytes = fromHex(target);
  if (!bytes || bytes.length === 0)
    throw new InputError(target, undefined, 'is neither a file nor hex bytes');
  const protocol = resolveProtocol(opts.protocol) ?? detectProtocol(PAYLOAD_PROTOCOLS, bytes, opts.direction);
  const source = (offset: number) => ({ file: 'hex', offset });
  if (!protocol) {
    yield { kind: 'undecoded', source: source(0), bytes, reason: 'no known protocol' };
    return;
  }
  for (const r of decodeStream(protocol, bytes, direction)) {
    const record = timelineRecord(r, { source: source(r.offset), ...direction });
    if (record) yield record;
  }
}

function shown(v: unknown, node: Node | undefined): string {
  return typeof v === 'number' && node?.kind === 'uint'
    ? caseName(String(v), node)
    : JSON.stringify(v ?? null);
}

function differences(before: DecodedFrame, after: DecodedFrame): FieldDifference[] {
  const nodes = new Map<string, FieldRecord['node']>();
  for (const f of [...before.fields, ...after.fields]) if (!nodes.has(f.path)) nodes.set(f.path, f.node);
  const a = flatFields(before).fields;
  const b = flatFields(after).fields;
  const paths = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return paths
    .filter((p) => JSON.stringify(a[p]) !== JSON.stringify(b[p]))
    .map((p) => ({ field: p, old: shown(a[p], nodes.get(p)), new: shown(b[p], nodes.get(p)) }));
}

function changedBytes(a: Uint8Array, b: Uint8Array): number[] {
  const out: number[] = [];
  const n = Math.max(a.length, b.length);
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (first < 0 && a[i] !== b[i]) first = i;
    if (a.length === b.length ? a[i] !== b[i] : first >= 0) out.push(i);
  }
  return out;
}

/** Encode a decoded frame again with its derived fields recomputed. */
export function fixRecord(r: FrameRecord | UndecodedRecord): FixOutcome {
  if (r.kind === 'undecoded')
    return { kind: 'unfixable', record: r, reason: `no frame in these bytes (${r.reason})` };
  const f = r.frame;
  const protocol = protocolByName(f.protocol);
  const frameType = protocol?.frames.find((x) => x.name === f.frameType);
  if (!protocol || !frameType)
    return { kind: 'unfixable', record: r, reason: `unknown frame type ${f.frameType}` };
  if (!f.ok) {
    const why = f.issues.find((i) => i.severity === 'error')?.message ?? 'it does not parse';
    return { kind: 'unfixable', record: r, reason: `the frame does not follow the grammar: ${why}` };
  }
  const direction = f.direction ?? r.direction;
  let fixed: Uint8Array;
  try {
    fixed = encodeFrame(protocol, frameType, f.value, {
      layout: f.layout,
      ...(direction ? { direction } : {}),
    });
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e;
    return { kind: 'unfixable', record: r, reason: `cannot encode it again: ${e.message}` };
  }
  const after = decodeFrame(protocol, frameType, fixed, direction ? { direction } : {});
  const changed = changedBytes(r.bytes, fixed);
  return {
    kind: changed.length > 0 ? 'fixed' : 'correct',
    record: r,
    fixed,
    differences: differences(f, after),
    changed,
  };
}

const isText = (b: Uint8Array) =>
  b.every((c) => (c >= 0x20 && c < 0x7f) || c === 0x0d || c === 0x0a || c === 0x09);

/** One cell per byte: its text (escaped) for text frames, else its hex. */
function cells(b: Uint8Array, text: boolean): string[] {
  return Array.from(b, (c) => {
    if (!text) return c.toString(16).padStart(2, '0');
    if (c === 0x0d) return '\\r';
    if (c === 0x0a) return '\\n';
    if (c === 0x09) return '\\t';
    return String.fromCharCode(c);
  });
}

const PAD = '    ';

/** Old and new bytes one above the other, with `^` under every byte that changed. */
function byteMarks(before: Uint8Array, after: Uint8Array, changed: readonly number[]): string[] {
  const text = isText(before) && isText(after);
  const sep = text ? '' : ' ';
  const a = cells(before, text);
  const b = cells(after, text);
  const marked = new Set(changed);
  const marks = Array.from({ length: Math.max(a.length, b.length) }, (_, i) =>
    (marked.has(i) ? '^' : ' ').repeat(Math.max(a[i]?.length ?? 0, b[i]?.length ?? 0)),
  );
  const align = (xs: string[]) => xs.map((x, i) => x.padEnd(marks[i]!.length)).join(sep);
  return [`${PAD}old: ${align(a)}`, `${PAD}new: ${align(b)}`, `${PAD}     ${marks.join(sep).trimEnd()}`];
}

function heading(r: TimelineRecord, index: number): string {
  if (r.kind !== 'frame') return `Frame ${index}: ${r.bytes.length} bytes, ${where(r.source)}`;
  const type = String(r.frame.normalized['message.type'] ?? r.frame.frameType);
  const dir = r.frame.direction ?? r.direction;
  return `Frame ${index}: ${r.bytes.length} bytes, ${r.frame.protocol} ${type}${dir ? ` (${dir})` : ''}, ${where(r.source)}`;
}

/** The text report of one frame. */
export function fixToText(o: FixOutcome, index: number): string {
  const head = heading(o.record, index);
  if (o.kind === 'unfixable') return `${head}: cannot fix: ${o.reason}\n`;
  if (o.kind === 'correct') return `${head}: correct\n`;
  return [
    `${head}: ${plural(o.differences.length, 'field')} fixed`,
    ...o.differences.map((d) => `${PAD}${d.field}: ${d.old} -> ${d.new}`),
    ...byteMarks(o.record.bytes, o.fixed, o.changed),
    `${PAD}fixed: ${isText(o.fixed) ? cells(o.fixed, true).join('') : toHex(o.fixed)}`,
    '',
  ].join('\n');
}

export function fixToJson(o: FixOutcome, index: number): Record<string, Json> {
  const head = recordHead(o.record, index);
  if (o.kind === 'unfixable')
    return { ...head, status: 'unfixable', reason: o.reason, hex: toHex(o.record.bytes) };
  return {
    ...head,
    status: o.kind,
    protocol: o.record.frame.protocol,
    frameType: o.record.frame.frameType,
    hex: toHex(o.record.bytes),
    fixed: toHex(o.fixed),
    differences: o.differences.map((d) => ({ field: d.field, old: d.old, new: d.new })),
    changedBytes: [...o.changed],
  };
}
