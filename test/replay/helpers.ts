// A platform emulator in the test process and the real CLI as an asynchronous child, so both run.
import { spawn } from 'node:child_process';
import { startPlatform, type Platform, type PlatformEvent } from '../../src/replay/serve/platform.js';
import { parsePush } from '../../src/replay/serve/frames.js';

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

export function run(
  args: readonly string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/trackshark.js', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('latin1')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('latin1')));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end();
  });
}
