// `trackshark replay --tls` against the real `trackshark serve --tls-cert/--tls-key`, both children of
// the test on loopback, with the self-signed test certificate of test/fixtures/tls.
import { afterEach, expect, test } from 'vitest';
import { trackshark, ndjson } from '../helpers/cli.js';
import { run, serve, until, type ServeChild } from './helpers.js';

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
      `^\\s+\\d+\\.\\d{3} S1\\s+error connect ${server.target}: TLS certificate refused: self-signed certificate \\(DEPTH_ZERO_SELF_SIGNED_CERT\\); --ca FILE trusts its issuer, --insecure accepts it$`,
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

test('--ca trusts the platform certificate, checked against the target address or --servername', async () => {
  server = await serve([...TLS, '--json', '--no-udp']);
  const replay = (...extra: string[]) =>
    run([
      'replay',
      'captures/pcap/mt700-ipv4-ns-be.pcap',
      '--target',
      server!.target,
      '--tls',
      ...FAST,
      ...extra,
    ]);
  // The certificate names IP 127.0.0.1 and DNS localhost: both verify with it as the CA.
  for (const extra of [[], ['--servername', 'localhost']]) {
    const ok = await replay('--ca', 'test/fixtures/tls/cert.pem', ...extra);
    expect(ok.stderr).toContain('1 session, 4 frames sent');
    expect(ok.stderr).toContain('errors 0');
    expect(ok.status).toBe(0);
  }
  // A name the certificate does not carry is refused even by a trusted issuer.
  const wrong = await replay('--ca', 'test/fixtures/tls/cert.pem', '--servername', 'tracker.example');
  expect(wrong.status).toBe(1);
  expect(wrong.stdout.split('\n').filter((l) => l.includes(' error '))).toEqual([
    expect.stringMatching(
      /error connect 127\.0\.0\.1:\d+: TLS certificate refused: Hostname\/IP does not match certificate's altnames: Host: tracker\.example\. is not in the cert's altnames: IP Address:127\.0\.0\.1, DNS:localhost \(ERR_TLS_CERT_ALTNAME_INVALID\); --ca FILE trusts its issuer, --insecure accepts it$/,
    ),
  ]);
});

test('--ca names a file it cannot use, and the TLS options want --tls', () => {
  const replay = (...extra: string[]) =>
    trackshark([
      'replay',
      'captures/pcap/mt700-ipv4-ns-be.pcap',
      '--target',
      '127.0.0.1:9',
      '--headless',
      ...extra,
    ]);
  const missing = replay('--tls', '--ca', 'no/such.pem');
  expect([missing.status, missing.stderr]).toEqual([2, 'trackshark: --ca no/such.pem: no such file\n']);
  const notPem = replay('--tls', '--ca', 'test/fixtures/tls/README.md');
  expect([notPem.status, notPem.stderr]).toEqual([
    2,
    'trackshark: --ca test/fixtures/tls/README.md: no PEM certificate in it (-----BEGIN CERTIFICATE-----)\n',
  ]);
  const plain = replay('--ca', 'test/fixtures/tls/cert.pem', '--insecure');
  expect([plain.status, plain.stderr]).toEqual([
    2,
    'trackshark: --ca, --insecure: only with --tls, which the command does not have\n',
  ]);
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
