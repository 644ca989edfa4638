// `trackshark check <inputs...>`: argv to options, then the check pipeline (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkOptions, inputRunOptions } from '../options.js';

type CheckArgs = {
  inputs: string[];
  json: boolean;
  junit?: string;
  maxErrors?: number;
  allow?: string[];
  show: number;
  quiet: boolean;
  input?: string;
  protocol?: string;
  direction?: string;
  decodeAs?: string[];
};

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <inputs..>',
  describe:
    'Validate every frame (checksums, lengths, terminators, syntax, documented ranges); exit 1 if any is invalid',
  builder: (y: Argv) =>
    y
      .positional('inputs', {
        type: 'string',
        array: true,
        describe: 'Files or directories to check, or - for stdin',
      })
      .options(checkOptions)
      .example('$0 check captures/vt600', "Flags the VT600 document's three wrong examples; exit status 1")
      .example(
        '$0 check --junit report.xml fleet.pcap',
        'JUnit XML for CI, one testcase per TCP conversation',
      )
      .example('$0 check --allow "mt700.*.range" --max-errors 100 logs/', 'Tolerate ranges, stop after 100')
      .example(
        '$0 check --json captures/mt700/wifi-examples.txt',
        'One JSON object with every count',
      ) as unknown as Argv<CheckArgs>,
  handler: async (argv: ArgumentsCamelCase<CheckArgs>) => {
    const { runCheck } = await import('../../pipeline/check-run.js');
    process.exitCode = await runCheck(
      {
        ...inputRunOptions(argv),
        json: argv.json,
        show: argv.show,
        quiet: argv.quiet,
        ...(argv.junit !== undefined ? { junit: argv.junit } : {}),
        ...(argv.maxErrors !== undefined ? { maxErrors: argv.maxErrors } : {}),
        ...(argv.allow ? { allow: argv.allow } : {}),
      },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
