// `trackshark serve`: a platform emulator on TCP and UDP. It frames and decodes everything devices
// send, logs every frame both ways, answers as a tracking platform does (Meiligao login confirmation
// 0x4000), pushes configured server commands once a device has identified itself, and can run the
// VT600 OTA procedure against Meiligao devices.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import {
  AutoStreamDecoder,
  decodeStream,
  StreamDecoder,
  type DecodedFrame,
  type StreamRecord,
} from '../../decode/index.js';
import { PAYLOAD_PROTOCOLS, protocolByName } from '../../protocols/index.js';
import type { Protocol } from '../../schema/index.js';
import { deviceIdOf } from '../identity.js';
import { withLineEnd } from '../script.js';
import { fieldValue, meiligaoDownlink, type PushCommand } from './frames.js';
import { OtaProcedure } from './ota.js';

export interface PlatformOptions {
  readonly host: string;
  /** TCP port (0: any free one); UDP listens on the same number. */
  readonly port: number;
  readonly udp: boolean;
  /** Decode as this protocol instead of detecting it per connection. */
  readonly protocol?: Protocol;
  readonly push: readonly PushCommand[];
  readonly ota?: { readonly firmware: Uint8Array; readonly device?: string };
  /** Connections kept at once (TCP sockets plus UDP peers); more are refused. */
  readonly maxConnections: number;
  /** A UDP peer silent this long is forgotten (its close logged), so it stops counting as a connection. */
  readonly udpIdleMs?: number;
  /** TCP over TLS with this PEM key and certificate; UDP stays plain (devices have no DTLS). */
  readonly tls?: { readonly cert: Uint8Array; readonly key: Uint8Array };
  readonly onEvent: (e: PlatformEvent) => void;
}

export interface PlatformEvent {
  readonly time: Date;
  readonly transport: 'tcp' | 'udp';
  readonly peer: string;
  readonly kind: 'connect' | 'in' | 'out' | 'close' | 'note';
  readonly bytes?: Uint8Array;
  readonly frame?: DecodedFrame;
  readonly text?: string;
}

/** One device connection (a TCP socket, or a UDP peer address). */
class DeviceLink {
  private decoder: StreamDecoder | AutoStreamDecoder;
  deviceId: string | undefined;
  private protocolName: string | undefined;
  private pushed = false;
  private ota: OtaProcedure | undefined;

  constructor(
    readonly transport: 'tcp' | 'udp',
    readonly peer: string,
    private readonly write: (bytes: Uint8Array) => void,
    private readonly opts: PlatformOptions,
    connectText?: string,
  ) {
    this.decoder = this.newDecoder();
    this.emit('connect', connectText ? { text: connectText } : {});
    const ota = opts.ota;
    // A named OTA device over TCP: the platform speaks first, as in the document's procedure.
    if (ota?.device !== undefined && transport === 'tcp') {
      this.protocolName = 'meiligao';
      this.startOta(ota.device);
    }
  }

  private newDecoder(): StreamDecoder | AutoStreamDecoder {
    const o = { direction: 'uplink' as const };
    return this.opts.protocol
      ? new StreamDecoder(this.opts.protocol, o)
      : new AutoStreamDecoder(PAYLOAD_PROTOCOLS, o);
  }

  emit(kind: PlatformEvent['kind'], extra: Partial<PlatformEvent> = {}): void {
    this.opts.onEvent({ time: new Date(), transport: this.transport, peer: this.peer, kind, ...extra });
  }

  send(bytes: Uint8Array): void {
    this.write(bytes);
    const protocol = this.protocolName ? protocolByName(this.protocolName) : undefined;
    const sent = protocol ? decodeStream(protocol, bytes, { direction: 'downlink' }) : [];
    const frame = sent.length === 1 && sent[0]!.kind === 'frame' ? sent[0]!.frame : undefined;
    this.emit('out', { bytes, ...(frame ? { frame } : {}) });
  }

  receive(chunk: Uint8Array, datagram: boolean): void {
    const records = this.decoder.push(chunk, datagram);
    if (datagram) {
      records.push(...this.decoder.end());
      this.decoder = this.newDecoder();
    }
    for (const r of records) this.handle(r);
  }

  end(text?: string): void {
    for (const r of this.decoder.end()) this.handle(r);
    this.emit('close', text ? { text } : {});
  }

  private handle(r: StreamRecord): void {
    if (r.kind === 'undecoded') this.emit('in', { bytes: r.bytes, text: r.reason });
    if (r.kind !== 'frame') return;
    const frame = r.frame;
    this.emit('in', { bytes: withLineEnd(r.bytes, r.trailer), frame });
    this.deviceId ??= deviceIdOf(frame);
    this.protocolName ??= frame.protocol;
    this.answer(frame);
    if (this.ota?.onFrame(frame)) return;
    if (this.deviceId !== undefined && !this.pushed) {
      this.pushed = true;
      for (const p of this.opts.push) if (p.protocol === frame.protocol) this.send(p.build(this.deviceId));
      const ota = this.opts.ota;
      if (
        ota &&
        frame.protocol === 'meiligao' &&
        !this.ota &&
        (ota.device ?? this.deviceId) === this.deviceId
      )
        this.startOta(this.deviceId);
    }
  }

  /** What a platform sends back without being asked to: the Meiligao login confirmation. */
  private answer(frame: DecodedFrame): void {
    if (frame.protocol === 'meiligao' && fieldValue(frame, 'meiligao.command') === 0x5000 && this.deviceId)
      this.send(meiligaoDownlink(this.deviceId, 0x4000, new Uint8Array([0x01])));
  }

  private startOta(deviceId: string): void {
    this.ota = new OtaProcedure(
      deviceId,
      this.opts.ota!.firmware,
      (b) => this.send(b),
      (text) => this.emit('note', { text }),
    );
    this.ota.start();
  }
}

export interface Platform {
  readonly host: string;
  readonly tcpPort: number;
  readonly udpPort: number | undefined;
  readonly connections: () => number;
  readonly tls: boolean;
  close(): Promise<void>;
}

function listenTcp(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A fleet connecting at once overflows Node's default queue of 511: SYNs dropped, connects late.
    server.listen({ host, port, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

function bindUdp(socket: UdpSocket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

const peerOf = (address: string | undefined, port: number | undefined) =>
  address?.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const sockets = new Set<Socket>();
  const udpPeers = new Map<string, { link: DeviceLink; last: number }>();
  const count = () => sockets.size + udpPeers.size;
  const accept = (socket: Socket) => {
    if (count() >= opts.maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    const link = new DeviceLink(
      'tcp',
      peerOf(socket.remoteAddress, socket.remotePort),
      (b) => socket.write(b),
      opts,
      // The negotiated version in the connect line: proof in the log that the device spoke TLS.
      'encrypted' in socket ? `over ${(socket as TLSSocket).getProtocol() ?? 'TLS'}` : undefined,
    );
    socket.on('data', (b: Buffer) => link.receive(new Uint8Array(b), false));
    socket.on('error', (e) => link.emit('note', { text: e.message }));
    socket.on('close', () => {
      sockets.delete(socket);
      link.end();
    });
  };
  const server: Server = opts.tls
    ? createTlsServer({ cert: Buffer.from(opts.tls.cert), key: Buffer.from(opts.tls.key) }, accept)
    : createServer(accept);
  // A failed handshake never reaches `accept`; without this note a client refusing the certificate
  // would leave no trace in the platform's log. A client that hung up has no address left to show.
  server.on('tlsClientError', (e: Error, socket: TLSSocket) =>
    opts.onEvent({
      time: new Date(),
      transport: 'tcp',
      peer: socket.remoteAddress ? peerOf(socket.remoteAddress, socket.remotePort) : '(gone)',
      kind: 'note',
      text: `TLS handshake failed: ${e.message}`,
    }),
  );
  server.maxConnections = opts.maxConnections;
  const tcpPort = await listenTcp(server, opts.host, opts.port);
  let udp: UdpSocket | undefined;
  if (opts.udp) {
    udp = createSocket(opts.host.includes(':') ? 'udp6' : 'udp4');
    await bindUdp(udp, opts.host, tcpPort).catch((e) => {
      server.close();
      throw e;
    });
    const socket = udp;
    socket.on('message', (b: Buffer, rinfo: RemoteInfo) => {
      const peer = peerOf(rinfo.address, rinfo.port);
      let known = udpPeers.get(peer);
      if (!known) {
        if (count() >= opts.maxConnections) return;
        const link = new DeviceLink('udp', peer, (out) => socket.send(out, rinfo.port, rinfo.address), opts);
        udpPeers.set(peer, (known = { link, last: 0 }));
      }
      known.last = performance.now();
      known.link.receive(new Uint8Array(b), true);
    });
  }
  const idleMs = opts.udpIdleMs ?? 120_000;
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const [peer, { link, last }] of udpPeers)
        if (now - last >= idleMs) {
          udpPeers.delete(peer);
          link.end(`idle for ${idleMs / 1000} s`);
        }
    },
    Math.min(Math.max(idleMs / 4, 10), 10_000),
  ).unref();
  return {
    host: opts.host,
    tcpPort,
    udpPort: udp ? tcpPort : undefined,
    connections: count,
    tls: opts.tls !== undefined,
    close: async () => {
      clearInterval(sweep);
      for (const s of sockets) s.destroy();
      udp?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
