// pcap and pcapng captures into the message timeline: packets through their link, IP and transport
// layers; TCP reassembled per direction (gaps and conflicting retransmissions reported, never papered
// over); UDP one datagram per message; then each conversation's protocol framer.
import {
  decodePacket,
  readCapture,
  TcpReassembler,
  UdpConversations,
  linkTypeName,
  type CaptureItem,
  type CapturedPacket,
  type Endpoint,
  type StreamEvent,
} from '../capture/index.js';
import type { Direction, Protocol } from '../schema/index.js';
import { Conversation, type ChunkOrigin } from './conversations.js';
import { InputError, type NoticeRecord, type TimelineRecord } from './records.js';

export interface CaptureContext {
  readonly file: string;
  readonly protocols: readonly Protocol[];
  /** One protocol for every conversation (`--protocol`). */
  readonly forced: Protocol | undefined;
  /** Protocols by TCP/UDP port (`--decode-as 5000=meiligao`), for either end of a conversation. */
  readonly decodeAs: ReadonlyMap<number, Protocol>;
  readonly fields: boolean;
}

const endpoint = ({ address, port }: Endpoint) =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

const EMPTY = new Uint8Array(0);
/** Packets remembered for tracing bytes back to the file; bytes held back longer get approximate offsets. */
const RING = 1 << 13;

const notice = (
  file: string,
  offset: number,
  severity: NoticeRecord['severity'],
  message: string,
): NoticeRecord => ({ kind: 'notice', severity, message, source: { file, offset }, bytes: EMPTY });

/** Why packets were not used, with counts, reported once at the end. */
class SkipCounts {
  private readonly counts = new Map<string, number>();
  private readonly unknownLinkTypes = new Map<number, number>();

  add(reason: string, linkType: number): void {
    if (reason === 'unknown-link-type')
      this.unknownLinkTypes.set(linkType, (this.unknownLinkTypes.get(linkType) ?? 0) + 1);
    else this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  notices(file: string): NoticeRecord[] {
    const out = [...this.unknownLinkTypes].map(([type, n]) =>
      notice(
        file,
        0,
        'warning',
        `${n} packet${n === 1 ? '' : 's'} of unsupported link type ${linkTypeName(type)} not decoded`,
      ),
    );
    if (this.counts.size > 0) {
      const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
      const parts = [...this.counts].map(([reason, n]) => `${reason} ${n}`).join(', ');
      out.push(
        notice(
          file,
          0,
          'info',
          `${total} packet${total === 1 ? '' : 's'} without TCP or UDP payload (${parts})`,
        ),
      );
    }
    return out;
  }
}

/** The whole capture as timeline records, in batches (one per block of the file read). */
export async function* decodeCapture(
  chunks: AsyncIterable<Uint8Array>,
  ctx: CaptureContext,
): AsyncGenerator<TimelineRecord[]> {
  const decoder = new CaptureTimeline(ctx);
  for await (const items of readCapture(chunks)) {
    const out: TimelineRecord[] = [];
    const fatal = decoder.items(items, out);
    if (fatal) {
      decoder.end(out);
      yield out;
      throw new InputError(ctx.file, fatal.offset, fatal.message);
    }
    if (out.length > 0) yield out;
  }
  const out: TimelineRecord[] = [];
  decoder.end(out);
  yield out;
}

class CaptureTimeline {
  private readonly tcp = new TcpReassembler();
  private readonly udp = new UdpConversations();
  private readonly tcpConversations = new Map<number, Conversation>();
  private readonly udpConversations = new Map<number, Conversation>();
  private readonly skips = new SkipCounts();
  /**
   * Recent packets (a ring indexed by packet number): the buffer their bytes were read into, the file
   * offset of that buffer's first byte, and where their payload lies, so that bytes the reassembler
   * hands out (views of those buffers, or copies of held-back bytes) are traced back to the file.
   */
  private readonly ringBuffers: (ArrayBufferLike | undefined)[] = new Array<ArrayBufferLike | undefined>(
    RING,
  );
  private readonly ringBase = new Float64Array(RING);
  private readonly ringPayloadOffset = new Float64Array(RING);
  private readonly ringPayloadLength = new Int32Array(RING);
  private readonly ringPacket = new Int32Array(RING).fill(-1);

  constructor(private readonly ctx: CaptureContext) {}

  /** Handles a batch; returns the fatal error that ends the file, if any. */
  items(
    items: readonly CaptureItem[],
    out: TimelineRecord[],
  ): { offset: number; message: string } | undefined {
    for (const item of items) {
      if (item.kind === 'packet') this.packet(item, out);
      else if (item.kind === 'error') {
        if (item.fatal) return item;
        out.push(notice(this.ctx.file, item.offset, 'error', item.message));
      }
    }
    return undefined;
  }

  end(out: TimelineRecord[]): void {
    for (const e of this.tcp.end()) this.tcpEvent(e, out);
    for (const c of this.tcpConversations.values()) this.close(c, out);
    this.tcpConversations.clear();
    out.push(...this.skips.notices(this.ctx.file));
  }

  private packet(p: CapturedPacket, out: TimelineRecord[]): void {
    const d = decodePacket(p.linkType, p.data);
    if (d.kind === 'skip') {
      this.skips.add(d.reason, p.linkType);
      return;
    }
    const payloadOffset = p.dataOffset + (d.payload.byteOffset - p.data.byteOffset);
    const slot = p.index & (RING - 1);
    this.ringBuffers[slot] = p.data.buffer;
    this.ringBase[slot] = p.dataOffset - p.data.byteOffset;
    this.ringPayloadOffset[slot] = payloadOffset;
    this.ringPayloadLength[slot] = d.payload.length;
    this.ringPacket[slot] = p.index;
    if (d.kind === 'udp') {
      this.datagram(
        d,
        {
          packet: p.index + 1,
          fileOffset: payloadOffset,
          timestamp: p.block === 'spb' ? undefined : p.seconds + p.nanos / 1e9,
        },
        out,
      );
      return;
    }
    const events = this.tcp.push({
      packetIndex: p.index,
      seconds: p.seconds,
      nanos: p.nanos,
      src: d.src,
      dst: d.dst,
      srcPort: d.srcPort,
      dstPort: d.dstPort,
      seq: d.seq,
      ack: d.ack,
      flags: d.flags,
      payload: d.payload,
    });
    for (const e of events) this.tcpEvent(e, out);
  }

  /**
   * Where an event's bytes lie in the file: exact for views of what was read, and for copies of bytes
   * the reassembler held back, the packet's payload tail (where such bytes usually are).
   */
  private origin(
    e: { packetIndex: number; seconds: number; nanos: number },
    bytes?: Uint8Array,
  ): ChunkOrigin {
    const slot = e.packetIndex & (RING - 1);
    const known = this.ringPacket[slot] === e.packetIndex;
    let fileOffset = 0;
    if (known && bytes && bytes.buffer === this.ringBuffers[slot])
      fileOffset = this.ringBase[slot]! + bytes.byteOffset;
    else if (known)
      fileOffset =
        this.ringPayloadOffset[slot]! + Math.max(0, this.ringPayloadLength[slot]! - (bytes?.length ?? 0));
    return {
      packet: e.packetIndex + 1,
      fileOffset,
      timestamp: e.seconds + e.nanos / 1e9,
    };
  }

  /** A new conversation, its protocol forced by the server's port, the client's, or `--protocol`. */
  private conversation(
    transport: 'tcp' | 'udp',
    stream: number,
    client: Endpoint,
    server: Endpoint,
  ): Conversation {
    const id = `${transport}:${stream} ${endpoint(client)} > ${endpoint(server)}`;
    const forced =
      this.ctx.decodeAs.get(server.port) ?? this.ctx.decodeAs.get(client.port) ?? this.ctx.forced;
    return new Conversation(id, this.ctx, forced);
  }

  private tcpEvent(e: StreamEvent, out: TimelineRecord[]): void {
    const direction: Direction = 'from' in e && e.from === 'server' ? 'downlink' : 'uplink';
    switch (e.kind) {
      case 'open': {
        this.tcpConversations.set(e.stream, this.conversation('tcp', e.stream, e.client, e.server));
        return;
      }
      case 'data': {
        const c = this.tcpConversations.get(e.stream);
        if (c) c.side(direction).data(e.bytes, this.origin(e, e.bytes), out);
        return;
      }
      case 'gap': {
        const c = this.tcpConversations.get(e.stream);
        if (!c) return;
        c.side(direction).end(out);
        out.push(c.gapRecord(direction, e.offset, e.length, this.origin(e)));
        return;
      }
      case 'conflict': {
        const c = this.tcpConversations.get(e.stream);
        if (!c) return;
        out.push({
          kind: 'conflict',
          ...c.at(direction, this.origin(e)),
          streamOffset: e.offset,
          kept: e.kept,
          bytes: e.discarded,
        });
        return;
      }
      case 'close': {
        const c = this.tcpConversations.get(e.stream);
        if (!c) return;
        this.close(c, out);
        this.tcpConversations.delete(e.stream);
        return;
      }
    }
  }

  private close(c: Conversation, out: TimelineRecord[]): void {
    c.uplink.end(out);
    c.downlink.end(out);
  }

  private datagram(
    d: { src: string; dst: string; srcPort: number; dstPort: number; payload: Uint8Array },
    origin: ChunkOrigin,
    out: TimelineRecord[],
  ): void {
    const flow = this.udp.classify(d.src, d.srcPort, d.dst, d.dstPort);
    let c = this.udpConversations.get(flow.stream);
    if (!c) {
      const { client, server } = this.udp.endpoints(flow.stream)!;
      c = this.conversation('udp', flow.stream, client, server);
      this.udpConversations.set(flow.stream, c);
    }
    const direction: Direction = flow.from === 'client' ? 'uplink' : 'downlink';
    // One datagram, one message: nothing carries over to the next datagram.
    const side = c.side(direction);
    side.data(d.payload, origin, out);
    side.end(out);
  }
}
