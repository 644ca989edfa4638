// Conversations of a capture as message timelines: each direction's reassembled bytes go through the
// protocol framer of the conversation, chosen once per conversation (by port when the user said so,
// otherwise by the content of whichever direction speaks first) so both directions agree.
import { detectProtocol, StreamDecoder, type StreamRecord } from '../decode/index.js';
import type { Direction, Protocol } from '../schema/index.js';
import { timelineRecord } from './decode-input.js';
import type { SourcePosition, TimelineRecord } from './records.js';

/** Where one delivered chunk of a direction's stream came from. */
export interface ChunkOrigin {
  readonly packet: number;
  /** File offset of the chunk's first byte. */
  readonly fileOffset: number;
  /** Unix seconds (fractional); undefined when the capture did not record it (simple packet blocks). */
  readonly timestamp: number | undefined;
}

/** Bytes held before the protocol is known; past this, the held bytes are given up as undecoded. */
const DECIDE_AFTER = 4096;

interface Segment extends ChunkOrigin {
  /** Offset of the chunk in the current decoder's stream. */
  readonly start: number;
  readonly length: number;
}

const EMPTY = new Uint8Array(0);

export interface ConversationContext {
  readonly file: string;
  readonly protocols: readonly Protocol[];
  readonly fields: boolean;
}

/** One direction of a conversation: bytes in, timeline records out, positions mapped back to packets. */
class DirectionStream {
  private decoder: StreamDecoder | undefined;
  /** Delivered bytes not yet handed to a decoder (protocol undecided). */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private segments: Segment[] = [];
  private firstSegment = 0;
  /** Bytes given to the current decoder (its stream length). */
  private fed = 0;

  constructor(
    private readonly conv: Conversation,
    readonly direction: Direction,
  ) {}

  get heldSample(): Uint8Array {
    return this.held.length === 1 ? this.held[0]! : new Uint8Array(Buffer.concat(this.held));
  }

  get holding(): number {
    return this.heldBytes;
  }

  /** Delivered bytes, in stream order. */
  data(bytes: Uint8Array, origin: ChunkOrigin, out: TimelineRecord[]): void {
    this.segments.push({
      packet: origin.packet,
      fileOffset: origin.fileOffset,
      timestamp: origin.timestamp,
      start: this.fed + this.heldBytes,
      length: bytes.length,
    });
    if (this.decoder) {
      this.fed += bytes.length;
      this.emit(this.decoder.push(bytes), out);
      return;
    }
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    this.conv.decide(this, false, out);
  }

  /** The protocol is known: replay what was held into its decoder. */
  start(protocol: Protocol, out: TimelineRecord[]): void {
    if (this.decoder) return;
    const sample = this.heldBytes > 0 ? this.heldSample : EMPTY;
    this.held = [];
    this.heldBytes = 0;
    this.decoder = new StreamDecoder(protocol, { direction: this.direction, fields: this.conv.ctx.fields });
    if (sample.length > 0) {
      this.fed += sample.length;
      this.emit(this.decoder.push(sample), out);
    }
  }

  /** Held bytes nobody could explain: reported, and the stream starts afresh after them. */
  giveUp(out: TimelineRecord[]): void {
    const sample = this.heldSample;
    this.held = [];
    this.heldBytes = 0;
    this.undecoded(sample, 'no known protocol', out);
  }

  /**
   * Nothing pending can complete any more (the direction ended, bytes are missing after this, or a
   * datagram is over): pending bytes are reported, and whatever comes next starts a fresh framer.
   */
  end(out: TimelineRecord[]): void {
    if (!this.decoder && this.heldBytes > 0) this.conv.decide(this, true, out);
    if (this.decoder) this.emit(this.decoder.end(), out);
    this.decoder = undefined;
    this.fed = 0;
    this.held = [];
    this.heldBytes = 0;
    this.segments = [];
    this.firstSegment = 0;
  }

  private undecoded(bytes: Uint8Array, reason: string, out: TimelineRecord[]): void {
    const at = this.fed;
    this.fed += bytes.length;
    const origin = this.origin(at);
    out.push({ kind: 'undecoded', ...this.conv.base(this.direction, origin), bytes, reason });
    this.forget(this.fed);
  }

  private emit(records: StreamRecord[], out: TimelineRecord[]): void {
    for (const r of records) {
      if (r.kind === 'separator') continue;
      const record = timelineRecord(r, this.conv.base(this.direction, this.origin(r.offset)));
      if (record) out.push(record);
      this.forget(r.offset + r.bytes.length + (r.kind === 'frame' ? r.trailer : 0));
    }
  }

  /** The packet and file position of a decoder stream offset. */
  private origin(offset: number): { source: SourcePosition; timestamp: number | undefined } {
    let i = this.firstSegment;
    while (i + 1 < this.segments.length && this.segments[i + 1]!.start <= offset) i++;
    const s = this.segments[i];
    if (!s) return { source: { file: this.conv.ctx.file, offset: 0 }, timestamp: undefined };
    return {
      source: { file: this.conv.ctx.file, offset: s.fileOffset + (offset - s.start), packet: s.packet },
      timestamp: s.timestamp,
    };
  }

  /** Segments wholly before `offset` are no longer needed. */
  private forget(offset: number): void {
    while (this.firstSegment < this.segments.length) {
      const s = this.segments[this.firstSegment]!;
      if (s.start + s.length > offset) break;
      this.firstSegment++;
    }
    if (this.firstSegment === this.segments.length) {
      this.segments = [];
      this.firstSegment = 0;
    } else if (this.firstSegment > 32) {
      this.segments = this.segments.slice(this.firstSegment);
      this.firstSegment = 0;
    }
  }
}

/** A TCP connection or a UDP flow: two directions sharing one protocol. */
export class Conversation {
  /** Undefined until forced or found by content. */
  private protocol: Protocol | undefined;
  readonly uplink: DirectionStream;
  readonly downlink: DirectionStream;

  constructor(
    readonly id: string,
    readonly ctx: ConversationContext,
    forced: Protocol | undefined,
  ) {
    this.uplink = new DirectionStream(this, 'uplink');
    this.downlink = new DirectionStream(this, 'downlink');
    if (forced) this.protocol = forced;
  }

  side(direction: Direction): DirectionStream {
    return direction === 'uplink' ? this.uplink : this.downlink;
  }

  base(direction: Direction, origin: { source: SourcePosition; timestamp: number | undefined }) {
    return {
      source: origin.source,
      conversation: this.id,
      direction,
      ...(origin.timestamp !== undefined ? { timestamp: origin.timestamp } : {}),
    };
  }

  /** Called by a direction holding bytes: choose the protocol if its bytes tell, then start both sides. */
  decide(from: DirectionStream, eof: boolean, out: TimelineRecord[]): void {
    if (this.protocol !== undefined) {
      from.start(this.protocol, out);
      return;
    }
    const found = detectProtocol(this.ctx.protocols, from.heldSample, from.direction);
    if (found) {
      this.protocol = found;
      this.uplink.start(found, out);
      this.downlink.start(found, out);
    } else if (eof || from.holding >= DECIDE_AFTER) from.giveUp(out);
  }

  /** The common keys of a record about the packet at `origin` (gaps, conflicts). */
  at(direction: Direction, origin: ChunkOrigin) {
    return this.base(direction, {
      source: { file: this.ctx.file, offset: origin.fileOffset, packet: origin.packet },
      timestamp: origin.timestamp,
    });
  }

  gapRecord(direction: Direction, streamOffset: number, length: number, origin: ChunkOrigin): TimelineRecord {
    return { kind: 'gap', ...this.at(direction, origin), streamOffset, length, bytes: EMPTY };
  }
}
