// `trackshark fuzz` and `trackshark fuzz replay <finding>`: argv to options, then the fuzz pipeline
// (loaded lazily). Bad arguments are one line on stderr and exit status 2.
import type { ArgumentsCamelCase, Argv, CommandModule, Options } from 'yargs';

export const fuzzOptions = {
  target: {
    type: 'string',
    describe: 'A live server, host:port (loopback unless --allow-host names it); in-process when omitted',
  },
  udp: { type: 'boolean', default: false, describe: 'The target speaks UDP (default TCP)' },
  'allow-host': {
    type: 'string',
    array: true,
    nargs: 1,
    describe: 'A non-loopback host that may be fuzzed (repeatable)',
  },
  protocol: {
    type: 'string',
    array: true,
    nargs: 1,
    describe: 'Protocols to fuzz (repeatable; default: all)',
  },
  session: { type: 'string', describe: 'Session prefix sent before each case: meiligao-login, mt700-report' },
  seed: {
    type: 'number',
    default: 1,
    describe: 'Run seed: with a case index it regenerates identical bytes',
  },
  cases: { type: 'number', default: 10000, describe: 'Cases to run' },
  start: { type: 'number', default: 0, describe: 'First case index' },
  duration: { type: 'number', describe: 'Stop after this many seconds' },
  seeds: {
    type: 'string',
    array: true,
    nargs: 1,
    describe: 'Captures or logs whose frames become seeds (repeatable)',
  },
  'schema-seeds': {
    type: 'boolean',
    default: true,
    describe: 'Seed with valid frames generated from the schemas (--no-schema-seeds: files only)',
  },
  'bad-derived': {
    type: 'number',
    default: 0.1,
    describe: 'Share of cases whose length/checksum is left wrong on purpose',
  },
  out: { type: 'string', default: 'fuzz-findings', describe: 'Folder for findings (JSON and pcapng)' },
  'server-log': { type: 'string', describe: 'A file the server logs to: new error lines are findings' },
  'log-pattern': { type: 'string', describe: 'What an error line matches (a regular expression)' },
  timeout: { type: 'number', describe: 'Reply timeout in ms (default: from the measured baseline)' },
  concurrency: { type: 'number', default: 2, describe: 'Connections at once (1 to 16)' },
  minimise: {
    type: 'boolean',
    default: true,
    describe: 'Minimise findings (--no-minimise to keep them as found)',
  },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No progress line and no summary' },
} as const satisfies Record<string, Options>;

type FuzzArgs = {
  target?: string;
  udp: boolean;
  allowHost?: string[];
  protocol?: string[];
  session?: string;
  seed: number;
  cases: number;
  start: number;
  duration?: number;
  seeds?: string[];
  schemaSeeds: boolean;
  badDerived: number;
  out: string;
  serverLog?: string;
  logPattern?: string;
  timeout?: number;
  concurrency: number;
  minimise: boolean;
  quiet: boolean;
};

type ReplayArgs = {
  finding: string;
  target?: string;
  allowHost?: string[];
  verify: number;
  timeout?: number;
  serverLog?: string;
  logPattern?: string;
};

/** Runs a fuzz step, turning argument errors into one line and exit status 2. */
async function guarded(run: () => Promise<number>): Promise<void> {
  const { FuzzArgumentError } = await import('../../fuzz/command.js');
  try {
    process.exitCode = await run();
  } catch (e) {
    if (!(e instanceof FuzzArgumentError || (e instanceof Error && /^cannot connect/.test(e.message))))
      throw e;
    process.stderr.write(`trackshark: fuzz: ${e.message}\n`);
    process.exitCode = 2;
  }
}

function checkNumbers(a: FuzzArgs): string | undefined {
  if (!Number.isInteger(a.seed)) return '--seed must be an integer';
  if (!Number.isInteger(a.cases) || a.cases < 1) return '--cases must be a positive integer';
  if (!Number.isInteger(a.start) || a.start < 0) return '--start must be a non-negative integer';
  if (!(a.badDerived >= 0 && a.badDerived <= 1)) return '--bad-derived must be between 0 and 1';
  if (!Number.isInteger(a.concurrency) || a.concurrency < 1 || a.concurrency > 16)
    return '--concurrency must be 1 to 16';
  if (a.duration !== undefined && !(a.duration > 0)) return '--duration must be positive';
  if (a.timeout !== undefined && !(a.timeout > 0)) return '--timeout must be positive';
  return undefined;
}

const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <finding>',
  describe: "Resend exactly a finding's bytes; exit status 1 when it reproduces",
  builder: (y: Argv) =>
    y
      .positional('finding', { type: 'string', describe: 'A finding .json written by trackshark fuzz' })
      .options({
        target: { type: 'string', describe: "Send to this host:port instead of the finding's target" },
        'allow-host': fuzzOptions['allow-host'],
        verify: { type: 'number', default: 1, describe: 'Resend N times and report how often it reproduces' },
        timeout: fuzzOptions.timeout,
        'server-log': fuzzOptions['server-log'],
        'log-pattern': fuzzOptions['log-pattern'],
      }) as unknown as Argv<ReplayArgs>,
  handler: async (argv: ArgumentsCamelCase<ReplayArgs>) => {
    if (!Number.isInteger(argv.verify) || argv.verify < 1 || argv.verify > 10000) {
      process.stderr.write('trackshark: fuzz: --verify must be 1 to 10000\n');
      process.exitCode = 2;
      return;
    }
    await guarded(async () => {
      const { runFuzzReplay } = await import('../../fuzz/replay-command.js');
      const { PROTOCOLS } = await import('../../protocols/index.js');
      return runFuzzReplay(
        {
          finding: argv.finding,
          protocols: PROTOCOLS,
          verify: argv.verify,
          ...(argv.target ? { target: argv.target } : {}),
          ...(argv.allowHost ? { allowHosts: argv.allowHost } : {}),
          ...(argv.timeout !== undefined ? { timeoutMs: argv.timeout } : {}),
          ...(argv.serverLog ? { serverLog: argv.serverLog } : {}),
          ...(argv.logPattern ? { logPattern: argv.logPattern } : {}),
        },
        { stdout: process.stdout, stderr: process.stderr },
      );
    });
  },
};

export const fuzzCommand: CommandModule<object, FuzzArgs> = {
  command: 'fuzz',
  describe: "Schema-aware fuzzing of trackshark's decoders or a live tracking server",
  builder: (y: Argv) =>
    y
      .command(replayCommand as unknown as CommandModule)
      .options(fuzzOptions)
      .example('$0 fuzz --cases 1000000', "A million cases through trackshark's own decoders")
      .example(
        '$0 fuzz --target 127.0.0.1:5013 --protocol meiligao --session meiligao-login --seeds server.log',
        'A local Meiligao server, seeded with frames from its log',
      )
      .example(
        '$0 fuzz replay fuzz-findings/finding-1-42-closed.json --verify 10',
        'How often a finding reproduces',
      ) as unknown as Argv<FuzzArgs>,
  handler: async (argv: ArgumentsCamelCase<FuzzArgs>) => {
    const bad = checkNumbers(argv);
    if (bad) {
      process.stderr.write(`trackshark: fuzz: ${bad}\n`);
      process.exitCode = 2;
      return;
    }
    await guarded(async () => {
      const { runFuzz, FuzzArgumentError } = await import('../../fuzz/command.js');
      const { PROTOCOLS, protocolByName } = await import('../../protocols/index.js');
      const protocols = (argv.protocol ?? PROTOCOLS.map((p) => p.name)).map((name) => {
        const p = protocolByName(name);
        if (!p)
          throw new FuzzArgumentError(
            `unknown protocol '${name}' (known: ${PROTOCOLS.map((x) => x.name).join(', ')})`,
          );
        return p;
      });
      const files = argv.seeds;
      return runFuzz(
        {
          protocols,
          ...(files
            ? {
                sourceFrames: async () => {
                  const { inputFrames } = await import('../../pipeline/fuzz-frames.js');
                  return inputFrames(files, protocols);
                },
              }
            : {}),
          seed: argv.seed,
          cases: argv.cases,
          start: argv.start,
          out: argv.out,
          udp: argv.udp,
          schemaSeeds: argv.schemaSeeds,
          badDerivedShare: argv.badDerived,
          concurrency: argv.concurrency,
          minimise: argv.minimise,
          quiet: argv.quiet,
          ...(argv.target ? { target: argv.target } : {}),
          ...(argv.allowHost ? { allowHosts: argv.allowHost } : {}),
          ...(argv.session ? { session: argv.session } : {}),
          ...(argv.duration !== undefined ? { durationS: argv.duration } : {}),
          ...(argv.serverLog ? { serverLog: argv.serverLog } : {}),
          ...(argv.logPattern ? { logPattern: argv.logPattern } : {}),
          ...(argv.timeout !== undefined ? { timeoutMs: argv.timeout } : {}),
        },
        { stdout: process.stdout, stderr: process.stderr },
      );
    });
  },
};
