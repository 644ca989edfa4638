import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeStream, fromHex, StreamDecoder, type StreamRecord } from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/meiligao/index.js';

const hex = (h: string) => fromHex(h)!;
// VT600 document §2-§3 frames (OTA procedure demo).
const GET_INFO = hex('40 40 00 11 10 11 30 92 36 33 FF 95 00 3F 9C 0D 0A');
const INFO = hex('24 24 00 1A 10 11 30 92 36 33 FF 95 00 00 10 00 80 56 31 2E 33 38 27 0E 0D 0A');
const AUTH = hex('40 40 00 11 10 11 30 92 36 33 FF 95 01 2F BD 0D 0A');
const AUTH_ACK = hex('24 24 00 12 10 11 30 92 36 33 FF 95 01 01 39 96 0D 0A');
const LOGIN = hex('24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A');
const FRAMES = [GET_INFO, INFO, AUTH, AUTH_ACK, LOGIN];
const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

const summary = (records: StreamRecord[]) =>
  records.map((r) =>
    r.kind === 'frame' ? `frame@${r.offset}+${r.length}` : `${r.kind}@${r.offset}+${r.bytes.length}`,
  );

/** Offsets and lengths of all records tile the input exactly. */
function expectTiled(records: StreamRecord[], total: number) {
  let at = 0;
  for (const r of records) {
    expect(r.offset).toBe(at);
    at += r.kind === 'frame' ? r.length + r.trailer : r.bytes.length;
  }
  expect(at).toBe(total);
}

describe('Meiligao stream framing', () => {
  test('several frames in one chunk decode with good CRCs', () => {
    const records = decodeStream(meiligao, join(...FRAMES));
    expect(summary(records)).toEqual([
      'frame@0+17',
      'frame@17+26',
      'frame@43+17',
      'frame@60+18',
      'frame@78+17',
    ]);
    for (const r of records) if (r.kind === 'frame') expect(r.frame.checksums[0]!.status).toBe('good');
  });

  test('a wrong terminator: the length is trusted when the next frame starts there, in any chunking', () => {
    const wrongEnd = join(LOGIN.subarray(0, 16), hex('0B'));
    const stream = join(wrongEnd, AUTH, wrongEnd);
    const records = decodeStream(meiligao, stream);
    expect(summary(records)).toEqual(['frame@0+17', 'frame@17+17', 'frame@34+17']);
    const first = records[0]!;
    if (first.kind !== 'frame') throw new Error('expected a frame');
    expect(first.frame.checksums[0]).toMatchObject({ status: 'good', actual: 0x6f35 });
    expect(first.frame.issues).toMatchObject([{ id: 'meiligao.malformed', offset: 15 }]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: stream.length - 1 }), (cut) => {
        const d = new StreamDecoder(meiligao);
        const parts = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut)), ...d.end()];
        expect(summary(parts)).toEqual(summary(records));
      }),
    );
  });

  test('a plausible length is not trusted over a frame that ends properly before it', () => {
    // 0x0024 (36) would reach exactly the start of the last login; the CRLF-ended first frame wins.
    const bogus = join(hex('24 24 00 24'), LOGIN.subarray(4));
    expect(summary(decodeStream(meiligao, join(bogus, AUTH, hex('78 78'), LOGIN)))).toEqual([
      'frame@0+17',
      'frame@17+17',
      'undecoded@34+2',
      'frame@36+17',
    ]);
  });

  test('any chunking of a stream gives the same records', () => {
    const stream = join(hex('00 11 22'), ...FRAMES, hex('00 00'), LOGIN);
    const whole = summary(decodeStream(meiligao, stream));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const d = new StreamDecoder(meiligao);
        const out: StreamRecord[] = [];
        let from = 0;
        for (const c of [...points, stream.length]) {
          out.push(...d.push(stream.slice(from, c)));
          from = c;
        }
        out.push(...d.end());
        expect(summary(out)).toEqual(whole);
        expectTiled(out, stream.length);
      }),
    );
  });

  test('garbage before a frame is reported as undecoded bytes and the frame still decodes', () => {
    const records = decodeStream(meiligao, join(hex('FF 24 41 42'), LOGIN));
    expect(records[0]).toMatchObject({ kind: 'undecoded', offset: 0 });
    expect((records[0] as { bytes: Uint8Array }).bytes.length).toBe(4);
    expect(records[1]).toMatchObject({ kind: 'frame', offset: 4, length: 17 });
  });

  test('a length field of 0000 resynchronises on the trailer before the next frame and is flagged', () => {
    const bad = LOGIN.slice();
    bad[2] = 0;
    bad[3] = 0;
    const records = decodeStream(meiligao, join(bad, AUTH_ACK));
    expect(summary(records)).toEqual(['frame@0+17', 'frame@17+18']);
    const first = records[0] as Extract<StreamRecord, { kind: 'frame' }>;
    expect(first.frame.issues.map((i) => i.id)).toContain('meiligao.length.bad');
    expect(first.frame.issues.find((i) => i.id === 'meiligao.length.bad')).toMatchObject({
      expected: 17,
      actual: 0,
    });
  });

  test('two stray 00 bytes after a frame are accounted as undecoded, the next frame decodes', () => {
    const records = decodeStream(meiligao, join(LOGIN, hex('00 00'), AUTH));
    expect(summary(records)).toEqual(['frame@0+17', 'undecoded@17+2', 'frame@19+17']);
  });

  test('a bogus huge length does not swallow the rest of the stream', () => {
    const bad = LOGIN.slice();
    bad[2] = 0xff;
    bad[3] = 0xff;
    const records = decodeStream(meiligao, join(bad, GET_INFO, INFO));
    expect(summary(records)).toEqual(['frame@0+17', 'frame@17+17', 'frame@34+26']);
  });

  test('a frame cut off at the end of the stream is decoded as far as it goes, with an issue', () => {
    const records = decodeStream(meiligao, INFO.slice(0, 20));
    expectTiled(records, 20);
    const last = records.at(-1)!;
    expect(last.kind === 'undecoded' || (last.kind === 'frame' && !last.frame.ok)).toBe(true);
  });

  test('random bytes never throw and every byte is accounted for', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        const d = new StreamDecoder(meiligao);
        const out: StreamRecord[] = [];
        for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.slice(i, i + chunk)));
        out.push(...d.end());
        expectTiled(out, bytes.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('message boundaries', () => {
  test('an end marker at the end of a whole message completes the frame; without the hint it waits', async () => {
    const { h02 } = await import('../../src/protocols/index.js');
    const frame = new Uint8Array(
      Buffer.from(
        '*HQ,4209951296,V1,144418,A,2232.7178,N,11404.6773,E,000.21,000,080218,FFFFFBFF#',
        'latin1',
      ),
    );
    expect(new StreamDecoder(h02).push(frame)).toEqual([]);
    expect(new StreamDecoder(h02).push(frame, true).map((r) => r.kind)).toEqual(['frame']);
    // A message that ends inside a frame still waits for the rest.
    const split = new StreamDecoder(h02);
    expect(split.push(frame.slice(0, 40), true)).toEqual([]);
    expect(split.push(frame.slice(40), true).map((r) => r.kind)).toEqual(['frame']);
  });
});
