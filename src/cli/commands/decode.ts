// `trackshark decode <inputs...>`: argv to options, then the pipeline (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { decodeOptions, inputRunOptions } from '../options.js';

type DecodeArgs = {
  inputs: string[];
  json: boolean;
  hex: boolean;
  quiet: boolean;
  input?: string;
  protocol?: string;
  direction?: string;
  decodeAs?: string[];
  jobs?: number;
};

export const decodeCommand: CommandModule<object, DecodeArgs> = {
  command: 'decode <inputs..>',
  describe:
    'Decode pcap/pcapng captures, AT logs, server logs, WLN files, hex frame files and raw streams (- for stdin)',
  builder: (y: Argv) =>
    y
      .positional('inputs', {
        type: 'string',
        array: true,
        describe: 'Files or directories to decode, or - for stdin',
      })
      .options(decodeOptions)
      .example('$0 decode captures/vt600/ota-procedure.hex', 'Decode the VT600 OTA procedure frames')
      .example('$0 decode captures/pcap', 'Every capture in a folder, decoded on all cores')
      .example(
        '$0 decode --decode-as 7700=mt700 tcpdump.pcap',
        'Conversations on port 7700 are MT700, whatever their content',
      )
      .example(
        '$0 decode --json captures/fibocom/mt700-tcp-session.log',
        'NDJSON, AT lines with nested tracker frames',
      ) as unknown as Argv<DecodeArgs>,
  handler: async (argv: ArgumentsCamelCase<DecodeArgs>) => {
    const { runDecode } = await import('../../pipeline/run-decode.js');
    process.exitCode = await runDecode(
      {
        ...inputRunOptions(argv),
        json: argv.json,
        hex: argv.hex,
        quiet: argv.quiet,
        ...(argv.jobs !== undefined ? { jobs: argv.jobs } : {}),
      },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
