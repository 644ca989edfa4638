// The constructed Fibocom AT modem logs of captures/fibocom (see its README), read with the project's
// AT-log line reader and cut into frames by the streaming framer: every line is one fibocom frame that
// encodes back to the same text, the payload carriers rebuild the tracker conversations (MT700 over
// TCP, VT600 OTA over TCP, H02 over UDP) byte for byte, and the decode pipeline nests the MT700 and
// Meiligao frames under the AT lines that carried them.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseAtLogLine } from '../../src/capture/index.js';
import {
  concat,
  decodeFrame,
  decodeStream,
  encodeFrame,
  fromLatin1,
  latin1,
  type DecodedFrame,
} from '../../src/decode/index.js';
import { decodeAtLog } from '../../src/pipeline/at-log.js';
import type { FrameRecord } from '../../src/pipeline/index.js';
import { fibocom } from '../../src/protocols/fibocom-at/index.js';
import { meiligao } from '../../src/protocols/meiligao/index.js';
import { mt700 } from '../../src/protocols/mictrack/index.js';
import type { Direction, FrameType } from '../../src/schema/index.js';

const bytesOf = (name: string) => readFileSync(new URL(`../../captures/fibocom/${name}`, import.meta.url));
const read = (name: string) => latin1(bytesOf(name));

interface LogLine {
  readonly prefix: string;
  readonly body: string;
  readonly end: string;
  /** From a direction marker in the prefix, if any. */
  readonly marked?: Direction;
}

function readLog(content: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const m of content.matchAll(/([^\r\n]*)(\r\n|\n|\r|$)/g)) {
    if (m[0] === '') break;
    const parsed = parseAtLogLine(m[1]!);
    const marked = parsed.directionSource === 'marker' ? parsed.direction : undefined;
    lines.push({
      prefix: m[1]!.slice(0, parsed.bodyOffset),
      body: parsed.body,
      end: m[2]!,
      ...(marked ? { marked: marked === 'tx' ? 'uplink' : 'downlink' } : {}),
    });
  }
  return lines;
}

interface Decoded {
  readonly line: LogLine;
  readonly frame: FrameType;
  readonly d: DecodedFrame;
}

/** Each line through the framer: exactly one fibocom frame per line. */
function decodeLog(name: string): Decoded[] {
  return readLog(read(name)).map((line) => {
    const records = decodeStream(
      fibocom,
      fromLatin1(line.body),
      line.marked ? { direction: line.marked } : {},
    );
    expect(
      records.map((r) => r.kind),
      line.body,
    ).toEqual(['frame']);
    const r = records[0]!;
    if (r.kind !== 'frame') throw new Error('unreachable');
    return { line, frame: fibocom.frames.find((f) => f.name === r.frame.frameType)!, d: r.frame };
  });
}

/** Carried bytes joined per direction and stream key, in log order. */
function streams(decoded: Decoded[]): Record<string, { bytes: Uint8Array; raw: boolean[] }> {
  const out: Record<string, { bytes: Uint8Array; raw: boolean[] }> = {};
  for (const { d } of decoded)
    for (const c of d.carried) {
      const key = `${d.direction} ${c.stream}`;
      const s = (out[key] ??= { bytes: new Uint8Array(), raw: [] });
      s.bytes = concat(s.bytes, c.bytes);
      s.raw.push(c.raw);
    }
  return out;
}

const LOGS = [
  'mt700-tcp-session.log',
  'vt600-ota-socket2.log',
  'h02-udp-socket3.log',
  'errors-and-ping.log',
  'variants.log',
  'plain-transcript.txt',
];

/** Issues the logs hold on purpose. */
const EXPECTED_ISSUES: Record<string, string[]> = {
  'errors-and-ping.log': [
    'fibocom.cmd.mipcall.set.operation.unknown',
    'fibocom.cmd.mipcall.set.operation.range',
  ],
  'variants.log': ['fibocom.rsp.variant_separator.deviation', 'fibocom.rsp.variant_separator.deviation'],
};

describe('constructed AT logs', () => {
  test.each(LOGS)('%s: every line decodes and encodes back; the file is rebuilt byte for byte', (name) => {
    const decoded = decodeLog(name);
    expect(decoded.length).toBeGreaterThan(15);
    const issues: string[] = [];
    let rebuilt = '';
    for (const { line, frame, d } of decoded) {
      expect(d.ok, line.body).toBe(true);
      issues.push(...d.issues.map((i) => i.id));
      const text = latin1(
        encodeFrame(fibocom, frame, d.value, { layout: d.layout, lenient: d.issues.length > 0 }),
      );
      expect(text).toBe(line.body);
      // A direction marker agrees with the frame type: the host sends commands, the module the rest.
      if (line.marked) expect(frame.direction, line.body).toBe(line.marked);
      rebuilt += line.prefix + text + line.end;
    }
    expect(issues).toEqual(EXPECTED_ISSUES[name] ?? []);
    expect(rebuilt).toBe(read(name));
  });

  test('the logs use several prefix styles and all three line ends', () => {
    const ends = new Set(LOGS.flatMap((name) => readLog(read(name)).map((l) => l.end)));
    expect([...ends].sort()).toEqual(['\n', '\r', '\r\n']);
    const styles = LOGS.map((name) => readLog(read(name))[0]!.prefix.replace(/\d/g, '9'));
    expect(styles).toEqual([
      '9999-99-99 99:99:99.999 >> ',
      '[99:99:99.999] TX: ',
      '--> ',
      '9999-99-99 99:99:99.999 ',
      '>> ',
      '',
    ]);
  });
});

describe('payload streams', () => {
  test('MT700 over TCP: the GPS example 2 report split over two MIPSEND lines, MODE,1,10 back', () => {
    const decoded = decodeLog('mt700-tcp-session.log');
    const sends = decoded.filter(({ d }) => d.carried.length > 0 && d.direction === 'uplink');
    expect(sends.length).toBe(3);
    expect(streams(decoded)).toEqual({
      'uplink socket_id=1': {
        bytes: fromLatin1(
          '#862255061947757#MT700#0000#AUTO#1\r\n#3815#$GPRMC,123548.00,A,2238.8936,N,11402.0640,E,,,100124,,,A*5A\r\n##\r\n' +
            '#862255061947757#REPLY#MODE,OK##',
        ),
        raw: [false, false, false],
      },
      'downlink socket_id=1': { bytes: fromLatin1('MODE,1,10'), raw: [false] },
    });
  });

  test('VT600 OTA over TCP (lower-case hex): every Meiligao frame of the exchange, CRCs good', () => {
    const s = streams(decodeLog('vt600-ota-socket2.log'));
    expect(Object.keys(s).sort()).toEqual(['downlink socket_id=2', 'uplink socket_id=2']);
    const frames = (bytes: Uint8Array) => {
      const out: DecodedFrame[] = [];
      for (let p = 0; p < bytes.length;) {
        const length = (bytes[p + 2]! << 8) | bytes[p + 3]!;
        out.push(decodeFrame(meiligao, meiligao.frames[0]!, bytes.slice(p, p + length)));
        p += length;
      }
      return out;
    };
    const down = frames(s['downlink socket_id=2']!.bytes);
    const up = frames(s['uplink socket_id=2']!.bytes);
    for (const f of [...down, ...up]) {
      expect(f.issues).toEqual([]);
      expect(f.checksums.map((c) => c.status)).toEqual(['good']);
      expect(f.normalized.ident).toBe('101130923633');
    }
    const commands = (fs: DecodedFrame[]) =>
      fs.map((f) => (f.value as { command: number }).command.toString(16));
    expect(commands(down)).toEqual(['9500', '9501', '9502', '9502', '9502', '9503', '9504']);
    expect(commands(up)).toEqual(['9500', '9501', '9502', '9502', '9502', '9503', '9504', '9504']);
    expect(down.map((f) => f.direction)).toEqual(Array(7).fill('downlink'));
    expect(up.map((f) => f.direction)).toEqual(Array(8).fill('uplink'));
    // The tracker's OTA checksum reply is the document's B9 79.
    expect(up[5]!.value).toMatchObject({ ota_check_result: { ota_checksum: 0xb979 } });
  });

  test('H02 over UDP: +MIPRUDP data and MIPSEND data on socket 3', () => {
    expect(streams(decodeLog('h02-udp-socket3.log'))).toEqual({
      'uplink socket_id=3': {
        bytes: fromLatin1(
          '*HQ,865205030330012,V1,123548,A,2238.8936,N,11402.0640,E,000.00,000,100124,FFFFFBFF#' +
            '*HQ,865205030330012,V4,D1,30,1,123601,A,2238.8936,N,11402.0640,E,000.00,000,100124,FFFFFBFF#',
        ),
        raw: [false, false],
      },
      'downlink socket_id=3': { bytes: fromLatin1('*HQ,865205030330012,D1,123600,30,1#'), raw: [false] },
    });
  });

  test('variants: `+MIPRTCP=` with lower-case hex, then raw IPRFMT 2 data', () => {
    expect(streams(decodeLog('variants.log'))).toEqual({
      'downlink socket_id=1': { bytes: fromLatin1('MODE,1,10\r\nMODE,1,10'), raw: [false, true] },
      'uplink socket_id=1': {
        bytes: fromLatin1('#862255061947757#REPLY#MODE,OK###862255061947757#REPLY#MODE,OK##'),
        raw: [false, false],
      },
    });
  });
});

describe('errors and ping', () => {
  const decoded = decodeLog('errors-and-ping.log');
  const field = (d: DecodedFrame, suffix: string) => d.fields.find((f) => f.path.endsWith(suffix));

  test('error results with the texts of the document tables', () => {
    const errors = decoded
      .filter(({ frame }) => frame.name === 'result')
      .map(({ d }) => field(d, '.code'))
      .filter((f) => f !== undefined)
      .map((f) => [f.path, f.value, f.node.names?.[String(f.value)]]);
    expect(errors).toEqual([
      ['fibocom.result.cme_error.code', '10', 'SIM not inserted'],
      ['fibocom.result.cme_error.code', '3', 'operation not allowed'],
      ['fibocom.result.cme_error.code', '2031', 'TCPIP mipcall not active'],
      ['fibocom.result.cme_error.code', '2012', 'TCPIP socket connect fail'],
      ['fibocom.result.cme_error.code', '2024', 'TCPIP socket not opened '],
      ['fibocom.result.cms_error.code', '330', 'SMSC address unknown'],
    ]);
  });

  test('ping replies and the summary', () => {
    const ping = decoded.filter(({ d }) => String(d.normalized['message.type']).startsWith('+MPING'));
    expect(
      ping.map(
        ({ d }) =>
          Object.keys(
            (d.value as Record<string, object>)[
              d.normalized['message.type'] === '+MPING' ? 'mping' : 'mpingstat'
            ]!,
          )[0],
      ),
    ).toEqual([
      'settings',
      'reply',
      'reply',
      'reply',
      'reply',
      'status',
      'reply',
      'status',
      'reply',
      'status',
      'status',
    ]);
    expect(ping[5]!.d.value).toMatchObject({
      mpingstat: {
        status: { status: '0', destination_ip: '192.0.2.53', sent: '4', received: '4', average_rtt: '59' },
      },
    });
    expect(ping[6]!.d.value).toMatchObject({
      mping: { reply: { destination_ip: '10.64.0.1', type: '3', code: '1' } },
    });
  });
});

test('the hex of the first MIPSEND line of the MT700 session ends inside the GPRMC sentence', () => {
  const first = decodeLog('mt700-tcp-session.log').find(({ d }) => d.carried.length > 0)!;
  expect(latin1(first.d.carried[0]!.bytes)).toBe(
    '#862255061947757#MT700#0000#AUTO#1\r\n#3815#$GPRMC,123548.00,',
  );
});

describe('through the decode pipeline', () => {
  async function nested(name: string): Promise<FrameRecord[]> {
    async function* chunks() {
      yield new Uint8Array(bytesOf(name));
    }
    const ctx = {
      file: name,
      protocols: [meiligao, mt700],
      forced: undefined,
      fields: true,
      direction: undefined,
    };
    // Carried frames come nested under the AT line that completed them, or at the end of the input
    // when only the end completes them (a line-framed MT700 command).
    const out: FrameRecord[] = [];
    for await (const r of decodeAtLog(chunks(), ctx)) {
      expect(r.kind, JSON.stringify(latin1(r.bytes))).toBe('frame');
      if (r.kind !== 'frame') continue;
      if (r.frame.protocol !== 'fibocom') out.push(r);
      for (const n of r.nested ?? []) {
        expect(n.kind).toBe('frame');
        if (n.kind === 'frame') out.push(n);
      }
    }
    return out;
  }

  test('the MT700 report reassembled from two MIPSEND lines decodes as MT700', async () => {
    const frames = await nested('mt700-tcp-session.log');
    // Each carried payload is a whole message, so `MODE,1,10` (no line end) is complete at its own
    // +MIPRTCP line, before the device's reply.
    expect(frames.map((f) => [f.frame.protocol, f.frame.frameType, f.direction, f.conversation])).toEqual([
      ['mt700', 'report', 'uplink', 'socket_id=1'],
      ['mt700', 'command', 'downlink', 'socket_id=1'],
      ['mt700', 'reply', 'uplink', 'socket_id=1'],
    ]);
    expect(frames[1]!.carriedBy?.map((s) => s.line)).toEqual([31]);
    const report = frames[0]!;
    expect(report.carriedBy?.length).toBe(2);
    expect(report.frame.issues).toEqual([]);
    expect(report.frame.normalized.ident).toBe('862255061947757');
    expect(report.frame.normalized['position.latitude']).toBeCloseTo(22 + 38.8936 / 60, 6);
    expect(report.frame.normalized['position.longitude']).toBeCloseTo(114 + 2.064 / 60, 6);
  });

  test('the VT600 OTA exchange decodes as Meiligao frames in both directions', async () => {
    const frames = await nested('vt600-ota-socket2.log');
    expect(frames).toHaveLength(15);
    for (const f of frames) {
      expect(f.frame.protocol).toBe('meiligao');
      expect(f.frame.issues).toEqual([]);
      expect(f.frame.checksums.map((c) => c.status)).toEqual(['good']);
      expect(f.conversation).toBe('socket_id=2');
    }
    expect(frames.map((f) => f.frame.normalized['message.type'])).toEqual([
      'ota_info_request',
      'ota_info',
      'ota_authorize',
      'ota_authorize_ack',
      'ota_data',
      'ota_data_ack',
      'ota_data',
      'ota_data_ack',
      'ota_data',
      'ota_data_ack',
      'ota_check',
      'ota_check_result',
      'ota_upgrade',
      'ota_upgrade_ack',
      'ota_upgrade_ack',
    ]);
  });
});
