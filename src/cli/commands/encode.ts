// `trackshark encode <protocol> <frame> [fields...]`: argv to options, then the pipeline (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { encodeOptions, fromStdinArg } from '../options.js';

type EncodeArgs = {
  protocol?: string;
  frame?: string;
  fields?: string[];
  value?: string;
  valueFile?: string;
  direction?: string;
  raw?: boolean;
  tree?: boolean;
  json?: boolean;
  keepDerived: boolean;
  quiet: boolean;
  list: boolean;
  fix?: string;
  input?: string;
};

export const encodeCommand: CommandModule<object, EncodeArgs> = {
  command: 'encode [protocol] [frame] [fields..]',
  describe:
    'Build a frame from fields (lengths and checksums filled in); --fix re-encodes bad frames; --list',
  builder: (y: Argv) =>
    y
      .positional('protocol', { type: 'string', describe: 'meiligao, mt700, h02, fibocom or wln' })
      .positional('frame', {
        type: 'string',
        describe: 'Frame type, or a command of it: MODE, 0x9501, ota_authorize, S20, +MIPSEND, ...',
      })
      .positional('fields', {
        type: 'string',
        array: true,
        describe: 'name=value, names as decode --json prints them (the frame root may be left out)',
      })
      .options(encodeOptions)
      .conflicts('raw', ['tree', 'json'])
      .conflicts('tree', 'json')
      .example(
        '$0 encode mt700 MODE mode=1 interval=10',
        'The hex of MODE,1,10 (--raw writes the text itself)',
      )
      .example(
        '$0 encode meiligao ota_authorize device_id=101130923633',
        'The VT600 OTA 0x9501 authorization, length and CRC filled in',
      )
      .example(
        '$0 encode fibocom AT+MIPSEND socket_id=1 data=$($0 encode meiligao ota_authorize device_id=101130923633)',
        'An AT+MIPSEND line carrying a Meiligao frame',
      )
      .example('$0 encode --fix captures/vt600/ota-commands.hex', 'Recompute lengths and checksums')
      .example(
        '$0 encode --list mt700 MODE',
        'The fields of MT700 MODE, with types and ranges',
      ) as unknown as Argv<EncodeArgs>,
  handler: async (argv: ArgumentsCamelCase<EncodeArgs>) => {
    const { runEncode } = await import('../../pipeline/encode-run.js');
    const output = argv.raw ? 'raw' : argv.tree ? 'tree' : argv.json ? 'json' : 'hex';
    process.exitCode = await runEncode(
      {
        ...(argv.protocol !== undefined ? { protocol: argv.protocol } : {}),
        ...(argv.frame !== undefined ? { frame: argv.frame } : {}),
        fields: (argv.fields ?? []).map(String),
        ...(argv.value !== undefined ? { value: argv.value } : {}),
        ...(argv.valueFile !== undefined ? { valueFile: fromStdinArg(argv.valueFile) } : {}),
        ...(argv.direction ? { direction: argv.direction as never } : {}),
        ...(argv.input ? { input: argv.input as never } : {}),
        ...(argv.fix !== undefined ? { fix: fromStdinArg(argv.fix) } : {}),
        output,
        keepDerived: argv.keepDerived,
        quiet: argv.quiet,
        list: argv.list,
      },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
