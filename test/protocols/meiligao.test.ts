// Meiligao / VT600: every frame printed in shared/specs/vt600-ota-protocol.md decodes to the values the
// document states; its three errata are flagged with expected and actual values.
import { describe, expect, test } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  EncodeError,
  fromHex,
  toHex,
  type DecodedFrame,
} from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/meiligao/index.js';
import { hexCapture } from '../helpers/captures.js';

const frameType = meiligao.frames[0]!;
const decode = (bytes: Uint8Array) => decodeFrame(meiligao, frameType, bytes);
type V = Record<string, unknown>;
const value = (d: DecodedFrame) => d.value as V;

const procedure = hexCapture('captures/vt600/ota-procedure.hex');
const commands = hexCapture('captures/vt600/ota-commands.hex');
const byComment = (list: typeof commands, text: string) => {
  const found = list.find((f) => f.comment.includes(text));
  if (!found) throw new Error(`no capture frame "${text}"`);
  return decode(found.bytes);
};

describe('VT600 document examples', () => {
  test('section 1 example: device 12345678901, login 0x5000, CRC 0x6F35 over the 13 bytes before it', () => {
    const d = byComment(commands, 'section 1');
    expect(value(d)).toMatchObject({
      start: '$$',
      length: 17,
      device_id: '12345678901',
      command: 0x5000,
      crc: 0x6f35,
    });
    expect(d.checksums).toEqual([
      {
        path: 'meiligao.crc',
        algorithm: 'crc16-ccitt-false',
        status: 'good',
        expected: 0x6f35,
        actual: 0x6f35,
        start: 0,
        end: 13,
      },
    ]);
    expect(d.direction).toBe('uplink');
    expect(d.normalized).toMatchObject({ ident: '12345678901', 'message.type': 'login' });
  });

  test('0x9500: request, and the response with device code 0x0010, max OTA length 0x0080, firmware V1.38', () => {
    expect(value(byComment(commands, '2.1 0x9500 example'))).toMatchObject({
      start: '@@',
      command: 0x9500,
      ota_info_request: {},
    });
    const info = byComment(commands, '2.1 0x9500 response');
    expect(value(info).ota_info).toEqual({ device_code: 0x0010, max_ota_length: 128, info: 'V1.38' });
    expect(info.issues).toEqual([]);
  });

  test('0x9501: authorization, flag 0x01 = successful', () => {
    const d = byComment(commands, '2.2 0x9501 response');
    expect(value(d).ota_authorize_ack).toEqual({ flag: 1 });
    expect(d.fields.find((f) => f.path === 'meiligao.ota_authorize_ack.flag')?.node.names?.['1']).toBe(
      'Authorization successful',
    );
  });

  test('OTA procedure: package offsets 0x0, 0x80 and 0xE080, 128 bytes each, stored (flag 1)', () => {
    const packages = procedure
      .filter((f) => f.comment.includes('server: 0x9502'))
      .map((f) => value(decode(f.bytes)).ota_data as V);
    expect(packages.map((p) => p.offset)).toEqual([0x0, 0x80, 0xe080]);
    for (const p of packages) {
      expect(p.data_length).toBe(0x80);
      expect((p.data as Uint8Array).length).toBe(128);
    }
    expect(toHex(packages[0]!.data as Uint8Array).slice(0, 12)).toBe('1cfca0d49434');
    expect(toHex(packages[2]!.data as Uint8Array).slice(-12)).toBe('d222f2421262');
    const acks = procedure
      .filter((f) => f.comment.includes('stored'))
      .map((f) => value(decode(f.bytes)).ota_data_ack);
    expect(acks).toEqual([
      { offset: 0x0, flag: 1 },
      { offset: 0x80, flag: 1 },
      { offset: 0xe080, flag: 1 },
    ]);
  });

  test('0x9503: OTA data length 0xE100, tracker answers OTA checksum 0xB979', () => {
    expect(value(byComment(commands, '2.4 0x9503 sample')).ota_check).toEqual({ total_length: 0xe100 });
    expect(value(byComment(commands, '2.4 0x9503 response')).ota_check_result).toEqual({
      ota_checksum: 0xb979,
    });
  });

  test('0x9504: upgrade flags 0x01 (going to upgrade) and 0x02 (finished)', () => {
    expect(value(byComment(commands, 'response sample, first')).ota_upgrade_ack).toEqual({ flag: 1 });
    expect(value(byComment(commands, 'response sample, second')).ota_upgrade_ack).toEqual({ flag: 2 });
  });

  test('every valid frame of both files has a good CRC and length and re-encodes to the same bytes', () => {
    const errata = ['2.3 0x9502 sample', '2.6 0x9505'];
    for (const f of [...procedure, ...commands].filter((x) => !errata.some((e) => x.comment.includes(e)))) {
      const d = decode(f.bytes);
      expect(d.ok, f.comment).toBe(true);
      expect(d.issues, f.comment).toEqual([]);
      expect(d.checksums[0]!.status, f.comment).toBe('good');
      expect(toHex(encodeFrame(meiligao, frameType, d.value))).toBe(toHex(f.bytes));
    }
  });
});

describe('VT600 document errata', () => {
  test('0x9505 command: CRC printed 0x3619, CRC-CCITT of its bytes is 0x6F39', () => {
    const d = byComment(commands, '2.6 0x9505 sample');
    expect(d.checksums[0]).toMatchObject({ status: 'bad', expected: 0x6f39, actual: 0x3619 });
    expect(d.issues).toEqual([
      expect.objectContaining({ id: 'meiligao.crc.bad', expected: '6F39', actual: '3619', offset: 13 }),
    ]);
    expect(toHex(encodeFrame(meiligao, frameType, d.value))).toBe('40400011101130923633ff95056f390d0a');
  });

  test("0x9505 response: CRC printed 0x3619 (the command's), CRC-CCITT of its bytes is 0xF552", () => {
    const d = byComment(commands, '2.6 0x9505 response');
    expect(d.checksums[0]).toMatchObject({ status: 'bad', expected: 0xf552, actual: 0x3619 });
    expect(value(d).ota_cancel_ack).toEqual({ flag: 1 });
  });

  test('the section 2.3 0x9502 sample is one byte short: length says 151, the frame has 150', () => {
    const d = byComment(commands, '2.3 0x9502 sample');
    expect(d.issues.find((i) => i.id === 'meiligao.length.bad')).toMatchObject({
      expected: 150,
      actual: 151,
    });
    expect(d.checksums[0]).toMatchObject({ status: 'bad', actual: 0xa93e });
  });
});

describe('encoding', () => {
  test('a 0x9501 authorization built from fields gives the document bytes; the command comes from the case', () => {
    const bytes = encodeFrame(meiligao, frameType, {
      start: '@@',
      device_id: '101130923633',
      ota_authorize: {},
    });
    expect(toHex(bytes, ' ')).toBe('40 40 00 11 10 11 30 92 36 33 ff 95 01 2f bd 0d 0a');
  });

  test('the direction marker comes from the encode direction when not given', () => {
    const bytes = encodeFrame(
      meiligao,
      frameType,
      { device_id: '101130923633', command: 0x9504, ota_upgrade_ack: { flag: 2 } },
      { direction: 'uplink' },
    );
    expect(toHex(bytes, ' ')).toBe('24 24 00 12 10 11 30 92 36 33 ff 95 04 02 f6 00 0d 0a');
  });

  test('a 0x9502 package gets its OTA length and the frame length and CRC filled in', () => {
    const data = fromHex('01 02 03 04 05')!;
    const d = decode(
      encodeFrame(meiligao, frameType, {
        start: '@@',
        device_id: '12345678901',
        ota_data: { offset: 0x100, data },
      }),
    );
    expect(d.issues).toEqual([]);
    // 2 header + 2 length + 7 id + 2 command + 4 offset + 2 OTA length + 5 data + 2 CRC + 2 CRLF
    expect(value(d)).toMatchObject({
      length: 28,
      command: 0x9502,
      ota_data: { offset: 0x100, data_length: 5 },
    });
  });

  test('14-digit device ids fill all nibbles', () => {
    const bytes = encodeFrame(meiligao, frameType, {
      start: '$$',
      device_id: '12345678901234',
      command: 0x0001,
      heartbeat: new Uint8Array(),
    });
    expect(toHex(bytes.subarray(4, 11), ' ')).toBe('12 34 56 78 90 12 34');
    expect(value(decode(bytes)).device_id).toBe('12345678901234');
  });

  test('wrong fields name the field, what it expects and what it got', () => {
    expect(() =>
      encodeFrame(meiligao, frameType, {
        start: '$$',
        device_id: '12AB',
        command: 1,
        heartbeat: new Uint8Array(),
      }),
    ).toThrow(new EncodeError('meiligao.device_id', 'up to 14 decimal digits', '12AB'));
    expect(() =>
      encodeFrame(meiligao, frameType, {
        start: '$$',
        device_id: '1',
        command: 0x4000,
        login_response: { result: 300 },
      }),
    ).toThrow(/meiligao\.login_response\.result: expected an integer 0\.\.255, got 300/);
  });
});

describe('0x9955 position and 0x9999 alarm (shape from real-world-variants.md)', () => {
  const body =
    '035644.000,A,2233.8440,N,11355.5380,E,10.5,92.00,010809,,*1C|1.2|194|0400|0000,0012|0460000001A2B3C4D5|1F|00001388|09|DRIVER42';
  const frame = (command: number, prefix: number[] = []) =>
    encodeFrame(meiligao, frameType, {
      start: '$$',
      device_id: '12345678901',
      command,
      ...(command === 0x9999 ? { alarm: { alarm: prefix[0], ...decodeBody() } } : { position: decodeBody() }),
    });
  const decodeBody = () => value(decode(rawPosition())).position as V;
  const rawPosition = () => {
    const text = new Uint8Array(Buffer.from(body, 'latin1'));
    const head = fromHex('24 24 00 00 12 34 56 78 90 1F FF 99 55')!;
    return new Uint8Array([...head, ...text, 0, 0, 13, 10]);
  };

  test('the RMC part, the |-separated extras and the normalized parameters', () => {
    const d = decode(frame(0x9955));
    expect(d.issues).toEqual([]);
    const p = value(d).position as V;
    expect((p.rmc as V).latitude).toBeCloseTo(22 + 33.844 / 60, 6);
    expect((p.rmc as V).longitude).toBeCloseTo(113 + 55.538 / 60, 6);
    expect(p.extras).toMatchObject({
      hdop: '1.2',
      altitude: '194',
      state: '0400',
      adc: ['0000', '0012'],
      gsm_signal: '1F',
      odometer: '00001388',
      satellites: '09',
      driver: 'DRIVER42',
    });
    expect(d.normalized).toMatchObject({
      ident: '12345678901',
      'message.type': 'position',
      'position.speed': 19.446,
      'position.direction': 92,
      'position.valid': true,
      'position.hdop': 1.2,
      'position.altitude': 194,
      'position.satellites': 9,
      'vehicle.mileage': 5,
      timestamp: Date.UTC(2009, 7, 1, 3, 56, 44) / 1000,
    });
  });

  test('0x9999 carries the alarm code before the position', () => {
    const d = decode(frame(0x9999, [0x01]));
    expect(d.issues).toEqual([]);
    expect((value(d).alarm as V).alarm).toBe(1);
    expect(d.normalized).toMatchObject({
      'message.type': 'alarm',
      'alarm.code': 1,
      'position.latitude': expect.closeTo(22.564067, 6),
    });
  });
});
