// `trackshark replay --tls` against the real `trackshark serve --tls-cert/--tls-key`, both children of
// the test on loopback, with the self-signed test certificate of test/fixtures/tls.
import { afterEach, expect, test } from 'vitest';
import { trackshark, ndjson } from '../helpers/cli.js';
import { run, serve, type ServeChild } from './helpers.js';

const TLS = ['--tls-cert', 'test/fixtures/tls/cert.pem', '--tls-key', 'test/fixtures/tls/key.pem'];
const FAST = ['--top', '--headless', '--reply-timeout', '0.5'];

let server: ServeChild | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

interface ServeEvent {
  transport: string;
  peer: string;
  kind: string;
  protocol?: string;
  frameType?: string;
  hex?: string;
  text?: string;
}
const eventsOf = (stdout: string) => ndjson(stdout) as unknown as ServeEvent[];

/** Polls until `done` holds, for at most `ms`: the platform logs a peer's hang-up asynchronously. */
async function until(done: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
}

test('the server log replays over TLS with every frame delivered and every reply matched', async () => {
  server = await serve([
    ...TLS,
    '--json',
    '--push',
    'meiligao=0x4132:343830',
    '--push',
    'mt700=MODE,1,10\\r\\n',
  ]);
  expect(server.out.stderr).toMatch(/^trackshark serve: listening on tls 127\.0\.0\.1:\d+ and udp /);
  const r = await run([
    'replay',
    'captures/server-logs/tracking-server.log',
    '--target',
    server.target,
    '--tls',
    '--insecure',
    ...FAST,
  ]);
  expect(r.stderr).toContain('3 sessions, 7 frames sent, 3 received');
  expect(r.stderr).toContain('replies: 3 match, 0 different, 0 missing, 0 unexpected; errors 0');
  expect(r.status).toBe(0);
  const events = eventsOf((await server.stop()).stdout);
  server = undefined;
  // Both TCP conversations (Meiligao, MT700) connected over TLS; the H02 one is UDP, always plain.
  const connects = events.filter((e) => e.kind === 'connect');
  expect(connects.filter((e) => e.transport === 'tcp').map((e) => e.text)).toEqual([
    expect.stringMatching(/^over TLSv1\.[23]$/),
    expect.stringMatching(/^over TLSv1\.[23]$/),
  ]);
  expect(connects.filter((e) => e.transport === 'udp').map((e) => e.text)).toEqual([undefined]);
  // Every device frame of the log arrived, decoded (sorted: the conversations run concurrently).
  const received = events
    .filter((e) => e.kind === 'in')
    .map((e) => `${e.transport} ${e.protocol} ${e.frameType}`);
  expect(received.sort()).toEqual([
    'tcp meiligao frame',
    'tcp meiligao frame',
    'tcp meiligao frame',
    'tcp meiligao frame',
    'tcp mt700 reply',
    'tcp mt700 report',
    'udp h02 message',
  ]);
  // The replies went back through the TLS connections: login confirmation, time zone, MODE.
  expect(
    events
      .filter((e) => e.kind === 'out')
      .map((e) => e.hex)
      .sort(),
  ).toEqual([
    '4040001212345678901fff400001ba310d0a',
    '4040001412345678901fff4132343830a7350d0a',
    '4d4f44452c312c31300d0a',
  ]);
});

test('without --insecure the self-signed certificate is refused with one clear line', async () => {
  server = await serve([...TLS, '--json', '--no-udp']);
  const r = await run([
    'replay',
    'captures/pcap/mt700-ipv4-ns-be.pcap',
    '--target',
    server.target,
    '--tls',
    ...FAST,
  ]);
  expect(r.status).toBe(1);
  const errors = r.stdout.split('\n').filter((l) => l.includes(' error '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(
    new RegExp(
      `^\\s+\\d+\\.\\d{3} S1\\s+error connect ${server.target}: TLS certificate refused: self-signed certificate \\(DEPTH_ZERO_SELF_SIGNED_CERT\\); --insecure accepts it$`,
    ),
  );
  expect(r.stderr).toContain('0 frames sent, 0 received');
  expect(r.stderr).toContain('errors 1');
  // The platform saw the handshake fail and never got a frame.
  const out = server.out;
  await until(() => out.stdout.includes('TLS handshake failed'), 5000);
  const events = eventsOf(out.stdout);
  expect(events.map((e) => [e.kind, e.text?.startsWith('TLS handshake failed: ')])).toEqual([['note', true]]);
});

test('serve wants both --tls-cert and --tls-key, and says which file it cannot read', () => {
  // --duration bounds the run should a check ever let serve start.
  const serveFor1s = ['serve', '--port', '0', '--duration', '1', ...TLS.slice(0, 2)];
  const half = trackshark(serveFor1s);
  expect(half.status).toBe(2);
  expect(half.stderr).toBe(
    'trackshark: --tls-cert and --tls-key go together: TLS needs both the certificate and its key\n',
  );
  const missing = trackshark([...serveFor1s, '--tls-key', 'no/such.pem']);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toBe('trackshark: --tls-key no/such.pem: no such file\n');
});

test('serve names a port outside 0-65535 instead of passing on the socket error', () => {
  const r = trackshark(['serve', '--port', '99999', '--duration', '1']);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    'trackshark: --port 99999: a port is a whole number from 0 (any free port) to 65535\n',
  );
});
