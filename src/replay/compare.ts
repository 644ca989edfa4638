// Server replies against the recorded ones: the same bytes match; otherwise the decoded fields that
// differ are listed (derived fields included, so a bad CRC shows as such).
import { toHex, type DecodedFrame } from '../decode/index.js';

export type ReplyStatus = 'match' | 'different' | 'missing' | 'unexpected';

export interface FieldDiff {
  readonly path: string;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
}

export interface Comparable {
  readonly bytes: Uint8Array;
  readonly frame?: DecodedFrame | undefined;
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Leaf field values by path; repeated paths (lists) joined in order. */
function fieldValues(frame: DecodedFrame | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of frame?.fields ?? []) {
    if (f.value === undefined) continue;
    const prior = out.get(f.path);
    out.set(f.path, prior === undefined ? show(f.value) : `${prior}, ${show(f.value)}`);
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function frameBytes(c: Comparable): Uint8Array {
  return c.frame ? c.bytes.subarray(0, c.frame.length) : c.bytes;
}

/** Whether a received frame answers a recorded one at all (same protocol and frame type). */
export function sameKind(expected: Comparable, actual: Comparable): boolean {
  if (!expected.frame || !actual.frame) return !expected.frame && !actual.frame;
  return (
    expected.frame.protocol === actual.frame.protocol &&
    expected.frame.frameType === actual.frame.frameType &&
    messageType(expected.frame) === messageType(actual.frame)
  );
}

function messageType(frame: DecodedFrame): unknown {
  return frame.normalized['message.type'];
}

export function compareReply(
  expected: Comparable,
  actual: Comparable,
): { status: 'match' | 'different'; diffs: FieldDiff[] } {
  // Line ends after a frame are framing, not content: an AT log's payload may lack the CRLF sent on TCP.
  if (sameBytes(frameBytes(expected), frameBytes(actual))) return { status: 'match', diffs: [] };
  const want = fieldValues(expected.frame);
  const got = fieldValues(actual.frame);
  const diffs: FieldDiff[] = [];
  for (const path of new Set([...want.keys(), ...got.keys()])) {
    if (want.get(path) !== got.get(path))
      diffs.push({ path, expected: want.get(path), actual: got.get(path) });
  }
  if (diffs.length === 0)
    diffs.push({ path: 'bytes', expected: toHex(expected.bytes), actual: toHex(actual.bytes) });
  return { status: 'different', diffs };
}
