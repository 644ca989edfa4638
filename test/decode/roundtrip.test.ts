// decode(encode(x)) equals x and encode(decode(bytes)) equals the bytes, over every frame type of
// every protocol, for random valid values generated from the schemas themselves. (A value that passes
// through a choice the schema declares ambiguous must round-trip its bytes; its value may come back as
// an earlier variant with the same text.)
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame } from '../../src/decode/index.js';
import { comparable, frameArbitrary, throughAmbiguousChoice } from '../../src/fuzz/arbitrary.js';
import { PROTOCOLS } from '../../src/protocols/index.js';

describe.each(PROTOCOLS.map((p) => [p.name, p] as const))('%s', (_name, protocol) => {
  test.each(protocol.frames.map((ft) => [ft.name, ft] as const))('%s round-trips', (_ft, frameType) => {
    fc.assert(
      fc.property(frameArbitrary(protocol, frameType), ({ value, direction }) => {
        const bytes = encodeFrame(protocol, frameType, value, { direction });
        const decoded = decodeFrame(protocol, frameType, bytes, { direction });
        expect(decoded.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(decoded.ok).toBe(true);
        // Where the schema declares a choice ambiguous, the bytes may decode as an earlier variant.
        if (!throughAmbiguousChoice(frameType.node, value))
          expect(comparable(frameType.node, decoded.value)).toEqual(comparable(frameType.node, value));
        expect(
          encodeFrame(protocol, frameType, decoded.value, { direction, layout: decoded.layout }),
        ).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });
});
