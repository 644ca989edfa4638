// The real `trackshark replay` against a platform emulator started by the test, on loopback.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/decode/index.js';
import { trackshark, ndjson } from '../helpers/cli.js';
import { platform, run, type TestPlatform } from './helpers.js';

let server: TestPlatform | undefined;
afterEach(async () => {
  await server?.platform.close();
  server = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'trackshark-replay-'));
const FAST = ['--top', '--headless', '--reply-timeout', '0.5'];

function summaryOf(file: string) {
  return JSON.parse(readFileSync(file, 'utf8')) as {
    counters: Record<string, number>;
    sessions: {
      info: { deviceId?: string };
      replies: { status: string; frameType?: string; diffs?: { path: string }[] }[];
    }[];
  };
}

/** The real `trackshark replay` of `input` against the test's platform, at top speed and headless. */
const replayTo = (input: string, ...more: string[]) =>
  run(['replay', input, '--target', server!.target, ...FAST, ...more]);

const framesIn = (t: TestPlatform) => t.events.filter((e) => e.kind === 'in' && e.frame);

test('a server log replays with every reply matched when the platform answers as the log did', async () => {
  // Login confirmed with 0x4000 result 0x01, time zone 0x4132 "480", MT700 MODE,1,10 (the log's own replies).
  server = await platform({ push: ['meiligao=0x4132:343830', 'mt700=MODE,1,10\\r\\n'] });
  const summary = join(dir, 'server-log.json');
  const record = join(dir, 'server-log.pcapng');
  const r = await replayTo(
    'captures/server-logs/tracking-server.log',
    '--summary',
    summary,
    '--record',
    record,
  );
  expect(r.stderr).toContain('3 match, 0 different, 0 missing');
  expect(r.status).toBe(0);
  // Every device frame arrived: 4 Meiligao, 2 MT700 (report, reply), 1 H02 over UDP.
  const got = framesIn(server);
  expect(got.map((e) => e.frame!.protocol).sort()).toEqual([
    'h02',
    'meiligao',
    'meiligao',
    'meiligao',
    'meiligao',
    'mt700',
    'mt700',
  ]);
  expect(got.find((e) => e.frame!.protocol === 'h02')!.transport).toBe('udp');
  const login = server.events.find((e) => e.kind === 'out' && e.frame?.protocol === 'meiligao');
  expect(toHex(login!.bytes!)).toBe('4040001212345678901fff400001ba310d0a');
  const s = summaryOf(summary);
  expect(s.counters).toMatchObject({ sent: 7, received: 3, match: 3, missing: 0, different: 0 });
  // The recording decodes back: 7 device frames and 3 replies, each in its own conversation.
  const decoded = ndjson(trackshark(['decode', '--json', record]).stdout).filter((o) => o.kind === 'frame');
  expect(decoded).toHaveLength(10);
  expect(decoded.filter((o) => o.direction === 'downlink').map((o) => o.frameType)).toEqual(
    expect.arrayContaining(['command']),
  );
  expect(decoded.some((o) => String(o.conversation).startsWith('udp:'))).toBe(true);
});

test('the VT600 OTA capture against the OTA procedure: first steps match, then the firmware differs', async () => {
  // The document's three demo packages (offsets 0, 0x80, 0xE080) as firmware, its checksum B9 79 last.
  const hexLines = readFileSync('captures/vt600/ota-procedure.hex', 'latin1').split('\n');
  const packages = hexLines
    .filter((l) => /server: 0x9502/.test(l))
    .map((l) => fromHex(l.split('//')[0]!)!.subarray(19, 19 + 128));
  const firmware = new Uint8Array([...packages.flatMap((p) => [...p]), 0xb9, 0x79]);
  server = await platform({ ota: { firmware, device: '101130923633' } });
  const summary = join(dir, 'ota.json');
  const r = await replayTo('captures/pcap/vt600-ota-ethernet-us-le.pcap', '--summary', summary);
  expect(r.status).toBe(1);
  const replies = summaryOf(summary).sessions[0]!.replies;
  expect(replies.slice(0, 4).map((x) => x.status)).toEqual(['match', 'match', 'match', 'match']);
  // The third package goes to offset 0x100 here, 0xE080 in the document.
  const third = replies[4]!;
  expect(third.status).toBe('different');
  expect(third.diffs!.map((d) => d.path)).toContain('meiligao.ota_data.offset');
  expect(r.stdout).toMatch(
    /< meiligao frame\/ota_data 151 B different: meiligao\.ota_data\.offset 57472 -> 256/,
  );
  // The tracker's recorded checksum 0xB979 is the firmware's: the platform goes on to 0x9504.
  expect(server.events.some((e) => e.text?.includes('checksum 0xb979 agrees'))).toBe(true);
});

test('AT logs replay the frames nested in +MIPSEND, over TCP and UDP as AT+MIPOPEN said', async () => {
  server = await platform({ push: ['mt700=MODE,1,10\\r\\n'] });
  const tcp = await replayTo('captures/fibocom/mt700-tcp-session.log');
  expect(tcp.stderr).toContain('1 match, 0 different, 0 missing');
  expect(tcp.status).toBe(0);
  const udp = await replayTo('captures/fibocom/h02-udp-socket3.log');
  // The platform sends no H02 D1 command, so the recorded one is missing.
  expect(udp.stdout).toContain('! missing h02 command');
  expect(udp.status).toBe(1);
  const h02 = framesIn(server).filter((e) => e.frame!.protocol === 'h02');
  expect(h02.map((e) => [e.transport, e.frame!.frameType])).toEqual([
    ['udp', 'message'],
    ['udp', 'message'],
  ]);
});

test('--devices fans a capture out to distinct IMEIs with valid checksums', async () => {
  server = await platform();
  const r = await replayTo('captures/pcap/mt700-ipv4-ns-be.pcap', '--devices', '3');
  expect(r.status).toBe(0);
  const frames = framesIn(server).map((e) => e.frame!);
  expect(frames).toHaveLength(12);
  expect(frames.every((f) => f.ok && f.issues.length === 0)).toBe(true);
  const imeis = new Set(frames.map((f) => String(f.fields.find((x) => x.path === 'mt700.head.imei')!.value)));
  expect([...imeis].sort()).toEqual(['862255061947757', '862255061947758', '862255061947759']);
});

test('--imei rewrites a Meiligao device id and its CRC', async () => {
  server = await platform();
  const r = await replayTo('captures/server-logs/tracking-server.log', '--imei', '101130923633');
  expect(r.status).toBe(1); // no time zone command pushed
  const login = framesIn(server).find((e) => e.frame!.protocol === 'meiligao')!;
  expect(toHex(login.bytes!).slice(8, 22)).toBe('101130923633ff');
  expect(login.frame!.checksums.every((c) => c.status === 'good')).toBe(true);
});

test('non-loopback targets are refused unless named', () => {
  const r = trackshark([
    'replay',
    'captures/pcap/mt700-ipv4-ns-be.pcap',
    '--target',
    '192.0.2.1:5000',
    '--headless',
  ]);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(
    'refusing to replay to 192.0.2.1: only loopback targets unless --allow-remote 192.0.2.1',
  );
});

test('a connection refused counts every recorded reply as missing and exits 1', () => {
  const r = trackshark([
    'replay',
    'captures/pcap/vt600-sll2-us-le.pcap',
    '--target',
    '127.0.0.1:1',
    '--top',
    '--headless',
  ]);
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('error connect 127.0.0.1:1');
  expect(r.stderr).toContain('7 missing');
});
