// Running the real trackshark binary (built by the global setup) as a child process.
import { spawnSync } from 'node:child_process';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function trackshark(args: readonly string[], input?: string | Uint8Array): CliResult {
  const r = spawnSync(process.execPath, ['bin/trackshark.js', ...args], {
    input,
    encoding: 'latin1',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
