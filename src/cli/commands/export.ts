// `trackshark export`, `map` and `stats`: argv to options, then src/export (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ExportFormat } from '../../export/formats.js';
import { exportOptions, inputRunOptions } from '../options.js';

/** What the three commands share: the inputs and how to read them. */
export interface MessageArgs {
  inputs: string[];
  quiet: boolean;
  input?: string;
  protocol?: string;
  direction?: string;
  decodeAs?: string[];
  device?: string[];
}

export function messageInputs(argv: ArgumentsCamelCase<MessageArgs>) {
  return {
    ...inputRunOptions(argv),
    quiet: argv.quiet,
    ...(argv.device ? { devices: argv.device } : {}),
  };
}

export const inputsPositional = {
  type: 'string',
  array: true,
  describe: 'Files or directories to read, or - for stdin',
} as const;

type ExportArgs = MessageArgs & { to: ExportFormat; out?: string };

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <inputs..>',
  describe: 'Export decoded messages as Wialon WLN or message JSON, flespi-style JSON, CSV or GeoJSON',
  builder: (y: Argv) =>
    y
      .positional('inputs', inputsPositional)
      .options(exportOptions)
      .example('$0 export --to wln captures/pcap/mt700-ipv4-ns-be.pcap', 'WLN lines for Wialon')
      .example(
        '$0 export --to geojson --out track.geojson captures/h02/v1.txt',
        'Points and one LineString per device',
      ) as unknown as Argv<ExportArgs>,
  handler: async (argv: ArgumentsCamelCase<ExportArgs>) => {
    const { runExport } = await import('../../export/run.js');
    process.exitCode = await runExport(
      { ...messageInputs(argv), to: argv.to, ...(argv.out !== undefined ? { out: argv.out } : {}) },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
