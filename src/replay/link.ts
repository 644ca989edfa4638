// Kernel sockets for one replayed session: TCP (optionally TLS) or a connected UDP socket. No raw
// sockets, so no root, and loopback works like any other address.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, isIPv6, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Transport } from './script.js';

export interface Target {
  readonly host: string;
  readonly port: number;
}

export interface TlsOptions {
  /** Accept any server certificate (test servers with self-signed certificates). */
  readonly insecure: boolean;
  /** Certificates (PEM) trusted besides the system's: a platform's private CA or its own certificate. */
  readonly ca?: string;
  /** The name the certificate must carry, when the target address is not it. */
  readonly servername?: string;
}

export interface Link {
  readonly local: { address: string; port: number };
  readonly remote: { address: string; port: number };
  send(bytes: Uint8Array): void;
  close(): void;
}

export interface LinkEvents {
  /** Bytes from the server; `datagram` is true when they are one whole UDP datagram. */
  onData(bytes: Uint8Array, datagram: boolean): void;
  onClose(error?: Error): void;
}

/** How long a closed TCP link waits for the server's FIN before it is dropped. */
const CLOSE_GRACE_MS = 2000;

function tcpLink(socket: Socket, events: LinkEvents): Link {
  socket.setNoDelay(true);
  socket.on('data', (b: Buffer) => events.onData(new Uint8Array(b), false));
  socket.on('error', (e) => events.onClose(e));
  socket.on('close', () => events.onClose());
  return {
    local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
    remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
    send: (bytes) => void socket.write(bytes),
    close: () => {
      socket.end();
      // A server that never answers the FIN would hold the socket, and the process, open for good.
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    },
  };
}

function udpLink(socket: UdpSocket, events: LinkEvents): Link {
  socket.on('message', (b: Buffer) => events.onData(new Uint8Array(b), true));
  socket.on('error', (e) => events.onClose(e));
  socket.on('close', () => events.onClose());
  const local = socket.address();
  const remote = socket.remoteAddress();
  return {
    local: { address: local.address, port: local.port },
    remote: { address: remote.address, port: remote.port },
    send: (bytes) => socket.send(bytes),
    close: () => socket.close(),
  };
}

// OpenSSL's verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, …) and Node's
// hostname check; anything else (ECONNREFUSED, a reset) is not about the certificate.
const CERT_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

/** A refused server certificate says so and names the way out, on one line. */
function tlsError(e: NodeJS.ErrnoException): Error {
  if (!e.code || !CERT_CODE.test(e.code)) return e;
  return new Error(
    `TLS certificate refused: ${e.message} (${e.code}); --ca FILE trusts its issuer, --insecure accepts it`,
  );
}

/** Thrown when the replay stopped while the link was being opened. */
export class LinkAborted extends Error {}

/**
 * Open a link to the target; rejects with the socket error (ECONNREFUSED, …), after `timeoutMs`, or
 * when `signal` aborts. A socket that did not open is destroyed: left alone, the kernel would go on
 * retrying its SYN and connect it later, an orphan that keeps the process alive.
 */
export function openLink(
  target: Target,
  transport: Transport,
  events: LinkEvents,
  opts: { tls?: TlsOptions; timeoutMs: number; signal?: AbortSignal },
): Promise<Link> {
  return new Promise((resolve, reject) => {
    let discard = () => {};
    const settle = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', aborted);
    };
    const fail = (e: Error) => {
      settle();
      discard();
      reject(e);
    };
    const aborted = () => fail(new LinkAborted('stopped'));
    const timer = setTimeout(
      () => fail(new Error(`no connection within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    if (opts.signal?.aborted) return aborted();
    opts.signal?.addEventListener('abort', aborted, { once: true });
    if (transport === 'udp') {
      const socket = createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
      discard = () => socket.close();
      socket.once('error', fail);
      socket.connect(target.port, target.host, () => {
        settle();
        socket.off('error', fail);
        resolve(udpLink(socket, events));
      });
      return;
    }
    const socket = opts.tls
      ? tlsConnect({
          host: target.host,
          port: target.port,
          rejectUnauthorized: !opts.tls.insecure,
          ...(opts.tls.ca ? { ca: opts.tls.ca } : {}),
          ...(opts.tls.servername ? { servername: opts.tls.servername } : {}),
        })
      : tcpConnect({ host: target.host, port: target.port });
    discard = () => socket.destroy();
    const refused = (e: NodeJS.ErrnoException) => fail(opts.tls ? tlsError(e) : e);
    socket.once('error', refused);
    socket.once(opts.tls ? 'secureConnect' : 'connect', () => {
      settle();
      socket.off('error', refused);
      resolve(tcpLink(socket, events));
    });
  });
}
