// The replay written as a pcapng while it runs: each session as the kernel would have put it on the
// wire (handshake, data, acknowledgements, close), at the times things really happened, with a
// comment per packet naming the session, device and how a reply compared.
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  LINKTYPE,
  PcapngWriter,
  TcpConversationWriter,
  UdpConversationWriter,
  type ConversationOptions,
  type SyntheticPacket,
} from '../capture/index.js';
import type { Transport } from './script.js';

interface Endpoints {
  readonly client: { address: string; port: number };
  readonly server: { address: string; port: number };
}

/** Wall time in whole microseconds since the Unix epoch. */
function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** A session's packets, timed by the real clock (the conversation writers step a synthetic one). */
export class SessionRecording {
  private readonly tcp: TcpConversationWriter | undefined;
  private last: number;
  private closed = false;

  constructor(
    private readonly file: RecordingFile,
    private readonly transport: Transport,
    private readonly endpoints: Endpoints,
  ) {
    this.last = nowMicros();
    if (transport === 'tcp') {
      this.tcp = new TcpConversationWriter(this.options(this.last - 1));
      this.file.write(this.tcp.open(), []);
      this.last += 2;
    }
  }

  private options(startMicros: number): ConversationOptions {
    return { linkType: LINKTYPE.RAW, ...this.endpoints, startSeconds: startMicros / 1e6, stepMicros: 1 };
  }

  /** Moves the TCP writer's clock so that its next packet is stamped now. */
  private advance(): number {
    const target = Math.max(nowMicros(), this.last + 1);
    this.tcp?.wait(target - this.last);
    return target;
  }

  data(from: 'client' | 'server', payload: Uint8Array, comments: readonly string[]): void {
    if (this.closed) return;
    const at = this.advance();
    let packets: SyntheticPacket[];
    if (this.tcp) packets = this.tcp.send(from, payload);
    else packets = [new UdpConversationWriter(this.options(at - 1)).send(from, payload)];
    this.last = at + packets.length - 1;
    this.file.write(packets, comments);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.tcp) return;
    this.advance();
    const packets = this.tcp.close('client');
    this.file.write(packets, []);
  }
}

export class RecordingFile {
  private readonly fd: number;
  private readonly writer = new PcapngWriter();
  private interfaceId = 0;
  packets = 0;

  constructor(
    readonly path: string,
    comment: string,
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, this.writer.section({ application: 'trackshark replay', comment }));
    const iface = this.writer.interface({ linkType: LINKTYPE.RAW, tsresol: 6, name: 'replay' });
    this.interfaceId = iface.id;
    writeSync(this.fd, iface.bytes);
  }

  session(transport: Transport, endpoints: Endpoints): SessionRecording {
    return new SessionRecording(this, transport, endpoints);
  }

  /** Packets in order; the comments go on the first (the one carrying the data). */
  write(packets: readonly SyntheticPacket[], comments: readonly string[]): void {
    packets.forEach((p, i) => {
      writeSync(
        this.fd,
        this.writer.packet({
          interfaceId: this.interfaceId,
          seconds: p.seconds,
          nanos: p.nanos,
          data: p.data,
          ...(i === 0 && comments.length > 0 ? { comments } : {}),
        }),
      );
      this.packets++;
    });
  }

  close(): void {
    closeSync(this.fd);
  }
}
