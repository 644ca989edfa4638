// Static types inferred from schemas. These are compile-time checks (tsc runs them in
// `npm run typecheck`): each `@ts-expect-error` line must fail to type-check, or tsc fails.
import { expect, test } from 'vitest';
import type { meiligaoFrame } from '../../src/protocols/meiligao/index.js';
import {
  checksum,
  choice,
  computed,
  delimited,
  digits,
  hex,
  lengthOf,
  lit,
  oneOf,
  optional,
  picklist,
  span,
  struct,
  switchOn,
  u16,
  u8,
  type Decoded,
  type Encodable,
} from '../../src/schema/index.js';

export const demo = struct({
  start: oneOf({ $$: 'uplink', '@@': 'downlink' }, { role: 'direction' }),
  length: u16({ derive: lengthOf('$frame') }),
  command: u16(),
  body: switchOn('command', {
    0x0001: struct({ flag: u8() }, { label: 'ping' }),
    0x0002: struct({ text: digits() }, { label: 'note' }),
  }),
  crc: u16({ derive: checksum('crc16-ccitt-false', span('start', 'body')) }),
  end: lit('\r\n'),
});
export const textRecord = delimited(',', {
  status: picklist({ A: 'valid', V: 'invalid' }),
  lat: digits(),
  cell: optional(hex()),
  latitude: computed('nmeaLatitude', ['lat', 'status']),
  sentence: choice({ gprmc: struct({ a: digits() }), wifi: struct({ b: digits() }) }),
});

type D = Decoded<typeof demo>;
type E = Encodable<typeof demo>;

test('Decoded: derived fields present, literals absent, the switch a union keyed on its discriminant', () => {
  const ok: D = { start: '$$', length: 17, crc: 1, command: 1, ping: { flag: 1 } };
  // @ts-expect-error a body that does not match its command
  const wrongBody: D = { start: '$$', length: 17, crc: 1, command: 1, note: { text: '1' } };
  // @ts-expect-error derived fields are always present in decoded values
  const noCrc: D = { start: '$$', length: 17, command: 1, ping: { flag: 1 } };
  // @ts-expect-error the start marker is one of its literals
  const badStart: D = { start: '##', length: 17, crc: 1, command: 1, ping: { flag: 1 } };
  const narrow = (d: D): number => (d.command === 1 ? d.ping.flag : d.note.text.length);
  expect(narrow(ok)).toBe(1);
  expect([wrongBody, noCrc, badStart]).toHaveLength(3);
});

test('Encodable: derived fields optional, text numbers accept numbers, literals never given', () => {
  const ping: E = { start: '$$', command: 1, ping: { flag: 1 } };
  const note: E = { start: '@@', command: 2, note: { text: 42 } };
  // @ts-expect-error a body that does not match its command is a type error
  const mismatch: E = { start: '$$', command: 1, note: { text: '1' } };
  expect([ping, note, mismatch]).toHaveLength(3);
});

test('text: open enums, optional members, computed values, choices', () => {
  type R = Decoded<typeof textRecord>;
  const known: R = { status: 'A', lat: '1', latitude: 1, gprmc: { a: '1' } };
  const open: R = { status: 'L', lat: '1', cell: '1F', latitude: 1, wifi: { b: '2' } };
  // @ts-expect-error computed values are numbers
  const badComputed: R = { status: 'A', lat: '1', latitude: '1', gprmc: { a: '1' } };
  type W = Encodable<typeof textRecord>;
  const noComputed: W = { status: 'A', lat: 1, wifi: { b: '2' } };
  // @ts-expect-error a variant must be given
  const noVariant: W = { status: 'A', lat: 1 };
  expect([known, open, badComputed, noComputed, noVariant]).toHaveLength(5);
});

test('the Meiligao frame: OTA bodies typed by command', () => {
  type M = Decoded<typeof meiligaoFrame>;
  const otaLength = (m: M): number | undefined =>
    m.command === 0x9500 && 'ota_info' in m ? m.ota_info.max_ota_length : undefined;
  const request: Encodable<typeof meiligaoFrame> = {
    start: '@@',
    device_id: '101130923633',
    command: 0x9503,
    ota_check: { total_length: 0xe100 },
  };
  // @ts-expect-error OTA offsets are numbers
  const badOffset: Encodable<typeof meiligaoFrame> = {
    start: '@@',
    device_id: '1',
    command: 0x9502,
    ota_data: { offset: '0', data: new Uint8Array() },
  };
  expect(
    otaLength({
      start: '$$',
      length: 26,
      device_id: '1',
      command: 0x9500,
      ota_info: { device_code: 16, max_ota_length: 128, info: 'V1.38' },
      crc: 0,
    }),
  ).toBe(128);
  expect([request, badOffset]).toHaveLength(2);
});
