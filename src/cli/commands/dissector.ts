// `trackshark dissector [--out dir] [--protocol p]`: argv to options, then the generator (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

type DissectorArgs = { out: string; protocol?: string };

export const dissectorCommand: CommandModule<object, DissectorArgs> = {
  command: 'dissector',
  describe: 'Generate the Wireshark Lua dissectors (one per protocol family) from the schemas',
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', default: 'dissectors', describe: 'Folder the .lua files go to' })
      .option('protocol', {
        type: 'string',
        describe: 'Only this protocol (meiligao, mt700, h02, fibocom, wln)',
      })
      .example('$0 dissector', 'Regenerate dissectors/*.lua')
      .example(
        '$0 dissector --protocol meiligao --out ~/.local/lib/wireshark/plugins',
        'Install one',
      ) as unknown as Argv<DissectorArgs>,
  handler: async (argv: ArgumentsCamelCase<DissectorArgs>) => {
    const { PAYLOAD_PROTOCOLS, PROTOCOLS, protocolByName } = await import('../../protocols/index.js');
    let protocols = PROTOCOLS;
    if (argv.protocol !== undefined) {
      const p = protocolByName(argv.protocol);
      if (!p) {
        process.stderr.write(
          `trackshark: unknown protocol "${argv.protocol}" (known: ${PROTOCOLS.map((x) => x.name).join(', ')})\n`,
        );
        process.exitCode = 2;
        return;
      }
      protocols = [p];
    }
    const { runDissector } = await import('../../dissector/run.js');
    process.exitCode = runDissector(
      { out: argv.out, protocols, payloads: PAYLOAD_PROTOCOLS },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
