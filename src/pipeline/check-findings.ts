// What `check` holds against an input. A frame's findings are its decoder issues, whose expert ids
// are the rule ids (`meiligao.crc.bad`, `mt700.cmd.mode.real_time.interval.range`, ...); records that
// are not frames but show the input is not well formed get rule ids of their own (STREAM_RULES).
import { latin1, toHex, type Issue } from '../decode/index.js';
import type { Severity } from '../schema/index.js';
import type { FrameRecord, SourcePosition, TimelineRecord } from './records.js';

/** Rule ids of findings outside frames. */
export const STREAM_RULES = {
  /** Bytes that belong to no frame (garbage, a cut frame, a frame start nothing completes). */
  undecoded: 'stream.undecoded',
  /** TCP bytes the capture never saw: the frames around them cannot be proven. */
  gap: 'tcp.gap',
  /** A retransmission whose bytes differ from those already delivered. */
  conflict: 'tcp.conflict',
  /** A damaged capture block that was skipped. */
  damaged: 'capture.damaged',
  /** Packets that could not be decoded at all (an unsupported link type). */
  unsupported: 'capture.unsupported',
} as const;

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly expected?: string | number;
  readonly actual?: string | number;
  /** The record's number in its input as `decode` numbers them: `6`, or `6.1` for a frame carried by 6. */
  readonly record: string;
  readonly source: SourcePosition;
  /** Byte offset within the frame. */
  readonly frameOffset?: number;
  readonly conversation?: string;
  readonly protocol?: string;
  readonly frameType?: string;
}

/** One frame, or one record outside frames, with what was found in it. */
export interface CheckedUnit {
  readonly frame: boolean;
  readonly conversation: string | undefined;
  readonly findings: readonly Finding[];
}

/**
 * Whether a finding makes its frame (or input) invalid, before `--allow`: errors and warnings do,
 * notes do not, and neither does a deviation — a departure from the documents that the schema
 * declares and accepts (MT700 §3.3.9's `MODE:10`, a Fibocom response without the space).
 */
export function isViolation(f: Finding): boolean {
  return f.severity !== 'note' && !f.rule.endsWith('.deviation');
}

const SHOWN_BYTES = 32;

function hexSample(bytes: Uint8Array): string {
  return bytes.length > SHOWN_BYTES ? `${toHex(bytes.subarray(0, SHOWN_BYTES))}…` : toHex(bytes);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** `1 byte`, `3 bytes`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Up to 12 bytes found at a frame offset (as text when they are printable ASCII), for issues that name no actual value. */
function foundAt(bytes: Uint8Array, offset: number): string {
  if (offset >= bytes.length) return 'the end of the frame';
  const found = bytes.subarray(offset, offset + 12);
  return found.every((b) => b >= 0x20 && b < 0x7f) ? latin1(found) : toHex(found);
}

function frameFindings(r: FrameRecord, record: string): Finding[] {
  const f = r.frame;
  return f.issues.map((i: Issue) => ({
    rule: i.id,
    severity: i.severity,
    message: i.message,
    ...(i.expected !== undefined ? { expected: i.expected } : {}),
    ...(i.actual !== undefined
      ? { actual: i.actual }
      : i.expected !== undefined && i.offset !== undefined
        ? { actual: foundAt(r.bytes, i.offset) }
        : {}),
    record,
    source: r.source,
    ...(i.offset !== undefined ? { frameOffset: i.offset } : {}),
    ...(r.conversation !== undefined ? { conversation: r.conversation } : {}),
    protocol: f.protocol,
    frameType: f.frameType,
  }));
}

/** A record outside frames as a unit with one finding. */
function event(
  r: TimelineRecord,
  finding: Omit<Finding, 'record' | 'source' | 'conversation'>,
  record: string,
) {
  const conversation = r.conversation;
  return {
    frame: false,
    conversation,
    findings: [
      { ...finding, record, source: r.source, ...(conversation !== undefined ? { conversation } : {}) },
    ],
  };
}

/**
 * The units of one timeline record: the frame and each frame it carries (numbered `record.n`), or the
 * record itself when it is not a frame. Skipped input and informational notices are not units.
 */
export function checkRecord(r: TimelineRecord, record: string): CheckedUnit[] {
  switch (r.kind) {
    case 'frame':
      return [
        { frame: true, conversation: r.conversation, findings: frameFindings(r, record) },
        ...(r.nested ?? []).flatMap((n, i) => checkRecord(n, `${record}.${i + 1}`)),
      ];
    case 'undecoded':
      return [
        event(
          r,
          {
            rule: STREAM_RULES.undecoded,
            severity: 'error',
            message: `${plural(r.bytes.length, 'byte')} outside any frame (${r.reason})`,
            expected: 'a frame',
            actual: hexSample(r.bytes),
          },
          record,
        ),
      ];
    case 'gap':
      return [
        event(
          r,
          {
            rule: STREAM_RULES.gap,
            severity: 'error',
            message:
              `${r.direction ?? ''} ${plural(r.length, 'byte')} not captured at stream offset ${r.streamOffset}`.trim(),
            expected: `${plural(r.length, 'byte')} at stream offset ${r.streamOffset}`,
            actual: 'not captured',
          },
          record,
        ),
      ];
    case 'conflict': {
      const at = firstDifference(r.kept, r.bytes);
      return [
        event(
          r,
          {
            rule: STREAM_RULES.conflict,
            severity: 'error',
            message: `retransmission at stream offset ${r.streamOffset} differs from the bytes delivered at stream offset ${r.streamOffset + at} (first copy kept)`,
            expected: hexSample(r.kept.subarray(at)),
            actual: hexSample(r.bytes.subarray(at)),
          },
          record,
        ),
      ];
    }
    case 'notice':
      if (r.severity === 'info') return [];
      return [
        event(
          r,
          {
            rule: r.severity === 'error' ? STREAM_RULES.damaged : STREAM_RULES.unsupported,
            severity: r.severity === 'error' ? 'error' : 'warn',
            message: r.message,
          },
          record,
        ),
      ];
    case 'skipped':
      return [];
  }
}

/** Whether `decode` gives the record a number (it does not number skipped lines or info notices). */
export function isNumbered(r: TimelineRecord): boolean {
  return r.kind !== 'skipped' && !(r.kind === 'notice' && r.severity === 'info');
}
