import { describe, expect, test } from 'vitest';
import { detectInputKind, explainInputKind, INPUT_KIND_THRESHOLDS } from '../../src/capture/index.js';
import { bytes, hex, join } from './helpers.js';

const lines = (...text: string[]) => bytes(text.map((t) => `${t}\r\n`).join(''));

const AT_LOG = [
  '2024-01-10 12:33:18.100 >> AT+MIPCALL=1,"cmnet"',
  '2024-01-10 12:33:18.200 << OK',
  '2024-01-10 12:33:19.000 << +MIPCALL: 10.1.2.3',
  '2024-01-10 12:33:19.100 >> AT+MIPOPEN=1,0,"192.0.2.5",5013,0',
  '2024-01-10 12:33:19.900 << +MIPOPEN: 1,1',
  '2024-01-10 12:33:20.000 >> AT+MIPSEND=1,"2424001112345678901fff50006f350d0a"',
  '2024-01-10 12:33:20.100 << +MIPSEND: 1,0,2031',
  '2024-01-10 12:33:20.200 << OK',
  '2024-01-10 12:33:21.000 << +MIPRTCP: 1,0,4040001112345678901fff400001f7a40d0a',
];
const SERVER_LOG = [
  '2024-01-10 12:33:00  INFO: Version: 6.2',
  '2024-01-10 12:33:17  INFO: [T1a2b3c4d] connected',
  '2024-01-10 12:33:18  INFO: [T1a2b3c4d: meiligao < 192.0.2.5] 2424001112345678901fff50006f350d0a',
  '2024-01-10 12:33:18  INFO: [T1a2b3c4d: meiligao > 192.0.2.5] 4040001212345678901fff400001f7a40d0a',
  '2024-01-10 12:33:19  WARN: [T1a2b3c4d] error - Connection reset - IOException (NioSocketChannel.java:1)',
  '\tat org.traccar.BaseProtocolDecoder.decode(BaseProtocolDecoder.java:1)',
  '\tat io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead(AbstractChannelHandlerContext.java:1)',
  '\tat io.netty.channel.AbstractChannelHandlerContext.fireChannelRead(AbstractChannelHandlerContext.java:1)',
  '\t... 12 more',
  '2024-01-10 12:33:20  INFO: [U0badf00d: h02 < 192.0.2.6] HEX: 2a48512c4f4b23',
];
const MT700 = [
  '#862061040000000#MT700#0000#AUTO#1',
  '#3815#$GPRMC,123318.00,A,2233.8440,N,11355.5380,E,0.0,0.0,100124,,,A*7C',
  '##',
];
const H02 = '*HQ,865205030000000,V1,123318,A,2233.8440,N,11355.5380,E,0.00,0,100124,FFFFFBFF#';
const WLN =
  'REG;1466585078;30.4367027283;59.7207145691;1;273;ALT:24.0,hdop:1.7;SATS:5,temp2:23;soft_version:"44";;;';
const HEARTBEAT = hex('24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A');
const POSITION = join(
  hex('24 24 00 6a 12 34 56 78 90 1f ff 99 55'),
  bytes(
    '035644.000,A,2233.8440,N,11355.5380,E,0.00,0.00,010809,,*1C|11.5|194|0000|0000,0000|0124|26|0000FFFF|08',
  ),
  hex('a1 b2 0d 0a'),
);

describe('capture files by magic number', () => {
  test.each([
    ['pcap µs big-endian', 'a1b2c3d4 00020004', 'pcap'],
    ['pcap µs little-endian', 'd4c3b2a1 02000400', 'pcap'],
    ['pcap ns big-endian', 'a1b23c4d 00020004', 'pcap'],
    ['pcap ns little-endian', '4d3cb2a1 02000400', 'pcap'],
    ['pcapng little-endian', '0a0d0d0a 1c000000 4d3c2b1a 01000000', 'pcapng'],
    ['pcapng big-endian', '0a0d0d0a 0000001c 1a2b3c4d 00010000', 'pcapng'],
    ['pcapng too short to check the byte-order magic', '0a0d0d0a', 'pcapng'],
  ])('%s', (_name, magic, kind) => {
    expect(detectInputKind(hex(magic))).toBe(kind);
  });

  test('the pcapng block type without its byte-order magic is not pcapng', () => {
    expect(detectInputKind(hex('0a0d0d0a 1c000000 00000000 00000000'))).not.toBe('pcapng');
  });
});

describe('text inputs by a vote over their first lines', () => {
  test('AT log with timestamps and markers', () => {
    expect(detectInputKind(lines(...AT_LOG))).toBe('at-log');
  });

  test('AT log without any prefix, LF only', () => {
    const text = 'AT+CSQ\n+CSQ: 20,99\nOK\nAT+MIPSEND=1\n>\n2424001112345678901fff50006f350d0a\nOK\n';
    expect(detectInputKind(bytes(text))).toBe('at-log');
  });

  test('AT log with bare CR line ends and data lines behind markers', () => {
    const text = '<< >\r>> 2424001112345678901fff50006f350d0a\r<< OK\r>> AT+CSQ\r';
    expect(detectInputKind(bytes(text))).toBe('at-log');
  });

  test('AT log with some garbage lines (line noise on the serial port)', () => {
    const garbage = join(hex('ff fe 00 13 8a 9c'), bytes('\r\n'));
    const sample = join(lines(...AT_LOG.slice(0, 4)), garbage, garbage, lines(...AT_LOG.slice(4)), garbage);
    const report = explainInputKind(sample);
    expect(report.kind).toBe('at-log');
    expect(report.votes.other).toBe(3);
  });

  test('server log with start-up, connect, error and stack-trace lines', () => {
    const report = explainInputKind(lines(...SERVER_LOG));
    expect(report.kind).toBe('server-log');
    expect(report.votes.abstain).toBe(4);
  });

  test('WLN export', () => {
    expect(detectInputKind(lines(WLN, WLN, WLN))).toBe('wln');
  });

  test('hex lines with comments and blank lines', () => {
    const sample = lines(
      '# VT600 document samples',
      '',
      '24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A  # login',
      '40 40 00 11 10 11 30 92 36 33 FF 95 00 3F 9C 0D 0A',
    );
    expect(detectInputKind(sample)).toBe('hex-lines');
  });

  test('hex lines whose frames decode to MT700 and H02 text are still hex lines', () => {
    const hexed = [MT700.join('\r\n') + '\r\n', H02].map((t) => Buffer.from(t, 'latin1').toString('hex'));
    expect(detectInputKind(lines(...hexed))).toBe('hex-lines');
  });
});

describe('raw streams', () => {
  test('MT700 text stream (lines read as hex comments, which abstain)', () => {
    expect(explainInputKind(lines(...MT700, ...MT700))).toMatchObject({
      kind: 'text-stream',
      nonTextRatio: 0,
    });
  });

  test('H02 text frames back to back, no line ends', () => {
    expect(detectInputKind(bytes(H02 + H02 + H02))).toBe('text-stream');
  });

  test('Meiligao binary stream, position frames with long ASCII bodies included', () => {
    const report = explainInputKind(join(HEARTBEAT, POSITION, POSITION, HEARTBEAT));
    expect(report.kind).toBe('binary-stream');
    expect(report.nonTextRatio).toBeGreaterThan(INPUT_KIND_THRESHOLDS.maxNonText);
  });

  test('an empty sample is a binary stream', () => {
    expect(detectInputKind(new Uint8Array(0))).toBe('binary-stream');
  });
});

describe('thresholds', () => {
  test('the values the rules are documented with', () => {
    expect(INPUT_KIND_THRESHOLDS).toMatchObject({
      majority: 0.5,
      minSupport: 0.2,
      maxNonText: 0.02,
      maxLines: 64,
    });
  });

  test('majority: half the voting lines win, fewer do not', () => {
    expect(detectInputKind(lines('AT+CSQ', 'OK', H02, H02))).toBe('at-log');
    expect(detectInputKind(lines('AT+CSQ', 'OK', H02, H02, H02))).toBe('text-stream');
  });

  test('minSupport: abstaining lines dilute a vote', () => {
    const comments = (n: number) => Array.from({ length: n }, (_, i) => `# comment ${i}`);
    expect(detectInputKind(lines('24240011', ...comments(4)))).toBe('hex-lines');
    expect(detectInputKind(lines('24240011', ...comments(5)))).toBe('text-stream');
  });

  test('maxNonText: at most 2% of non-text bytes make a text stream', () => {
    const sample = (bad: number) => {
      const b = bytes(H02.repeat(2).slice(0, 100));
      for (let i = 0; i < bad; i++) b[10 + 20 * i] = 0x01;
      return b;
    };
    expect(explainInputKind(sample(2))).toMatchObject({ kind: 'text-stream', nonTextRatio: 0.02 });
    expect(explainInputKind(sample(3))).toMatchObject({ kind: 'binary-stream', nonTextRatio: 0.03 });
  });

  test('a last line cut by the sample does not vote', () => {
    const report = explainInputKind(bytes('AT+CSQ\r\nOK\r\n2424001112345678901f'));
    expect(report.nonBlankLines).toBe(2);
  });

  test('only maxLines non-blank lines vote', () => {
    const many = lines(...Array.from({ length: 100 }, () => 'OK'));
    expect(explainInputKind(many).nonBlankLines).toBe(INPUT_KIND_THRESHOLDS.maxLines);
  });

  test('ties go to the earlier kind: AT-log before hex lines', () => {
    expect(detectInputKind(lines('AT+CSQ', '24240011', 'OK', '24240011'))).toBe('at-log');
  });
});
