// Random and truncated input never throws, and every input byte ends up in a frame, an undecoded-bytes
// record or a line-end separator: for every protocol, from schema-generated frames and plain noise.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  matchPattern,
  StreamDecoder,
  type StreamRecord,
} from '../../src/decode/index.js';
import { frameArbitrary } from '../../src/fuzz/arbitrary.js';
import { PROTOCOLS } from '../../src/protocols/index.js';
import type { Protocol } from '../../src/schema/index.js';

function recordLength(r: StreamRecord): number {
  return r.kind === 'frame' ? r.length + r.trailer : r.bytes.length;
}

/** Stream the bytes in the given chunk sizes; assert the records tile the input exactly. */
function streamTiles(protocol: Protocol, bytes: Uint8Array, chunk: number): StreamRecord[] {
  const d = new StreamDecoder(protocol);
  const out: StreamRecord[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.slice(i, i + chunk)));
  out.push(...d.end());
  let at = 0;
  for (const r of out) {
    expect(r.offset).toBe(at);
    at += recordLength(r);
  }
  expect(at).toBe(bytes.length);
  return out;
}

/**
 * Whether the framer would cut these bytes as this frame type: frame types are tried in order, so the
 * first whose start matches must be this one (an unknown MT700 command has no start at all; an AT
 * `other` line that starts like a response is claimed by the response type).
 */
function recognisable(protocol: Protocol, frameName: string, bytes: Uint8Array): boolean {
  const claims = (framing: Protocol['frames'][number]['framing']) => {
    const starts = framing.kind === 'length' ? undefined : framing.start;
    return !starts || starts.length === 0 || starts.some((p) => matchPattern(bytes, 0, p, true) === 'yes');
  };
  return protocol.frames.find((f) => claims(f.framing))?.name === frameName;
}

/** A few valid, recognisable frames of a protocol, separated by line ends as on the wire. */
const framesOf = (protocol: Protocol) =>
  fc
    .array(
      fc
        .constantFrom(...protocol.frames)
        .chain((ft) =>
          frameArbitrary(protocol, ft).map((s) => ({
            ft,
            bytes: encodeFrame(protocol, ft, s.value, { direction: s.direction }),
          })),
        )
        .filter(
          ({ ft, bytes }) =>
            bytes.some((b) => b !== 13 && b !== 10) && recognisable(protocol, ft.name, bytes),
        ),
      { minLength: 1, maxLength: 4 },
    )
    .map((frames) => ({
      count: frames.length,
      stream: new Uint8Array(Buffer.concat(frames.flatMap((f) => [f.bytes, new Uint8Array([13, 10])]))),
    }));

describe.each(PROTOCOLS.map((p) => [p.name, p] as const))('%s', (_name, protocol) => {
  test('random bytes, any chunking: no throw, every byte accounted for', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 97 }), (bytes, chunk) => {
        streamTiles(protocol, bytes, chunk);
      }),
      { numRuns: 300 },
    );
  });

  test('valid frames, truncated or with bytes flipped and garbage inserted: no throw, all bytes accounted for', () => {
    fc.assert(
      fc.property(
        framesOf(protocol),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.uint8Array({ maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        ({ stream }, cut, flips, garbage, chunk) => {
          const bytes = stream.slice(0, stream.length - (cut % (stream.length + 1)));
          for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
          const mid = bytes.length >> 1;
          const mangled = new Uint8Array(Buffer.concat([bytes.slice(0, mid), garbage, bytes.slice(mid)]));
          streamTiles(protocol, mangled, chunk);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('clean frames stream back as the same number of frames, without undecoded bytes', () => {
    fc.assert(
      fc.property(framesOf(protocol), fc.integer({ min: 1, max: 64 }), ({ stream, count }, chunk) => {
        const records = streamTiles(protocol, stream, chunk);
        expect(records.filter((r) => r.kind === 'undecoded')).toEqual([]);
        expect(records.filter((r) => r.kind === 'frame')).toHaveLength(count);
        for (const r of records)
          if (r.kind === 'frame') expect(r.frame.issues.filter((i) => i.severity === 'error')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test('decodeFrame never throws on arbitrary bytes, for every frame type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const ft of protocol.frames) {
          const d = decodeFrame(protocol, ft, bytes);
          if (!d.ok) expect(d.issues.some((i) => i.id === `${protocol.name}.malformed`)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
