// A platform emulator in the test process and the real CLI as an asynchronous child, so both run.
import { spawn } from 'node:child_process';
import { startPlatform, type Platform, type PlatformEvent } from '../../src/replay/serve/platform.js';
import { parsePush } from '../../src/replay/serve/frames.js';
import type { CliResult } from '../helpers/cli.js';

export interface TestPlatform {
  readonly platform: Platform;
  readonly events: PlatformEvent[];
  readonly target: string;
}

export async function platform(
  opts: { push?: string[]; ota?: { firmware: Uint8Array; device?: string } } = {},
): Promise<TestPlatform> {
  const events: PlatformEvent[] = [];
  const p = await startPlatform({
    host: '127.0.0.1',
    port: 0,
    udp: true,
    push: (opts.push ?? []).map(parsePush),
    ...(opts.ota ? { ota: opts.ota } : {}),
    maxConnections: 100,
    onEvent: (e) => events.push(e),
  });
  return { platform: p, events, target: `127.0.0.1:${p.tcpPort}` };
}

/** A child `trackshark` whose output is collected; killed after `timeoutMs` so no test can hang on it. */
function spawnCli(args: readonly string[], timeoutMs = 20_000) {
  const child = spawn(process.execPath, ['bin/trackshark.js', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (b: Buffer) => (out.stdout += b.toString('latin1')));
  child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString('latin1')));
  const timer = setTimeout(() => child.kill(), timeoutMs);
  const closed = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, ...out });
    });
  });
  return { child, out, closed };
}

/** The CLI with no input on stdin, run asynchronously (so servers in this process keep running). */
export function run(args: readonly string[], timeoutMs?: number): Promise<CliResult> {
  const { child, closed } = spawnCli(args, timeoutMs);
  child.stdin.end();
  return closed;
}

export interface ServeChild {
  /** `127.0.0.1:PORT` from the listening line. */
  readonly target: string;
  /** Everything written so far (NDJSON events with --json). */
  readonly out: { readonly stdout: string; readonly stderr: string };
  /** SIGTERM, which serve handles by closing its sockets; resolves with its output and status. */
  stop(): Promise<CliResult>;
}

/** The real `trackshark serve --port 0` as a child, resolved once it says where it listens. */
export function serve(args: readonly string[]): Promise<ServeChild> {
  const { child, out, closed } = spawnCli(['serve', '--port', '0', ...args]);
  const stop = () => {
    child.kill('SIGTERM');
    return closed;
  };
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /listening on \w+ (127\.0\.0\.1:\d+)/.exec(out.stderr);
      if (!m) return;
      child.stderr.off('data', onData);
      resolve({ target: m[1]!, out, stop });
    };
    child.stderr.on('data', onData);
    void closed.then(
      (r) => reject(new Error(`serve exited ${r.status} before listening: ${r.stderr}`)),
      reject,
    );
  });
}

/** Polls until `done` holds, for at most `ms`: platforms log what a peer did asynchronously. */
export async function until(done: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
}
