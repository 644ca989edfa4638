// `trackshark replay <input> --target host:port`: argv to options, then the replay (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { fromStdinArg, INPUT_KINDS } from '../options.js';

type ReplayArgs = {
  input: string;
  target: string;
  inputKind?: string;
  protocol?: string;
  decodeAs?: string[];
  transport?: string;
  speed: number;
  top: boolean;
  maxGap?: number;
  step: boolean;
  loop: number;
  loopDelay: number;
  imei?: string;
  devices: number;
  rampUp: number;
  concurrency: number;
  duration: number;
  replyTimeout: number;
  connectTimeout: number;
  tls: boolean;
  insecure: boolean;
  ca?: string;
  servername?: string;
  allowRemote?: string[];
  record?: string;
  summary?: string;
  headless: boolean;
};

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <input>',
  describe: 'Replay the device side of a capture or log against a server, comparing its replies',
  builder: (y: Argv) =>
    y
      .positional('input', {
        type: 'string',
        describe: 'pcap/pcapng capture, AT log, server log, hex frames',
      })
      .options({
        target: {
          type: 'string',
          demandOption: true,
          describe: 'Server host:port (loopback unless --allow-remote)',
        },
        'input-kind': {
          type: 'string',
          choices: INPUT_KINDS,
          describe: 'What the input is (detected when omitted)',
        },
        protocol: { type: 'string', describe: 'Decode the input as this protocol instead of detecting it' },
        'decode-as': {
          type: 'string',
          array: true,
          nargs: 1,
          describe: 'Captures: PORT=PROTOCOL (repeatable)',
        },
        transport: {
          type: 'string',
          choices: ['tcp', 'udp'],
          describe: 'For inputs that do not say (raw streams, hex lines)',
        },
        speed: { type: 'number', default: 1, describe: 'Speed factor against the capture timing' },
        top: {
          type: 'boolean',
          default: false,
          describe: 'Top speed: each frame as soon as its replies came',
        },
        'max-gap': { type: 'number', describe: 'Longest pause kept between frames, in seconds' },
        step: {
          type: 'boolean',
          default: false,
          describe: 'One frame per key (s in the TUI, Enter with --headless)',
        },
        loop: { type: 'number', default: 1, describe: 'Play the input this many times' },
        'loop-delay': { type: 'number', default: 0, describe: 'Pause between loops, in ms' },
        imei: {
          type: 'string',
          describe: 'Device id written into every frame (recomputing lengths and checksums)',
        },
        devices: {
          type: 'number',
          default: 1,
          describe: 'Fan each conversation out to N devices with ids counted up',
        },
        'ramp-up': { type: 'number', default: 0, describe: 'Seconds over which the devices start' },
        concurrency: { type: 'number', default: 2000, describe: 'Sessions open at once' },
        duration: { type: 'number', default: 600, describe: 'Stop after this many seconds' },
        'reply-timeout': { type: 'number', default: 2, describe: 'Seconds to wait for each recorded reply' },
        'connect-timeout': {
          type: 'number',
          default: 5,
          describe: 'Seconds a session waits for its connection (TLS handshake included)',
        },
        tls: { type: 'boolean', default: false, describe: 'TCP sessions over TLS' },
        insecure: { type: 'boolean', default: false, describe: 'TLS: accept any server certificate' },
        ca: {
          type: 'string',
          describe: 'TLS: also trust the certificates in this PEM file (a private CA, a self-signed server)',
        },
        servername: {
          type: 'string',
          describe: 'TLS: the name the server certificate must carry (SNI), when not the target host',
        },
        'allow-remote': {
          type: 'string',
          array: true,
          nargs: 1,
          describe: 'Allow this non-loopback target host',
        },
        record: { type: 'string', describe: 'Write the whole replay, replies included, to this pcapng file' },
        summary: { type: 'string', describe: 'Write a JSON summary to this file' },
        headless: {
          type: 'boolean',
          default: false,
          describe: 'Event lines instead of the TUI (always when not a terminal)',
        },
      })
      .example(
        '$0 replay captures/pcap/vt600-sll2-us-le.pcap --target :5000 --top',
        'As fast as replies allow',
      )
      .example(
        '$0 replay captures/pcap/mt700-ipv4-ns-be.pcap --target 127.0.0.1:7700 --devices 2000 --ramp-up 5',
        'Two thousand devices with distinct IMEIs',
      ) as unknown as Argv<ReplayArgs>,
  handler: async (argv: ArgumentsCamelCase<ReplayArgs>) => {
    const { runReplay } = await import('../../replay/run-replay.js');
    process.exitCode = await runReplay(
      {
        input: fromStdinArg(argv.input),
        target: argv.target,
        speed: argv.speed,
        top: argv.top,
        step: argv.step,
        loop: argv.loop,
        loopDelay: argv.loopDelay,
        devices: argv.devices,
        rampUp: argv.rampUp,
        concurrency: argv.concurrency,
        duration: argv.duration,
        replyTimeout: argv.replyTimeout,
        connectTimeout: argv.connectTimeout,
        tls: argv.tls,
        insecure: argv.insecure,
        allowRemote: argv.allowRemote ?? [],
        headless: argv.headless,
        ...(argv.inputKind ? { inputKind: argv.inputKind as never } : {}),
        ...(argv.protocol ? { protocol: argv.protocol } : {}),
        ...(argv.decodeAs ? { decodeAs: argv.decodeAs } : {}),
        ...(argv.transport ? { transport: argv.transport as never } : {}),
        ...(argv.maxGap !== undefined ? { maxGap: argv.maxGap } : {}),
        ...(argv.imei ? { imei: argv.imei } : {}),
        ...(argv.ca !== undefined ? { ca: argv.ca } : {}),
        ...(argv.servername !== undefined ? { servername: argv.servername } : {}),
        ...(argv.record ? { record: argv.record } : {}),
        ...(argv.summary ? { summary: argv.summary } : {}),
      },
      { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    );
  },
};
