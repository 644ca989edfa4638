// Length and checksum fix-ups after mutation, read from the decoder itself: it reports every derived
// field that disagrees with the bytes (`<path>.bad`, with where the field is and what it should
// say), so the fuzzer patches exactly what the schema derives, for every protocol alike.
import { decodeFrame, fromLatin1, type Issue } from '../decode/index.js';
import type { Direction, FrameType, Node, Protocol } from '../schema/index.js';
import { splice } from './delivery.js';
import type { Rng } from './rng.js';

export interface FrameKind {
  readonly protocol: Protocol;
  readonly frameType: FrameType;
  readonly direction: Direction | undefined;
}

/** Derived fields by path, learnt from the seeds' decoded fields. */
export type DerivedFields = ReadonlyMap<string, Node>;

const HEX = /[0-9A-Fa-f]/;
const DIGIT = /[0-9]/;

/** Length of the run of characters matching `re` from `at`. */
function runLength(bytes: Uint8Array, at: number, re: RegExp): number {
  let n = 0;
  while (at + n < bytes.length && re.test(String.fromCharCode(bytes[at + n]!))) n++;
  return n;
}

export function writeUint(
  bytes: Uint8Array,
  at: number,
  size: number,
  endian: 'be' | 'le',
  value: number,
): void {
  for (let i = 0; i < size && at + i < bytes.length; i++) {
    const shift = 8 * (endian === 'be' ? size - 1 - i : i);
    bytes[at + i] = Math.floor(value / 2 ** shift) & 0xff;
  }
}

/** The bytes with one derived field rewritten to what the decoder expected. */
function patched(bytes: Uint8Array, node: Node, issue: Issue): Uint8Array {
  const at = issue.offset!;
  const checksum = issue.group === 'checksum';
  if (node.kind === 'uint') {
    const value = checksum ? parseInt(String(issue.expected), 16) : Number(issue.expected);
    const out = bytes.slice();
    writeUint(out, at, node.size, node.endian, value);
    return out;
  }
  const old = runLength(bytes, at, checksum ? HEX : DIGIT);
  return splice(bytes, at, old, fromLatin1(String(issue.expected)));
}

/** Bad derived fields the decoder reports, lengths and counts before checksums (which cover them). */
function badDerived(kind: FrameKind, bytes: Uint8Array, derived: DerivedFields): [Issue, Node][] {
  const d = decodeFrame(kind.protocol, kind.frameType, bytes, {
    fields: false,
    ...(kind.direction ? { direction: kind.direction } : {}),
  });
  const out: [Issue, Node][] = [];
  for (const issue of d.issues) {
    if (issue.path === undefined || issue.offset === undefined || issue.expected === undefined) continue;
    const node = derived.get(issue.path);
    if (node && issue.id === `${issue.path}.bad`) out.push([issue, node]);
  }
  const lengths = out.filter(([i]) => i.group !== 'checksum');
  return lengths.length > 0 ? lengths : out;
}

/** Rewrite every length, count and checksum the decoder finds wrong, until none is (or 4 rounds). */
export function fixDerived(kind: FrameKind, bytes: Uint8Array, derived: DerivedFields): Uint8Array {
  let out = bytes;
  for (let round = 0; round < 4; round++) {
    const bad = badDerived(kind, out, derived);
    if (bad.length === 0) break;
    // From the last byte backwards, so a text field that changes width moves nothing still to patch.
    for (const [issue, node] of bad.sort((a, b) => b[0].offset! - a[0].offset!))
      out = patched(out, node, issue);
  }
  return out;
}

/** The bytes with one derived field made wrong on purpose; which one, or undefined if none found. */
export function breakDerived(
  kind: FrameKind,
  bytes: Uint8Array,
  rng: Rng,
): { bytes: Uint8Array; field: string } | undefined {
  const d = decodeFrame(
    kind.protocol,
    kind.frameType,
    bytes,
    kind.direction ? { direction: kind.direction } : {},
  );
  const targets = d.fields.filter(
    (f) => f.node.kind !== 'computed' && 'derive' in f.node && f.node.derive && f.end > f.start,
  );
  if (targets.length === 0) return undefined;
  const f = rng.pick(targets);
  const out = bytes.slice();
  const at = f.start + rng.int(f.end - f.start);
  if (f.node.kind === 'uint') out[at] = out[at]! ^ (1 + rng.int(255));
  else {
    // A text field stays text of its kind: another hex digit in place of this one.
    const digits = '0123456789ABCDEF'.replace(String.fromCharCode(out[at]!).toUpperCase(), '');
    out[at] = digits.charCodeAt(rng.int(digits.length));
  }
  return { bytes: out, field: f.path };
}
