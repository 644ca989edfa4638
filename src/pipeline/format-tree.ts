// The readable tree (like `tshark -V`): a summary line per frame, then its fields indented by their
// dotted paths, with names for coded values, units, checksum verdicts, computed values in brackets.
import { toHex, type ChecksumResult, type DecodedFrame, type FieldRecord } from '../decode/index.js';
import type { Node, Protocol } from '../schema/index.js';
import type { FrameRecord, SkippedRecord, SourcePosition, UndecodedRecord } from './records.js';

const INDENT = '    ';

export function where(s: SourcePosition): string {
  if (s.line !== undefined) return `${s.file} line ${s.line}`;
  return s.packet === undefined
    ? `${s.file} byte ${s.offset}`
    : `${s.file} packet ${s.packet} byte ${s.offset}`;
}

/** Control and non-ASCII bytes as escapes, so a tree line stays one line. */
function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f) out += c;
    else if (c === '\r') out += '\\r';
    else if (c === '\n') out += '\\n';
    else out += `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function bytesText(b: Uint8Array, max = 32): string {
  if (b.length === 0) return '(empty)';
  const shown = toHex(b.subarray(0, max), ' ');
  return b.length > max ? `${shown} … (${b.length} bytes)` : shown;
}

/** Unix seconds as an ISO 8601 UTC time, to the millisecond when it has a fraction. */
function utc(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return Number.isInteger(seconds) ? `${iso.slice(0, 19)}Z` : iso;
}

function hexOf(v: number, width: number): string {
  return `0x${v.toString(16).padStart(width * 2, '0')}`;
}

function displayValue(f: FieldRecord, checks: ReadonlyMap<string, ChecksumResult>): string {
  const n: Node = f.node;
  const v = f.value;
  let text: string;
  if (v instanceof Uint8Array) text = bytesText(v);
  else if (typeof v === 'number' && n.kind === 'uint') {
    text = n.display === 'hex' ? hexOf(v, n.size) : String(v);
    const name = n.names?.[String(v)];
    if (name !== undefined) text = `${name} (${text})`;
  } else if (typeof v === 'string') {
    text = v === '' ? '(empty)' : printable(v);
    const name = n.names?.[v];
    if (name !== undefined && name !== v) text = `${text} (${name})`;
  } else text = String(v);
  if (n.kind === 'computed' && n.fn === 'nmeaTimestamp' && typeof v === 'number') return `${utc(v)} (${v})`;
  if (n.unit && v !== '' && v !== undefined) text += ` ${n.unit}`;
  const check = checks.get(f.path);
  if (check) {
    const width = check.algorithm === 'xor8' ? 1 : 2;
    text +=
      check.status === 'good' ? ' [correct]' : ` [incorrect, should be ${hexOf(check.expected, width)}]`;
  }
  return text;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** Field lines, indented by container nesting. */
function fieldLines(frame: DecodedFrame, base: number): string[] {
  const checks = new Map(frame.checksums.map((c) => [c.path, c]));
  const lines: string[] = [];
  const stack: { path: string; kind: Node['kind']; items: number }[] = [];
  for (const f of frame.fields) {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const inside =
        f.path.startsWith(`${top.path}.`) ||
        (f.path === top.path && top.kind === 'repeat' && f.node.kind !== 'repeat');
      if (inside) break;
      stack.pop();
    }
    const depth = base + Math.max(0, stack.length - 1);
    const top = stack[stack.length - 1];
    const isItem = top !== undefined && top.kind === 'repeat' && f.path === top.path;
    const label = f.node.title ?? lastSegment(f.path);
    const container = f.node.kind === 'struct' || f.node.kind === 'repeat';
    if (container) {
      if (stack.length > 0) {
        const name = isItem ? `${label} #${++top!.items}` : label;
        lines.push(`${INDENT.repeat(depth)}${name}`);
      }
      stack.push({ path: f.path, kind: f.node.kind, items: 0 });
      continue;
    }
    if (f.node.kind === 'lit') {
      lines.push(`${INDENT.repeat(depth)}${label}: ${printable(String(f.value))}`);
      continue;
    }
    const line = `${label}: ${displayValue(f, checks)}`;
    lines.push(`${INDENT.repeat(depth)}${f.generated ? `[${line}]` : line}`);
  }
  return lines;
}

export interface TreeOptions {
  readonly protocols: readonly Protocol[];
  /** Print the frame's bytes as hex under its tree. */
  readonly hex?: boolean;
}

function frameTitle(frame: DecodedFrame, protocols: readonly Protocol[]): string {
  const p = protocols.find((x) => x.name === frame.protocol);
  const ft = p?.frames.find((x) => x.name === frame.frameType);
  return `${p?.title ?? frame.protocol}, ${ft?.title ?? frame.frameType}`;
}

function frameBlock(r: FrameRecord, index: string, opts: TreeOptions, indent: number): string[] {
  const f = r.frame;
  const pad = INDENT.repeat(indent);
  const what = [
    f.direction,
    r.conversation,
    r.timestamp !== undefined ? new Date(r.timestamp * 1000).toISOString() : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(', ');
  const type = String(f.normalized['message.type'] ?? f.frameType);
  const lines = [
    `${pad}Frame ${index}: ${f.length} bytes, ${f.protocol} ${type}${what ? ` (${what})` : ''}, ${where(r.source)}`,
  ];
  lines.push(`${pad}${INDENT}${frameTitle(f, opts.protocols)}${f.ok ? '' : ' [malformed]'}`);
  lines.push(...fieldLines(f, indent + 2));
  const normalized = Object.entries(f.normalized);
  if (normalized.length > 0) {
    lines.push(`${pad}${INDENT}Normalized`);
    for (const [k, v] of normalized)
      lines.push(`${pad}${INDENT}${INDENT}${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  if (f.issues.length > 0) {
    lines.push(`${pad}${INDENT}Issues`);
    for (const i of f.issues) lines.push(`${pad}${INDENT}${INDENT}${i.severity} ${i.id}: ${i.message}`);
  }
  if (opts.hex) lines.push(`${pad}${INDENT}Bytes: ${toHex(r.bytes, ' ')}`);
  if (r.carriedBy && r.carriedBy.length > 0)
    lines.push(`${pad}${INDENT}Carried by: ${r.carriedBy.map(where).join('; ')}`);
  for (const [i, n] of (r.nested ?? []).entries()) {
    lines.push(
      ...(n.kind === 'frame'
        ? frameBlock(n, `${index}.${i + 1}`, opts, indent + 1)
        : undecodedBlock(n, indent + 1)),
    );
  }
  return lines;
}

function undecodedBlock(r: UndecodedRecord | SkippedRecord, indent: number): string[] {
  const pad = INDENT.repeat(indent);
  const label = r.kind === 'undecoded' ? 'Undecoded' : 'Skipped';
  return [`${pad}${label}: ${r.bytes.length} bytes, ${where(r.source)} (${r.reason}): ${bytesText(r.bytes)}`];
}

/** The tree text of one record (frames numbered by `index`). Skipped input is summarised by the caller. */
export function recordToTree(
  r: FrameRecord | UndecodedRecord | SkippedRecord,
  index: number,
  opts: TreeOptions,
): string {
  if (r.kind === 'frame') return frameBlock(r, String(index), opts, 0).join('\n');
  return undecodedBlock(r, 0).join('\n');
}
