// `trackshark serve` from parsed options: start the platform, print where it listens, then one line
// (or NDJSON object) per event until interrupted or --duration runs out.
import type { Writable } from 'node:stream';
import { toHex } from '../../decode/index.js';
import { resolveProtocol } from '../../pipeline/decode-input.js';
import { frameLabel } from '../events.js';
import { deviceIdOf } from '../identity.js';
import { optionFile } from '../option-file.js';
import { parsePush, PushError } from './frames.js';
import { startPlatform, type Platform, type PlatformEvent } from './platform.js';

export interface ServeRunOptions {
  readonly host: string;
  readonly port: number;
  readonly udp: boolean;
  readonly protocol?: string;
  readonly push: readonly string[];
  readonly ota?: string;
  readonly otaDevice?: string;
  readonly json: boolean;
  readonly maxConnections: number;
  /** Seconds of silence after which a UDP peer is forgotten. */
  readonly udpIdle: number;
  /** PEM files: TCP over TLS when both are given. */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** Seconds to run; undefined: until SIGINT/SIGTERM. */
  readonly duration?: number;
}

const ARROWS = { connect: '+', in: '<', out: '>', close: '-', note: '*' } as const;

export function platformEventLine(e: PlatformEvent): string {
  const head = `${e.time.toISOString()} ${e.transport} ${e.peer} ${ARROWS[e.kind]}`;
  if (e.kind === 'connect') return `${head} connected${e.text ? ` ${e.text}` : ''}`;
  if (e.kind === 'close') return `${head} closed`;
  if (e.kind === 'note' || !e.bytes) return `${head} ${e.text ?? ''}`;
  const id = deviceIdOf(e.frame);
  return `${head} ${frameLabel(e.frame, e.bytes)}${id ? ` device ${id}` : ''}${e.frame && !e.frame.ok ? ' (malformed)' : ''} ${toHex(e.bytes)}`;
}

function platformEventJson(e: PlatformEvent): string {
  return JSON.stringify({
    time: e.time.toISOString(),
    transport: e.transport,
    peer: e.peer,
    kind: e.kind,
    ...(e.frame
      ? {
          protocol: e.frame.protocol,
          frameType: e.frame.frameType,
          ok: e.frame.ok,
          device: deviceIdOf(e.frame),
        }
      : {}),
    ...(e.bytes ? { hex: toHex(e.bytes) } : {}),
    ...(e.text ? { text: e.text } : {}),
  });
}

export class ServeError extends Error {}

async function tlsFiles(opts: ServeRunOptions): Promise<{ cert: Uint8Array; key: Uint8Array } | undefined> {
  if (opts.tlsCert === undefined && opts.tlsKey === undefined) return undefined;
  if (opts.tlsCert === undefined || opts.tlsKey === undefined)
    throw new ServeError('--tls-cert and --tls-key go together: TLS needs both the certificate and its key');
  return {
    cert: await optionFile('tls-cert', opts.tlsCert, ServeError),
    key: await optionFile('tls-key', opts.tlsKey, ServeError),
  };
}

async function firmware(path: string): Promise<Uint8Array> {
  const bytes = await optionFile('ota', path, ServeError);
  if (bytes.length < 3 || bytes.length - 2 > 0xffff)
    throw new ServeError(`--ota ${path}: a firmware is 1..65535 bytes of OTA data plus its 2-byte checksum`);
  return bytes;
}

/** Starts the platform; resolves when it has stopped. Returns the exit status. */
export async function runServe(
  opts: ServeRunOptions,
  io: { stdout: Writable; stderr: Writable },
  onListening?: (p: Platform) => void,
): Promise<number> {
  let platform: Platform;
  try {
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
      throw new ServeError(`--port ${opts.port}: a port is a whole number from 0 (any free port) to 65535`);
    if (!(opts.udpIdle > 0)) throw new ServeError(`--udp-idle ${opts.udpIdle}: seconds above 0`);
    const push = opts.push.map(parsePush);
    const ota = opts.ota
      ? { firmware: await firmware(opts.ota), ...(opts.otaDevice ? { device: opts.otaDevice } : {}) }
      : undefined;
    const protocol = resolveProtocol(opts.protocol);
    const tls = await tlsFiles(opts);
    platform = await startPlatform({
      host: opts.host,
      port: opts.port,
      udp: opts.udp,
      ...(protocol ? { protocol } : {}),
      push,
      ...(ota ? { ota } : {}),
      maxConnections: opts.maxConnections,
      udpIdleMs: opts.udpIdle * 1000,
      ...(tls ? { tls } : {}),
      onEvent: (e) => io.stdout.write(`${opts.json ? platformEventJson(e) : platformEventLine(e)}\n`),
    });
  } catch (e) {
    const known =
      e instanceof ServeError || e instanceof PushError || (e as NodeJS.ErrnoException).code !== undefined;
    if (!known && !(e instanceof Error && e.name === 'InputError')) throw e;
    io.stderr.write(`trackshark: ${(e as Error).message}\n`);
    return 2;
  }
  const where = `${platform.host.includes(':') ? `[${platform.host}]` : platform.host}:${platform.tcpPort}`;
  io.stderr.write(
    `trackshark serve: listening on ${platform.tls ? 'tls' : 'tcp'} ${where}${platform.udpPort ? ` and udp ${where}` : ''}\n`,
  );
  onListening?.(platform);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (opts.duration !== undefined) setTimeout(stop, opts.duration * 1000).unref();
  });
  await platform.close();
  return 0;
}
