// trackshark fuzz against a live UDP server: the fragile Meiligao server over UDP stops answering a
// peer after a position whose time or date names no time or date (behind a valid CRC). Over UDP there
// is no close or reset to see, so the oracle is the probe going unanswered within the timeout derived
// from the measured baseline; the server's ERROR line, from --server-log, goes into the detail.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeFrame, fromHex } from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/index.js';
import { startFragileUdpServer } from '../fixtures/fragile-udp-server.js';
import { trackshark } from '../helpers/cli.js';
import { fragileFixture, runCli } from './live-helpers.js';

/** The VT600 document's login: the only frame the server answers, so it becomes the probe. */
const LOGIN = '2424001112345678901fff50006f350d0a';

const fx = fragileFixture((log) => startFragileUdpServer({ log }));

describe('fuzzing the fragile UDP server', () => {
  let findingJson: string;

  test(
    'finds the wedge from a fixed seed within 300 cases and minimises it',
    { timeout: 120_000 },
    async () => {
      const out = join(fx.dir, 'findings');
      const r = await runCli([
        'fuzz',
        '--target',
        `127.0.0.1:${fx.server.port}`,
        '--udp',
        '--protocol',
        'meiligao',
        '--seeds',
        'captures/server-logs/tracking-server.log',
        '--no-schema-seeds',
        '--seed',
        '3',
        '--cases',
        '300',
        '--server-log',
        fx.log,
        '--out',
        out,
      ]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toMatch(/^fuzz: 300 cases in [\d.]+ s \(\d+ cases\/s\), 1 findings$/);
      // The baseline is the login's round trip, not the whole wait of the seeds sent before it.
      const baseline = new RegExp(
        `^target: udp://127\\.0\\.0\\.1:${fx.server.port}; 3 seed frames; baseline round trip p95 (\\d+) ms max, timeout (\\d+) ms$`,
      ).exec(lines[1]!);
      expect(baseline).not.toBeNull();
      const timeoutMs = Number(baseline![2]);
      expect(timeoutMs).toBeGreaterThanOrEqual(50);
      expect(timeoutMs).toBeLessThan(1000);
      expect(lines[2]).toMatch(
        /^ {2}timeout \(1 cases, first: case \d+, meiligao\): silent in the probe phase/,
      );
      expect(fx.server.wedged).toBeGreaterThan(0);

      const json = readdirSync(out).find((f) => f.endsWith('-timeout.json'));
      expect(json).toBeDefined();
      findingJson = join(out, json!);
      const f = JSON.parse(readFileSync(findingJson, 'utf8')) as Record<string, unknown> & {
        detail: string;
        frames: string[];
        segments: string[];
        targetFrame: number;
        index: number;
        minimised: { from: number; to: number };
      };
      expect(f).toMatchObject({
        signature: 'timeout',
        seed: 3,
        target: `udp://127.0.0.1:${fx.server.port}`,
        protocol: 'meiligao',
        derived: { mode: 'fixed' },
        session: [],
        probe: LOGIN,
        timing: { timeoutMs },
        observed: { outcome: 'silent', phase: 'probe', replies: [] },
      });
      expect(f.index).toBeLessThan(300);
      expect(f.detail).toMatch(
        /; log: \S+ ERROR \[\d+\] DateTimeException: Invalid date-time '\d{6} \d{6}(\.\d+)?'$/,
      );
      expect(f.minimised.to).toBeLessThan(f.minimised.from);
      // Minimised to one datagram holding one position whose CRC-16/CCITT-FALSE is right.
      expect(f.segments).toEqual([f.frames[f.targetFrame]]);
      const frame = decodeFrame(meiligao, meiligao.frames[0]!, fromHex(f.frames[f.targetFrame]!)!);
      expect(frame.checksums).toEqual([expect.objectContaining({ path: 'meiligao.crc', status: 'good' })]);
      expect(frame.fields.find((x) => x.path === 'meiligao.command')?.value).toBe(0x9955);
    },
  );

  test('the replayed finding reproduces every time', { timeout: 60_000 }, async () => {
    const r = await runCli(['fuzz', 'replay', findingJson, '--verify', '3']);
    expect(r.stdout).toMatch(
      /^replay: timeout: reproduced 3\/3 \(last: silent in the probe phase after \d+ ms\)\n$/,
    );
    expect(r.status).toBe(1);
  });

  test('the finding pcapng is a UDP conversation that decodes back to the position', () => {
    const r = trackshark(['decode', '--json', findingJson.replace('.json', '.pcapng')]);
    expect(r.status).toBe(0);
    const records = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { protocol?: string; conversation?: string; fields?: Record<string, unknown> },
      );
    const position = records.find((x) => x.protocol === 'meiligao');
    expect(position?.conversation).toMatch(/^udp:/);
    expect(position?.fields?.['meiligao.command']).toBe(0x9955);
  });
});
