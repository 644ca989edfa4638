// Helpers of the live fuzz tests: the CLI as a child process that does not block the test process
// (which runs the fragile servers), and a fragile server's lifetime around a test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CliResult } from '../helpers/cli.js';
import { run } from '../replay/helpers.js';

/** The CLI as a child process, given two minutes (a live fuzz run takes a while). */
export const runCli = (args: readonly string[]): Promise<CliResult> => run(args, 120_000);

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
