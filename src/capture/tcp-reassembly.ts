// TCP reassembly into per-direction byte streams, with the anomalies reported instead of hidden (shared/
// notes/capture-replay-fuzz.md C.4): missing bytes become 'gap' events, never zeros (tcpflow) or the end
// of the stream (tshark's Follow); overlapping copies that disagree become 'conflict' events carrying both
// versions, and the first copy wins (what Wireshark shows). Events come out in capture order, so a
// request and the response to it keep their order across the two directions.
//
// Offsets are plain numbers counted from each direction's first byte, so streams longer than 4 GiB keep
// working; a sequence number is placed relative to the next expected one with a signed 32-bit
// difference, which is what makes the arithmetic modulo 2^32.
import { FlowTable, type Endpoint, type Side } from './conversations.js';
import { TCP_FLAGS, type TcpSegment } from './ip.js';

const { FIN, SYN, RST, ACK } = TCP_FLAGS;

/** The largest window TCP can advertise (65535 << 14); an ACK further ahead than that is garbage. */
const MAX_WINDOW = 1 << 30;
/** A SYN whose sequence is this far from where the stream is is a new connection on the same ports. */
const REUSE_DISTANCE = 1 << 20;

/**
 * A TCP segment and the packet (index in the capture) that carried it. Bytes in order are emitted as
 * this very `payload` view, so the caller owns its lifetime; bytes that arrive ahead of a hole, and the
 * history retransmissions are compared with (historyBytes), are copies.
 */
export interface SegmentInput
  extends
    EventStamp,
    Pick<TcpSegment, 'src' | 'dst' | 'srcPort' | 'dstPort' | 'seq' | 'ack' | 'flags' | 'payload'> {}

export type { Endpoint, Side } from './conversations.js';

/** Where an event comes from: the packet that carried the bytes, or the one that revealed the anomaly. */
export interface EventStamp {
  packetIndex: number;
  seconds: number;
  nanos: number;
}

export type StreamEvent =
  | (EventStamp & {
      kind: 'open';
      /** 0-based, in order of first packet, like tshark's tcp.stream. */
      stream: number;
      client: Endpoint;
      server: Endpoint;
      /** No SYN opened it, so the client and server are a guess (see TcpReassembler). */
      midStream: boolean;
    })
  | (EventStamp & {
      kind: 'data';
      stream: number;
      from: Side;
      /** Byte offset in that direction's stream. */
      offset: number;
      bytes: Uint8Array;
    })
  | (EventStamp & {
      kind: 'gap';
      stream: number;
      from: Side;
      offset: number;
      /** Bytes the capture missed; the next data event of that direction starts at offset + length. */
      length: number;
    })
  | (EventStamp & {
      kind: 'conflict';
      stream: number;
      from: Side;
      offset: number;
      /** The first copy, which is what the data events carry. */
      kept: Uint8Array;
      /** The later copy of the same bytes, which differs. */
      discarded: Uint8Array;
    })
  | (EventStamp & {
      kind: 'close';
      stream: number;
      reason: 'fin' | 'rst' | 'end-of-capture' | 'reused';
    });

export interface TcpReassemblerOptions {
  /** Out-of-order bytes held per direction before the hole in front of them is declared a gap. 1 MiB. */
  maxBufferedBytes?: number;
  /**
   * Delivered bytes kept (copied into one ring shared by all streams) to compare retransmissions with:
   * the last 4 MiB of the capture's TCP payload, and at most historyBytes / 64 segments. Retransmissions
   * of older bytes are dropped without comparison and counted in stats.uncheckedBytes. 0 keeps nothing:
   * no copy at all, and no conflict with bytes already delivered can be seen.
   */
  historyBytes?: number;
  /** Seconds of capture time after which a closed stream's 4-tuple is forgotten (240, twice the MSL). */
  forgetClosedAfter?: number;
}

export interface TcpReassemblyStats {
  segments: number;
  streams: number;
  /** Segments that carried bytes already received (exact copies and conflicting ones). */
  retransmissions: number;
  conflicts: number;
  gaps: number;
  gapBytes: number;
  /** Segments buffered because they arrived ahead of a hole. */
  outOfOrder: number;
  keepalives: number;
  /** Old bytes that could not be compared: older than the history, inside a gap, or before the start. */
  uncheckedBytes: number;
  /** Segments with payload after their direction's FIN or their stream's close; dropped. */
  afterClose: number;
  /** Streams closed because a new SYN reused their 4-tuple. */
  reusedPorts: number;
}

interface Piece {
  offset: number;
  bytes: Uint8Array;
  packetIndex: number;
  seconds: number;
  nanos: number;
}

/**
 * Copies of the last payload bytes delivered in order, over all streams, to compare retransmissions
 * with. One ring for the whole capture keeps memory constant however many streams there are, keeps the
 * caller's buffers free (events are views; nothing here points into them), and creates no object per
 * segment, which matters more than the copy: a view per segment kept alive was slower, all in the GC.
 */
class DeliveredBytes {
  private readonly ring: Uint8Array;
  /** Bytes written so far; byte n sits at n % ring.length while n >= written - ring.length. */
  private written = 0;
  private readonly starts: Float64Array;
  private readonly offsets: Float64Array;
  private readonly lengths: Int32Array;
  /** Id of the same direction's piece before each piece, -1 for none: a list per direction. */
  private readonly previous: Float64Array;
  /** Pieces added so far; a piece's id is the count when it was added. */
  count = 0;

  constructor(
    bytes: number,
    readonly slots: number,
  ) {
    this.ring = new Uint8Array(bytes);
    this.starts = new Float64Array(slots);
    this.offsets = new Float64Array(slots);
    this.lengths = new Int32Array(slots);
    this.previous = new Float64Array(slots);
  }

  /** Stores a piece that follows piece `previous` of its direction (-1 for none); returns its id. */
  add(offset: number, bytes: Uint8Array, previous: number): number {
    const ring = this.ring;
    // A piece longer than the ring keeps its tail.
    const skip = Math.max(0, bytes.length - ring.length);
    const n = bytes.length - skip;
    const slot = this.count % this.slots;
    this.starts[slot] = this.written;
    this.offsets[slot] = offset + skip;
    this.lengths[slot] = n;
    this.previous[slot] = previous;
    let at = this.written % ring.length;
    this.written += n;
    if (skip === 0 && at + n <= ring.length) {
      // No subarray() here: creating a view costs more than copying a short message.
      if (n <= 16) for (let i = 0; i < n; i++) ring[at++] = bytes[i]!;
      else ring.set(bytes, at);
    } else {
      const first = Math.min(n, ring.length - at);
      ring.set(bytes.subarray(skip, skip + first), at);
      if (first < n) ring.set(bytes.subarray(skip + first), 0);
    }
    return this.count++;
  }

  /** Whether the piece is still held (newer pieces have not taken its slot or its bytes). */
  held(id: number): boolean {
    return (
      id >= 0 &&
      id >= this.count - this.slots &&
      this.starts[id % this.slots]! >= this.written - this.ring.length
    );
  }

  before(id: number): number {
    return this.previous[id % this.slots]!;
  }

  offset(id: number): number {
    return this.offsets[id % this.slots]!;
  }

  length(id: number): number {
    return this.lengths[id % this.slots]!;
  }

  /** Bytes from..to (stream offsets) of a held piece. */
  copy(id: number, from: number, to: number): Uint8Array {
    const slot = id % this.slots;
    const out = new Uint8Array(to - from);
    const ring = this.ring;
    let at = (this.starts[slot]! + from - this.offsets[slot]!) % ring.length;
    for (let i = 0; i < out.length; i++) {
      out[i] = ring[at]!;
      if (++at === ring.length) at = 0;
    }
    return out;
  }

  /** Whether `bytes` equal the held piece's bytes from stream offset `from` on. */
  equals(id: number, from: number, bytes: Uint8Array): boolean {
    const slot = id % this.slots;
    const ring = this.ring;
    let at = (this.starts[slot]! + from - this.offsets[slot]!) % ring.length;
    for (let i = 0; i < bytes.length; i++) {
      if (ring[at] !== bytes[i]) return false;
      if (++at === ring.length) at = 0;
    }
    return true;
  }
}

class Direction {
  started = false;
  /** Sequence number of offset 0. */
  base = 0;
  /** Offset of the next byte to deliver. */
  next = 0;
  /** The SYN's sequence number, -1 while none was seen. */
  isn = -1;
  /** Offset the FIN occupies, -1 while none was seen. */
  fin = -1;
  /** The FIN was reached: next is fin + 1 and nothing more is accepted. */
  finished = false;
  /** Highest offset the other side acknowledged. */
  acked = 0;
  /** Bytes ahead of a hole, sorted and disjoint; all start after `next`. */
  pending: Piece[] = [];
  pendingBytes = 0;
  /** Id in DeliveredBytes of this direction's latest piece, -1 for none. */
  lastPiece = -1;

  constructor(readonly side: Side) {}

  start(base: number): void {
    this.started = true;
    this.base = base >>> 0;
  }

  offsetOf(seq: number): number {
    return this.next + ((seq - ((this.base + this.next) >>> 0)) | 0);
  }
}

class Connection {
  closed = false;
  closedAt = 0;
  lastIndex = 0;
  lastSeconds = 0;
  lastNanos = 0;
  readonly c2s = new Direction('client');
  readonly s2c = new Direction('server');

  constructor(
    readonly stream: number,
    readonly client: Endpoint,
    readonly server: Endpoint,
  ) {}
}

interface FlowRef {
  conn: Connection;
  /** The side that sends packets in this orientation of the 4-tuple. */
  side: Side;
}

/**
 * Per-direction TCP byte streams from segments in capture order.
 *
 * A stream that starts without a SYN has to guess which side is the server. In order:
 * 1. an endpoint (address and port) that a SYN earlier in the capture went to is a server;
 * 2. an endpoint that was the (guessed) server of an earlier stream still is;
 * 3. the lower port is the server's: servers listen on registered ports, clients get ephemeral ones
 *    from the top of the range;
 * 4. with equal ports, the receiver of the first packet is the server.
 *
 * A hole in a direction's bytes becomes a gap as soon as the capture shows the bytes will never come:
 * the other side ACKs past the hole (the receiver had the bytes, the capture missed them), more than
 * maxBufferedBytes wait behind it, both sides have sent FIN, a RST, a reused 4-tuple, or end().
 */
export class TcpReassembler {
  readonly stats: TcpReassemblyStats = {
    segments: 0,
    streams: 0,
    retransmissions: 0,
    conflicts: 0,
    gaps: 0,
    gapBytes: 0,
    outOfOrder: 0,
    keepalives: 0,
    uncheckedBytes: 0,
    afterClose: 0,
    reusedPorts: 0,
  };

  private readonly maxBuffered: number;
  private readonly recent: DeliveredBytes | undefined;
  private readonly forgetAfter: number;
  private readonly table = new FlowTable<FlowRef>();
  private last: FlowRef | undefined;
  private lastSrc = '';
  private lastDst = '';
  private lastSrcPort = -1;
  private lastDstPort = -1;
  /** Streams not closed yet, in stream order (a Set keeps insertion order). */
  private readonly open = new Set<Connection>();
  private readonly closedQueue: Connection[] = [];
  private closedHead = 0;
  /** `address port` of endpoints a SYN went to. */
  private readonly listening = new Set<string>();
  /** `address port` of endpoints guessed to be servers. */
  private readonly guessedServers = new Set<string>();

  constructor(options: TcpReassemblerOptions = {}) {
    this.maxBuffered = nonNegative(options.maxBufferedBytes, 1024 * 1024);
    const historyBytes = Math.floor(nonNegative(options.historyBytes, 4 * 1024 * 1024));
    this.recent =
      historyBytes > 0 ? new DeliveredBytes(historyBytes, Math.max(1024, historyBytes >> 6)) : undefined;
    this.forgetAfter = nonNegative(options.forgetClosedAfter, 240);
  }

  /** Streams still open. */
  get openStreams(): number {
    return this.open.size;
  }

  push(segment: SegmentInput): StreamEvent[] {
    const events: StreamEvent[] = [];
    this.stats.segments++;
    if (this.closedHead < this.closedQueue.length) this.forgetClosed(segment.seconds);
    let ref = this.lookup(segment);
    if (ref !== undefined) {
      const conn = ref.conn;
      if ((segment.flags & SYN) !== 0 && this.startsNewConnection(conn, ref.side, segment)) {
        if (!conn.closed) {
          this.stats.reusedPorts++;
          this.close(conn, 'reused', segment, events);
        }
        ref = undefined;
      } else if (conn.closed) {
        if (segment.payload.length > 0) this.stats.afterClose++;
        return events;
      }
    }
    if (ref === undefined) ref = this.openStream(segment, events);
    this.segment(ref.conn, ref.side, segment, events);
    return events;
  }

  /** Declares what is still missing, delivers what is buffered, and closes every open stream. */
  end(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const conn of this.open) {
      const stamp = { packetIndex: conn.lastIndex, seconds: conn.lastSeconds, nanos: conn.lastNanos };
      this.close(conn, 'end-of-capture', stamp, events);
    }
    return events;
  }

  /** The table, behind a one-entry cache: captures come in bursts of one connection's packets. */
  private lookup(segment: SegmentInput): FlowRef | undefined {
    const last = this.last;
    if (
      last !== undefined &&
      segment.srcPort === this.lastSrcPort &&
      segment.dstPort === this.lastDstPort &&
      segment.src === this.lastSrc &&
      segment.dst === this.lastDst
    ) {
      return last;
    }
    const ref = this.table.get(segment.src, segment.dst, segment.srcPort, segment.dstPort);
    this.last = ref;
    this.lastSrc = segment.src;
    this.lastDst = segment.dst;
    this.lastSrcPort = segment.srcPort;
    this.lastDstPort = segment.dstPort;
    return ref;
  }

  private startsNewConnection(conn: Connection, side: Side, segment: SegmentInput): boolean {
    if (conn.closed) return true;
    // A SYN comes from the client and a SYN-ACK from the server; the other way round is a new connection
    // (or a wrong mid-stream guess, which a SYN proves wrong anyway).
    if ((side === 'client') === ((segment.flags & ACK) !== 0)) return true;
    const dir = side === 'client' ? conn.c2s : conn.s2c;
    if (dir.isn >= 0) return dir.isn !== segment.seq;
    if (!dir.started) return false;
    return Math.abs(dir.offsetOf((segment.seq + 1) >>> 0) - dir.next) > REUSE_DISTANCE;
  }

  private openStream(segment: SegmentInput, events: StreamEvent[]): FlowRef {
    const syn = (segment.flags & SYN) !== 0;
    const senderIsClient = syn ? (segment.flags & ACK) === 0 : this.guessSenderIsClient(segment);
    const sender: Endpoint = { address: segment.src, port: segment.srcPort };
    const receiver: Endpoint = { address: segment.dst, port: segment.dstPort };
    const client = senderIsClient ? sender : receiver;
    const server = senderIsClient ? receiver : sender;
    const conn = new Connection(this.stats.streams++, client, server);
    this.last = undefined;
    const forward: FlowRef = { conn, side: senderIsClient ? 'client' : 'server' };
    this.table.set(segment.src, segment.dst, segment.srcPort, segment.dstPort, forward);
    if (segment.src !== segment.dst || segment.srcPort !== segment.dstPort) {
      const backward: FlowRef = { conn, side: senderIsClient ? 'server' : 'client' };
      this.table.set(segment.dst, segment.src, segment.dstPort, segment.srcPort, backward);
    }
    this.open.add(conn);
    (syn ? this.listening : this.guessedServers).add(`${server.address} ${server.port}`);
    events.push({
      kind: 'open',
      stream: conn.stream,
      client,
      server,
      midStream: !syn,
      packetIndex: segment.packetIndex,
      seconds: segment.seconds,
      nanos: segment.nanos,
    });
    return forward;
  }

  private guessSenderIsClient(segment: SegmentInput): boolean {
    const src = `${segment.src} ${segment.srcPort}`;
    const dst = `${segment.dst} ${segment.dstPort}`;
    for (const servers of [this.listening, this.guessedServers]) {
      const srcServes = servers.has(src);
      if (srcServes !== servers.has(dst)) return !srcServes;
    }
    if (segment.srcPort !== segment.dstPort) return segment.dstPort < segment.srcPort;
    return true;
  }

  private segment(conn: Connection, side: Side, segment: SegmentInput, events: StreamEvent[]): void {
    conn.lastIndex = segment.packetIndex;
    conn.lastSeconds = segment.seconds;
    conn.lastNanos = segment.nanos;
    const flags = segment.flags;
    const dir = side === 'client' ? conn.c2s : conn.s2c;
    const peer = side === 'client' ? conn.s2c : conn.c2s;
    const syn = (flags & SYN) !== 0;
    if (syn) {
      if (!dir.started) {
        dir.start(segment.seq + 1);
        dir.isn = segment.seq;
      }
      // The SYN-ACK acknowledges the client's ISN: the client's data starts there.
      if ((flags & ACK) !== 0 && !peer.started) peer.start(segment.ack);
    } else if (!dir.started) dir.start(segment.seq);
    if ((flags & RST) !== 0) {
      this.close(conn, 'rst', segment, events);
      return;
    }
    // The ACK says what the receiver had before it sent this, so the other direction goes first.
    if ((flags & ACK) !== 0 && peer.started) this.acknowledge(conn, peer, segment.ack, segment, events);
    const payload = segment.payload;
    const offset = dir.offsetOf(syn ? (segment.seq + 1) >>> 0 : segment.seq);
    const fin = (flags & FIN) !== 0;
    // Keep-alives repeat the byte before the next one (or carry none): Windows sends a junk byte there,
    // which would otherwise look like a conflicting retransmission.
    if (!syn && !fin && payload.length <= 1 && offset === dir.next - 1 && dir.next > 0) {
      this.stats.keepalives++;
      return;
    }
    if (payload.length > 0) this.accept(conn, dir, offset, payload, segment, events);
    if (fin) this.finSeen(conn, dir, peer, offset + payload.length, segment, events);
  }

  private acknowledge(
    conn: Connection,
    dir: Direction,
    ack: number,
    stamp: EventStamp,
    events: StreamEvent[],
  ): void {
    const acked = dir.offsetOf(ack);
    if (acked <= dir.acked || acked <= dir.next || acked - dir.next > MAX_WINDOW) return;
    dir.acked = acked;
    if (dir.pending.length > 0) this.resolveAcked(conn, dir, stamp, events);
  }

  /** The receiver acknowledged bytes the capture does not hold in front of buffered ones. */
  private resolveAcked(conn: Connection, dir: Direction, stamp: EventStamp, events: StreamEvent[]): void {
    while (dir.pending.length > 0 && dir.acked > dir.next) {
      this.gap(conn, dir, Math.min(dir.acked, dir.pending[0]!.offset), stamp, events);
      this.drain(conn, dir, events);
    }
  }

  private accept(
    conn: Connection,
    dir: Direction,
    offset: number,
    payload: Uint8Array,
    segment: SegmentInput,
    events: StreamEvent[],
  ): void {
    let at = offset;
    let bytes = payload;
    let end = at + bytes.length;
    if (dir.fin >= 0 && end > dir.fin) {
      if (at >= dir.fin) {
        this.stats.afterClose++;
        return;
      }
      bytes = bytes.subarray(0, dir.fin - at);
      end = dir.fin;
    }
    if (at < dir.next) {
      const upTo = Math.min(end, dir.next);
      this.stats.retransmissions++;
      this.compareDelivered(conn, dir, at, bytes.subarray(0, upTo - at), segment, events);
      if (end <= dir.next) return;
      bytes = bytes.subarray(dir.next - at);
      at = dir.next;
    }
    if (at === dir.next && dir.pending.length === 0) {
      // The fast path: in order, nothing buffered. The event carries the caller's own view.
      events.push({
        kind: 'data',
        stream: conn.stream,
        from: dir.side,
        offset: at,
        bytes,
        packetIndex: segment.packetIndex,
        seconds: segment.seconds,
        nanos: segment.nanos,
      });
      dir.next = end;
      if (this.recent !== undefined) dir.lastPiece = this.recent.add(at, bytes, dir.lastPiece);
      if (end === dir.fin) this.drain(conn, dir, events);
      return;
    }
    this.acceptAround(conn, dir, at, bytes, segment, events);
  }

  /** Bytes at or after `next` while others wait in the buffer: first copies win where they overlap. */
  private acceptAround(
    conn: Connection,
    dir: Direction,
    at: number,
    bytes: Uint8Array,
    segment: SegmentInput,
    events: StreamEvent[],
  ): void {
    const pending = dir.pending;
    const end = at + bytes.length;
    const fresh: Piece[] = [];
    const piece = (from: number, to: number): Piece => ({
      offset: from,
      bytes: bytes.subarray(from - at, to - at),
      packetIndex: segment.packetIndex,
      seconds: segment.seconds,
      nanos: segment.nanos,
    });
    let cursor = at;
    let overlapped = false;
    for (let i = firstEndingAfter(pending, at); i < pending.length && cursor < end; i++) {
      const held = pending[i]!;
      if (held.offset >= end) break;
      if (held.offset > cursor) fresh.push(piece(cursor, held.offset));
      const from = Math.max(cursor, held.offset);
      const to = Math.min(end, held.offset + held.bytes.length);
      const kept = held.bytes.subarray(from - held.offset, to - held.offset);
      const discarded = bytes.subarray(from - at, to - at);
      if (!sameBytes(kept, discarded)) this.conflict(conn, dir, from, kept, discarded, segment, events);
      overlapped = true;
      cursor = to;
    }
    if (cursor < end) fresh.push(piece(cursor, end));
    if (overlapped) this.stats.retransmissions++;
    if (fresh.length === 0) return;
    for (const p of fresh) {
      pending.splice(firstStartingAfter(pending, p.offset), 0, p);
      dir.pendingBytes += p.bytes.length;
    }
    this.drain(conn, dir, events);
    // What is still buffered must outlive the caller's buffer.
    let buffered = false;
    for (const p of fresh) {
      if (p.offset < dir.next) continue;
      p.bytes = p.bytes.slice();
      buffered = true;
    }
    if (buffered) this.stats.outOfOrder++;
    while (dir.pendingBytes > this.maxBuffered && pending.length > 0) {
      this.gap(conn, dir, pending[0]!.offset, segment, events);
      this.drain(conn, dir, events);
    }
    if (dir.acked > dir.next && pending.length > 0) this.resolveAcked(conn, dir, segment, events);
  }

  /** Delivers the buffered pieces that now continue the stream. */
  private drain(conn: Connection, dir: Direction, events: StreamEvent[]): void {
    const pending = dir.pending;
    let taken = 0;
    while (taken < pending.length && pending[taken]!.offset <= dir.next) {
      const p = pending[taken++]!;
      dir.pendingBytes -= p.bytes.length;
      // Pieces never start before `next`; trimming keeps a broken invariant from stalling the stream.
      const bytes = p.bytes.subarray(Math.min(p.bytes.length, dir.next - p.offset));
      if (bytes.length === 0) continue;
      events.push({
        kind: 'data',
        stream: conn.stream,
        from: dir.side,
        offset: dir.next,
        bytes,
        packetIndex: p.packetIndex,
        seconds: p.seconds,
        nanos: p.nanos,
      });
      if (this.recent !== undefined) dir.lastPiece = this.recent.add(dir.next, bytes, dir.lastPiece);
      dir.next += bytes.length;
    }
    if (taken > 0) pending.splice(0, taken);
    if (dir.fin >= 0 && !dir.finished && dir.next === dir.fin) {
      dir.finished = true;
      dir.next = dir.fin + 1;
    }
  }

  /** Bytes before `next` again: compared with the delivered pieces that are still held. */
  private compareDelivered(
    conn: Connection,
    dir: Direction,
    at: number,
    bytes: Uint8Array,
    stamp: EventStamp,
    events: StreamEvent[],
  ): void {
    const recent = this.recent;
    const end = at + bytes.length;
    let checked = 0;
    if (recent !== undefined) {
      // Walk the direction's pieces back from the latest (retransmissions are usually of recent bytes)
      // to the first one that overlaps, then compare in stream order.
      const overlapping: number[] = [];
      for (let id = dir.lastPiece; recent.held(id); id = recent.before(id)) {
        const offset = recent.offset(id);
        if (offset + recent.length(id) <= at) break;
        if (offset < end) overlapping.push(id);
      }
      for (let i = overlapping.length - 1; i >= 0; i--) {
        const id = overlapping[i]!;
        const offset = recent.offset(id);
        const from = Math.max(at, offset);
        const to = Math.min(end, offset + recent.length(id));
        checked += to - from;
        const discarded = bytes.subarray(from - at, to - at);
        if (!recent.equals(id, from, discarded)) {
          this.conflict(conn, dir, from, recent.copy(id, from, to), discarded, stamp, events);
        }
      }
    }
    this.stats.uncheckedBytes += bytes.length - checked;
  }

  private conflict(
    conn: Connection,
    dir: Direction,
    offset: number,
    kept: Uint8Array,
    discarded: Uint8Array,
    stamp: EventStamp,
    events: StreamEvent[],
  ): void {
    this.stats.conflicts++;
    events.push({
      kind: 'conflict',
      stream: conn.stream,
      from: dir.side,
      offset,
      // Copies: conflicts are rare, and both versions are worth keeping past the caller's buffer.
      kept: kept.slice(),
      discarded: discarded.slice(),
      packetIndex: stamp.packetIndex,
      seconds: stamp.seconds,
      nanos: stamp.nanos,
    });
  }

  private gap(
    conn: Connection,
    dir: Direction,
    upTo: number,
    stamp: EventStamp,
    events: StreamEvent[],
  ): void {
    const length = upTo - dir.next;
    if (length <= 0) return;
    this.stats.gaps++;
    this.stats.gapBytes += length;
    events.push({
      kind: 'gap',
      stream: conn.stream,
      from: dir.side,
      offset: dir.next,
      length,
      packetIndex: stamp.packetIndex,
      seconds: stamp.seconds,
      nanos: stamp.nanos,
    });
    dir.next = upTo;
  }

  private finSeen(
    conn: Connection,
    dir: Direction,
    peer: Direction,
    offset: number,
    segment: SegmentInput,
    events: StreamEvent[],
  ): void {
    // A FIN behind bytes already delivered contradicts the stream; ignore it rather than cut data.
    if (dir.fin < 0 && offset >= dir.next) {
      dir.fin = offset;
      this.drain(conn, dir, events);
    }
    // Both sides are done: nothing will fill the holes any more.
    if (dir.fin >= 0 && peer.fin >= 0) this.close(conn, 'fin', segment, events);
  }

  /** Buffered bytes after holes, and bytes known to exist (acknowledged, or before the FIN), as gaps. */
  private flush(conn: Connection, dir: Direction, stamp: EventStamp, events: StreamEvent[]): void {
    if (!dir.started) return;
    while (dir.pending.length > 0) {
      this.gap(conn, dir, dir.pending[0]!.offset, stamp, events);
      this.drain(conn, dir, events);
    }
    if (dir.finished) return;
    this.gap(conn, dir, dir.fin >= 0 ? dir.fin : dir.acked, stamp, events);
    this.drain(conn, dir, events);
  }

  private close(
    conn: Connection,
    reason: 'fin' | 'rst' | 'end-of-capture' | 'reused',
    stamp: EventStamp,
    events: StreamEvent[],
  ): void {
    this.flush(conn, conn.c2s, stamp, events);
    this.flush(conn, conn.s2c, stamp, events);
    events.push({
      kind: 'close',
      stream: conn.stream,
      reason,
      packetIndex: stamp.packetIndex,
      seconds: stamp.seconds,
      nanos: stamp.nanos,
    });
    conn.closed = true;
    conn.closedAt = stamp.seconds;
    for (const dir of [conn.c2s, conn.s2c]) {
      dir.pending = [];
      dir.pendingBytes = 0;
    }
    this.open.delete(conn);
    this.closedQueue.push(conn);
  }

  /** Late packets of a closed stream are ignored for a while; after that the 4-tuple is free again. */
  private forgetClosed(now: number): void {
    const queue = this.closedQueue;
    while (this.closedHead < queue.length && now - queue[this.closedHead]!.closedAt >= this.forgetAfter) {
      const conn = queue[this.closedHead++]!;
      const { client, server } = conn;
      if (this.table.get(client.address, server.address, client.port, server.port)?.conn === conn) {
        this.last = undefined;
        this.table.delete(client.address, server.address, client.port, server.port);
        this.table.delete(server.address, client.address, server.port, client.port);
      }
    }
    if (this.closedHead > 1024 && this.closedHead * 2 > queue.length) {
      queue.splice(0, this.closedHead);
      this.closedHead = 0;
    }
  }
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && value >= 0 && !Number.isNaN(value) ? value : fallback;
}

/** Index of the first piece that ends after `offset` (pieces are sorted and disjoint). */
function firstEndingAfter(pieces: readonly Piece[], offset: number): number {
  let lo = 0;
  let hi = pieces.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = pieces[mid]!;
    if (p.offset + p.bytes.length > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first piece that starts after `offset`: where a piece at `offset` is inserted. */
function firstStartingAfter(pieces: readonly Piece[], offset: number): number {
  let lo = 0;
  let hi = pieces.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pieces[mid]!.offset > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
