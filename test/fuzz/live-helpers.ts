// Helpers of the live fuzz tests: the CLI as a child process that does not block the test process
// (which runs the fragile servers), and a fragile server's lifetime around a test file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CliResult } from '../helpers/cli.js';

export function runCli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/trackshark.js', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * A fragile server for one test file, started before its tests with a temporary folder (and an empty
 * server log in it) and stopped after them; read `server` and `dir` inside the tests.
 */
export function fragileFixture<S extends { close(): Promise<void> }>(
  start: (log: string) => Promise<S>,
): { server: S; dir: string; log: string } {
  const f = {} as { server: S; dir: string; log: string };
  beforeAll(async () => {
    f.dir = mkdtempSync(join(tmpdir(), 'trackshark-fuzz-'));
    f.log = join(f.dir, 'server.log');
    writeFileSync(f.log, '');
    f.server = await start(f.log);
  });
  afterAll(async () => {
    await f.server.close();
    rmSync(f.dir, { recursive: true, force: true });
  });
  return f;
}
