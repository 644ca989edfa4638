// `trackshark check` as CI runs it: the real binary, its exit status, the text report, --json, and the
// JUnit XML parsed (not string-matched).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { trackshark } from '../helpers/cli.js';
import { elements, parseXml, textOf, type XmlElement } from '../pipeline/check-xml.js';

const tmp = mkdtempSync(join(tmpdir(), 'trackshark-check-cli-'));

interface FindingJson {
  rule: string;
  expected?: string | number;
  actual?: string | number;
  record: string;
  frameOffset?: number;
  conversation?: string;
  source: { file: string; offset: number; line?: number; packet?: number };
}
interface TallyJson {
  frames: number;
  valid: number;
  invalid: number;
  otherFailures: number;
  failed: number;
  tolerated: number;
  notes: number;
  rules: { rule: string; count: number; severity: string; verdict: string }[];
  findings: FindingJson[];
}
interface CheckJson {
  status: number;
  totals: { files: number; frames: number; valid: number; invalid: number };
  files: (TallyJson & {
    file: string;
    status: string;
    error?: string;
    conversations: (TallyJson & { conversation: string | null })[];
  })[];
}

function checkJson(args: readonly string[], input?: string): { status: number | null; report: CheckJson } {
  const r = trackshark(['check', '--json', ...args], input);
  return { status: r.status, report: JSON.parse(r.stdout) as CheckJson };
}

function junit(args: readonly string[]): { status: number | null; doc: XmlElement; stdout: string } {
  const file = join(tmp, `report-${Math.random().toString(36).slice(2)}.xml`);
  const r = trackshark(['check', '--junit', file, ...args]);
  return { status: r.status, doc: parseXml(readFileSync(file, 'utf8')), stdout: r.stdout };
}

describe('trackshark check: exit status and text report', () => {
  test('0 when every frame is valid, with a PASS line per input and the totals', () => {
    const r = trackshark([
      'check',
      'captures/vt600/ota-procedure.hex',
      'captures/pcap/vt600-ota-ethernet-us-le.pcap',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'PASS captures/vt600/ota-procedure.hex: 15 frames, 15 valid, 0 invalid',
      'PASS captures/pcap/vt600-ota-ethernet-us-le.pcap: 15 frames, 15 valid, 0 invalid',
      'PASS: checked 2 inputs: 30 frames, 30 valid, 0 invalid',
      '',
    ]);
    // No progress line on a pipe.
    expect(r.stderr).toBe('');
  });

  test('1 when a frame is not: rules counted, first offending frames with expected, actual and offsets', () => {
    const r = trackshark(['check', 'captures/vt600/ota-commands.hex']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL captures/vt600/ota-commands.hex: 14 frames, 11 valid, 3 invalid\n');
    expect(r.stdout).toContain('    3  meiligao.crc.bad (error)\n');
    expect(r.stdout).toContain(
      '#6 (line 9, byte 778): meiligao frame byte 2: meiligao.length.bad: expected 150, actual 151\n',
    );
    expect(r.stdout).toContain(
      '#13 (line 16, byte 1834): meiligao frame byte 13: meiligao.crc.bad: expected 6F39, actual 3619\n',
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      'FAIL: checked 1 input (1 failed): 14 frames, 11 valid, 3 invalid',
    );
  });

  test('2 when an input cannot be read, even beside invalid frames; the others are still checked', () => {
    const r = trackshark(['check', 'captures/vt600/ota-commands.hex', join(tmp, 'missing.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`trackshark: ${join(tmp, 'missing.pcap')}: cannot read: no such file\n`);
    expect(r.stdout).toContain('FAIL captures/vt600/ota-commands.hex');
    expect(r.stdout).toContain(`ERROR ${join(tmp, 'missing.pcap')}: 0 frames`);
  });

  test('2 for a truncated capture, with the frames before the damage checked', () => {
    const whole = readFileSync('captures/pcap/vt600-ota-ethernet-us-le.pcap');
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 7));
    const { status, report } = checkJson([cut]);
    expect(status).toBe(2);
    expect(report.files[0]).toMatchObject({ status: 'unreadable', error: expect.stringContaining(cut) });
    expect(report.files[0]!.frames).toBeGreaterThan(10);
  });

  test.each([
    [['--max-errors', '0', 'captures/vt600'], '--max-errors 0: wants a whole number of at least 1'],
    [['--show', '-1', 'captures/vt600'], '--show -1: wants a whole number of at least 0'],
    [['--allow', 'crc bad!', 'captures/vt600'], '--allow wants rule ids'],
    [['--protocol', 'nmea', 'captures/vt600'], 'unknown protocol'],
    [['--decode-as', 'x=mt700', 'captures/vt600'], '--decode-as wants PORT=PROTOCOL'],
    [['--junit', join(tmp, 'no/such/dir/r.xml'), 'captures/vt600'], 'cannot write the JUnit report'],
  ])('2 for wrong arguments: %j', (args, message) => {
    const r = trackshark(['check', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  test('2 without inputs (yargs)', () => {
    const r = trackshark(['check']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Not enough non-option arguments');
  });

  test("the README's sample report is what check prints", () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('```\nFAIL captures/vt600/ota-commands.hex');
    expect(start).toBeGreaterThan(0);
    const sample = readme.slice(start + 4, readme.indexOf('```', start + 4));
    const r = trackshark(['check', 'captures/vt600']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(sample);
  });

  test('--help lists the options', () => {
    const r = trackshark(['check', '--help']);
    expect(r.status).toBe(0);
    for (const option of ['--json', '--junit', '--max-errors', '--allow', '--show', '--quiet', '--decode-as'])
      expect(r.stdout).toContain(option);
    expect(r.stdout).not.toContain('--jobs');
  });

  test('--quiet prints nothing; the exit status still tells', () => {
    const r = trackshark(['check', '--quiet', 'captures/mt700/wifi-examples.txt']);
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', '']);
  });
});

describe('trackshark check: documented parameter ranges', () => {
  test('MT700 MODE,1,T with T in [10, 600] and RWT in [60, 600] (stdin, --protocol)', () => {
    const { status, report } = checkJson(
      ['--protocol', 'mt700', '--direction', 'downlink', '-'],
      'MODE,1,5\r\nMODE,1,600\r\nMODE,1,601\r\nRWT,60\r\nRWT,30\r\n',
    );
    expect(status).toBe(1);
    const f = report.files[0]!;
    expect(f).toMatchObject({ file: '-', frames: 5, valid: 2, invalid: 3 });
    expect(f.findings.map((x) => [x.record, x.rule, x.expected, x.actual])).toEqual([
      ['1', 'mt700.cmd.mode.real_time.interval.range', '10..600', '5'],
      ['3', 'mt700.cmd.mode.real_time.interval.range', '10..600', '601'],
      ['5', 'mt700.cmd.keep_alive.interval.range', '60..600', '30'],
    ]);
  });

  test('AT socket ids 1-6 in commands and responses', () => {
    const log = join(tmp, 'sockets.log');
    writeFileSync(log, 'AT+MIPOPEN=6,,"192.0.2.1",80,0\r\nAT+MIPSEND=7,"2A"\r\n+MIPRTCP: 0,0,2A\r\n');
    const { status, report } = checkJson(['--input', 'at-log', log]);
    expect(status).toBe(1);
    const ranges = report.files[0]!.findings.filter((x) => x.rule.endsWith('.range'));
    expect(ranges.map((x) => [x.source.line, x.rule, x.expected, x.actual])).toEqual([
      [2, 'fibocom.cmd.mipsend.set.socket_id.range', '1..6', '7'],
      [3, 'fibocom.rsp.miprtcp.data.socket_id.range', '1..6', '0'],
    ]);
  });
});

describe('trackshark check: terminators', () => {
  test('a Meiligao frame ending in CR VT: its length and CRC hold, so it is that frame, flagged at byte 15', () => {
    const file = join(tmp, 'wrong-end.bin');
    // The VT600 document's login (CRC 0x6F35) with 0D 0B for 0D 0A, then the login as printed.
    writeFileSync(
      file,
      Buffer.from('2424001112345678901fff50006f350d0b2424001112345678901fff50006f350d0a', 'hex'),
    );
    const { status, report } = checkJson(['--input', 'binary-stream', file]);
    expect(status).toBe(1);
    expect(report.files[0]).toMatchObject({ frames: 2, valid: 1, invalid: 1 });
    expect(report.files[0]!.findings.map((x) => [x.record, x.rule, x.expected, x.actual])).toEqual([
      ['1', 'meiligao.malformed', '"\\r\\n"', '0d0b'],
    ]);
  });
});

describe('trackshark check: --allow and --max-errors', () => {
  test('--allow tolerates rules (exact or with *): counted as allowed, exit 0', () => {
    const r = trackshark([
      'check',
      '--allow',
      'meiligao.crc.bad,meiligao.length.bad',
      '--allow',
      'meiligao.ota_data.*',
      'captures/vt600/ota-commands.hex',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('PASS captures/vt600/ota-commands.hex: 14 frames, 14 valid, 0 invalid\n');
    expect(r.stdout).toContain('    3  meiligao.crc.bad (allowed)\n');
    expect(r.stdout).toContain('    1  meiligao.ota_data.data_length.bad (allowed)\n');
  });

  test('declared deviations and notes are listed but never fail', () => {
    const { status, report } = checkJson(['captures/mt700/commands.txt']);
    expect(status).toBe(0);
    expect(report.files[0]!.rules).toEqual([
      { rule: 'mt700.cmd.keyword.unknown', count: 1, severity: 'note', verdict: 'note' },
      { rule: 'mt700.cmd.lock_without_password.deviation', count: 1, severity: 'warn', verdict: 'note' },
      { rule: 'mt700.cmd.mode10_colon.deviation', count: 1, severity: 'warn', verdict: 'note' },
    ]);
  });

  test('--max-errors stops the run; inputs not reached are reported as not checked', () => {
    const r = trackshark([
      'check',
      '--max-errors',
      '1',
      'captures/vt600/ota-commands.hex',
      'captures/mt700/wifi-examples.txt',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL captures/vt600/ota-commands.hex: 6 frames, 5 valid, 1 invalid\n');
    expect(r.stdout).toContain('    stopped here: --max-errors reached\n');
    expect(r.stdout).toContain('SKIP captures/mt700/wifi-examples.txt: not checked (--max-errors reached)\n');
  });
});

describe('trackshark check --json', () => {
  test('one object: totals, per input, per conversation, first findings with positions', () => {
    const { status, report } = checkJson(['captures/pcap/h02-tcp-reassembly-edge-cases.pcap']);
    expect(status).toBe(1);
    expect(report.status).toBe(1);
    const f = report.files[0]!;
    expect(f).toMatchObject({ status: 'invalid', frames: 11, valid: 11, invalid: 0, otherFailures: 3 });
    expect(f.findings.map((x) => [x.rule, x.source.packet, x.expected, x.actual])).toEqual([
      ['tcp.conflict', 12, expect.stringMatching(/^3138322c4e/), expect.stringMatching(/^3939392c4e/)],
      ['tcp.gap', 15, '79 bytes at stream offset 237', 'not captured'],
      ['stream.undecoded', 36, 'a frame', '302e32312c3030302c3038303231382c464646464642464623'],
    ]);
    expect(f.conversations.map((c) => [c.conversation, c.frames, c.failed])).toEqual([
      ['tcp:0 10.20.30.40:40001 > 192.0.2.10:5013', 9, 2],
      ['tcp:1 10.20.30.40:40001 > 192.0.2.10:5013', 1, 0],
      ['tcp:2 10.20.30.40:40002 > 192.0.2.10:5013', 1, 1],
    ]);
  });

  test('frame counts agree with decode, nested AT payload frames included', () => {
    const { report } = checkJson(['captures/fibocom/vt600-ota-socket2.log']);
    const decoded = trackshark(['decode', '--json', 'captures/fibocom/vt600-ota-socket2.log']);
    const lines = decoded.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { nested?: unknown[] });
    const nested = lines.reduce((n, l) => n + (l.nested?.length ?? 0), 0);
    expect(report.files[0]!.frames).toBe(lines.length + nested);
    expect(nested).toBe(15);
    expect(report.files[0]!.conversations.map((c) => [c.conversation, c.frames])).toEqual([
      [null, lines.length],
      ['socket_id=2', 15],
    ]);
  });
});

describe('trackshark check --junit', () => {
  test('a testsuite per input, a testcase per conversation, failures carrying rule, values and offsets', () => {
    const { status, doc } = junit([
      'captures/pcap/h02-tcp-reassembly-edge-cases.pcap',
      'captures/vt600/ota-commands.hex',
      'captures/fibocom/errors-and-ping.log',
    ]);
    expect(status).toBe(1);
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ name: 'trackshark check', tests: '6', failures: '5', errors: '0' });
    const suites = elements(doc, 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      ['captures/pcap/h02-tcp-reassembly-edge-cases.pcap', '3', '2'],
      ['captures/vt600/ota-commands.hex', '1', '1'],
      ['captures/fibocom/errors-and-ping.log', '2', '2'],
    ]);
    const pcapCases = elements(suites[0]!, 'testcase');
    expect(pcapCases.map((c) => [c.attrs.name, c.attrs.assertions, elements(c, 'failure').length])).toEqual([
      ['tcp:0 10.20.30.40:40001 > 192.0.2.10:5013', '9', 1],
      ['tcp:1 10.20.30.40:40001 > 192.0.2.10:5013', '1', 0],
      ['tcp:2 10.20.30.40:40002 > 192.0.2.10:5013', '1', 1],
    ]);
    const gap = elements(pcapCases[0]!, 'failure')[0]!;
    expect(gap.attrs).toMatchObject({
      type: 'tcp.conflict',
      message: '2 findings outside frames: tcp.conflict x1, tcp.gap x1',
    });
    expect(textOf(gap).split('\n')[1]).toBe(
      '#5 (packet 15, byte 1548, tcp:0 10.20.30.40:40001 > 192.0.2.10:5013): tcp.gap: uplink 79 bytes not captured at stream offset 237: expected 79 bytes at stream offset 237, actual not captured',
    );
    const hex = elements(elements(suites[1]!, 'testcase')[0]!, 'failure')[0]!;
    expect(hex.attrs).toMatchObject({
      type: 'meiligao.crc.bad',
      message:
        '3 of 14 frames invalid: meiligao.crc.bad x3, meiligao.length.bad x1, meiligao.ota_data.data_length.bad x1',
    });
    expect(textOf(hex).split('\n')).toContain(
      '#14 (line 17, byte 1938): meiligao frame byte 14: meiligao.crc.bad: expected F552, actual 3619',
    );
    const at = elements(suites[2]!, 'testcase');
    expect(at.map((c) => c.attrs.name)).toEqual(['captures/fibocom/errors-and-ping.log', 'socket_id=1']);
    expect(elements(at[0]!, 'failure')[0]!.attrs.type).toBe('fibocom.cmd.mipcall.set.operation.range');
  });

  test('unreadable inputs are errors, inputs not reached are skipped', () => {
    const { status, doc } = junit([
      '--max-errors',
      '1',
      join(tmp, 'missing.hex'),
      'captures/mt700/wifi-examples.txt',
      'captures/vt600/ota-procedure.hex',
    ]);
    expect(status).toBe(2);
    expect(doc.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1', skipped: '1' });
    const [missing, wifi, skipped] = elements(doc, 'testsuite');
    const error = elements(elements(missing!, 'testcase')[0]!, 'error')[0]!;
    expect(error.attrs.message).toBe(`${join(tmp, 'missing.hex')}: cannot read: no such file`);
    expect(wifi!.attrs.failures).toBe('1');
    expect(elements(elements(skipped!, 'testcase')[0]!, 'skipped')).toHaveLength(1);
  });
});
