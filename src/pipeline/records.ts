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
  /** 1-based packet number in a capture (Wireshark's frame.number) whose payload holds the first byte. */
  readonly packet?: number;
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

/** Bytes a TCP direction never delivered (lost before the capture): reported, never zero-filled. */
export interface GapRecord extends RecordBase {
  readonly kind: 'gap';
  /** Where the missing bytes start in the direction's byte stream. */
  readonly streamOffset: number;
  readonly length: number;
}

/** A retransmission whose bytes disagree with those already delivered: the first copy was kept. */
export interface ConflictRecord extends RecordBase {
  readonly kind: 'conflict';
  readonly streamOffset: number;
  /** The bytes delivered (first copy); `bytes` holds the discarded retransmission. */
  readonly kept: Uint8Array;
}

/** Something about the input itself, not a frame: packets that could not be used, a damaged block. */
export interface NoticeRecord extends RecordBase {
  readonly kind: 'notice';
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
}

export type TimelineRecord =
  FrameRecord | UndecodedRecord | SkippedRecord | GapRecord | ConflictRecord | NoticeRecord;

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
