// trackshark fuzz against a live server: a deliberately fragile Meiligao server (test/fixtures) with a
// bug behind a valid CRC is found from a fixed seed within a bounded number of cases, minimised, and
// written as JSON and pcapng; the replayed finding reproduces it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeFrame, fromHex } from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/index.js';
import { startFragileServer } from '../fixtures/fragile-server.js';
import { trackshark } from '../helpers/cli.js';
import { fragileFixture, runCli as run } from './live-helpers.js';

const fx = fragileFixture((log) => startFragileServer({ log }));

describe('fuzzing the fragile server', () => {
  let findingJson: string;

  test(
    'finds the planted bug from a fixed seed within 300 cases and minimises it',
    { timeout: 180_000 },
    async () => {
      const out = join(fx.dir, 'findings');
      const r = await run([
        'fuzz',
        '--target',
        `127.0.0.1:${fx.server.port}`,
        '--protocol',
        'meiligao',
        '--session',
        'meiligao-login',
        '--seeds',
        'captures/server-logs/tracking-server.log',
        '--no-schema-seeds',
        '--seed',
        '7',
        '--cases',
        '300',
        '--server-log',
        fx.log,
        '--out',
        out,
      ]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^fuzz: 300 cases in [\d.]+ s \(\d+ cases\/s\), \d+ findings/);
      expect(fx.server.crashes).toBeGreaterThan(0);
      const files = readdirSync(out);
      const json = files.find((f) => f.endsWith('-closed.json'));
      expect(json).toBeDefined();
      expect(files).toContain(json!.replace('.json', '.pcapng'));
      findingJson = join(out, json!);
      const f = JSON.parse(readFileSync(findingJson, 'utf8')) as Record<string, unknown> & {
        frames: string[];
        targetFrame: number;
        minimised: { from: number; to: number };
      };
      expect(f).toMatchObject({
        signature: 'closed',
        seed: 7,
        trackshark: '0.1.0',
        protocol: 'meiligao',
        derived: { mode: 'fixed' },
      });
      expect(f.schemaHash).toMatch(/^[0-9a-f]{16}$/);
      expect(f.index).toBeLessThan(300);
      expect(f.minimised.to).toBeLessThan(f.minimised.from);
      // The minimised frame still carries a valid CRC-16/CCITT-FALSE, and its speed field is not a number.
      const frame = decodeFrame(meiligao, meiligao.frames[0]!, fromHex(f.frames[f.targetFrame]!)!);
      expect(frame.checksums).toEqual([expect.objectContaining({ path: 'meiligao.crc', status: 'good' })]);
      expect(frame.fields.find((x) => x.path === 'meiligao.command')?.value).toBe(0x9955);
      const speed = frame.fields.find((x) => x.path === 'meiligao.position.rmc.speed')?.value;
      expect(String(speed ?? '')).not.toMatch(/^-?\d+(\.\d+)?$/);
    },
  );

  test('the replayed finding reproduces every time', { timeout: 60_000 }, async () => {
    const r = await run(['fuzz', 'replay', findingJson, '--verify', '3']);
    expect(r.stdout).toMatch(/^replay: closed: reproduced 3\/3 \(last: closed in the case phase/);
    expect(r.status).toBe(1);
  });

  test('the finding pcapng decodes back to the minimised frame, with the case in packet comments', () => {
    const pcapng = findingJson.replace('.json', '.pcapng');
    const r = trackshark(['decode', '--json', pcapng]);
    expect(r.status).toBe(0);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { protocol?: string; hex?: string; fields?: Record<string, unknown> });
    const f = JSON.parse(readFileSync(findingJson, 'utf8')) as { frames: string[]; targetFrame: number };
    expect(records.map((x) => x.protocol)).toContain('meiligao');
    expect(records.find((x) => x.protocol === 'meiligao')?.fields?.['meiligao.command']).toBe(0x9955);
    expect(records.map((x) => x.hex)).toContain(f.frames[f.targetFrame]);
    // Wireshark's reader opens it too, when installed.
    const tshark = spawnSync('tshark', ['-r', pcapng], { encoding: 'utf8' });
    if (!tshark.error) expect(tshark.stdout).toMatch(/\[FIN, ACK\]/);
    const bytes = readFileSync(pcapng).toString('latin1');
    expect(bytes).toContain('oracle: closed');
    expect(bytes).toContain(`seed 7 case`);
    expect(bytes).toContain('lengths and checksums: fixed up');
  });
});

describe('target safety and arguments', () => {
  test('a non-loopback target needs --allow-host', () => {
    const r = trackshark(['fuzz', '--target', '192.0.2.1:5013', '--protocol', 'meiligao']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'trackshark: fuzz: 192.0.2.1 is not a loopback address; name it with --allow-host to fuzz it\n',
    );
  });

  test('an unknown session and a malformed target are one-line errors', () => {
    expect(trackshark(['fuzz', '--target', 'nowhere', '--protocol', 'meiligao']).stderr).toBe(
      "trackshark: fuzz: --target must be host:port, got 'nowhere'\n",
    );
    const r = trackshark(['fuzz', '--session', 'nope', '--cases', '1']);
    expect(r.stderr).toBe("trackshark: fuzz: unknown session 'nope' (known: meiligao-login, mt700-report)\n");
    expect(r.status).toBe(2);
  });

  test('replay of a file that is not a finding', () => {
    const r = trackshark(['fuzz', 'replay', 'package.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'trackshark: fuzz: package.json: not a trackshark fuzz finding (format trackshark-fuzz-finding/1)\n',
    );
  });

  test('an in-process run from the CLI: clean decoders, exit status 0', () => {
    const r = trackshark([
      'fuzz',
      '--protocol',
      'h02',
      '--cases',
      '2000',
      '--seed',
      '3',
      '--out',
      join(fx.dir, 'none'),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^fuzz: 2000 cases in [\d.]+ s \(\d+ cases\/s\), 0 findings\nseeds: \d+ frames of h02\n$/,
    );
  });
});
