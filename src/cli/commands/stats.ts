// `trackshark stats`: argv to options, then src/export (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { statsOptions } from '../options.js';
import { inputsPositional, messageInputs, type MessageArgs } from './export.js';

type StatsArgs = MessageArgs & { json: boolean };

export const statsCommand: CommandModule<object, StatsArgs> = {
  command: 'stats <inputs..>',
  describe: 'Per device and per protocol: frames, fixes, time span, distance, reporting intervals, gaps',
  builder: (y: Argv) =>
    y
      .positional('inputs', inputsPositional)
      .options(statsOptions)
      .example('$0 stats captures/pcap', 'Tables on stdout')
      .example('$0 stats --json captures/h02/v1.txt', 'One JSON object') as unknown as Argv<StatsArgs>,
  handler: async (argv: ArgumentsCamelCase<StatsArgs>) => {
    const { runStats } = await import('../../export/run.js');
    process.exitCode = await runStats(
      { ...messageInputs(argv), json: argv.json },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
