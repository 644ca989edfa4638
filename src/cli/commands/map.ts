// `trackshark map`: argv to options, then src/export (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { mapOptions } from '../options.js';
import { inputsPositional, messageInputs, type MessageArgs } from './export.js';

type MapArgs = MessageArgs & { out: string };

export const mapCommand: CommandModule<object, MapArgs> = {
  command: 'map <inputs..>',
  describe: 'Draw each device track over a lat/lon grid as SVG or HTML (no network)',
  builder: (y: Argv) =>
    y
      .positional('inputs', inputsPositional)
      .options(mapOptions)
      .example('$0 map --out track.svg captures/h02/v1.txt', 'One coloured track per device')
      .example('$0 map --out track.html captures/pcap', 'The same map in a page') as unknown as Argv<MapArgs>,
  handler: async (argv: ArgumentsCamelCase<MapArgs>) => {
    const { runMap } = await import('../../export/run.js');
    process.exitCode = await runMap(
      { ...messageInputs(argv), out: argv.out },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
