// Fibocom L610 AT lines (src/protocols/fibocom-at): every command form and response shape of
// shared/specs/fibocom-l610-tcpip-at-commands.md, the error tables, payload carriers and the field
// variants of shared/specs/real-world-variants.md.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame, fromLatin1, latin1, type DecodedFrame } from '../../src/decode/index.js';
import { CME_ERRORS, CMS_ERRORS, TCPIP_ERRORS, fibocom } from '../../src/protocols/fibocom-at/index.js';
import { checkSchema, listFields, type FrameType } from '../../src/schema/index.js';

type FrameName = 'command' | 'result' | 'response' | 'prompt' | 'other';
const frame = (name: FrameName): FrameType => fibocom.frames.find((f) => f.name === name)!;

const decode = (name: FrameName, text: string): DecodedFrame =>
  decodeFrame(fibocom, frame(name), fromLatin1(text));
const encode = (name: FrameName, value: unknown, d?: DecodedFrame): string =>
  latin1(encodeFrame(fibocom, frame(name), value, d ? { layout: d.layout } : {}));

/** The record of one field path, which carries the schema node (names, range, syntax). */
function field(d: DecodedFrame, path: string) {
  const f = d.fields.find((r) => r.path === path);
  if (!f) throw new Error(`no field ${path} in ${d.fields.map((r) => r.path).join(', ')}`);
  return f;
}
const meaning = (d: DecodedFrame, path: string) => {
  const f = field(d, path);
  const names = f.node.kind === 'oneOf' ? f.node.values : f.node.names;
  return names?.[String(f.value)];
};

/** A valid line: decodes completely, without issues, and encodes back to the same text. */
function clean(name: FrameName, text: string): DecodedFrame {
  const d = decode(name, text);
  expect(d.issues, text).toEqual([]);
  expect(d.ok, text).toBe(true);
  expect(encode(name, d.value, d), text).toBe(text);
  return d;
}

test('the schema passes checkSchema', () => {
  expect(checkSchema(fibocom)).toEqual([]);
});

// ---- commands -----------------------------------------------------------------------------------

/** [line, label, value under the label, message.type] */
const COMMANDS: [string, string, unknown, string][] = [
  ['AT+MIPCALL=?', 'mipcall', { test: '=?' }, 'AT+MIPCALL=?'],
  ['AT+MIPCALL?', 'mipcall', { read: '?' }, 'AT+MIPCALL?'],
  ['AT+MIPCALL=0', 'mipcall', { set: { operation: '0' } }, 'AT+MIPCALL='],
  [
    'AT+MIPCALL=1,"internet"',
    'mipcall',
    { set: { operation: '1', context: { apn: 'internet' } } },
    'AT+MIPCALL=',
  ],
  ['AT+MIPCALL=1,1', 'mipcall', { set: { operation: '1', context: { cid: '1' } } }, 'AT+MIPCALL='],
  [
    'AT+MIPCALL=1,"cmnet","user","secret",3',
    'mipcall',
    {
      set: {
        operation: '1',
        context: { apn: 'cmnet' },
        login: { user_name: 'user', password: 'secret', auth: '3' },
      },
    },
    'AT+MIPCALL=',
  ],
  ['AT+MIPOPEN=?', 'mipopen', { test: '=?' }, 'AT+MIPOPEN=?'],
  ['AT+MIPOPEN?', 'mipopen', { read: '?' }, 'AT+MIPOPEN?'],
  [
    'AT+MIPOPEN=1,,"1.2.3.4",5000,0',
    'mipopen',
    { set: { socket_id: '1', source_port: '', remote_ip: '1.2.3.4', remote_port: '5000', protocol: '0' } },
    'AT+MIPOPEN=',
  ],
  [
    'AT+MIPOPEN=6,5001,tracker.example.com,5013,61',
    'mipopen',
    {
      set: {
        socket_id: '6',
        source_port: '5001',
        remote_ip: 'tracker.example.com',
        remote_port: '5013',
        protocol: '61',
      },
    },
    'AT+MIPOPEN=',
  ],
  ['AT+MIPCLOSE=?', 'mipclose', { test: '=?' }, 'AT+MIPCLOSE=?'],
  ['AT+MIPCLOSE?', 'mipclose', { read: '?' }, 'AT+MIPCLOSE?'],
  ['AT+MIPCLOSE=1', 'mipclose', { set: { socket_id: '1' } }, 'AT+MIPCLOSE='],
  ['AT+MIPCLOSE=2,1', 'mipclose', { set: { socket_id: '2', mode: '1' } }, 'AT+MIPCLOSE='],
  ['AT+MIPSETS=?', 'mipsets', { test: '=?' }, 'AT+MIPSETS=?'],
  ['AT+MIPSETS?', 'mipsets', { read: '?' }, 'AT+MIPSETS?'],
  ['AT+MIPSETS=1,1024', 'mipsets', { set: { socket_id: '1', size: '1024' } }, 'AT+MIPSETS='],
  [
    'AT+MIPSETS=1,2048,1000',
    'mipsets',
    { set: { socket_id: '1', size: '2048', timeout: '1000' } },
    'AT+MIPSETS=',
  ],
  ['AT+MIPDSETS=?', 'mipdsets', { test: '=?' }, 'AT+MIPDSETS=?'],
  ['AT+MIPDSETS?', 'mipdsets', { read: '?' }, 'AT+MIPDSETS?'],
  [
    'AT+MIPDSETS=1,1024,100',
    'mipdsets',
    { set: { socket_id: '1', size: '1024', time_span: '100' } },
    'AT+MIPDSETS=',
  ],
  ['AT+MIPSEND?', 'mipsend', { read: '?' }, 'AT+MIPSEND?'],
  ['AT+MIPSEND=1,"41424344"', 'mipsend', { set: { socket_id: '1', data: '41424344' } }, 'AT+MIPSEND='],
  ['AT+MIPSEND=2,"2a48512c"', 'mipsend', { set: { socket_id: '2', data: '2a48512c' } }, 'AT+MIPSEND='],
  ['AT+MIPSEND=1,20', 'mipsend', { set_length: { socket_id: '1', data_len: '20' } }, 'AT+MIPSEND='],
  ['AT+MIPSEND=1', 'mipsend', { set_prompt: { socket_id: '1' } }, 'AT+MIPSEND='],
  ['AT+MIPPUSH=?', 'mippush', { test: '=?' }, 'AT+MIPPUSH=?'],
  ['AT+MIPPUSH?', 'mippush', { read: '?' }, 'AT+MIPPUSH?'],
  ['AT+MIPPUSH=1', 'mippush', { set: { socket_id: '1' } }, 'AT+MIPPUSH='],
  [
    'AT+MIPPUSH=3,"198.51.100.20",5013',
    'mippush',
    { set: { socket_id: '3', destination_ip: '198.51.100.20', destination_port: '5013' } },
    'AT+MIPPUSH=',
  ],
  ['AT+MIPFLUSH=?', 'mipflush', { test: '=?' }, 'AT+MIPFLUSH=?'],
  ['AT+MIPFLUSH?', 'mipflush', { read: '?' }, 'AT+MIPFLUSH?'],
  ['AT+MIPFLUSH=4', 'mipflush', { set: { socket_id: '4' } }, 'AT+MIPFLUSH='],
  ['AT+MIPCONF=?', 'mipconf', { test: '=?' }, 'AT+MIPCONF=?'],
  ['AT+MIPCONF?', 'mipconf', { read: '?' }, 'AT+MIPCONF?'],
  [
    'AT+MIPCONF=1,5,5,600,75,2',
    'mipconf',
    {
      set: {
        socket_id: '1',
        retr_num: '5',
        min_to: '5',
        max_to: '600',
        max_close_delay: '75',
        is_nack_ind_req: '2',
      },
    },
    'AT+MIPCONF=',
  ],
  [
    'AT+MIPCONF=1,,,,,1',
    'mipconf',
    {
      set: {
        socket_id: '1',
        retr_num: '',
        min_to: '',
        max_to: '',
        max_close_delay: '',
        is_nack_ind_req: '1',
      },
    },
    'AT+MIPCONF=',
  ],
  ['AT+MIPKEEPCONF=?', 'mipkeepconf', { test: '=?' }, 'AT+MIPKEEPCONF=?'],
  ['AT+MIPKEEPCONF?', 'mipkeepconf', { read: '?' }, 'AT+MIPKEEPCONF?'],
  ['AT+MIPKEEPCONF=0', 'mipkeepconf', { set: { mode: '0' } }, 'AT+MIPKEEPCONF='],
  [
    'AT+MIPKEEPCONF=1,7200,65,9',
    'mipkeepconf',
    { set: { mode: '1', keepidle: '7200', keepintvl: '65', keepcnt: '9' } },
    'AT+MIPKEEPCONF=',
  ],
  ['AT+MPING=?', 'mping', { test: '=?' }, 'AT+MPING=?'],
  ['AT+MPING?', 'mping', { read: '?' }, 'AT+MPING?'],
  ['AT+MPING=0', 'mping', { set: { mode: '0' } }, 'AT+MPING='],
  [
    'AT+MPING=1,"8.8.8.8",4,32,64,0,4000',
    'mping',
    {
      set: {
        mode: '1',
        destination: '8.8.8.8',
        count: '4',
        size: '32',
        ttl: '64',
        tos: '0',
        timeout: '4000',
      },
    },
    'AT+MPING=',
  ],
  ['AT+MPING=2,"2001:db8::1"', 'mping', { set: { mode: '2', destination: '2001:db8::1' } }, 'AT+MPING='],
  ['AT+MSDNS=?', 'msdns', { test: '=?' }, 'AT+MSDNS=?'],
  ['AT+MSDNS?', 'msdns', { read: '?' }, 'AT+MSDNS?'],
  [
    'AT+MSDNS=7,"192.0.2.53","198.51.100.53"',
    'msdns',
    { set: { socket_id: '7', primary_dns: '192.0.2.53', secondary_dns: '198.51.100.53' } },
    'AT+MSDNS=',
  ],
  ['AT+MSDNS=1', 'msdns', { set: { socket_id: '1' } }, 'AT+MSDNS='],
  ['AT+MSV6DNS=?', 'msv6dns', { test: '=?' }, 'AT+MSV6DNS=?'],
  ['AT+MSV6DNS?', 'msv6dns', { read: '?' }, 'AT+MSV6DNS?'],
  [
    'AT+MSV6DNS=7,"2001:db8::53"',
    'msv6dns',
    { set: { socket_id: '7', primary_dns: '2001:db8::53' } },
    'AT+MSV6DNS=',
  ],
  ['AT+MIPODM=?', 'mipodm', { test: '=?' }, 'AT+MIPODM=?'],
  ['AT+MIPODM?', 'mipodm', { read: '?' }, 'AT+MIPODM?'],
  [
    'AT+MIPODM=2,,"203.0.113.10",7700,0,1',
    'mipodm',
    {
      set: {
        socket_id: '2',
        source_port: '',
        remote_ip: '203.0.113.10',
        remote_port: '7700',
        protocol: '0',
        pseudo_command_mode: '1',
      },
    },
    'AT+MIPODM=',
  ],
  [
    'AT+MIPDNS="tracker.example.com"',
    'mipdns',
    { set: { domain_name: 'tracker.example.com' } },
    'AT+MIPDNS=',
  ],
  [
    'AT+MIPDNS="tracker.example.com",1',
    'mipdns',
    { set: { domain_name: 'tracker.example.com', address_type: '1' } },
    'AT+MIPDNS=',
  ],
  ['AT+MIPNTP=?', 'mipntp', { test: '=?' }, 'AT+MIPNTP=?'],
  ['AT+MIPNTP?', 'mipntp', { read: '?' }, 'AT+MIPNTP?'],
  [
    'AT+MIPNTP="pool.ntp.org",123,0',
    'mipntp',
    { set: { remote_ip: 'pool.ntp.org', remote_port: '123', address_type: '0' } },
    'AT+MIPNTP=',
  ],
  ['AT+MIPREAD?', 'mipread', { read: '?' }, 'AT+MIPREAD?'],
  ['AT+MIPREAD=1,512', 'mipread', { set: { socket_id: '1', read_length: '512' } }, 'AT+MIPREAD='],
  ['AT+GTSET="IPRFMT",5', 'gtset', { set: { feature: 'IPRFMT', format: '5' } }, 'AT+GTSET='],
  ['AT+GTSET="SENDTIME",12', 'gtset', { set: { feature: 'SENDTIME', seconds: '12' } }, 'AT+GTSET='],
];

describe('commands', () => {
  test.each(COMMANDS)('%s', (text, label, body, type) => {
    const d = clean('command', text);
    const name = text.slice(2).split(/[=?]/)[0];
    expect(d.value).toEqual({ prefix: 'AT', name, [label]: body });
    expect(d.normalized['message.type']).toBe(type);
    expect(d.direction).toBe('uplink');
  });

  test('every command of the document is covered in its documented forms', () => {
    const documented = {
      '+MIPCALL': ['set', 'read', 'test'],
      '+MIPOPEN': ['set', 'read', 'test'],
      '+MIPCLOSE': ['set', 'read', 'test'],
      '+MIPSETS': ['set', 'read', 'test'],
      '+MIPDSETS': ['set', 'read', 'test'],
      '+MIPSEND': ['set', 'set_length', 'set_prompt', 'read'],
      '+MIPPUSH': ['set', 'read', 'test'],
      '+MIPFLUSH': ['set', 'read', 'test'],
      '+MIPCONF': ['set', 'read', 'test'],
      '+MIPKEEPCONF': ['set', 'read', 'test'],
      '+MPING': ['set', 'read', 'test'],
      '+MSDNS': ['set', 'read', 'test'],
      '+MSV6DNS': ['set', 'read', 'test'],
      '+MIPODM': ['set', 'read', 'test'],
      '+MIPDNS': ['set'],
      '+MIPNTP': ['set', 'read', 'test'],
      '+MIPREAD': ['set', 'read'],
      '+GTSET': ['set'],
    };
    const seen = new Map<string, Set<string>>();
    for (const [text] of COMMANDS) {
      const d = decode('command', text);
      const name = d.value as Record<string, unknown>;
      const [label] = Object.keys(name).filter((k) => k !== 'prefix' && k !== 'name');
      const forms = seen.get(name.name as string) ?? new Set();
      for (const form of Object.keys(name[label!] as object)) forms.add(form);
      seen.set(name.name as string, forms);
    }
    expect(Object.fromEntries([...seen].map(([k, v]) => [k, [...v].sort()]))).toEqual(
      Object.fromEntries(Object.entries(documented).map(([k, v]) => [k, [...v].sort()])),
    );
  });

  test('parameters are typed with their documented ranges and value names', () => {
    const open = decode('command', 'AT+MIPOPEN=1,,"1.2.3.4",5000,1');
    expect(field(open, 'fibocom.cmd.mipopen.set.socket_id').node).toMatchObject({
      syntax: 'digits',
      range: [1, 6],
    });
    expect(field(open, 'fibocom.cmd.mipopen.set.remote_ip').node).toMatchObject({
      syntax: 'text',
      quoted: 'optional',
    });
    expect(meaning(open, 'fibocom.cmd.mipopen.set.protocol')).toBe('UDP of IPV4');

    const call = decode('command', 'AT+MIPCALL=3,"cmnet","u","p",2');
    expect(meaning(call, 'fibocom.cmd.mipcall.set.operation')).toBe('establish GPRS link of IPV4 and IPV6');
    expect(meaning(call, 'fibocom.cmd.mipcall.set.login.auth')).toBe('CHAP');
    expect(field(call, 'fibocom.cmd.mipcall.set.context.apn').node).toMatchObject({ quoted: 'always' });

    expect(meaning(decode('command', 'AT+MIPCLOSE=1,2'), 'fibocom.cmd.mipclose.set.mode')).toBe('Wait 2MSL');
    expect(meaning(decode('command', 'AT+GTSET="IPRFMT",2'), 'fibocom.cmd.gtset.set.feature')).toBe(
      'The format of received data',
    );
    expect(meaning(decode('command', 'AT+GTSET="IPRFMT",1'), 'fibocom.cmd.gtset.set.format')).toMatch(
      /^Received data only/,
    );
    expect(meaning(decode('command', 'AT+MSDNS=7'), 'fibocom.cmd.msdns.set.socket_id')).toBe(
      'dedicated to +MPING, +MIPDNS, +MIPNTP',
    );
    expect(meaning(decode('command', 'AT+MPING=1,"8.8.8.8"'), 'fibocom.cmd.mping.set.mode')).toBe(
      'Launch new IPV4 ping request',
    );
  });

  test('a socket id of 7 on MIPOPEN is out of range, on MSDNS it is not', () => {
    const d = decode('command', 'AT+MIPOPEN=7,,"1.2.3.4",5000,0');
    expect(d.ok).toBe(true);
    expect(d.issues).toEqual([
      expect.objectContaining({
        id: 'fibocom.cmd.mipopen.set.socket_id.range',
        severity: 'warn',
        actual: '7',
        expected: '1..6',
      }),
    ]);
    expect(decode('command', 'AT+MSDNS=7,"192.0.2.53"').issues).toEqual([]);
    expect(decode('command', 'AT+MSDNS=8').issues.map((i) => i.id)).toEqual([
      'fibocom.cmd.msdns.set.socket_id.unknown',
      'fibocom.cmd.msdns.set.socket_id.range',
    ]);
  });

  test('out-of-range and unknown values are reported', () => {
    const ids = (text: string) => decode('command', text).issues.map((i) => i.id);
    // A documented range and value names: outside both, both are reported.
    expect(ids('AT+MIPCALL=4')).toEqual([
      'fibocom.cmd.mipcall.set.operation.unknown',
      'fibocom.cmd.mipcall.set.operation.range',
    ]);
    expect(ids('AT+MIPOPEN=1,,"1.2.3.4",5000,3')).toEqual(['fibocom.cmd.mipopen.set.protocol.unknown']);
    expect(ids('AT+MIPOPEN=1,,"1.2.3.4",65536,0')).toEqual(['fibocom.cmd.mipopen.set.remote_port.range']);
    expect(ids('AT+MIPSETS=1,4096,2000')).toEqual([
      'fibocom.cmd.mipsets.set.size.range',
      'fibocom.cmd.mipsets.set.timeout.range',
    ]);
    expect(ids('AT+GTSET="SENDTIME",31')).toEqual(['fibocom.cmd.gtset.set.seconds.range']);
    expect(ids('AT+GTSET="IPRFMT",3')).toEqual(['fibocom.cmd.gtset.set.format.unknown']);
    expect(ids('AT+GTSET="ECHO",1')).toEqual(['fibocom.cmd.gtset.set.feature.unknown']);
    expect(ids('AT+MIPSEND=1,"4G"')).toEqual(['fibocom.cmd.mipsend.set.data.syntax']);
    expect(ids('AT+MIPCALL=1,"cmnet"x')).toEqual(['fibocom.cmd.mipcall.unrecognized.deviation']);
    // User name and password come together: a lone unquoted password does not shift into auth.
    expect(ids('AT+MIPCALL=1,"cmnetuser","secret",3')).toEqual([
      'fibocom.cmd.mipcall.unrecognized.deviation',
    ]);
  });

  test('a form the document does not give decodes as raw text with a note', () => {
    const d = decode('command', 'AT+MIPDNS?');
    expect(d.ok).toBe(true);
    expect(d.value).toEqual({ prefix: 'AT', name: '+MIPDNS', mipdns: { unrecognized: '?' } });
    expect(d.issues.map((i) => [i.id, i.severity])).toEqual([
      ['fibocom.cmd.mipdns.unrecognized.deviation', 'note'],
    ]);
    expect(decode('command', 'AT+MIPSEND=1,2,3').value).toMatchObject({
      mipsend: { unrecognized: '=1,2,3' },
    });
  });

  test('other commands keep their name and raw parameters', () => {
    const cases: [string, unknown][] = [
      ['AT', { prefix: 'AT', name: '', other: { execute: {} } }],
      ['ATE0', { prefix: 'AT', name: 'E0', other: { execute: {} } }],
      ['AT+CSQ', { prefix: 'AT', name: '+CSQ', other: { execute: {} } }],
      ['AT+CPIN?', { prefix: 'AT', name: '+CPIN', other: { read: '?' } }],
      ['AT+CGDCONT=?', { prefix: 'AT', name: '+CGDCONT', other: { test: '=?' } }],
      [
        'AT+CGDCONT=1,"IP","cmnet"',
        { prefix: 'AT', name: '+CGDCONT', other: { set: { params: '1,"IP","cmnet"' } } },
      ],
      ['ATD*99#', { prefix: 'AT', name: 'D*99#', other: { execute: {} } }],
      ['at+mipcall=1', { prefix: 'at', name: '+mipcall', other: { set: { params: '1' } } }],
    ];
    for (const [text, value] of cases) {
      const d = clean('command', text);
      expect(d.value, text).toEqual(value);
      expect(d.normalized['message.type']).toBe('command');
    }
  });
});

// ---- responses ----------------------------------------------------------------------------------

/** [line, label, value under the label] */
const RESPONSES: [string, string, unknown][] = [
  ['+MIPCALL: (0-3)', 'mipcall', { test: { operations: '0-3' } }],
  ['+MIPCALL: 10.64.12.7', 'mipcall', { address: { ip: '10.64.12.7' } }],
  ['+MIPCALL: 10.64.12.7,2001:db8::7', 'mipcall', { address: { ip: '10.64.12.7', ipv6: '2001:db8::7' } }],
  ['+MIPCALL: 2001:db8::7', 'mipcall', { address: { ip: '2001:db8::7' } }],
  ['+MIPCALL: 0', 'mipcall', { status: '0' }],
  ['+MIPCALL: 1,10.64.12.7', 'mipcall', { status_address: { status: '1', ip: '10.64.12.7' } }],
  [
    '+MIPCALL: 1,10.64.12.7,2001:db8::7',
    'mipcall',
    { status_address: { status: '1', ip: '10.64.12.7', ipv6: '2001:db8::7' } },
  ],
  [
    '+MIPOPEN: (1-6),(0-65535),("IP/URL"),(1-65535),(0-2,60-62)',
    'mipopen',
    {
      test: {
        socket_ids: '1-6',
        source_ports: '0-65535',
        remote_ips: '"IP/URL"',
        remote_ports: '1-65535',
        protocols: '0-2,60-62',
      },
    },
  ],
  ['+MIPOPEN: 1,1', 'mipopen', { result: { socket_id: '1', state: '1' } }],
  [
    '+MIPOPEN: 1,1,"198.51.100.9",40000',
    'mipopen',
    { result: { socket_id: '1', state: '1', remote_ip: '198.51.100.9', remote_port: '40000' } },
  ],
  ['+MIPOPEN: 2,3,4,5,6', 'mipopen', { free: ['2', '3', '4', '5', '6'] }],
  ['+MIPOPEN: 0', 'mipopen', { none: '0' }],
  ['+MIPCLOSE: (1-6),(0-2)', 'mipclose', { test: { socket_ids: '1-6', close_types: '0-2' } }],
  ['+MIPCLOSE: 1,0', 'mipclose', { closed: { socket_id: '1', close_type: '0' } }],
  [
    '+MIPCLOSE: 1,139,2',
    'mipclose',
    { closed_with_ack: { socket_id: '1', acknowledged_bytes: '139', close_type: '2' } },
  ],
  ['+MIPCLOSE: 1', 'mipclose', { active: ['1'] }],
  ['+MIPCLOSE: 2,3', 'mipclose', { active: ['2', '3'] }],
  ['+MIPCLOSE: 0', 'mipclose', { none: '0' }],
  [
    '+MIPSETS: (1-6),(1-2048),(0-1000)',
    'mipsets',
    { test: { socket_ids: '1-6', sizes: '1-2048', timeouts: '0-1000' } },
  ],
  ['+MIPSETS: 1,2048,0', 'mipsets', { settings: { socket_id: '1', size: '2048', timeout: '0' } }],
  ['+MIPSETS: 3', 'mipsets', { status: '3' }],
  [
    '+MIPDSETS: (1-6),(1-2048),(0-1000)',
    'mipdsets',
    { test: { socket_ids: '1-6', sizes: '1-2048', time_spans: '0-1000' } },
  ],
  ['+MIPDSETS: 1,1024,100', 'mipdsets', { settings: { socket_id: '1', size: '1024', time_span: '100' } }],
  ['+MIPDSETS: 0', 'mipdsets', { status: '0' }],
  ['+MIPSEND: 1,0,1989', 'mipsend', { result: { socket_id: '1', status: '0', free_size: '1989' } }],
  ['+MIPSEND: 1,2048', 'mipsend', { free_space: { socket_id: '1', free_size: '2048' } }],
  ['+MIPSEND: 0', 'mipsend', { none: '0' }],
  [
    '+MIPPUSH: (1-6),("IP"),(0-65535)',
    'mippush',
    { test: { socket_ids: '1-6', ips: '"IP"', destination_ports: '0-65535' } },
  ],
  ['+MIPPUSH: 1,0', 'mippush', { result: { socket_id: '1', status: '0' } }],
  [
    '+MIPPUSH: 1,0,107',
    'mippush',
    { result: { socket_id: '1', status: '0', accumulated_sent_length: '107' } },
  ],
  ['+MIPPUSH: 2,3,4', 'mippush', { active: ['2', '3', '4'] }],
  ['+MIPPUSH: 0', 'mippush', { none: '0' }],
  ['+MIPFLUSH: (1-6)', 'mipflush', { test: { socket_ids: '1-6' } }],
  ['+MIPFLUSH: 1', 'mipflush', { flushed: '1' }],
  ['+MIPFLUSH: 1,2', 'mipflush', { active: ['1', '2'] }],
  ['+MIPFLUSH: 0', 'mipflush', { none: '0' }],
  [
    '+MIPRUDP: 198.51.100.20,5013,3,0,2A48512C',
    'miprudp',
    {
      data: { source_ip: '198.51.100.20', source_port: '5013', socket_id: '3', left: '0', data: '2A48512C' },
    },
  ],
  [
    '+MIPRTCP: 1,0,4D4F44452C312C3130',
    'miprtcp',
    { data: { socket_id: '1', left: '0', data: '4D4F44452C312C3130' } },
  ],
  ['+MIPSTAT: 1,1', 'mipstat', { status: { socket_id: '1', status: '1' } }],
  ['+MIPSTAT: 1,0,107', 'mipstat', { status: { socket_id: '1', status: '0', acknowledged_bytes: '107' } }],
  [
    '+MIPCONF: (1-6),(1-12),(1-10),(10-600),(1-75),(0-2)',
    'mipconf',
    {
      test: {
        socket_ids: '1-6',
        retr_nums: '1-12',
        min_tos: '1-10',
        max_tos: '10-600',
        max_close_delays: '1-75',
        is_nack_ind_reqs: '0-2',
      },
    },
  ],
  [
    '+MIPCONF: 2,5,5,600,75,0',
    'mipconf',
    {
      settings: {
        socket_id: '2',
        retr_num: '5',
        min_to: '5',
        max_to: '600',
        max_close_delay: '75',
        is_nack_ind_req: '0',
      },
    },
  ],
  [
    '+MIPKEEPCONF: (0-1),(1-36000),(1-750),(1-50),',
    'mipkeepconf',
    {
      test: {
        modes: '0-1',
        keepidles: '1-36000',
        keepintvls: '1-750',
        keepcnts: '1-50',
        trailing_comma: ',',
      },
    },
  ],
  [
    '+MIPKEEPCONF: (0-1),(1-36000),(1-750),(1-50)',
    'mipkeepconf',
    { test: { modes: '0-1', keepidles: '1-36000', keepintvls: '1-750', keepcnts: '1-50' } },
  ],
  ['+MIPKEEPCONF: 0', 'mipkeepconf', { settings: { mode: '0' } }],
  [
    '+MIPKEEPCONF: 1,600,65,9',
    'mipkeepconf',
    { settings: { mode: '1', keepidle: '600', keepintvl: '65', keepcnt: '9' } },
  ],
  [
    '+MPING: (1-255),(0-1372),(1-255),(0-255),(500-600000)',
    'mping',
    {
      test: { counts: '1-255', sizes: '0-1372', ttls: '1-255', tos_values: '0-255', timeouts: '500-600000' },
    },
  ],
  [
    '+MPING: 4,32,64,0,4000',
    'mping',
    { settings: { count: '4', size: '32', ttl: '64', tos: '0', timeout: '4000' } },
  ],
  [
    '+MPING: 192.0.2.53,0,0,63',
    'mping',
    { reply: { destination_ip: '192.0.2.53', type: '0', code: '0', rtt: '63' } },
  ],
  [
    '+MPING: "192.0.2.53",0,0,63',
    'mping',
    { reply: { destination_ip: '192.0.2.53', type: '0', code: '0', rtt: '63' } },
  ],
  ['+MPING: 10.64.0.1,3,1', 'mping', { reply: { destination_ip: '10.64.0.1', type: '3', code: '1' } }],
  ['+MPINGSTAT: 1', 'mpingstat', { status: { status: '1' } }],
  [
    '+MPINGSTAT: 0,192.0.2.53,4,4,59',
    'mpingstat',
    { status: { status: '0', destination_ip: '192.0.2.53', sent: '4', received: '4', average_rtt: '59' } },
  ],
  [
    '+MPINGSTAT: 0,10.255.0.9,2,0',
    'mpingstat',
    { status: { status: '0', destination_ip: '10.255.0.9', sent: '2', received: '0' } },
  ],
  [
    '+MSDNS: (1-7),(<ip>),(<ip>)',
    'msdns',
    { test: { socket_ids: '1-7', primary_ips: '<ip>', secondary_ips: '<ip>' } },
  ],
  [
    '+MSDNS: 7,192.0.2.53,198.51.100.53',
    'msdns',
    { servers: { socket_id: '7', primary_dns: '192.0.2.53', secondary_dns: '198.51.100.53' } },
  ],
  [
    '+MSV6DNS: (1-7),(<ip>),(<ip>)',
    'msv6dns',
    { test: { socket_ids: '1-7', primary_ips: '<ip>', secondary_ips: '<ip>' } },
  ],
  [
    '+MSV6DNS: 7,2001:db8::53,::',
    'msv6dns',
    { servers: { socket_id: '7', primary_dns: '2001:db8::53', secondary_dns: '::' } },
  ],
  [
    '+MIPODM: (1-6),(0-65535),("IP/URL"),(1-65535),(0-2,60-62),(0-1)',
    'mipodm',
    {
      test: {
        socket_ids: '1-6',
        source_ports: '0-65535',
        remote_ips: '"IP/URL"',
        remote_ports: '1-65535',
        protocols: '0-2,60-62',
        pseudo_command_modes: '0-1',
      },
    },
  ],
  ['+MIPODM: 2,1', 'mipodm', { result: { socket_id: '2', state: '1' } }],
  ['+MIPODM: 1,2,3,4,5,6', 'mipodm', { free: ['1', '2', '3', '4', '5', '6'] }],
  ['+MIPODM: 0', 'mipodm', { none: '0' }],
  ['+MIPXOFF: 1', 'mipxoff', { socket_id: '1' }],
  ['+MIPXON: 1', 'mipxon', { socket_id: '1' }],
  [
    '+MIPDNS: "tracker.example.com",203.0.113.10',
    'mipdns',
    { resolved: { domain_name: 'tracker.example.com', ip: '203.0.113.10' } },
  ],
  ['+MIPNTP: ("IP/URL"),(1-65535)', 'mipntp', { test: { remote_ips: '"IP/URL"', remote_ports: '1-65535' } }],
  ['+MIPNTP: "pool.ntp.org",123', 'mipntp', { server: { remote_ip: 'pool.ntp.org', remote_port: '123' } }],
  ['+MIPNTP: 1', 'mipntp', { result: '1' }],
  ['+MIPREAD: 1,0', 'mipread', { pending: { socket_id: '1', length: '0' } }],
  ['+MIPREAD: 1,9', 'mipread', { pending: { socket_id: '1', length: '9' } }],
  ['+MIPDATA: 1,9', 'mipdata', { data: { socket_id: '1', length: '9' } }],
  [
    '+MIPDATA: 1,9,4D4F44452C312C3130',
    'mipdata',
    { data: { socket_id: '1', length: '9', payload: { data: '4D4F44452C312C3130' } } },
  ],
];

describe('responses and unsolicited results', () => {
  test.each(RESPONSES)('%s', (text, label, body) => {
    const d = clean('response', text);
    const name = text.split(/[:=]/)[0];
    expect(d.value).toEqual({ name, separator: ': ', [label]: body });
    expect(d.normalized['message.type']).toBe(name);
    expect(d.direction).toBe('downlink');
  });

  test('every response and unsolicited name of the document is covered', () => {
    const names = new Set(RESPONSES.map(([text]) => text.split(':')[0]));
    expect([...names].sort()).toEqual(
      [
        '+MIPCALL',
        '+MIPOPEN',
        '+MIPCLOSE',
        '+MIPSETS',
        '+MIPDSETS',
        '+MIPSEND',
        '+MIPPUSH',
        '+MIPFLUSH',
        '+MIPRUDP',
        '+MIPRTCP',
        '+MIPSTAT',
        '+MIPCONF',
        '+MIPKEEPCONF',
        '+MPING',
        '+MPINGSTAT',
        '+MSDNS',
        '+MSV6DNS',
        '+MIPODM',
        '+MIPXOFF',
        '+MIPXON',
        '+MIPDNS',
        '+MIPNTP',
        '+MIPREAD',
        '+MIPDATA',
      ].sort(),
    );
  });

  test.each([
    ['+MIPCALL: 2', 'fibocom.rsp.mipcall.status', 'Busy'],
    ['+MIPOPEN: 1,0', 'fibocom.rsp.mipopen.result.state', 'inactive'],
    [
      '+MIPCLOSE: 1,1',
      'fibocom.rsp.mipclose.closed.close_type',
      "The remote side didn't reply, so connection closed by close timeout",
    ],
    [
      '+MIPSTAT: 1,2',
      'fibocom.rsp.mipstat.status.status',
      'Connection closed automatically due to non fatal alert',
    ],
    ['+MIPSETS: 3', 'fibocom.rsp.mipsets.status', 'Operation not allowed'],
    ['+MIPSEND: 1,1,2048', 'fibocom.rsp.mipsend.result.status', 'MIPXOFF received before, send failed'],
    ['+MIPPUSH: 1,2', 'fibocom.rsp.mippush.result.status', 'there is no data in socket to send'],
    ['+MPING: 10.64.0.1,11,0', 'fibocom.rsp.mping.reply.type', 'Time Exceeded'],
    ['+MPINGSTAT: 3', 'fibocom.rsp.mpingstat.status.status', 'Flow Control OFF'],
    ['+MIPNTP: 0', 'fibocom.rsp.mipntp.result', 'Fail to synchronize to local time'],
  ])('%s: %s means %s', (text, path, documented) => {
    expect(meaning(decode('response', text), path)).toBe(documented);
  });

  test('field variants: `=` for `:`, no space, status with address, bare status', () => {
    const variant = (text: string) => {
      const d = decode('response', text);
      expect(d.ok).toBe(true);
      expect(d.issues.map((i) => [i.id, i.severity])).toEqual([
        ['fibocom.rsp.variant_separator.deviation', 'note'],
      ]);
      expect(encode('response', d.value, d)).toBe(text);
      return d.value;
    };
    expect(variant('+MIPRTCP=1,5,48656c6c6f')).toEqual({
      name: '+MIPRTCP',
      variant_separator: '=',
      miprtcp: { data: { socket_id: '1', left: '5', data: '48656c6c6f' } },
    });
    expect(variant('+MIPCALL:10.1.2.3')).toEqual({
      name: '+MIPCALL',
      variant_separator: ':',
      mipcall: { address: { ip: '10.1.2.3' } },
    });
    expect(variant('+MIPRUDP= 198.51.100.20,5013,3,0,2a')).toMatchObject({ variant_separator: '= ' });
    expect(clean('response', '+MIPCALL: 1,10.1.2.3').value).toMatchObject({
      mipcall: { status_address: { status: '1', ip: '10.1.2.3' } },
    });
    expect(clean('response', '+MIPCALL: 1').value).toMatchObject({ mipcall: { status: '1' } });
  });

  test('a shape the document does not give decodes as raw text with a note', () => {
    const d = decode('response', '+MIPCALL: 1,2,3,4');
    expect(d.ok).toBe(true);
    expect(d.value).toMatchObject({ mipcall: { unrecognized: '1,2,3,4' } });
    expect(d.issues.map((i) => i.id)).toEqual(['fibocom.rsp.mipcall.unrecognized.deviation']);
    expect(decode('response', '+MIPCALL: 3').issues.map((i) => i.id)).toEqual([
      'fibocom.rsp.mipcall.address.ip.syntax',
    ]);
  });

  test('other +NAME lines keep their values as text', () => {
    const d = clean('response', '+CSQ: 23,99');
    expect(d.value).toEqual({ name: '+CSQ', separator: ': ', values: '23,99' });
    expect(d.normalized['message.type']).toBe('response');
    expect(clean('response', '+CPIN: READY').value).toEqual({
      name: '+CPIN',
      separator: ': ',
      values: 'READY',
    });
  });
});

// ---- final results, prompt, other lines ---------------------------------------------------------

describe('final results', () => {
  test('OK and ERROR', () => {
    expect(clean('result', 'OK').value).toEqual({ ok: 'OK' });
    expect(clean('result', 'ERROR').value).toEqual({ error: 'ERROR' });
    expect(decode('result', 'OK').normalized['message.type']).toBe('OK');
    expect(decode('result', 'ERROR').normalized['message.type']).toBe('ERROR');
  });

  test.each([
    ['+CME ERROR: 3', 'operation not allowed'],
    ['+CME ERROR: 10', 'SIM not inserted'],
    ['+CME ERROR: 47', 'corporate personalization PUK required'],
    ['+CME ERROR: 1283', 'CCBS possible'],
    ['+CME ERROR: 2012', 'TCPIP socket connect fail'],
    ['+CME ERROR: 2000', 'TCPIP Param wrong '],
    ['+CME ERROR: 2031', 'TCPIP mipcall not active'],
    ['+CME ERROR: 2033', 'TCPIP not def4 '],
  ])('%s is "%s"', (text, meaningText) => {
    const d = clean('result', text);
    expect(d.value).toEqual({ cme_error: { separator: ': ', code: text.slice(12) } });
    expect(meaning(d, 'fibocom.result.cme_error.code')).toBe(meaningText);
    expect(d.normalized['message.type']).toBe('+CME ERROR');
  });

  test.each([
    ['+CMS ERROR: 330', 'SMSC address unknown'],
    ['+CMS ERROR: 1', 'Unassigned (unallocated) number'],
    ['+CMS ERROR: 543', 'SMS rejected By SMS CONTROL'],
  ])('%s is "%s"', (text, meaningText) => {
    const d = clean('result', text);
    expect(d.value).toEqual({ cms_error: { separator: ': ', code: text.slice(12) } });
    expect(meaning(d, 'fibocom.result.cms_error.code')).toBe(meaningText);
  });

  test('document errata in the CME table: O read as 0, the second 5 as 6', () => {
    expect(meaning(decode('result', '+CME ERROR: 0'), 'fibocom.result.cme_error.code')).toBe('phone failure');
    expect(meaning(decode('result', '+CME ERROR: 5'), 'fibocom.result.cme_error.code')).toBe(
      'PH-SIM PIN required',
    );
    expect(meaning(decode('result', '+CME ERROR: 6'), 'fibocom.result.cme_error.code')).toBe(
      'PH-FSIM PIN required',
    );
    expect(meaning(decode('result', '+CME ERROR: 7'), 'fibocom.result.cme_error.code')).toBe(
      'PH-FSIM PUK required',
    );
  });

  test('tables hold every row of the document', () => {
    expect(Object.keys(CME_ERRORS)).toHaveLength(112);
    expect(Object.keys(CMS_ERRORS)).toHaveLength(106);
    expect(Object.keys(TCPIP_ERRORS).map(Number)).toEqual(Array.from({ length: 34 }, (_, i) => 2000 + i));
  });

  test('an undocumented code decodes with a note; a verbose one with notes on syntax and name', () => {
    expect(decode('result', '+CME ERROR: 9999').issues.map((i) => [i.id, i.severity])).toEqual([
      ['fibocom.result.cme_error.code.unknown', 'note'],
    ]);
    expect(decode('result', '+CME ERROR: SIM not inserted').issues.map((i) => i.id)).toEqual([
      'fibocom.result.cme_error.code.syntax',
      'fibocom.result.cme_error.code.unknown',
    ]);
  });
});

describe('prompt and other lines', () => {
  test('the HEX mode prompt', () => {
    expect(clean('prompt', '>').value).toEqual({ data: '' });
    expect(clean('prompt', '> 2A48512C').value).toEqual({ data: ' 2A48512C' });
    expect(encode('prompt', {})).toBe('>\r\n');
  });

  test('any other line is kept as text', () => {
    expect(clean('other', 'RDY').value).toEqual({ text: 'RDY' });
    expect(clean('other', '4D4F44452C312C3130\x1a').value).toEqual({ text: '4D4F44452C312C3130\x1a' });
  });
});

// ---- payload carriers ---------------------------------------------------------------------------

describe('payload carriers', () => {
  const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

  test('AT+MIPSEND hex data is socket stream bytes (upper case)', () => {
    const d = decode('command', 'AT+MIPSEND=1,"2A48512C56312C23"');
    expect(d.carried).toEqual([
      { path: 'fibocom.cmd.mipsend.set.data', stream: 'socket_id=1', bytes: ascii('*HQ,V1,#'), raw: false },
    ]);
  });

  test('AT+MIPSEND hex data in lower case', () => {
    const d = decode('command', 'AT+MIPSEND=2,"40400011101130923633ff95003f9c0d0a"');
    expect(d.carried).toHaveLength(1);
    expect(d.carried[0]!.stream).toBe('socket_id=2');
    expect([...d.carried[0]!.bytes]).toEqual([
      0x40, 0x40, 0x00, 0x11, 0x10, 0x11, 0x30, 0x92, 0x36, 0x33, 0xff, 0x95, 0x00, 0x3f, 0x9c, 0x0d, 0x0a,
    ]);
  });

  test('+MIPRTCP data (either separator, either case)', () => {
    for (const text of ['+MIPRTCP: 1,0,4D4F44452C312C3130', '+MIPRTCP=1,0,4d4f44452c312c3130']) {
      expect(decode('response', text).carried).toEqual([
        {
          path: 'fibocom.rsp.miprtcp.data.data',
          stream: 'socket_id=1',
          bytes: ascii('MODE,1,10'),
          raw: false,
        },
      ]);
    }
  });

  test('+MIPRTCP raw data (IPRFMT 2) runs to the end of the line, commas included', () => {
    const d = clean('response', '+MIPRTCP: 1,9,MODE,1,10');
    expect(d.value).toMatchObject({ miprtcp: { data: { socket_id: '1', left: '9', data: 'MODE,1,10' } } });
    expect(d.carried).toEqual([
      { path: 'fibocom.rsp.miprtcp.data.data', stream: 'socket_id=1', bytes: ascii('MODE,1,10'), raw: true },
    ]);
  });

  test('+MIPRUDP data is keyed by its socket', () => {
    const d = decode('response', '+MIPRUDP: 198.51.100.20,5013,3,0,2A48512C');
    expect(d.carried).toEqual([
      { path: 'fibocom.rsp.miprudp.data.data', stream: 'socket_id=3', bytes: ascii('*HQ,'), raw: false },
    ]);
  });

  test('+MIPDATA with data after +MIPREAD', () => {
    expect(decode('response', '+MIPDATA: 4,2,4F4B').carried).toEqual([
      {
        path: 'fibocom.rsp.mipdata.data.payload.data',
        stream: 'socket_id=4',
        bytes: ascii('OK'),
        raw: false,
      },
    ]);
    expect(decode('response', '+MIPDATA: 4,2').carried).toEqual([]);
  });

  test('only the documented payload fields carry a stream', () => {
    const carriers = listFields(fibocom)
      .filter((f) => f.node.kind === 'token' && f.node.carries)
      .map((f) => f.path);
    expect(carriers).toEqual([
      'fibocom.cmd.mipsend.set.data',
      'fibocom.rsp.miprudp.data.data',
      'fibocom.rsp.miprtcp.data.data',
      'fibocom.rsp.mipdata.data.payload.data',
    ]);
  });
});

// ---- encoding hand-built values -----------------------------------------------------------------

describe('encoding values built by hand', () => {
  test.each([
    [
      'command',
      {
        prefix: 'AT',
        mipopen: {
          set: { socket_id: 1, source_port: '', remote_ip: '1.2.3.4', remote_port: 5000, protocol: 0 },
        },
      },
      'AT+MIPOPEN=1,,"1.2.3.4",5000,0\r\n',
    ],
    [
      'command',
      { prefix: 'AT', mipcall: { set: { operation: 1, context: { apn: 'internet' } } } },
      'AT+MIPCALL=1,"internet"\r\n',
    ],
    ['command', { prefix: 'AT', mipcall: { read: '?' } }, 'AT+MIPCALL?\r\n'],
    ['command', { prefix: 'AT', mipcall: { test: '=?' } }, 'AT+MIPCALL=?\r\n'],
    [
      'command',
      { prefix: 'AT', mipsend: { set: { socket_id: 1, data: '2A48512C' } } },
      'AT+MIPSEND=1,"2A48512C"\r\n',
    ],
    [
      'command',
      { prefix: 'AT', mipsend: { set_length: { socket_id: 1, data_len: 20 } } },
      'AT+MIPSEND=1,20\r\n',
    ],
    ['command', { prefix: 'AT', mipsend: { set_prompt: { socket_id: 1 } } }, 'AT+MIPSEND=1\r\n'],
    [
      'command',
      { prefix: 'AT', gtset: { set: { feature: 'IPRFMT', format: 0 } } },
      'AT+GTSET="IPRFMT",0\r\n',
    ],
    [
      'command',
      { prefix: 'AT', gtset: { set: { feature: 'SENDTIME', seconds: 12 } } },
      'AT+GTSET="SENDTIME",12\r\n',
    ],
    ['command', { prefix: 'AT', mipclose: { set: { socket_id: 1, mode: 2 } } }, 'AT+MIPCLOSE=1,2\r\n'],
    ['command', { prefix: 'AT', name: '+CSQ', other: { execute: {} } }, 'AT+CSQ\r\n'],
    [
      'response',
      { separator: ': ', mipcall: { status_address: { status: '1', ip: '10.1.2.3' } } },
      '+MIPCALL: 1,10.1.2.3\r\n',
    ],
    ['response', { separator: ': ', mipcall: { address: { ip: '10.1.2.3' } } }, '+MIPCALL: 10.1.2.3\r\n'],
    ['response', { separator: ': ', mipopen: { result: { socket_id: 1, state: '1' } } }, '+MIPOPEN: 1,1\r\n'],
    ['response', { separator: ': ', mipopen: { free: [2, 3, 4] } }, '+MIPOPEN: 2,3,4\r\n'],
    [
      'response',
      { separator: ': ', miprtcp: { data: { socket_id: 1, left: 0, data: '4D4F44452C312C3130' } } },
      '+MIPRTCP: 1,0,4D4F44452C312C3130\r\n',
    ],
    [
      'response',
      {
        separator: ': ',
        miprudp: {
          data: { source_ip: '198.51.100.20', source_port: 5013, socket_id: 3, left: 0, data: '2A' },
        },
      },
      '+MIPRUDP: 198.51.100.20,5013,3,0,2A\r\n',
    ],
    ['response', { separator: ': ', mipcall: { test: { operations: '0-3' } } }, '+MIPCALL: (0-3)\r\n'],
    ['response', { name: '+CSQ', separator: ': ', values: '23,99' }, '+CSQ: 23,99\r\n'],
    ['result', { ok: 'OK' }, 'OK\r\n'],
    ['result', { cme_error: { separator: ': ', code: 2012 } }, '+CME ERROR: 2012\r\n'],
    ['result', { cms_error: { separator: ': ', code: 330 } }, '+CMS ERROR: 330\r\n'],
  ] as [FrameName, unknown, string][])('%s %j', (name, value, text) => {
    expect(encode(name, value)).toBe(text);
    // What was encoded decodes back to the same value (line end aside).
    const d = decode(name, text.slice(0, -2));
    expect(d.issues).toEqual([]);
    expect(encode(name, d.value)).toBe(text);
  });

  test('values outside the documented range are refused', () => {
    expect(() =>
      encode('command', {
        prefix: 'AT',
        mipopen: { set: { socket_id: 7, source_port: '', remote_ip: 'x', remote_port: 1, protocol: 0 } },
      }),
    ).toThrow(/fibocom\.cmd\.mipopen\.set\.socket_id/);
  });
});

// ---- robustness ---------------------------------------------------------------------------------

describe('garbage never throws', () => {
  const FRAMES: FrameName[] = ['command', 'result', 'response', 'prompt', 'other'];
  const VALID = [
    ...COMMANDS.map(([t]) => ['command', t] as const),
    ...RESPONSES.map(([t]) => ['response', t] as const),
  ];
  const alphabet = fc.constantFrom(...'AT+MIPCALOPENSDRX:=?,"()0123456789 \r\n>\x00\xff'.split(''));

  test('random lines decode to a value and issues for every frame type', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 80 }).map((a) => a.join('')),
        (text) => {
          for (const name of FRAMES) {
            const d = decode(name, text);
            for (const i of d.issues)
              if (i.offset !== undefined) expect(i.offset).toBeLessThanOrEqual(text.length);
            if (!d.ok) expect(d.issues.some((i) => i.id === 'fibocom.malformed')).toBe(true);
            else if (d.issues.length === 0) expect(encode(name, d.value, d)).toBe(text);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('mutated valid lines never throw, and clean decodes still encode back', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 3 }),
        ([name, text], at, len, insert) => {
          const i = at % (text.length + 1);
          const mutated = text.slice(0, i) + insert + text.slice(i + (len % 4));
          const d = decode(name, mutated);
          if (d.ok && d.issues.length === 0) expect(encode(name, d.value, d)).toBe(mutated);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('truncated lines report where they stop', () => {
    // Without its closing quote the data is no quoted string; the line reads as the data length form.
    const d = decode('command', 'AT+MIPSEND=1,"41424');
    expect(d.ok).toBe(true);
    expect(d.issues.map((i) => i.id)).toEqual(['fibocom.cmd.mipsend.set_length.data_len.syntax']);
    expect(d.carried).toEqual([]);
    const cut = decode('result', '+CME ERR');
    expect(cut.ok).toBe(false);
    expect(cut.issues[0]).toMatchObject({ id: 'fibocom.malformed', severity: 'error' });
  });
});
