// The option table shared by commands (plain data, testable without running anything).
import type { Options } from 'yargs';

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

/** yargs drops a lone `-` (stdin): it travels through parsing as this sentinel instead. */
export const STDIN_ARG = '\u0000stdin';

export function toStdinArg(arg: string): string {
  return arg === '-' ? STDIN_ARG : arg;
}

export function fromStdinArg(arg: string): string {
  return arg === STDIN_ARG ? '-' : arg;
}
