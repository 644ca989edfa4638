// Every input kind `trackshark decode` reads, through the pipeline, on the bundled captures.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { detectInputKind } from '../../src/capture/index.js';
import { decodeInput, type FrameRecord, type TimelineRecord } from '../../src/pipeline/index.js';

async function all(file: string, opts: Parameters<typeof decodeInput>[1] = {}): Promise<TimelineRecord[]> {
  const out: TimelineRecord[] = [];
  for await (const r of decodeInput(file, opts)) out.push(r);
  return out;
}
const frames = (records: TimelineRecord[]) => records.filter((r): r is FrameRecord => r.kind === 'frame');
const nestedFrames = (records: TimelineRecord[]) =>
  frames(records).flatMap((r) => (r.nested ?? []).filter((n): n is FrameRecord => n.kind === 'frame'));

describe('input kinds are detected from content', () => {
  test.each([
    ['captures/fibocom/mt700-tcp-session.log', 'at-log'],
    ['captures/fibocom/plain-transcript.txt', 'at-log'],
    ['captures/server-logs/tracking-server.log', 'server-log'],
    ['captures/wln/wialon-document-example.wln', 'wln'],
    ['captures/vt600/ota-procedure.hex', 'hex-lines'],
    ['captures/mt700/gps-examples.txt', 'text-stream'],
    ['captures/h02/v1.txt', 'text-stream'],
    ['captures/h02/binary-32.bin', 'binary-stream'],
  ])('%s is %s', (file, kind) => {
    expect(detectInputKind(new Uint8Array(readFileSync(file)))).toBe(kind);
  });
});

describe('tracking-server logs', () => {
  test('sessions, directions and times; the variants note example line is a Meiligao login', async () => {
    const records = await all('captures/server-logs/tracking-server.log');
    expect(records.filter((r) => r.kind === 'skipped').map((r) => r.source.line)).toEqual([1, 2, 10]);
    const f = frames(records);
    expect(
      f.map((r) => [
        r.source.line,
        r.conversation,
        r.direction,
        r.frame.protocol,
        r.frame.normalized['message.type'],
      ]),
    ).toEqual([
      [3, 'T1a2b3c4d', 'uplink', 'meiligao', 'login'],
      [4, 'T1a2b3c4d', 'downlink', 'meiligao', 'login_response'],
      [5, 'T1a2b3c4d', 'uplink', 'meiligao', 'position'],
      [6, 'T1a2b3c4d', 'downlink', 'meiligao', 'time_zone'],
      [7, 'T0000beef', 'uplink', 'mt700', 'report'],
      [8, 'T0000beef', 'downlink', 'mt700', 'command'],
      [9, 'T0000beef', 'uplink', 'mt700', 'reply'],
      [11, 'U00c0ffee', 'uplink', 'h02', 'V1'],
      [12, 'T1a2b3c4d', 'uplink', 'meiligao', 'heartbeat'],
      [13, 'T1a2b3c4d', 'uplink', 'meiligao', 'heartbeat'],
    ]);
    expect(f[0]!.timestamp).toBe(Date.UTC(2024, 0, 10, 12, 33, 18) / 1000);
    expect(f[0]!.frame.normalized.ident).toBe('12345678901');
    expect(f[4]!.frame.normalized['position.latitude']).toBeCloseTo(22 + 38.8936 / 60, 6);
    expect(f[7]!.frame.normalized['position.latitude']).toBeCloseTo(22 + 32.7178 / 60, 6);
    expect(f[9]!.frame.issues.map((i) => i.id)).toEqual(['meiligao.crc.bad']);
  });
});

describe('AT modem logs', () => {
  test('an MT700 report split over two AT+MIPSEND lines nests under the line that completes it', async () => {
    const records = await all('captures/fibocom/mt700-tcp-session.log');
    const carrier = frames(records).find((r) => (r.nested ?? []).length > 0)!;
    expect(carrier.source.line).toBe(25);
    expect(carrier.frame.protocol).toBe('fibocom');
    const report = carrier.nested![0] as FrameRecord;
    expect(report.frame.frameType).toBe('report');
    expect(report.carriedBy!.map((s) => s.line)).toEqual([22, 25]);
    expect(report.conversation).toBe('socket_id=1');
    expect(report.frame.checksums.map((c) => c.status)).toEqual(['good']);
    expect(report.frame.normalized['battery.voltage']).toBe(3.815);
  });

  test('the VT600 OTA exchange over socket 2 (lower-case hex) is 15 Meiligao frames with good CRCs', async () => {
    const inner = nestedFrames(await all('captures/fibocom/vt600-ota-socket2.log'));
    expect(inner).toHaveLength(15);
    expect(new Set(inner.map((r) => r.frame.checksums[0]!.status))).toEqual(new Set(['good']));
    expect(inner.filter((r) => r.direction === 'downlink')).toHaveLength(7);
  });

  test('each UDP datagram is a whole message: every H02 frame nests under its own line', async () => {
    const inner = nestedFrames(await all('captures/fibocom/h02-udp-socket3.log'));
    expect(inner.map((r) => [r.frame.protocol, r.carriedBy!.map((s) => s.line)])).toEqual([
      ['h02', [4]],
      ['h02', [10]],
      ['h02', [11]],
    ]);
  });
});

describe('WLN files, hex lines, raw streams', () => {
  test('the Wialon document WLN example', async () => {
    const [r] = frames(await all('captures/wln/wialon-document-example.wln'));
    expect(r!.frame.normalized).toMatchObject({
      timestamp: 1466585078,
      'position.speed': 1,
      'position.direction': 273,
    });
    expect(r!.frame.normalized['position.longitude']).toBeCloseTo(30.4367027283, 9);
    expect(r!.frame.normalized['position.latitude']).toBeCloseTo(59.7207145691, 9);
  });

  test('hex lines: the VT600 OTA procedure, one frame per line', async () => {
    const f = frames(await all('captures/vt600/ota-procedure.hex'));
    expect(f).toHaveLength(15);
    expect(f.map((r) => r.source.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
  });

  test('a text stream: the MT700 GPS examples with the document\'s stray "# " accounted for', async () => {
    const records = await all('captures/mt700/gps-examples.txt');
    expect(records.map((r) => r.kind)).toEqual(['frame', 'frame', 'undecoded', 'frame', 'frame']);
    expect(records[2]).toMatchObject({ kind: 'undecoded', source: { offset: 213 } });
    expect(Buffer.from(records[2]!.bytes).toString('latin1')).toBe('# ');
  });

  test('a binary stream of H02 text and binary frames: every byte is in a record, in order', async () => {
    const file = 'captures/h02/mixed-text-binary.bin';
    const records = await all(file);
    expect(frames(records).map((r) => r.frame.frameType)).toEqual([
      'message',
      'binary',
      'message',
      'binary_x',
      'binary',
      'message',
    ]);
    let at = 0;
    for (const r of records) {
      expect(r.source.offset).toBe(at);
      at += r.bytes.length + (r.kind === 'frame' ? (r.trailer ?? 0) : 0);
    }
    expect(at).toBe(readFileSync(file).length);
  });

  test('--protocol and --input override detection', async () => {
    const f = frames(
      await all('captures/vt600/ota-procedure.hex', {
        input: 'hex-lines',
        protocol: 'meiligao',
        fields: false,
      }),
    );
    expect(f).toHaveLength(15);
    expect(f[0]!.frame.fields).toEqual([]);
  });
});
