// `npm run bench` part: N simulated devices replaying an MT700 capture against `trackshark serve` on
// loopback (the platform in this process, the replay as the real CLI), frames/s and send lateness p99.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../src/replay/serve/platform.js';

export async function benchReplay(root: string, devices: number): Promise<void> {
  let received = 0;
  const platform = await startPlatform({
    host: '127.0.0.1',
    port: 0,
    udp: false,
    push: [],
    maxConnections: devices + 100,
    onEvent: (e) => {
      if (e.kind === 'in') received++;
    },
  });
  const summaryFile = join(tmpdir(), `trackshark-bench-replay-${process.pid}.json`);
  const argv = [
    join(root, 'bin/trackshark.js'),
    'replay',
    join(root, 'captures/pcap/mt700-ipv4-ns-be.pcap'),
    '--target',
    `127.0.0.1:${platform.tcpPort}`,
    '--headless',
    '--devices',
    String(devices),
    '--ramp-up',
    '2',
    '--concurrency',
    String(devices),
    '--summary',
    summaryFile,
  ];
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', resolve);
  });
  await platform.close();
  const s = JSON.parse(readFileSync(summaryFile, 'utf8')) as {
    counters: { sent: number; errors: number };
    elapsedMs: number;
    framesPerSecond: number;
    lateness: { p50: number; p99: number };
  };
  rmSync(summaryFile, { force: true });
  console.log(
    `replay: ${devices} devices x 4 MT700 frames against serve on loopback: ${s.counters.sent} sent, ${received} decoded by serve, ` +
      `${s.framesPerSecond} frames/s over ${(s.elapsedMs / 1000).toFixed(2)} s, send lateness p50 ${s.lateness.p50.toFixed(2)} ms p99 ${s.lateness.p99.toFixed(2)} ms` +
      `${status === 0 ? '' : ` (exit ${status}, ${s.counters.errors} errors)`}`,
  );
}
