// What decoding produces. Positions are byte offsets within the frame unless named otherwise.
import type { ChecksumAlgorithm, Direction, ExpertGroup, Node, Severity } from '../schema/index.js';
import type { Normalized } from './normalize.js';

export interface Issue {
  /** Expert id: `<field path>.bad`, `<proto>.malformed`, … (also the Wireshark expert filter). */
  readonly id: string;
  readonly severity: Severity;
  readonly group: ExpertGroup;
  readonly message: string;
  readonly path?: string;
  /** Byte offset within the frame. */
  readonly offset?: number;
  readonly expected?: string | number;
  readonly actual?: string | number;
}

export interface FieldRecord {
  readonly path: string;
  readonly node: Node;
  start: number;
  end: number;
  /** undefined for containers (structs, repeats, switch cases). */
  value: unknown;
  /** Computed from other fields rather than read. */
  readonly generated?: boolean;
}

export interface ChecksumResult {
  readonly path: string;
  readonly algorithm: ChecksumAlgorithm;
  readonly status: 'good' | 'bad';
  /** What the covered bytes give. */
  readonly expected: number;
  /** What the frame carries. */
  readonly actual: number;
  /** Covered bytes [start, end). */
  readonly start: number;
  readonly end: number;
}

/** Bytes that a field declares to be part of an inner stream (AT `+MIPSEND` hex, keyed by socket). */
export interface CarriedBytes {
  readonly path: string;
  readonly stream: string;
  readonly bytes: Uint8Array;
  /** Raw (not hex) payload, as in IPRFMT 1 and 2. */
  readonly raw: boolean;
}

/** Presentation details a decode observed, so encode can reproduce the exact bytes. */
export interface Layout {
  readonly lineEnds: readonly string[];
  readonly quoted: readonly boolean[];
}

export interface DecodedFrame<V = unknown> {
  readonly protocol: string;
  readonly frameType: string;
  readonly direction: Direction | undefined;
  /** The nested value (Decoded<S>); partial when `ok` is false. */
  readonly value: V;
  /** The grammar matched the whole frame. */
  readonly ok: boolean;
  readonly length: number;
  readonly fields: readonly FieldRecord[];
  readonly checksums: readonly ChecksumResult[];
  readonly issues: readonly Issue[];
  /** flespi-style flat parameters (`position.latitude`, `ident`, …). */
  readonly normalized: Normalized;
  readonly carried: readonly CarriedBytes[];
  readonly layout: Layout;
}
