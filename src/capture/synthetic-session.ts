// TCP and UDP conversations synthesised packet by packet, the way a kernel would put them on the
// wire (handshake, data with acknowledgements, FIN or RST), for capture fixtures, the benchmark
// capture, fuzz findings and replay recordings. Raw segments with any sequence number are possible
// too, so reassembly edge cases can be written on purpose.
import type { Endpoint, Side } from './conversations.js';
import { TCP_FLAGS } from './ip.js';
import { buildPacket, type PacketSpec } from './packet-builder.js';

export interface SyntheticPacket {
  readonly seconds: number;
  readonly nanos: number;
  readonly data: Uint8Array;
}

export interface ConversationOptions {
  readonly linkType: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Unix time of the first packet. */
  readonly startSeconds: number;
  /** Time between packets, in microseconds (default 1000). */
  readonly stepMicros?: number;
  readonly vlans?: readonly number[];
  readonly loopbackByteOrder?: 'le' | 'be';
}

/** A clock in whole microseconds since the Unix epoch: exact, and fine for any capture resolution. */
class Clock {
  private micros: number;
  private readonly step: number;

  constructor(opts: ConversationOptions) {
    this.micros = Math.round(opts.startSeconds * 1e6);
    this.step = opts.stepMicros ?? 1000;
  }

  /** The time of the next packet. */
  tick(): { seconds: number; nanos: number } {
    this.micros += this.step;
    return { seconds: Math.floor(this.micros / 1e6), nanos: (this.micros % 1e6) * 1000 };
  }

  /** Moves the clock on without a packet. */
  wait(micros: number): void {
    this.micros += micros;
  }
}

/** One packet of the conversation from `from`, built for its link type. */
function packetFrom(
  opts: ConversationOptions,
  from: Side,
  fields: Pick<PacketSpec, 'transport' | 'seq' | 'ack' | 'flags' | 'payload'>,
): Uint8Array {
  const [src, dst] = from === 'client' ? [opts.client, opts.server] : [opts.server, opts.client];
  return buildPacket({
    linkType: opts.linkType,
    src: src.address,
    dst: dst.address,
    srcPort: src.port,
    dstPort: dst.port,
    ...fields,
    ...(opts.vlans ? { vlans: opts.vlans } : {}),
    ...(opts.loopbackByteOrder ? { loopbackByteOrder: opts.loopbackByteOrder } : {}),
  });
}

export class TcpConversationWriter {
  /** Next sequence number each side sends. */
  readonly seq: Record<Side, number>;
  private readonly clock: Clock;

  constructor(
    private readonly opts: ConversationOptions,
    isn: { client: number; server: number } = { client: 0x1000, server: 0x8000 },
  ) {
    this.seq = { client: isn.client >>> 0, server: isn.server >>> 0 };
    this.clock = new Clock(opts);
  }

  /** Pause the conversation (the next packet comes `micros` later than usual). */
  wait(micros: number): void {
    this.clock.wait(micros);
  }

  /** A segment exactly as given: nothing about the conversation's state changes. */
  raw(
    from: Side,
    fields: { seq: number; ack?: number; flags: number; payload?: Uint8Array },
  ): SyntheticPacket {
    const data = packetFrom(this.opts, from, {
      transport: 'tcp',
      seq: fields.seq >>> 0,
      ack: (fields.ack ?? this.seq[from === 'client' ? 'server' : 'client']) >>> 0,
      flags: fields.flags,
      ...(fields.payload ? { payload: fields.payload } : {}),
    });
    return { ...this.clock.tick(), data };
  }

  /** SYN, SYN-ACK, ACK. */
  open(): SyntheticPacket[] {
    const syn = this.raw('client', { seq: this.seq.client, ack: 0, flags: TCP_FLAGS.SYN });
    this.seq.client = (this.seq.client + 1) >>> 0;
    const synAck = this.raw('server', {
      seq: this.seq.server,
      ack: this.seq.client,
      flags: TCP_FLAGS.SYN | TCP_FLAGS.ACK,
    });
    this.seq.server = (this.seq.server + 1) >>> 0;
    return [syn, synAck, this.ack('client')];
  }

  /** A pure acknowledgement from `from` of everything the other side sent. */
  ack(from: Side): SyntheticPacket {
    return this.raw(from, { seq: this.seq[from], flags: TCP_FLAGS.ACK });
  }

  /** Data from one side, acknowledged by the other unless told not to. */
  send(from: Side, payload: Uint8Array, opts: { acked?: boolean } = {}): SyntheticPacket[] {
    const p = this.raw(from, { seq: this.seq[from], flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH, payload });
    this.seq[from] = (this.seq[from] + payload.length) >>> 0;
    return opts.acked === false ? [p] : [p, this.ack(from === 'client' ? 'server' : 'client')];
  }

  /** Orderly close started by `from`: FIN, FIN-ACK, ACK. */
  close(from: Side = 'client'): SyntheticPacket[] {
    const other: Side = from === 'client' ? 'server' : 'client';
    const fin = this.raw(from, { seq: this.seq[from], flags: TCP_FLAGS.FIN | TCP_FLAGS.ACK });
    this.seq[from] = (this.seq[from] + 1) >>> 0;
    const finAck = this.raw(other, { seq: this.seq[other], flags: TCP_FLAGS.FIN | TCP_FLAGS.ACK });
    this.seq[other] = (this.seq[other] + 1) >>> 0;
    return [fin, finAck, this.ack(from)];
  }

  /** Abort from one side. */
  reset(from: Side): SyntheticPacket {
    return this.raw(from, { seq: this.seq[from], flags: TCP_FLAGS.RST | TCP_FLAGS.ACK });
  }
}

/** Datagrams between two endpoints. */
export class UdpConversationWriter {
  private readonly clock: Clock;

  constructor(private readonly opts: ConversationOptions) {
    this.clock = new Clock(opts);
  }

  send(from: Side, payload: Uint8Array): SyntheticPacket {
    return { ...this.clock.tick(), data: packetFrom(this.opts, from, { transport: 'udp', payload }) };
  }
}
