// The decoder's hand-written fast paths give the same answers as the simple forms they replace:
// token syntax checks (regular expressions), NMEA time parsing, and reused per-decode scratch state.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { COMPUTE } from '../../src/decode/compute.js';
import { decodeFrame, decodeStream } from '../../src/decode/index.js';
import { TOKEN_SYNTAX, TOKEN_SYNTAX_TEST } from '../../src/decode/scope.js';
import { h02, mt700 } from '../../src/protocols/index.js';
import type { TokenSyntax } from '../../src/schema/index.js';

const SYNTAXES = Object.keys(TOKEN_SYNTAX) as TokenSyntax[];
// Signs, points, spaces, a non-ASCII digit, and each end of the ASCII ranges the checks accept with
// its outside neighbour (/0 9: @A FG Z[ `a fg z{), so that a wrong bound or range is caught.
const tokenText = fc.string({
  unit: fc.constantFrom(...'0123456789-.+ \n\u0660/:@AFGZ[`afgz{'),
  maxLength: 8,
});

describe('token syntax checks', () => {
  test.each(SYNTAXES)('%s agrees with its regular expression', (syntax) => {
    fc.assert(
      fc.property(tokenText, (text) => {
        expect(TOKEN_SYNTAX_TEST[syntax](text)).toBe(TOKEN_SYNTAX[syntax].test(text));
      }),
      { numRuns: 2000 },
    );
  });
});

/** The regular-expression form nmeaTimestamp had. */
function timestampByRegex(date: string, time: string): number | undefined {
  const d = /^(\d{2})(\d{2})(\d{2})$/.exec(date.trim());
  const t = /^(\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(time.trim());
  if (!d || !t) return undefined;
  const [day, month, year] = [Number(d[1]), Number(d[2]), 2000 + Number(d[3])];
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 + (t[4] ? Number(t[4]) : 0);
}

describe('nmeaTimestamp', () => {
  test('reads what the regular expressions read', () => {
    const digitsText = fc.string({ unit: fc.constantFrom(...'0123456789. x'), maxLength: 11 });
    fc.assert(
      fc.property(digitsText, digitsText, (date, time) => {
        expect(COMPUTE.nmeaTimestamp([date, time], undefined)).toBe(timestampByRegex(date, time));
      }),
      { numRuns: 5000 },
    );
    expect(COMPUTE.nmeaTimestamp(['100124', '123318.00'], undefined)).toBe(1704889998);
  });
});

describe('decoding state', () => {
  const text = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  const report = text(
    '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,100124,,,A*5C\r\n##',
  );
  const bad = text(
    '#862255061947757#MT700#0000#AUTO#2\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,1001',
  );

  test('nothing carries over from one frame to the next, good or bad', () => {
    const ft = mt700.frames.find((f) => f.name === 'report')!;
    const first = decodeFrame(mt700, ft, report);
    const failed = decodeFrame(mt700, ft, bad);
    expect(failed.ok).toBe(false);
    expect(decodeFrame(mt700, ft, report)).toEqual(first);
    expect(decodeFrame(mt700, ft, bad)).toEqual(failed);
  });

  test('issues raised inside alternatives that fail are dropped; those that stand are written out', () => {
    // The V3 choice tries up to ten cell counts; each wrong count reads values where they do not fit.
    const [r] = decodeStream(
      h02,
      text('*HQ,4209951296,V3,144418,46000,02,10342,4283,-61,1,10343,4284,-70,2,0BE1,X,080218,FFFFFBFF#'),
    );
    expect(r?.kind === 'frame' && r.frame.ok).toBe(true);
    if (r?.kind !== 'frame') return;
    expect(r.frame.issues).toEqual([]);
    const [odd] = decodeStream(
      h02,
      text('*HQ,4209951296,V1,14441,A,2232.7178,N,11404.6773,E,000.21,000,080218,FFFFFBFF#'),
    );
    if (odd?.kind !== 'frame') throw new Error('no frame');
    expect(odd.frame.issues.map((i) => [i.id, typeof i.message])).toEqual([
      ['h02.position.time.syntax', 'string'],
    ]);
  });
});
