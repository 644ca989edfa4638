// trackshark fuzz with the mt700-report session prefix: the fragile MT700 server answers nothing until
// a report with a known IMEI registers the connection, and only a registered connection reaches the
// planted bug (a later report whose IMEI has 16 or more digits, behind a valid NMEA XOR, brings the
// connection down). So the finding needs the prefix, and the minimiser must keep it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startFragileMt700Server } from '../fixtures/fragile-mt700-server.js';
import { fragileFixture, runCli } from './live-helpers.js';

/** The MT700 document's GPS example 1, the session's prefix and probe. */
const REPORT =
  '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,100124,,,A*5C\r\n##\r\n';

/** The NMEA XOR of each `$...*XX` sentence holds (computed here, not by the server or trackshark). */
function xorsHold(text: string): boolean[] {
  return [...text.matchAll(/\$([^*]*)\*([0-9A-F]{2})/g)].map(
    ([, body, sum]) => [...body!].reduce((x, c) => x ^ c.charCodeAt(0), 0) === parseInt(sum!, 16),
  );
}

const fx = fragileFixture(() => startFragileMt700Server());

describe('fuzzing the fragile MT700 server behind the mt700-report session', () => {
  let findingJson: string;

  test(
    'finds the 16-digit IMEI within 150 cases, keeping the session prefix',
    { timeout: 120_000 },
    async () => {
      const out = join(fx.dir, 'findings');
      const r = await runCli([
        'fuzz',
        '--target',
        `127.0.0.1:${fx.server.port}`,
        '--protocol',
        'mt700',
        '--session',
        'mt700-report',
        '--seeds',
        'captures/mt700/gps-examples.txt',
        '--no-schema-seeds',
        '--seed',
        '1',
        '--cases',
        '150',
        '--concurrency',
        '1',
        '--out',
        out,
      ]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^fuzz: 150 cases in [\d.]+ s \(\d+ cases\/s\), 1 findings\n/);
      expect(r.stdout).toMatch(
        /\n {2}closed \(\d+ cases, first: case \d+, mt700\): closed in the case phase/,
      );
      expect(fx.server.crashes).toBeGreaterThan(0);
      // The minimiser tried the case without the prefix: the server took it anonymously, no crash.
      expect(fx.server.anonymous).toBeGreaterThan(0);

      const json = readdirSync(out).find((f) => f.endsWith('-closed.json'));
      expect(json).toBeDefined();
      findingJson = join(out, json!);
      const f = JSON.parse(readFileSync(findingJson, 'utf8')) as Record<string, unknown> & {
        frames: string[];
        targetFrame: number;
        index: number;
        minimised: { from: number; to: number };
      };
      const hex = Buffer.from(REPORT, 'latin1').toString('hex');
      expect(f).toMatchObject({
        signature: 'closed',
        seed: 1,
        protocol: 'mt700',
        derived: { mode: 'fixed' },
        session: [hex],
        probe: hex,
      });
      expect(f.index).toBeLessThan(150);
      expect(f.minimised.to).toBeLessThan(f.minimised.from);
      const report = Buffer.from(f.frames[f.targetFrame]!, 'hex').toString('latin1');
      expect(report).toMatch(/^#\d{16}#MT/);
      expect(xorsHold(report)).toEqual([true]);
    },
  );

  test('the replayed finding, prefix included, reproduces every time', { timeout: 60_000 }, async () => {
    const r = await runCli(['fuzz', 'replay', findingJson, '--verify', '3']);
    expect(r.stdout).toMatch(/^replay: closed: reproduced 3\/3 \(last: closed in the (case|probe) phase/);
    expect(r.status).toBe(1);
  });
});
