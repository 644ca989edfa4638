import { describe, expect, test } from 'vitest';
import { LineSplitter, splitLines, type Line } from '../../src/capture/index.js';
import { bytes } from './helpers.js';

const shape = (lines: Line[]) => lines.map((l) => [l.text, l.offset, l.length, l.lineNumber, l.lineEnd]);

describe('splitLines', () => {
  test('CRLF, LF and bare CR mixed in one file', () => {
    expect(shape(splitLines(bytes('AT\r\nOK\n+MIPCALL: 1\rlast')))).toEqual([
      ['AT', 0, 4, 1, '\r\n'],
      ['OK', 4, 3, 2, '\n'],
      ['+MIPCALL: 1', 7, 12, 3, '\r'],
      ['last', 19, 4, 4, ''],
    ]);
  });

  test('LF CR is two line ends, CR CR LF is a CR line then an empty CRLF line', () => {
    expect(shape(splitLines(bytes('a\n\rb')))).toEqual([
      ['a', 0, 2, 1, '\n'],
      ['', 2, 1, 2, '\r'],
      ['b', 3, 1, 3, ''],
    ]);
    expect(shape(splitLines(bytes('a\r\r\nb')))).toEqual([
      ['a', 0, 2, 1, '\r'],
      ['', 2, 2, 2, '\r\n'],
      ['b', 4, 1, 3, ''],
    ]);
  });

  test('no empty line after a final line end; empty input has no lines', () => {
    expect(shape(splitLines(bytes('OK\r\n')))).toEqual([['OK', 0, 4, 1, '\r\n']]);
    expect(shape(splitLines(bytes('\n')))).toEqual([['', 0, 1, 1, '\n']]);
    expect(splitLines(new Uint8Array(0))).toEqual([]);
  });

  test('a final bare CR is a line end', () => {
    expect(shape(splitLines(bytes('OK\r')))).toEqual([['OK', 0, 3, 1, '\r']]);
  });

  test('bytes above 0x7f and NUL come through one char per byte', () => {
    const [line] = splitLines(new Uint8Array([0x24, 0x00, 0xff, 0x80, 0x0a]));
    expect(line!.text).toBe('\u0024\u0000\u00ff\u0080');
    expect(line!.length).toBe(5);
  });
});

describe('LineSplitter', () => {
  test('a CRLF split across chunks is one line end', () => {
    const s = new LineSplitter();
    expect(s.push(bytes('AT+CSQ\r'))).toEqual([]);
    expect(shape(s.push(bytes('\nOK')))).toEqual([['AT+CSQ', 0, 8, 1, '\r\n']]);
    expect(shape(s.end())).toEqual([['OK', 8, 2, 2, '']]);
  });

  test('a CR at a chunk end followed by another line is a bare CR line end', () => {
    const s = new LineSplitter();
    expect(s.push(bytes('a\r'))).toEqual([]);
    expect(shape(s.push(bytes('b\r')))).toEqual([['a', 0, 2, 1, '\r']]);
    expect(shape(s.push(bytes('\r')))).toEqual([['b', 2, 2, 2, '\r']]);
    expect(shape(s.end())).toEqual([['', 4, 1, 3, '\r']]);
  });

  test('a line spread over many chunks, including empty ones', () => {
    const s = new LineSplitter();
    const out = [
      ...s.push(bytes('+MIP')),
      ...s.push(new Uint8Array(0)),
      ...s.push(bytes('RTCP: 1')),
      ...s.push(bytes(',0\n')),
    ];
    expect(shape(out)).toEqual([['+MIPRTCP: 1,0', 0, 14, 1, '\n']]);
    expect(s.end()).toEqual([]);
  });

  test('over-long lines come in pieces of maxLineLength that share the line number', () => {
    const s = new LineSplitter({ maxLineLength: 4 });
    const out = [...s.push(bytes('abcdefghij\nxy')), ...s.end()];
    expect(out.map((l) => [l.text, l.offset, l.length, l.lineNumber, l.lineEnd, l.overlong])).toEqual([
      ['abcd', 0, 4, 1, '', true],
      ['efgh', 4, 4, 1, '', true],
      ['ij', 8, 3, 1, '\n', undefined],
      ['xy', 11, 2, 2, '', undefined],
    ]);
  });

  test('a line of exactly maxLineLength is not cut, whatever its line end', () => {
    expect(shape(splitLines(bytes('abcd\r\nefgh\r'), { maxLineLength: 4 }))).toEqual([
      ['abcd', 0, 6, 1, '\r\n'],
      ['efgh', 6, 5, 2, '\r'],
    ]);
  });

  test('a nonsensical maxLineLength falls back to the default instead of throwing', () => {
    expect(shape(splitLines(bytes('abc\n'), { maxLineLength: 0 }))).toEqual([['abc', 0, 4, 1, '\n']]);
    expect(shape(splitLines(bytes('abc\n'), { maxLineLength: NaN }))).toEqual([['abc', 0, 4, 1, '\n']]);
  });
});
