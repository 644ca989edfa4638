// The option table shared by commands (plain data, testable without running anything).
import type { Options } from 'yargs';
import { EXPORT_FORMATS } from '../export/formats.js';

export const INPUT_KINDS = [
  'at-log',
  'server-log',
  'hex-lines',
  'wln',
  'text-stream',
  'binary-stream',
  'pcap',
  'pcapng',
] as const;
export const DIRECTIONS = ['uplink', 'downlink'] as const;

export const inputOptions = {
  input: {
    type: 'string',
    choices: INPUT_KINDS,
    describe: 'What the inputs are (detected from their first bytes when omitted)',
  },
  protocol: {
    type: 'string',
    describe: 'Decode streams and hex lines as this protocol instead of detecting it',
  },
  direction: {
    type: 'string',
    choices: DIRECTIONS,
    describe: 'Who sent a raw stream: uplink (tracker to server) or downlink',
  },
  'decode-as': {
    type: 'string',
    array: true,
    // One value per flag, so that the inputs after it are not taken as more specs.
    nargs: 1,
    describe: 'Captures: decode TCP/UDP conversations on PORT as PROTOCOL (PORT=PROTOCOL, repeatable)',
  },
  jobs: {
    type: 'number',
    alias: 'j',
    describe: 'Inputs decoded at once on worker threads (default: one per core)',
  },
} as const satisfies Record<string, Options>;

export const decodeOptions = {
  ...inputOptions,
  json: { type: 'boolean', default: false, describe: 'NDJSON: one object per frame' },
  hex: { type: 'boolean', default: false, describe: "Show each frame's bytes under its tree" },
  quiet: {
    type: 'boolean',
    alias: 'q',
    default: false,
    describe: 'No per-problem lines or summary on stderr',
  },
} as const satisfies Record<string, Options>;

/** `check`, `export`, `map` and `stats` read inputs one after the other: no --jobs. */
const { jobs: _jobs, ...sequentialInputOptions } = inputOptions;

export const checkOptions = {
  ...sequentialInputOptions,
  json: {
    type: 'boolean',
    default: false,
    describe: 'One JSON object: totals, per input and per conversation',
  },
  junit: { type: 'string', describe: 'Also write JUnit XML to this file (one testsuite per input)' },
  'max-errors': {
    type: 'number',
    describe: 'Stop after this many invalid frames (or other failing records)',
  },
  allow: {
    type: 'string',
    array: true,
    nargs: 1,
    describe: 'Tolerate these rule ids (comma-separated or repeated; * is a wildcard)',
  },
  show: { type: 'number', default: 10, describe: 'Offending findings listed per input' },
  quiet: {
    type: 'boolean',
    alias: 'q',
    default: false,
    describe: 'No report and no progress line; only the exit status (and --json/--junit)',
  },
} as const satisfies Record<string, Options>;

export const encodeOptions = {
  value: { type: 'string', describe: 'A JSON object: the frame value, or dotted field names and values' },
  'value-file': { type: 'string', describe: 'A file (- for stdin) holding such an object' },
  direction: {
    ...inputOptions.direction,
    describe: 'Who sends the frame, for frames whose body or marker depends on it',
  },
  raw: { type: 'boolean', describe: 'Write the bytes themselves' },
  tree: { type: 'boolean', describe: 'Show the frame decoded back, as a tree' },
  json: { type: 'boolean', describe: 'The frame decoded back, as decode --json prints it' },
  'keep-derived': {
    type: 'boolean',
    default: false,
    describe: 'Keep given lengths and checksums instead of computing them (to craft bad frames)',
  },
  list: { type: 'boolean', default: false, describe: 'List the frames and fields [of a protocol [frame]]' },
  fix: {
    type: 'string',
    describe: 'Re-encode the frames of HEX or a FILE (- for stdin), derived fields recomputed',
  },
  input: { ...inputOptions.input, describe: '--fix: what the file is (detected when omitted)' },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No notes or warnings on stderr' },
} as const satisfies Record<string, Options>;

const deviceOption = {
  device: {
    type: 'string',
    array: true,
    nargs: 1,
    describe: 'Only this device (ident; the file name for inputs without one), repeatable',
  },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No summary on stderr' },
} as const satisfies Record<string, Options>;

export const exportOptions = {
  ...sequentialInputOptions,
  ...deviceOption,
  to: { type: 'string', choices: EXPORT_FORMATS, demandOption: true, describe: 'Output format' },
  out: { type: 'string', describe: 'File to write (default: stdout)' },
} as const satisfies Record<string, Options>;

export const mapOptions = {
  ...sequentialInputOptions,
  ...deviceOption,
  out: { type: 'string', demandOption: true, describe: 'track.svg or track.html' },
} as const satisfies Record<string, Options>;

export const statsOptions = {
  ...sequentialInputOptions,
  ...deviceOption,
  json: { type: 'boolean', default: false, describe: 'One JSON object instead of tables' },
} as const satisfies Record<string, Options>;

/** yargs drops a lone `-` (stdin): it travels through parsing as this sentinel instead. */
export const STDIN_ARG = '\u0000stdin';

export function toStdinArg(arg: string): string {
  return arg === '-' ? STDIN_ARG : arg;
}

export function fromStdinArg(arg: string): string {
  return arg === STDIN_ARG ? '-' : arg;
}

/** What yargs parsed of the input options. */
export interface InputArgs {
  readonly inputs: readonly string[];
  readonly input?: string | undefined;
  readonly protocol?: string | undefined;
  readonly direction?: string | undefined;
  readonly decodeAs?: readonly string[] | undefined;
}

/** The input options as a run's options; choices were checked by yargs. */
export function inputRunOptions(argv: InputArgs) {
  return {
    inputs: argv.inputs.map(fromStdinArg),
    ...(argv.input ? { input: argv.input as (typeof INPUT_KINDS)[number] } : {}),
    ...(argv.protocol ? { protocol: argv.protocol } : {}),
    ...(argv.direction ? { direction: argv.direction as (typeof DIRECTIONS)[number] } : {}),
    ...(argv.decodeAs ? { decodeAs: argv.decodeAs } : {}),
  };
}
