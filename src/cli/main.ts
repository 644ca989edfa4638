// The trackshark command line: yargs parsing only; every command loads its heavy modules lazily.
import { setFlagsFromString } from 'node:v8';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkCommand } from './commands/check.js';
import { decodeCommand } from './commands/decode.js';
import { encodeCommand } from './commands/encode.js';
import { exportCommand } from './commands/export.js';
import { mapCommand } from './commands/map.js';
import { statsCommand } from './commands/stats.js';
import { dissectorCommand } from './commands/dissector.js';
import { fuzzCommand } from './commands/fuzz.js';
import { replayCommand } from './commands/replay.js';
import { serveCommand } from './commands/serve.js';
import { toStdinArg } from './options.js';

export function buildCli(argv: readonly string[]) {
  return yargs(argv.map(toStdinArg))
    .scriptName('trackshark')
    .usage(
      '$0 <command> [options]\n\nPacket analysis for GPS-tracker protocols: MT700, Meiligao/VT600, H02/Cantrack, Fibocom L610 AT, Wialon WLN.',
    )
    .command(decodeCommand)
    .command(encodeCommand)
    .command(checkCommand)
    .command(dissectorCommand)
    .command(fuzzCommand)
    .command(serveCommand)
    .command(replayCommand)
    .command(exportCommand)
    .command(mapCommand)
    .command(statsCommand)
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`trackshark: ${msg}\nRun 'trackshark --help' for usage.\n`);
      process.exit(2);
    });
}

/**
 * Decoding keeps 30-40 MB live but allocates gigabytes of short-lived records and text; V8's default
 * heap growth (up to 4x the live size between full collections) takes peak RSS near 300 MB on the
 * benchmark's 1 GiB capture, and 2x still 208 MB. Growing by at most 1.5x keeps it at 192 MB, for
 * more frequent (short) full collections. Workers inherit the flag.
 */
function boundHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}

/** Status of a program killed by SIGPIPE, which shells and `set -o pipefail` expect. */
const BROKEN_PIPE_STATUS = 128 + 13;

/**
 * `trackshark decode big.pcap | head` closes the pipe early: stop quietly, as cat and grep do, instead
 * of dying on an unhandled EPIPE.
 */
function endQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(BROKEN_PIPE_STATUS);
      throw e;
    });
}

export async function main(argv: readonly string[] = hideBin(process.argv)): Promise<void> {
  boundHeapGrowth();
  endQuietlyOnBrokenPipe();
  await buildCli(argv).parseAsync();
}
