// The message timeline every command consumes: one record per decoded frame or run of undecoded
// bytes, each with where it came from, so that every input byte is accounted for.
import type { DecodedFrame } from '../decode/index.js';
import type { Direction } from '../schema/index.js';

export interface SourcePosition {
  readonly file: string;
  /** Byte offset in the file (for log inputs: where the line carrying the bytes starts). */
  readonly offset: number;
  /** 1-based line number, for line-oriented inputs. */
  readonly line?: number;
}

interface RecordBase {
  readonly source: SourcePosition;
  /** Session (server log), socket (AT log) or TCP conversation the bytes belong to. */
  readonly conversation?: string;
  readonly direction?: Direction;
  /** Unix seconds, when the input records time. */
  readonly timestamp?: number;
  readonly bytes: Uint8Array;
}

export interface FrameRecord extends RecordBase {
  readonly kind: 'frame';
  readonly frame: DecodedFrame;
  /** Frames carried inside this one's payload fields (AT `+MIPSEND` hex), completed by it. */
  readonly nested?: readonly (FrameRecord | UndecodedRecord)[] | undefined;
  /** For carried frames: every input position whose payload contributed bytes. */
  readonly carriedBy?: readonly SourcePosition[];
  /** Line-end bytes after the frame that belong to it. */
  readonly trailer?: number;
}

export interface UndecodedRecord extends RecordBase {
  readonly kind: 'undecoded';
  readonly reason: string;
  readonly carriedBy?: readonly SourcePosition[];
}

/** Input that holds no packet by design (a server log's other lines): counted, not decoded. */
export interface SkippedRecord extends RecordBase {
  readonly kind: 'skipped';
  readonly reason: string;
}

export type TimelineRecord = FrameRecord | UndecodedRecord | SkippedRecord;

/** A problem with an input as a whole (cannot be opened or read), reported with its position. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number | undefined,
    message: string,
  ) {
    super(offset === undefined ? `${file}: ${message}` : `${file} (byte ${offset}): ${message}`);
    this.name = 'InputError';
  }
}
