// `trackshark serve`: argv to options, then the platform emulator (loaded lazily).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

type ServeArgs = {
  host: string;
  port: number;
  udp: boolean;
  protocol?: string;
  push?: string[];
  ota?: string;
  otaDevice?: string;
  json: boolean;
  maxConnections: number;
  udpIdle: number;
  tlsCert?: string;
  tlsKey?: string;
  duration?: number;
};

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe:
    'Platform emulator (MT700, Meiligao/VT600, H02 over TCP and UDP): decodes, logs and answers devices',
  builder: (y: Argv) =>
    y
      .options({
        host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' },
        port: { type: 'number', default: 0, describe: 'TCP port, UDP on the same number (0: any free port)' },
        udp: { type: 'boolean', default: true, describe: 'Listen on UDP too (--no-udp: TCP only)' },
        protocol: {
          type: 'string',
          describe: 'Decode every device as this protocol instead of detecting it',
        },
        push: {
          type: 'string',
          array: true,
          nargs: 1,
          describe:
            'Server command sent once a device identifies itself: mt700=MODE,1,10\\r\\n, h02=*HQ,{id},S20,130305,1,1#, meiligao=0x4132:30 (repeatable)',
        },
        ota: {
          type: 'string',
          describe:
            'Run the VT600 OTA procedure (0x9500-0x9504) with this firmware file against Meiligao devices',
        },
        'ota-device': {
          type: 'string',
          describe: 'Only this device id; the platform starts the procedure as soon as a TCP device connects',
        },
        json: { type: 'boolean', default: false, describe: 'NDJSON events instead of lines' },
        'max-connections': {
          type: 'number',
          default: 10_000,
          describe: 'Connections at once (TCP sockets plus UDP peers)',
        },
        'udp-idle': {
          type: 'number',
          default: 120,
          describe: 'Seconds of silence after which a UDP peer is forgotten (its close logged)',
        },
        'tls-cert': {
          type: 'string',
          describe: 'PEM certificate: TCP over TLS (with --tls-key; UDP stays plain)',
        },
        'tls-key': { type: 'string', describe: 'PEM private key of --tls-cert' },
        duration: { type: 'number', describe: 'Stop after this many seconds (default: at SIGINT/SIGTERM)' },
      })
      .example('$0 serve --port 5000', 'Accept devices on 127.0.0.1:5000 over TCP and UDP')
      .example(
        '$0 serve --port 5000 --tls-cert cert.pem --tls-key key.pem',
        'Devices over TLS on TCP (replay --tls)',
      )
      .example(
        '$0 serve --port 5000 --ota fw.bin --ota-device 101130923633',
        'Upgrade a VT600 over the air as soon as it connects',
      ) as unknown as Argv<ServeArgs>,
  handler: async (argv: ArgumentsCamelCase<ServeArgs>) => {
    const { runServe } = await import('../../replay/serve/run-serve.js');
    process.exitCode = await runServe(
      {
        host: argv.host,
        port: argv.port,
        udp: argv.udp,
        push: argv.push ?? [],
        json: argv.json,
        maxConnections: argv.maxConnections,
        udpIdle: argv.udpIdle,
        ...(argv.protocol ? { protocol: argv.protocol } : {}),
        ...(argv.ota ? { ota: argv.ota } : {}),
        ...(argv.otaDevice ? { otaDevice: argv.otaDevice } : {}),
        ...(argv.tlsCert !== undefined ? { tlsCert: argv.tlsCert } : {}),
        ...(argv.tlsKey !== undefined ? { tlsKey: argv.tlsKey } : {}),
        ...(argv.duration !== undefined ? { duration: argv.duration } : {}),
      },
      { stdout: process.stdout, stderr: process.stderr },
    );
  },
};
