// The trackshark command line: yargs parsing only; every command loads its heavy modules lazily.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { decodeCommand } from './commands/decode.js';
import { toStdinArg } from './options.js';

export function buildCli(argv: readonly string[]) {
  return yargs(argv.map(toStdinArg))
    .scriptName('trackshark')
    .usage(
      '$0 <command> [options]\n\nPacket analysis for GPS-tracker protocols: MT700, Meiligao/VT600, H02/Cantrack, Fibocom L610 AT, Wialon WLN.',
    )
    .command(decodeCommand)
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

export async function main(argv: readonly string[] = hideBin(process.argv)): Promise<void> {
  await buildCli(argv).parseAsync();
}
