// A live TCP or UDP server as the target: one fresh connection per exchange (session prefix, the
// case's segments, then a probe frame the server is known to answer), and what the server did.
import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';

export interface LiveTarget {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tcp' | 'udp';
}

export interface Exchange {
  /** Valid frames that put the server in the state the case needs (login), each awaiting its reply. */
  readonly prefix: readonly Uint8Array[];
  readonly segments: readonly Uint8Array[];
  /** A frame the server answers when healthy, sent after the case. */
  readonly probe?: Uint8Array;
}

export interface Timing {
  /** How long the server gets to react to the case before the probe goes out. */
  readonly settleMs: number;
  /** How long a reply may take before it counts as missing. */
  readonly timeoutMs: number;
}

export type OutcomeKind = 'answered' | 'silent' | 'closed' | 'reset' | 'refused' | 'error';
export type Phase = 'connect' | 'prefix' | 'case' | 'probe';

export interface Outcome {
  readonly kind: OutcomeKind;
  readonly phase: Phase;
  /** Everything the server sent, in order. */
  readonly replies: readonly Uint8Array[];
  /** Time from the probe (or the case) to its answer, or to the end of the exchange. */
  readonly ms: number;
  readonly message?: string;
}

/** Loopback (127.0.0.0/8, ::1, localhost) or a host named on the allow-list. */
export function targetAllowed(host: string, allow: readonly string[]): boolean {
  if (allow.includes(host)) return true;
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** `host:port`, `[v6]:port`; undefined when malformed. */
export function parseTarget(text: string, transport: 'tcp' | 'udp'): LiveTarget | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2]!, port, transport };
}

/** Events of one connection, with a way to wait for the next one. */
class Watch {
  replies: Uint8Array[] = [];
  received = 0;
  ended: 'closed' | 'reset' | 'refused' | 'error' | undefined;
  message: string | undefined;
  private wake: (() => void) | undefined;

  data(chunk: Uint8Array): void {
    this.replies.push(chunk);
    this.received += chunk.length;
    this.wake?.();
  }

  /** Something `until` waits for happened besides data or the end (the connection came up). */
  notify(): void {
    this.wake?.();
  }

  end(kind: 'closed' | 'reset' | 'refused' | 'error', message?: string): void {
    if (this.ended) return;
    this.ended = kind;
    this.message = message;
    this.wake?.();
  }

  /** Wait until `done()` holds, the connection ends or `ms` pass; true when `done()` held. */
  async until(done: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!done() && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) {
        // Timers run before I/O in each turn of the event loop: when this process was held up past
        // the deadline, data that arrived in time is still queued, so let it in before judging.
        await new Promise((resolve) => setImmediate(resolve));
        return done();
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return done();
  }
}

function errorKind(e: NodeJS.ErrnoException): 'reset' | 'refused' | 'closed' | 'error' {
  if (e.code === 'ECONNRESET') return 'reset';
  if (e.code === 'ECONNREFUSED') return 'refused';
  if (e.code === 'EPIPE') return 'closed';
  return 'error';
}

interface Channel {
  readonly watch: Watch;
  send(bytes: Uint8Array): Promise<void>;
  close(): void;
}

async function openTcp(target: LiveTarget, timeoutMs: number): Promise<Channel> {
  const watch = new Watch();
  const socket = connect({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  socket.on('data', (d: Buffer) => watch.data(new Uint8Array(d)));
  socket.on('end', () => watch.end('closed'));
  socket.on('close', () => watch.end('closed'));
  socket.on('error', (e: NodeJS.ErrnoException) => watch.end(errorKind(e), e.message));
  let connected = false;
  socket.once('connect', () => {
    connected = true;
    watch.notify();
  });
  await watch.until(() => connected, timeoutMs);
  if (!connected && !watch.ended) watch.end('error', `no connection within ${timeoutMs} ms`);
  return {
    watch,
    send: (bytes) =>
      new Promise<void>((resolve) => {
        if (watch.ended || socket.destroyed) return resolve();
        // Each write its own segment: Nagle is off, and the next write waits for this one's callback.
        socket.write(bytes, () => setImmediate(resolve));
      }),
    close: () => socket.destroy(),
  };
}

async function openUdp(target: LiveTarget): Promise<Channel> {
  const watch = new Watch();
  const socket = createSocket(isIP(target.host) === 6 || target.host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (d: Buffer) => watch.data(new Uint8Array(d)));
  socket.on('error', (e: NodeJS.ErrnoException) => watch.end(errorKind(e), e.message));
  // A failed connect (an unresolvable name) only emits 'error': settle on either, or it never returns.
  await new Promise<void>((resolve) => {
    socket.once('error', () => resolve());
    socket.connect(target.port, target.host, () => resolve());
  });
  return {
    watch,
    send: (bytes) =>
      new Promise<void>((resolve) => {
        if (watch.ended) return resolve();
        socket.send(bytes, () => setImmediate(resolve));
      }),
    close: () => socket.close(),
  };
}

/** One exchange on a fresh connection, and how the server took it. */
export async function exchange(target: LiveTarget, ex: Exchange, timing: Timing): Promise<Outcome> {
  const started = Date.now();
  const ch = target.transport === 'tcp' ? await openTcp(target, timing.timeoutMs) : await openUdp(target);
  const w = ch.watch;
  const outcome = (kind: OutcomeKind, phase: Phase, since = started): Outcome => ({
    kind,
    phase,
    replies: w.replies,
    ms: Date.now() - since,
    ...(w.message ? { message: w.message } : {}),
  });
  try {
    if (w.ended) return outcome(w.ended, 'connect');
    for (const frame of ex.prefix) {
      const before = w.received;
      await ch.send(frame);
      await w.until(() => w.received > before, timing.timeoutMs);
      if (w.ended) return outcome(w.ended, 'prefix');
    }
    const beforeCase = w.received;
    const caseSent = Date.now();
    for (const seg of ex.segments) await ch.send(seg);
    if (!ex.probe) {
      // The answer's round trip is what the baseline measures; the rest of the wait still watches
      // for the server hanging up after answering.
      const answered = await w.until(() => w.received > beforeCase, timing.timeoutMs);
      const rtt = Date.now() - caseSent;
      await w.until(() => false, timing.timeoutMs - rtt);
      if (w.ended) return outcome(w.ended, 'case', caseSent);
      return answered ? { ...outcome('answered', 'case'), ms: rtt } : outcome('silent', 'case', caseSent);
    }
    await w.until(() => false, timing.settleMs);
    if (w.ended) return outcome(w.ended, 'case', caseSent);
    const beforeProbe = w.received;
    const probeSent = Date.now();
    await ch.send(ex.probe);
    const answered = await w.until(() => w.received > beforeProbe, timing.timeoutMs);
    if (answered) return outcome('answered', 'probe', probeSent);
    return outcome(w.ended ?? 'silent', 'probe', probeSent);
  } finally {
    ch.close();
  }
}
