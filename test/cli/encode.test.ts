// `trackshark encode` as users run it: the real binary, its exit status, stdout and stderr, against the
// frames printed in the vendor documents (captures/ holds them as files).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ndjson, trackshark } from '../helpers/cli.js';

const lines = (file: string) =>
  readFileSync(file, 'latin1')
    .split(/\r?\n/)
    .filter((l) => l !== '');
const hex = (spaced: string) => spaced.replace(/ /g, '').toLowerCase();

/** mt700-protocol.md §3: each command as the document prints it, and the fields that build it. */
const MT700_COMMANDS: Record<string, readonly string[]> = {
  '803,internet,internet,Internet': ['803', 'apn=internet', 'username=internet', 'password=Internet'],
  '803,mbiot,,': ['803', 'apn=mbiot', 'username=', 'password='],
  '804,e.trackits.com,7700': ['804', 'host=e.trackits.com', 'port=7700'],
  'MODE,1,10': ['MODE', 'mode=1', 'interval=10'],
  'MODE,2,10,1,1': ['MODE', 'mode=2', 'interval=10', 'gps=1', 'tcp=1'],
  'MODE,3,1': ['MODE', 'mode=3', 'interval=1'],
  'MODE,4,60': ['MODE', 'mode=4', 'interval=60'],
  'MODE,5,5,0,1': ['MODE', 'mode=5', 'interval=5', 'gps=0', 'tcp=1'],
  'MODE,6': ['MODE', 'mode=6'],
  'MODE,7,10,1': ['MODE', 'mode=7', 'moving_interval=10', 'still_interval=1'],
  'MODE,0,10,1': ['MODE', 'mode=0', 'moving_interval=10', 'still_interval=1'],
  'MODE:10,1,01:00': ['MODE:10', 'interval=1', 'hour=01', 'minute=00'],
  'LOCK,10,1': ['lock_without_password', 'interval=10', 'return_after=1'],
  'NWM,3,0,2': ['NWM', 'setting=3,0,2'],
  'NWM,3,1,3': ['NWM', 'setting=3,1,3'],
  'NWM,1,2,1': ['NWM', 'setting=1,2,1'],
  'BAND,12,8,f': ['BAND', 'cat_m1_band=12', 'nb_iot_band=8', 'gsm_band=f'],
  'EDRX,1,4,0010': ['EDRX', 'state=1', 'network=4', 'value=0010'],
  'EDRX,0,4,0010': ['EDRX', 'state=0', 'network=4', 'value=0010'],
  'EDRX,1,5,0010': ['EDRX', 'state=1', 'network=5', 'value=0010'],
  'EDRX,0,5,0010': ['EDRX', 'state=0', 'network=5', 'value=0010'],
  'PRIOR,0': ['PRIOR', 'priority=0'],
  'LEP,0': ['LEP', 'setting=0'],
  'LBS,0': ['LBS', 'setting=0'],
  'HBC,5': ['HBC', 'interval=5'],
  'DUR,3': ['DUR', 'duration=3'],
  'RWT,60': ['RWT', 'interval=60'],
  'AGPS,1': ['AGPS', 'setting=1'],
  'LTP,1': ['LTP', 'setting=1'],
  '800,TCP': ['800', 'transport=TCP'],
  'RCONF,1': ['command:RCONF', 'index=1'],
  REBOOT: ['REBOOT'],
};

/** vt600-ota-protocol.md §2.2, device 101130923633 (`10 11 30 92 36 33 FF`). */
const OTA_AUTHORIZE = '40 40 00 11 10 11 30 92 36 33 FF 95 01 2F BD 0D 0A';
const OTA_AUTHORIZE_ACK = '24 24 00 12 10 11 30 92 36 33 FF 95 01 01 39 96 0D 0A';

describe('trackshark encode: document frames', () => {
  test('the table covers every MT700 server command of captures/mt700/commands.txt', () => {
    expect(Object.keys(MT700_COMMANDS)).toEqual(lines('captures/mt700/commands.txt'));
  });

  test.each(Object.entries(MT700_COMMANDS))('MT700 %s', (text, args) => {
    const r = trackshark(['encode', 'mt700', ...args, '--raw']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(text);
  });

  test("the documents' two odd MT700 forms encode with their deviation noted on stderr", () => {
    const r = trackshark(['encode', 'mt700', 'MODE:10', 'interval=1', 'hour=01', 'minute=00']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${Buffer.from('MODE:10,1,01:00').toString('hex')}\n`);
    expect(r.stderr).toContain('mt700.cmd.mode10_colon.deviation');
    const lock = trackshark(['encode', 'mt700', 'lock_without_password', 'interval=10', 'return_after=1']);
    expect(lock.status).toBe(0);
    expect(lock.stdout).toBe(`${Buffer.from('LOCK,10,1').toString('hex')}\n`);
    expect(lock.stderr).toContain('mt700.cmd.lock_without_password.deviation');
  });

  test('VT600 OTA 0x9501 authorization for device 101130923633: length and CRC as printed', () => {
    const byLabel = trackshark(['encode', 'meiligao', 'ota_authorize', 'device_id=101130923633']);
    expect(byLabel.status).toBe(0);
    expect(byLabel.stdout).toBe(`${hex(OTA_AUTHORIZE)}\n`);
    const byCode = trackshark([
      'encode',
      'meiligao',
      '0x9501',
      'meiligao.device_id=101130923633',
      '--direction',
      'downlink',
    ]);
    expect(byCode.stdout).toBe(byLabel.stdout);
    const ack = trackshark([
      'encode',
      'meiligao',
      'ota_authorize_ack',
      'device_id=101130923633',
      'flag=0x01',
    ]);
    expect(ack.stdout).toBe(`${hex(OTA_AUTHORIZE_ACK)}\n`);
  });

  test("VT600 §1's checksum example: a login of device 12345678901, no data, CRC 0x6F35", () => {
    const r = trackshark(['encode', 'meiligao', 'login', 'device_id=12345678901', '--direction', 'uplink']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${hex('24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A')}\n`);
  });

  test('--raw writes the bytes themselves; --tree shows the frame decoded back', () => {
    const raw = trackshark(['encode', 'meiligao', 'ota_authorize', 'device_id=101130923633', '--raw']);
    expect(Buffer.from(raw.stdout, 'latin1').toString('hex')).toBe(hex(OTA_AUTHORIZE));
    const tree = trackshark(['encode', 'meiligao', 'ota_authorize', 'device_id=101130923633', '--tree']);
    expect(tree.status).toBe(0);
    expect(tree.stdout).toContain('Command: OTA authorization (0x9501)');
    expect(tree.stdout).toContain('Checksum: 0x2fbd [correct]');
    expect(tree.stdout).toContain('Length: 17 bytes');
  });

  test('an AT+MIPSEND line carrying a Meiligao frame piped in raw decodes back with the nested frame', () => {
    const inner = trackshark(['encode', 'meiligao', 'ota_authorize', 'device_id=101130923633', '--raw']);
    const r = trackshark(
      ['encode', 'fibocom', 'AT+MIPSEND', 'socket_id=1', 'data=@-', '--json'],
      Buffer.from(inner.stdout, 'latin1'),
    );
    expect(r.status).toBe(0);
    const [line] = ndjson(r.stdout);
    expect(line).toMatchObject({
      protocol: 'fibocom',
      frameType: 'command',
      hex: Buffer.from(`AT+MIPSEND=1,"${hex(OTA_AUTHORIZE).toUpperCase()}"\r\n`).toString('hex'),
      fields: { 'fibocom.cmd.name': '+MIPSEND', 'fibocom.cmd.mipsend.set.socket_id': '1' },
    });
    const [nested] = line!.nested as Record<string, unknown>[];
    expect(nested).toMatchObject({
      protocol: 'meiligao',
      conversation: 'socket_id=1',
      hex: hex(OTA_AUTHORIZE),
      fields: { 'meiligao.device_id': '101130923633', 'meiligao.command': 0x9501, 'meiligao.crc': 0x2fbd },
      checksums: [{ field: 'meiligao.crc', status: 'good' }],
    });
  });

  test('the AT line with the hex of another encode decodes as an AT log with the frame inside', () => {
    const inner = trackshark(['encode', 'meiligao', 'ota_authorize', 'device_id=101130923633']).stdout.trim();
    const at = trackshark(['encode', 'fibocom', 'command:+MIPSEND', 'socket_id=2', `data=${inner}`, '--raw']);
    expect(at.stdout).toBe(`AT+MIPSEND=2,"${inner}"\r\n`);
    const decoded = trackshark(['decode', '--json', '--input', 'at-log', '-'], at.stdout);
    const [record] = ndjson(decoded.stdout);
    expect((record!.nested as Record<string, unknown>[])[0]).toMatchObject({
      normalized: { 'message.type': 'ota_authorize', ident: '101130923633' },
    });
  });

  test.each(lines('captures/h02/cantrack-custom-commands.txt').slice(0, 3))(
    'H02 server command %s',
    (text) => {
      const args: Record<string, readonly string[]> = {
        '*HQ,4209951296,CMD,130305,stop654321#': ['CMD', 'time=130305', 'instruction=stop654321'],
        '*HQ,4209951296,MD123456 1 3 8 1#': [
          'working_mode',
          'password=123456',
          'mode=1',
          'values=3',
          'values=8',
          'values=1',
        ],
        '*HQ,4209951296,S2,130305,13812341234#': ['S2', 'time=130305', 'phone=13812341234'],
      };
      const r = trackshark(['encode', 'h02', ...args[text]!, 'maker=HQ', 'h02.id=4209951296', '--raw']);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(text);
    },
  );

  test('--value takes the nested value, or the flat fields decode --json prints', () => {
    const nested = trackshark([
      'encode',
      'meiligao',
      'frame',
      '--value',
      '{"start":"@@","device_id":"101130923633","command":38145}',
    ]);
    expect(nested.stdout).toBe(`${hex(OTA_AUTHORIZE)}\n`);
    const decoded = ndjson(trackshark(['decode', '--json', 'captures/vt600/ota-commands.hex']).stdout);
    const info = decoded[2]!;
    const r = trackshark(['encode', 'meiligao', 'frame', '--value-file', '-'], JSON.stringify(info.fields));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${info.hex as string}\n`);
  });

  test('--keep-derived crafts a wrong length, and says how the frame decodes', () => {
    const r = trackshark([
      'encode',
      'meiligao',
      'ota_authorize',
      'device_id=101130923633',
      'length=5',
      '--keep-derived',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.slice(4, 8)).toBe('0005');
    expect(r.stderr).toContain('meiligao.length.bad');
    const recomputed = trackshark([
      'encode',
      'meiligao',
      'ota_authorize',
      'device_id=101130923633',
      'length=5',
    ]);
    expect(recomputed.stdout).toBe(`${hex(OTA_AUTHORIZE)}\n`);
    expect(recomputed.stderr).toContain('meiligao.length is derived and was recomputed');
  });
});

describe('trackshark encode: wrong fields exit 2 naming the field, what it takes and what was given', () => {
  test.each([
    [
      'out of range',
      ['mt700', 'MODE', 'mode=1', 'interval=5'],
      'mt700.cmd.mode.real_time.interval: expected a number in [10, 600], got "5"',
    ],
    [
      'wrong type (BCD)',
      ['meiligao', 'ota_authorize', 'device_id=12AB'],
      'meiligao.device_id: expected up to 14 decimal digits, got "12AB"',
    ],
    [
      'wrong type (integer)',
      ['meiligao', 'ota_authorize_ack', 'device_id=1', 'flag=yes'],
      'meiligao.ota_authorize_ack.flag: expected an integer 0..255 (decimal, 0x hex or a value name), got "yes"',
    ],
    [
      'integer too large',
      ['meiligao', 'ota_authorize_ack', 'device_id=1', 'flag=256'],
      'meiligao.ota_authorize_ack.flag: expected an integer 0..255, got 256',
    ],
    [
      'missing',
      ['mt700', 'MODE', 'mode=1'],
      'mt700.cmd.mode.real_time.interval: missing: expected digits, 10..600 s',
    ],
    [
      'missing direction',
      ['meiligao', '0x9501', 'device_id=1'],
      'meiligao.start: missing: expected one of "$$" (uplink), "@@" (downlink)',
    ],
    [
      'unknown field',
      ['mt700', 'REBOOT', 'delay=5'],
      'delay="5": no field of that name in mt700 REBOOT (command)',
    ],
    ['ambiguous field', ['mt700', 'MODE', 'interval=10'], 'interval="10": the name fits several fields'],
    ['not name=value', ['mt700', 'REBOOT', 'now'], '"now": a field is written name=value'],
    ['unknown frame', ['mt700', 'RESET'], 'mt700 has no frame type or command "RESET"'],
    ['unknown protocol', ['gt06', 'login'], 'gt06: unknown protocol'],
    [
      'unreadable @file',
      ['meiligao', 'heartbeat', 'device_id=1', 'start=$$', 'heartbeat=@/nonexistent'],
      '/nonexistent: cannot read: no such file',
    ],
  ])('%s', (_what, args, message) => {
    const r = trackshark(['encode', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`trackshark: ${r.stderr.slice('trackshark: '.length).split('\n')[0]}\n`);
    expect(r.stderr).toContain(message);
  });
});

describe('trackshark encode: any interval through the real binary', () => {
  test('MODE 1 takes every T in [10, 600] and refuses the others with status 2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), (t) => {
        const r = trackshark(['encode', 'mt700', 'MODE', 'mode=1', `interval=${t}`, '--raw']);
        if (t >= 10 && t <= 600) expect([r.status, r.stdout]).toEqual([0, `MODE,1,${t}`]);
        else expect([r.status, r.stdout]).toEqual([2, '']);
      }),
      { numRuns: 12, examples: [[9], [10], [600], [601]] },
    );
  });
});

describe('trackshark encode --fix', () => {
  test("the documents' errata frames get the correct CRC and XOR, other frames stay as they are", () => {
    const ota = ndjson(trackshark(['encode', '--fix', 'captures/vt600/ota-commands.hex', '--json']).stdout);
    expect(ota.map((o) => o.status)).toEqual([
      ...Array(5).fill('correct'),
      'fixed',
      ...Array(6).fill('correct'),
      'fixed',
      'fixed',
    ]);
    expect(ota[12]).toMatchObject({
      differences: [{ field: 'meiligao.crc', old: '0x3619', new: '0x6f39' }],
      fixed: hex('40 40 00 11 10 11 30 92 36 33 FF 95 05 6F 39 0D 0A'),
      changedBytes: [13, 14],
    });
    expect(ota[13]).toMatchObject({
      differences: [{ field: 'meiligao.crc', old: '0x3619', new: '0xf552' }],
      fixed: hex('24 24 00 12 10 11 30 92 36 33 FF 95 05 01 F5 52 0D 0A'),
    });
    const wifi = ndjson(trackshark(['encode', '--fix', 'captures/mt700/wifi-examples.txt', '--json']).stdout);
    expect(wifi.map((o) => o.differences)).toEqual([
      [],
      [],
      [{ field: 'mt700.records.sentence.checksum', old: '"06"', new: '"4F"' }],
      [{ field: 'mt700.records.sentence.checksum', old: '"74"', new: '"08"' }],
    ]);
    const example3 = Buffer.from(wifi[2]!.fixed as string, 'hex').toString('latin1');
    expect(example3).toContain('$WIFI,095147.00,V,,,,,,,,,241223*4F\r\n##');
  });

  test('a hex argument: the fixed hex, the field that changed and marks under the changed bytes', () => {
    const r = trackshark(['encode', '--fix', hex('40 40 00 11 10 11 30 92 36 33 FF 95 05 36 19 0D 0A')]);
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('Frame 1: 17 bytes, meiligao ota_cancel (downlink), hex byte 0: 1 field fixed');
    expect(out[1]).toBe('    meiligao.crc: 0x3619 -> 0x6f39');
    expect(out[2]).toBe('    old: 40 40 00 11 10 11 30 92 36 33 ff 95 05 36 19 0d 0a');
    expect(out[3]).toBe('    new: 40 40 00 11 10 11 30 92 36 33 ff 95 05 6f 39 0d 0a');
    expect(out[4]).toBe(`         ${' '.repeat(13 * 3)}^^ ^^`);
    expect(out[5]).toBe('    fixed: 40400011101130923633ff95056f390d0a');
    const raw = trackshark([
      'encode',
      'meiligao',
      '--fix',
      hex('40 40 00 11 10 11 30 92 36 33 FF 95 05 36 19 0D 0A'),
      '--raw',
    ]);
    expect(Buffer.from(raw.stdout, 'latin1').toString('hex')).toBe(
      hex('40 40 00 11 10 11 30 92 36 33 FF 95 05 6F 39 0D 0A'),
    );
  });

  test('bytes that are no frame, or neither hex nor a file, exit 2', () => {
    const garbage = trackshark(['encode', '--fix', '0102030405']);
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toContain('cannot fix');
    const neither = trackshark(['encode', '--fix', 'no-such-file.hex']);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toBe('trackshark: no-such-file.hex: is neither a file nor hex bytes\n');
  });
});

describe('trackshark encode --list', () => {
  test('protocols, frame types and the names they can be asked for by', () => {
    const r = trackshark(['encode', '--list']);
    expect(r.status).toBe(0);
    for (const p of ['meiligao', 'mt700', 'h02', 'fibocom', 'wln']) expect(r.stdout).toContain(`${p}: `);
    expect(r.stdout).toContain('0x9501, ota_authorize downlink, ota_authorize_ack uplink');
    expect(r.stdout).toContain('MODE = mode');
  });

  test('the fields of one command with types, ranges, units and derived marks', () => {
    const mode = trackshark(['encode', '--list', 'mt700', 'MODE']).stdout;
    expect(mode).toMatch(/mt700\.cmd\.mode\.real_time\.interval +digits, 10\.\.600 s/);
    expect(mode).not.toContain('mt700.cmd.apn');
    const ota = trackshark(['encode', '--list', 'meiligao', 'ota_authorize']).stdout;
    expect(ota).toContain('sets meiligao.command=0x9501');
    expect(ota).toMatch(/meiligao\.crc +u16, 0\.\.65535; derived: crc16-ccitt-false of start\.\.body/);
    expect(ota).toMatch(/meiligao\.length +u16, 0\.\.65535 bytes; derived: length of the frame/);
  });
});
