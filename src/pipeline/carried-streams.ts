// Inner byte streams carried inside frames of an outer protocol (AT `+MIPSEND`/`+MIPRTCP` hex, server
// log lines of one session): joined per stream key, decoded by content or by a named protocol, and
// traced back to every input position that contributed bytes.
import { AutoStreamDecoder, StreamDecoder, type StreamRecord } from '../decode/index.js';
import type { Direction, Protocol } from '../schema/index.js';
import type { FrameRecord, SourcePosition, UndecodedRecord } from './records.js';

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly source: SourcePosition;
  readonly timestamp: number | undefined;
}

class CarriedStream {
  private readonly decoder: StreamDecoder | AutoStreamDecoder;
  private readonly segments: Segment[] = [];
  private total = 0;

  constructor(
    readonly conversation: string,
    readonly direction: Direction | undefined,
    protocol: Protocol | undefined,
    protocols: readonly Protocol[],
    fields: boolean,
  ) {
    const opts = { fields, ...(direction ? { direction } : {}) };
    this.decoder = protocol ? new StreamDecoder(protocol, opts) : new AutoStreamDecoder(protocols, opts);
  }

  push(
    bytes: Uint8Array,
    source: SourcePosition,
    timestamp: number | undefined,
  ): (FrameRecord | UndecodedRecord)[] {
    this.segments.push({ start: this.total, end: this.total + bytes.length, source, timestamp });
    this.total += bytes.length;
    // Each carried payload (one AT send or receive, one datagram) is a whole message.
    return this.convert(this.decoder.push(bytes, true));
  }

  end(): (FrameRecord | UndecodedRecord)[] {
    return this.convert(this.decoder.end());
  }

  private convert(records: StreamRecord[]): (FrameRecord | UndecodedRecord)[] {
    const out: (FrameRecord | UndecodedRecord)[] = [];
    for (const r of records) {
      if (r.kind === 'separator') continue;
      const length = r.kind === 'frame' ? r.length + r.trailer : r.bytes.length;
      const touching = this.segments.filter(
        (s) => s.start < r.offset + Math.max(length, 1) && s.end > r.offset,
      );
      const carriedBy = touching.map((s) => s.source);
      const first = touching[0] ?? this.segments[this.segments.length - 1]!;
      const last = touching[touching.length - 1] ?? first;
      const base = {
        source: first.source,
        conversation: this.conversation,
        ...(last.timestamp !== undefined ? { timestamp: last.timestamp } : {}),
        carriedBy,
      };
      if (r.kind === 'frame') {
        const direction = r.frame.direction ?? this.direction;
        out.push({
          kind: 'frame',
          ...base,
          ...(direction ? { direction } : {}),
          frame: r.frame,
          bytes: r.bytes,
          trailer: r.trailer,
        });
      } else
        out.push({
          kind: 'undecoded',
          ...base,
          ...(this.direction ? { direction: this.direction } : {}),
          bytes: r.bytes,
          reason: r.reason,
        });
      // Bytes before this record are never needed again.
      while (this.segments.length > 1 && this.segments[0]!.end <= r.offset + length) this.segments.shift();
    }
    return out;
  }
}

/** Every carried stream of one input, keyed by conversation and direction. */
export class CarriedStreams {
  private readonly streams = new Map<string, CarriedStream>();

  constructor(
    private readonly protocols: readonly Protocol[],
    private readonly fields: boolean,
  ) {}

  push(
    conversation: string,
    direction: Direction | undefined,
    bytes: Uint8Array,
    source: SourcePosition,
    timestamp: number | undefined,
    protocol?: Protocol,
  ): (FrameRecord | UndecodedRecord)[] {
    const key = `${conversation}\u0000${direction ?? ''}`;
    let s = this.streams.get(key);
    if (!s) {
      s = new CarriedStream(conversation, direction, protocol, this.protocols, this.fields);
      this.streams.set(key, s);
    }
    return s.push(bytes, source, timestamp);
  }

  /** What is still buffered when the input ends (cut-off frames, undecided streams). */
  end(): (FrameRecord | UndecodedRecord)[] {
    return [...this.streams.values()].flatMap((s) => s.end());
  }
}
