// Where a replay may send: loopback unless the user names the remote host with --allow-remote, so a
// capture is never fired at a production server by accident.
import { isIP } from 'node:net';
import type { Target } from './link.js';

export class TargetError extends Error {}

/** `host:port`, `[v6]:port` or `:port` (loopback). */
export function parseTarget(text: string): Target {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  if (!m) throw new TargetError(`--target ${JSON.stringify(text)}: expected host:port`);
  const port = Number(m[3]);
  if (!(port >= 1 && port <= 65535)) throw new TargetError(`--target ${text}: port must be 1..65535`);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  return { host, port };
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

/** Throws unless the target is loopback or exactly the host --allow-remote named. */
export function checkTarget(target: Target, allowRemote: readonly string[]): void {
  if (isLoopback(target.host)) return;
  if (allowRemote.some((h) => h.toLowerCase() === target.host.toLowerCase())) return;
  throw new TargetError(
    `refusing to replay to ${target.host}: only loopback targets unless --allow-remote ${target.host} is given`,
  );
}
