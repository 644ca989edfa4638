// Identity rewriting, Meiligao frames built by the platform, targets and timing, against the documents.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { decodeStream, fromHex, toHex } from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/index.js';
import { derivedId, rewriteIdentity } from '../../src/replay/identity.js';
import { meiligaoDownlink, parsePush } from '../../src/replay/serve/frames.js';
import { stepOffsets } from '../../src/replay/script.js';
import { checkTarget, parseTarget } from '../../src/replay/target.js';
import { LatenessHistogram } from '../../src/replay/stats.js';

const frameOf = (hex: string) => {
  const r = decodeStream(meiligao, fromHex(hex)!).find((x) => x.kind === 'frame');
  if (!r || r.kind !== 'frame') throw new Error('no frame');
  return r.frame;
};

test('the platform builds the OTA document samples byte for byte (length and CRC-CCITT computed)', () => {
  // vt600-ota-protocol.md §2: 0x9500 to 101130923633, CRC 0x3F9C; 0x9503 with length 0xE100, CRC 0x2BA7.
  expect(toHex(meiligaoDownlink('101130923633', 0x9500))).toBe('40400011101130923633ff95003f9c0d0a');
  expect(toHex(meiligaoDownlink('101130923633', 0x9503, new Uint8Array([0xe1, 0x00])))).toBe(
    '40400013101130923633ff9503e1002ba70d0a',
  );
  // The login confirmation a Traccar log shows for device 12345678901.
  expect(toHex(meiligaoDownlink('12345678901', 0x4000, new Uint8Array([1])))).toBe(
    '4040001212345678901fff400001ba310d0a',
  );
});

test('rewriting the login sample of the VT600 document to another id recomputes its CRC', () => {
  // §1 sample: 24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A (checksum 0x6F35).
  const login = frameOf('2424001112345678901fff50006f350d0a');
  const r = rewriteIdentity(login, new Uint8Array(0), '101130923633');
  expect(toHex(r.bytes).slice(8, 22)).toBe('101130923633ff');
  expect(r.frame.checksums[0]!.status).toBe('good');
  expect(toHex(rewriteIdentity(r.frame, new Uint8Array(0), '12345678901').bytes)).toBe(
    '2424001112345678901fff50006f350d0a',
  );
});

test('any 1..14 digit id rewritten into a Meiligao position decodes back with a good CRC', () => {
  const position = frameOf(
    '2424008812345678901fff99553132333331382e3030302c412c323233382e383934362c4e2c31313430322e303633352c452c31322e35302c39362e37302c3130303132342c2c2a35437c302e397c35347c303430307c303030302c303131367c30314343303030303144323930313536313533447c31467c30303031453234307c3041ea1b0d0a',
  );
  fc.assert(
    fc.property(fc.stringMatching(/^[1-9][0-9]{0,13}$/), (id) => {
      const r = rewriteIdentity(position, new Uint8Array(0), id);
      expect(r.frame.ok).toBe(true);
      expect(r.frame.checksums.every((c) => c.status === 'good')).toBe(true);
      expect(String(r.frame.fields.find((f) => f.path === 'meiligao.device_id')!.value)).toBe(id);
    }),
    { numRuns: 100 },
  );
});

test('fanned-out ids count up from the base and keep its width', () => {
  expect(derivedId('862255061947757', 0)).toBe('862255061947757');
  expect(derivedId('862255061947757', 2)).toBe('862255061947759');
  expect(derivedId('9999', 1)).toBe('0000');
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{6,15}$/), fc.integer({ min: 0, max: 5000 }), (base, i) => {
      expect(derivedId(base, i)).toHaveLength(base.length);
    }),
  );
});

test('push commands are checked against their protocol', () => {
  expect(toHex(parsePush('mt700=MODE,1,10\\r\\n').build('862255061947757'))).toBe('4d4f44452c312c31300d0a');
  expect(Buffer.from(parsePush('h02=*HQ,{id},S20,130305,1,1#').build('4209951296')).toString()).toBe(
    '*HQ,4209951296,S20,130305,1,1#',
  );
  expect(() => parsePush('mt700=NOT A COMMAND')).toThrow('not a mt700 server command');
  expect(() => parsePush('meiligao=zz')).toThrow('CMD[:HEXDATA]');
});

test('targets: loopback only unless the host is named', () => {
  expect(parseTarget(':5000')).toEqual({ host: '127.0.0.1', port: 5000 });
  expect(parseTarget('[::1]:7700')).toEqual({ host: '::1', port: 7700 });
  expect(() => parseTarget('host')).toThrow('expected host:port');
  expect(() => checkTarget({ host: '::1', port: 1 }, [])).not.toThrow();
  expect(() => checkTarget({ host: '192.0.2.10', port: 1 }, [])).toThrow('--allow-remote 192.0.2.10');
  expect(() => checkTarget({ host: '192.0.2.10', port: 1 }, ['192.0.2.10'])).not.toThrow();
});

test('step offsets run from the first timestamp, pauses cut to --max-gap', () => {
  expect(stepOffsets([100, 100.5, undefined, 160, 161])).toEqual([0, 0.5, 0.5, 60, 61]);
  expect(stepOffsets([100, 100.5, 160, 161], 2)).toEqual([0, 0.5, 2.5, 3.5]);
});

test('lateness percentiles', () => {
  const h = new LatenessHistogram();
  for (let i = 1; i <= 100; i++) h.add(i / 10);
  expect(h.quantile(0.5)).toBe(5);
  expect(h.quantile(0.99)).toBe(9.9);
  expect(h.max).toBe(10);
});
