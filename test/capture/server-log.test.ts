import { describe, expect, test } from 'vitest';
import {
  isHexPayload,
  isServerLogHeader,
  parseServerLogLine,
  unescapeText,
  type ServerLogPacket,
} from '../../src/capture/index.js';
import { bytes, EXAMPLE_UNIX, toHex } from './helpers.js';

/** The exact example line of shared/specs/real-world-variants.md, "Tracking-server logs". */
const SPEC_LINE =
  '2024-01-10 12:33:18  INFO: [T1a2b3c4d: meiligao < 192.0.2.5] 2424001112345678901fff50006f350d0a';
const H02_TEXT = '*HQ,865205030000000,V1,123318,A,2233.8440,N,11355.5380,E,0.00,0,100124,FFFFFBFF#';
const MT700_TEXT =
  '#862061040000000#MT700#0000#AUTO#1\r\n#3815#$GPRMC,123318.00,A,2233.8440,N,11355.5380,E,0.0,0.0,100124,,,A*7C\r\n##\r\n';

function parse(text: string): ServerLogPacket {
  const packet = parseServerLogLine(text);
  expect(packet).toBeDefined();
  return packet!;
}

describe('packet lines', () => {
  test('the example line of the spec', () => {
    const p = parse(SPEC_LINE);
    expect(p).toMatchObject({
      timestamp: EXAMPLE_UNIX,
      level: 'INFO',
      session: 'T1a2b3c4d',
      transport: 'tcp',
      protocol: 'meiligao',
      direction: 'uplink',
      peer: '192.0.2.5',
      peerAddress: '192.0.2.5',
      payloadEncoding: 'hex',
      hexMarker: false,
      issues: [],
    });
    expect(p.peerPort).toBeUndefined();
    expect([...p.payload]).toEqual([
      0x24, 0x24, 0x00, 0x11, 0x12, 0x34, 0x56, 0x78, 0x90, 0x1f, 0xff, 0x50, 0x00, 0x6f, 0x35, 0x0d, 0x0a,
    ]);
    expect(SPEC_LINE.slice(p.payloadOffset)).toBe('2424001112345678901fff50006f350d0a');
  });

  test("Traccar's `HEX:` form, uppercase hex, downlink, UDP, peer with port", () => {
    const line = '2024-01-10 12:33:18.250 DEBUG: [U0badf00d: h02 > 192.0.2.5:5013] HEX: 2A48512C4F4B23';
    const p = parse(line);
    expect(p).toMatchObject({
      timestamp: EXAMPLE_UNIX + 0.25,
      level: 'DEBUG',
      session: 'U0badf00d',
      transport: 'udp',
      protocol: 'h02',
      direction: 'downlink',
      peer: '192.0.2.5:5013',
      peerAddress: '192.0.2.5',
      peerPort: 5013,
      payloadEncoding: 'hex',
      hexMarker: true,
    });
    expect(Buffer.from(p.payload).toString('latin1')).toBe('*HQ,OK#');
    expect(line.slice(p.payloadOffset)).toBe('2A48512C4F4B23');
  });

  test('an H02 frame logged as hex decodes to text and is still hex', () => {
    const hexed = Buffer.from(H02_TEXT, 'latin1').toString('hex');
    const p = parse(`2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 < 192.0.2.5] ${hexed}`);
    expect(p.payloadEncoding).toBe('hex');
    expect(Buffer.from(p.payload).toString('latin1')).toBe(H02_TEXT);
  });

  test('escaped text payloads: an MT700 report with \\r\\n', () => {
    const escaped = MT700_TEXT.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    const line = `2024-01-10 12:33:18  INFO: [T1a2b3c4d: mictrack < 192.0.2.5] ${escaped}`;
    const p = parse(line);
    expect(p.payloadEncoding).toBe('text');
    expect(Buffer.from(p.payload).toString('latin1')).toBe(MT700_TEXT);
    expect(line.slice(p.payloadOffset)).toBe(escaped);
    expect(p.issues).toEqual([]);
  });

  test('a text payload without escapes (H02)', () => {
    const p = parse(`2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 < 192.0.2.5] ${H02_TEXT}`);
    expect(p.payloadEncoding).toBe('text');
    expect(Buffer.from(p.payload).toString('latin1')).toBe(H02_TEXT);
  });

  test('other escapes; unknown ones are kept and reported with their offset', () => {
    const line = '2024-01-10 12:33:18  INFO: [T1a2b3c4d: x < 1.2.3.4] a\\tb\\\\c\\x00\\xFFd\\q\\';
    const p = parse(line);
    expect(toHex(p.payload)).toBe(toHex(bytes('a\tb\\c\x00\xffd\\q\\')));
    expect(p.issues.map((i) => [i.message, line.slice(i.offset, i.offset + 2)])).toEqual([
      ['unknown escape \\q; kept as written', '\\q'],
      ['backslash at the end of the payload; kept as written', '\\'],
    ]);
  });

  test('IPv6 peers, bracketed with a port or bare', () => {
    expect(parse('2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 < [2001:db8::1]:5013] 00')).toMatchObject({
      peer: '[2001:db8::1]:5013',
      peerAddress: '2001:db8::1',
      peerPort: 5013,
    });
    const bare = parse('2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 < 2001:db8::1] 00');
    expect(bare).toMatchObject({ peer: '2001:db8::1', peerAddress: '2001:db8::1' });
    expect(bare.peerPort).toBeUndefined();
  });

  test('old Traccar session ids without T/U: transport unknown', () => {
    expect(parse('2016-05-12 10:00:00  INFO: [1A2B3C4D: h02 < 1.2.3.4] HEX: 00')).toMatchObject({
      session: '1A2B3C4D',
      transport: 'unknown',
    });
  });

  test('HEX: with an odd digit count drops the last digit and says where', () => {
    const line = '2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 < 1.2.3.4] HEX: 2a4';
    const p = parse(line);
    expect(toHex(p.payload)).toBe('2a');
    expect(p.issues).toHaveLength(1);
    expect(line[p.issues[0]!.offset]).toBe('4');
  });

  test('HEX: with a non-hex character falls back to text and says where', () => {
    const line = '2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 < 1.2.3.4] HEX: 2a4g';
    const p = parse(line);
    expect(p.payloadEncoding).toBe('text');
    expect(Buffer.from(p.payload).toString('latin1')).toBe('2a4g');
    expect(line[p.issues[0]!.offset]).toBe('g');
  });

  test('an empty payload is an empty packet', () => {
    const p = parse('2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 < 1.2.3.4]');
    expect(p.payload).toHaveLength(0);
  });
});

describe('lines that are not packet lines', () => {
  test.each([
    '2024-01-10 12:33:18  INFO: [T1a2b3c4d] connected',
    '2024-01-10 12:33:18  INFO: [T1a2b3c4d] disconnected',
    '2024-01-10 12:33:18  INFO: [T1a2b3c4d] id: 865205030000000, time: 2024-01-10 12:33:18, lat: 22.56407',
    '2024-01-10 12:33:18  INFO: Version: 6.2',
    '2024-01-10 12:33:18  WARN: [T1a2b3c4d] error - Connection reset by peer - IOException (...)',
    '\tat org.traccar.BaseProtocolDecoder.decode(BaseProtocolDecoder.java:1)',
    '2024-13-10 12:33:18  INFO: [T1a2b3c4d: meiligao < 192.0.2.5] 2424',
    '[T1a2b3c4d: meiligao < 192.0.2.5] 2424',
    '',
  ])('%j', (text) => {
    expect(parseServerLogLine(text)).toBeUndefined();
  });

  test('isServerLogHeader recognises any line of such a log', () => {
    expect(isServerLogHeader('2024-01-10 12:33:18  INFO: Version: 6.2')).toBe(true);
    expect(isServerLogHeader('2024-01-10 12:33:18 ERROR: Main method error')).toBe(true);
    expect(isServerLogHeader(SPEC_LINE)).toBe(true);
    expect(isServerLogHeader('2024-01-10 12:33:18 AT+CSQ')).toBe(false);
  });
});

describe('the hex-or-text rule', () => {
  test.each([
    ['2424001112345678901fff50006f350d0a', true],
    ['2424001112345678901FFF50006F350D0A', true],
    ['2424001112345678901fff50006f350d0a  ', true],
    ['cafe', true],
    ['2424001112345678901fFF', false],
    ['242', false],
    ['', false],
    ['#862061040000000#MT700', false],
    [H02_TEXT, false],
    ['24 24', false],
  ])('%j -> %s', (payload, hexed) => {
    expect(isHexPayload(payload)).toBe(hexed);
  });

  test('unescapeText works on its own', () => {
    expect(toHex(unescapeText('a\\r\\n'))).toBe('610d0a');
  });
});
