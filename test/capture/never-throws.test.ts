// Property tests: the readers take untrusted files, so no input may make them throw, and the line
// splitter's output must not depend on how the input was chunked.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  classifyLine,
  detectInputKind,
  LineSplitter,
  looksLikeAtLog,
  parseAtLogLine,
  parseHexLine,
  parseServerLogLine,
  splitLines,
  type Line,
} from '../../src/capture/index.js';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** Strings built from the pieces the parsers look for, so that the deep branches get exercised. */
const TOKENS = [
  '2024-01-10',
  '2024/01/10',
  ' ',
  '  ',
  '\t',
  'T',
  '12:33:18',
  '.123',
  ',5',
  ':123',
  'Z',
  '+02:00',
  '[',
  ']',
  '(',
  ')',
  '>',
  '>>',
  '<',
  '<<',
  '->',
  '-->',
  '<-',
  '<--',
  'TX:',
  'RX',
  ':',
  '[TX]',
  'SEND:',
  'recv',
  'AT',
  'at+csq',
  'OK',
  '+MIPRTCP',
  '2424',
  'fF',
  '0x',
  '#',
  '//',
  '\\',
  '\\r',
  '\\x4',
  'HEX:',
  'INFO',
  'T1a2b3c4d',
  'meiligao',
  '192.0.2.5',
  ':5013',
  '[2001:db8::1]',
  'REG;',
  '\u00ef\u00bb\u00bf',
  '\u0000',
  '\u00ff',
  '   12.345',
];
const tokenString = fc.array(fc.constantFrom(...TOKENS), { maxLength: 20 }).map((t) => t.join(''));
const anyLine = fc.oneof(tokenString, fc.uint8Array({ maxLength: 200 }).map(latin1), fc.string());

const SERVER_PREFIX = '2024-01-10 12:33:18  INFO: [T1a2b3c4d: meiligao < 192.0.2.5] ';

describe('no parser throws', () => {
  test('parseAtLogLine, parseServerLogLine, parseHexLine, classifyLine', () => {
    fc.assert(
      fc.property(anyLine, (text) => {
        const at = parseAtLogLine(text);
        expect(text.slice(at.bodyOffset)).toBe(at.body);
        const packet = parseServerLogLine(text);
        if (packet) expect(packet.payloadOffset).toBeLessThanOrEqual(text.length);
        parseHexLine(text);
        classifyLine(text);
      }),
      { numRuns: 3000 },
    );
  });

  test('server-log payloads of any content', () => {
    fc.assert(
      fc.property(anyLine, fc.boolean(), (payload, marked) => {
        const text = SERVER_PREFIX + (marked ? 'HEX: ' : '') + payload;
        const packet = parseServerLogLine(text);
        expect(packet).toBeDefined();
        for (const issue of packet!.issues)
          expect(issue.offset).toBeGreaterThanOrEqual(packet!.payloadOffset);
      }),
      { numRuns: 2000 },
    );
  });

  test('detectInputKind and looksLikeAtLog on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (sample) => {
        const kind = detectInputKind(sample);
        // Capture kinds only for their magic numbers (either byte order).
        const magic = Buffer.from(sample.subarray(0, 4)).toString('hex');
        if (kind === 'pcap') expect(['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1']).toContain(magic);
        if (kind === 'pcapng') expect(magic).toBe('0a0d0d0a');
        const score = looksLikeAtLog(splitLines(sample).map((l) => l.text));
        expect(score.atLike).toBeLessThanOrEqual(score.considered);
        expect(score.score).toBe(score.considered === 0 ? 0 : score.atLike / score.considered);
      }),
      { numRuns: 1000 },
    );
  });

  test('detectInputKind on line-structured text', () => {
    fc.assert(
      fc.property(
        fc.array(tokenString, { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        (ls, eol) => {
          const sample = Buffer.from(ls.join(eol), 'latin1');
          const kind = detectInputKind(sample);
          // No token can spell a capture-file magic.
          expect(['at-log', 'server-log', 'wln', 'hex-lines', 'text-stream', 'binary-stream']).toContain(
            kind,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** Bytes rich in line ends, so CRs and LFs meet chunk boundaries often. */
const lineBytes = fc
  .array(
    fc.oneof(fc.constantFrom(0x0d, 0x0a, 0x0d, 0x0a, 0x41, 0x00, 0xff), fc.integer({ min: 0, max: 255 })),
    {
      maxLength: 300,
    },
  )
  .map((a) => Uint8Array.from(a));

function chunked(input: Uint8Array, cuts: number[], maxLineLength?: number): Line[] {
  const s = new LineSplitter(maxLineLength === undefined ? {} : { maxLineLength });
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const out: Line[] = [];
  let from = 0;
  for (const at of [...points, input.length]) {
    out.push(...s.push(input.subarray(from, at)));
    from = at;
  }
  out.push(...s.end());
  return out;
}

describe('LineSplitter', () => {
  test('any chunking gives the same lines as the whole buffer', () => {
    fc.assert(
      fc.property(
        lineBytes,
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.option(fc.integer({ min: 1, max: 8 })),
        (input, cuts, max) => {
          const options = max === null ? {} : { maxLineLength: max };
          expect(chunked(input, cuts, max ?? undefined)).toEqual(splitLines(input, options));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('offsets and lengths tile the input, and text + line end are its bytes', () => {
    fc.assert(
      fc.property(
        lineBytes,
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.option(fc.integer({ min: 1, max: 8 })),
        (input, cuts, max) => {
          const out = chunked(input, cuts, max ?? undefined);
          let at = 0;
          let number = 1;
          for (const [i, line] of out.entries()) {
            expect(line.offset).toBe(at);
            expect(line.length).toBeGreaterThan(0);
            expect(line.text + line.lineEnd).toBe(latin1(input.subarray(at, at + line.length)));
            expect(line.lineNumber).toBe(number);
            if (!line.overlong) number++;
            if (line.lineEnd === '' && !line.overlong) expect(i).toBe(out.length - 1);
            if (max !== null) expect(line.text.length).toBeLessThanOrEqual(max);
            at += line.length;
          }
          expect(at).toBe(input.length);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
