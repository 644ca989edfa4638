// Replay and serve at their limits, for real on loopback: a platform that never accepts (connect
// timeouts, a stop while connecting), many sessions waiting at once, UDP peers that go quiet.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { afterEach, expect, test } from 'vitest';
import { startPlatform, type PlatformEvent } from '../../src/replay/serve/platform.js';
import { platform, run, until, type TestPlatform } from './helpers.js';

/**
 * A TCP listener that never accepts or reads: its process blocks its own event loop once listening.
 * The kernel still completes TCP handshakes for it; a TLS handshake never gets an answer.
 */
function deafListener(): Promise<{ child: ChildProcess; target: string }> {
  const script = `
    const server = require('node:net').createServer();
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      process.stdout.write(server.address().port + '\\n', () =>
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000));
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (b: Buffer) => resolve({ child, target: `127.0.0.1:${b.toString().trim()}` }));
    child.once('exit', (code) => reject(new Error(`listener exited ${code}`)));
  });
}

let deaf: ChildProcess | undefined;
let server: TestPlatform | undefined;
afterEach(async () => {
  deaf?.kill('SIGKILL');
  deaf = undefined;
  await server?.platform.close();
  server = undefined;
});

const MT700 = 'captures/pcap/mt700-ipv4-ns-be.pcap';

/**
 * The real replay of the MT700 capture against a deaf listener, with its wall time. The child is
 * killed at 15 s (status null): what happens when a socket left open keeps it alive.
 */
async function replayDeaf(...more: string[]) {
  const listener = await deafListener();
  deaf = listener.child;
  const t = performance.now();
  const args = ['replay', MT700, '--target', listener.target, '--top', '--headless', ...more];
  const r = await run(args, 15_000);
  return { ...r, ms: performance.now() - t };
}

test('a server that never answers the FIN does not hold the replay open', async () => {
  // The kernel completes the handshakes on the listener's behalf; the frames go into its buffers.
  const r = await replayDeaf('--devices', '2');
  expect(r.status).toBe(0);
  expect(r.ms).toBeLessThan(10_000);
  expect(r.stderr).toContain('2 sessions, 8 frames sent, 0 received');
});

test('sessions whose TLS handshake times out leave no socket behind: the replay ends when they do', async () => {
  const r = await replayDeaf('--devices', '4', '--tls', '--insecure', '--connect-timeout', '0.5');
  expect(r.status).toBe(1);
  expect(r.ms).toBeLessThan(10_000);
  const timeouts = r.stdout.split('\n').filter((l) => l.includes(' error connect '));
  expect(timeouts).toHaveLength(4);
  for (const line of timeouts)
    expect(line).toMatch(/error connect 127\.0\.0\.1:\d+: no connection within 500 ms$/);
  expect(r.stderr).toContain('4 sessions, 0 frames sent');
  expect(r.stderr).toContain('errors 4');
});

test('a stop while sessions connect ends them at once, not after the connect timeout', async () => {
  const r = await replayDeaf(
    '--devices',
    '4',
    '--tls',
    '--insecure',
    '--connect-timeout',
    '30',
    '--duration',
    '1',
  );
  expect(r.status).toBe(1);
  expect(r.ms).toBeLessThan(8_000);
  expect(r.stderr).toContain('stopped early: duration limit 1000 ms');
  // Connects cut short by the stop are not failures of the server.
  expect(r.stdout).not.toContain(' error ');
  expect(r.stderr).toContain('errors 0');
});

test('many sessions waiting for replies at once raise no listener-leak warning', async () => {
  // No pushes: the log's time zone and MODE replies never come, so every session waits for them.
  server = await platform();
  const r = await run([
    'replay',
    'captures/server-logs/tracking-server.log',
    '--target',
    server.target,
    '--top',
    '--headless',
    '--reply-timeout',
    '0.5',
    '--devices',
    '20',
  ]);
  expect(r.stderr).toContain('60 sessions, 140 frames sent');
  expect(r.stderr).toContain('40 missing');
  expect(r.stderr).not.toContain('MaxListenersExceededWarning');
});

test('serve forgets a UDP peer after --udp-idle, logging its close, and greets it anew', async () => {
  const events: PlatformEvent[] = [];
  const p = await startPlatform({
    host: '127.0.0.1',
    port: 0,
    udp: true,
    push: [],
    maxConnections: 1,
    udpIdleMs: 200,
    onEvent: (e) => events.push(e),
  });
  const device = createSocket('udp4');
  const h02 = Buffer.from('*HQ,4209951296,V1,092400,A,2232.7182,N,11404.6773,E,000.00,000,150324,FFFFFBFF#');
  const send = () =>
    new Promise<void>((resolve) => device.send(h02, p.udpPort!, '127.0.0.1', () => resolve()));
  try {
    await send();
    await until(() => events.length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    // The one connection allowed is free again, so the peer is taken back.
    await send();
    await until(() => events.length >= 5);
    expect(events.map((e) => [e.transport, e.kind, e.text])).toEqual([
      ['udp', 'connect', undefined],
      ['udp', 'in', undefined],
      ['udp', 'close', 'idle for 0.2 s'],
      ['udp', 'connect', undefined],
      ['udp', 'in', undefined],
    ]);
    expect(events[1]!.frame?.frameType).toBe(events[4]!.frame?.frameType);
  } finally {
    device.close();
    await p.close();
  }
});
