import { test } from 'vitest';
import { decodeFrame, encodeFrame, fromHex, toHex } from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/meiligao/index.js';

test('smoke', () => {
  const ft = meiligao.frames[0]!;
  for (const h of [
    '24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A',
    '24 24 00 1A 10 11 30 92 36 33 FF 95 00 00 10 00 80 56 31 2E 33 38 27 0E 0D 0A',
    '40 40 00 13 10 11 30 92 36 33 FF 95 03 E1 00 2B A7 0D 0A',
    '24 24 00 16 10 11 30 92 36 33 FF 95 02 00 00 00 80 01 E1 BD 0D 0A',
    '40 40 00 11 10 11 30 92 36 33 FF 95 05 36 19 0D 0A',
  ]) {
    const b = fromHex(h)!;
    const d = decodeFrame(meiligao, ft, b);
    console.log(
      JSON.stringify(d.value, (k, v) => (v instanceof Uint8Array ? toHex(v) : v)),
      d.ok,
      d.issues,
      d.normalized,
    );
    console.log(d.fields.map((f) => `${f.path}[${f.start},${f.end})=${f.value}`).join(' '));
    const again = encodeFrame(meiligao, ft, d.value);
    console.log('re-encoded equal:', toHex(again) === toHex(b), toHex(again));
  }
  const pos = new TextEncoder().encode(
    '035644.000,A,2233.8440,N,11355.5380,E,0.00,0.00,010809,,*1C|11.5|194|0000|0000,0000|0124|26|0000FFFF|08',
  );
  const v = { start: '$$', device_id: '12345678901', command: 0x9955, position: undefined as unknown };
  const frame = new Uint8Array([
    0x24,
    0x24,
    0,
    0,
    0x12,
    0x34,
    0x56,
    0x78,
    0x90,
    0x1f,
    0xff,
    0x99,
    0x55,
    ...pos,
    0,
    0,
    13,
    10,
  ]);
  const d = decodeFrame(meiligao, ft, frame);
  console.log(
    JSON.stringify(d.value),
    d.issues.map((i) => i.message),
    d.normalized,
  );
  v.position = (d.value as { position: unknown }).position;
  const enc = encodeFrame(meiligao, ft, { ...v, command: undefined });
  const d2 = decodeFrame(meiligao, ft, enc);
  console.log(d2.issues, toHex(enc));
});
