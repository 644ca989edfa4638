import { describe, expect, test } from 'vitest';
import { parseHexLine } from '../../src/capture/index.js';
import { toHex } from './helpers.js';

const HEARTBEAT = '2424001112345678901fff50006f350d0a';

describe('parseHexLine', () => {
  test.each([
    ['2424001112345678901fff50006f350d0a'],
    ['2424001112345678901FFF50006F350D0A'],
    ['24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A'],
    ['24\t24 00\t11 12 34 56 78 90 1f ff 50 00 6f 35 0d 0a'],
    ['24:24:00:11:12:34:56:78:90:1f:ff:50:00:6f:35:0d:0a'],
    ['24-24-00-11-12-34-56-78-90-1f-ff-50-00-6f-35-0d-0a'],
    ['0x24 0x24 0x00 0x11 0x12 0x34 0x56 0x78 0x90 0x1F 0xFF 0x50 0x00 0x6F 0x35 0x0D 0x0A'],
    ['0x24, 0x24, 0x0, 0x11, 0x12, 0x34, 0x56, 0x78, 0x90, 0x1f, 0xff, 0x50, 0x0, 0x6f, 0x35, 0xd, 0xa,'],
    ['0x2424001112345678901fff50006f350d0a'],
    ['2424 0011 1234 5678 901f ff50 006f 350d 0a'],
    ['  24 24 00 11 12 34 56 78 90 1f ff 50 00 6f 35 0d 0a  '],
    ['\\x24\\x24\\x00\\x11\\x12\\x34\\x56\\x78\\x90\\x1f\\xff\\x50\\x00\\x6f\\x35\\x0d\\x0a'],
  ])('%j', (text) => {
    const line = parseHexLine(text);
    expect(line?.kind).toBe('frame');
    if (line?.kind === 'frame') expect(toHex(line.bytes)).toBe(HEARTBEAT);
  });

  test('trailing comments are kept apart', () => {
    expect(parseHexLine('24 24 00 11 # login, VT600 §2')).toEqual({
      kind: 'frame',
      bytes: Uint8Array.from([0x24, 0x24, 0x00, 0x11]),
      comment: 'login, VT600 §2',
    });
    expect(parseHexLine('0x24 0x24 // heartbeat')).toMatchObject({ kind: 'frame', comment: 'heartbeat' });
  });

  test('blank and comment-only lines are skipped', () => {
    expect(parseHexLine('')).toEqual({ kind: 'skip', reason: 'blank' });
    expect(parseHexLine('   \t')).toEqual({ kind: 'skip', reason: 'blank' });
    expect(parseHexLine('# frames from the VT600 document')).toEqual({
      kind: 'skip',
      reason: 'comment',
      comment: 'frames from the VT600 document',
    });
    expect(parseHexLine('  // nothing')).toMatchObject({ kind: 'skip', reason: 'comment' });
  });

  test.each([
    ['odd digit count', '242'],
    ['a lone digit without 0x', '24 4 00'],
    ['not hex', 'AT+CSQ'],
    ['text frame', '*HQ,865205030000000,V1#'],
    ['bare 0x', '0x'],
    ['hexdump -C line', '00000000  24 24 00 11  |$$..|'],
    ['separators only', ': , -'],
  ])('not hex: %s', (_why, text) => {
    expect(parseHexLine(text)).toBeUndefined();
  });
});
