// The parts of `check` in process: findings from timeline records, the --allow policy, bounded tallies,
// the text and JUnit reports, the progress line, and runCheck over arbitrary input.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeStream, fromHex } from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/index.js';
import { checkRecord, STREAM_RULES, type Finding } from '../../src/pipeline/check-findings.js';
import { checkPolicy } from '../../src/pipeline/check-policy.js';
import { Progress } from '../../src/pipeline/check-progress.js';
import { runCheck } from '../../src/pipeline/check-run.js';
import { FileTally, Tally } from '../../src/pipeline/check-tally.js';
import { findingLine } from '../../src/pipeline/check-text.js';
import { junitXml, xmlText } from '../../src/pipeline/junit-report.js';
import { InputError, type FrameRecord } from '../../src/pipeline/records.js';
import { elements, parseXml, textOf } from './check-xml.js';

const tmp = mkdtempSync(join(tmpdir(), 'trackshark-check-'));

function hex(text: string): Uint8Array {
  const bytes = fromHex(text);
  if (!bytes) throw new Error(`not hex: ${text}`);
  return bytes;
}

/** VT600 §2.6 0x9505 cancel OTA command as printed (CRC 36 19; the bytes give 6F 39). */
const CANCEL_OTA = hex('40400011101130923633FF950536190D0A');

function frameRecord(bytes: Uint8Array, extra: Partial<FrameRecord> = {}): FrameRecord {
  const [r] = decodeStream(meiligao, bytes);
  if (r?.kind !== 'frame') throw new Error('not a frame');
  return {
    kind: 'frame',
    source: { file: 'x.hex', offset: 1834, line: 16 },
    frame: r.frame,
    bytes,
    ...extra,
  };
}

class Sink extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('latin1');
    done();
  }
}

const finding = (rule: string, severity: Finding['severity'] = 'error'): Finding => ({
  rule,
  severity,
  message: rule,
  record: '1',
  source: { file: 'f', offset: 0 },
});

describe('findings', () => {
  test("a frame's decoder issues are its findings: rule id, expected and actual, byte offsets", () => {
    const [unit] = checkRecord(frameRecord(CANCEL_OTA), '13');
    expect(unit).toMatchObject({ frame: true, conversation: undefined });
    expect(unit!.findings).toEqual([
      expect.objectContaining({
        rule: 'meiligao.crc.bad',
        severity: 'error',
        expected: '6F39',
        actual: '3619',
        record: '13',
        frameOffset: 13,
        protocol: 'meiligao',
        source: { file: 'x.hex', offset: 1834, line: 16 },
      }),
    ]);
    expect(findingLine(unit!.findings[0]!)).toBe(
      '#13 (line 16, byte 1834): meiligao frame byte 13: meiligao.crc.bad: expected 6F39, actual 3619',
    );
  });

  test('records outside frames are findings with rule ids of their own; skipped lines are not', () => {
    const source = { file: 'c.pcap', offset: 99, packet: 4 };
    const empty = new Uint8Array(0);
    const gap = checkRecord(
      { kind: 'gap', source, conversation: 'tcp:0', bytes: empty, streamOffset: 237, length: 79 },
      '5',
    );
    expect(gap).toEqual([
      {
        frame: false,
        conversation: 'tcp:0',
        findings: [
          expect.objectContaining({
            rule: STREAM_RULES.gap,
            expected: '79 bytes at stream offset 237',
            actual: 'not captured',
          }),
        ],
      },
    ]);
    const conflict = checkRecord(
      {
        kind: 'conflict',
        source,
        bytes: hex('2a48512c3939'),
        kept: hex('2a48512c3138'),
        streamOffset: 10,
      },
      '3',
    );
    expect(conflict[0]!.findings[0]).toMatchObject({
      rule: 'tcp.conflict',
      expected: '3138',
      actual: '3939',
      message: expect.stringContaining('at stream offset 14'),
    });
    const undecoded = checkRecord(
      { kind: 'undecoded', source, bytes: hex('2320'), reason: 'no frame start' },
      '3',
    );
    expect(undecoded[0]!.findings[0]).toMatchObject({ rule: 'stream.undecoded', actual: '2320' });
    expect(checkRecord({ kind: 'skipped', source, bytes: empty, reason: 'no packet' }, '1')).toEqual([]);
    expect(
      checkRecord(
        { kind: 'notice', source, bytes: empty, severity: 'warning', message: '3 packets' },
        '9',
      )[0]!.findings[0],
    ).toMatchObject({ rule: 'capture.unsupported', severity: 'warn' });
  });

  test('carried frames are units of their own, numbered under the line that completed them', () => {
    const outer = frameRecord(hex('2424001112345678901fff50006f350d0a'), {
      nested: [frameRecord(CANCEL_OTA, { conversation: 'socket_id=2' })],
    });
    const units = checkRecord(outer, '6');
    expect(units.map((u) => [u.frame, u.conversation, u.findings.map((f) => [f.record, f.rule])])).toEqual([
      [true, undefined, []],
      [true, 'socket_id=2', [['6.1', 'meiligao.crc.bad']]],
    ]);
  });

  test('a grammar failure names the bytes found where the grammar wanted something else', () => {
    // VT600 §1's login with its CRLF replaced: as text when printable, else as hex.
    const actualAtEnd = (end: string) => {
      const [unit] = checkRecord(frameRecord(hex(`2424001112345678901fff50006f35${end}`)), '1');
      return unit!.findings.map((f) => [f.rule, f.frameOffset, f.expected, f.actual]);
    };
    expect(actualAtEnd('5859')).toEqual([['meiligao.malformed', 15, '"\\r\\n"', 'XY']]);
    expect(actualAtEnd('0d0b')).toEqual([['meiligao.malformed', 15, '"\\r\\n"', '0d0b']]);
  });
});

describe('--allow policy', () => {
  test('errors and warnings fail, notes and declared deviations do not, --allow tolerates', () => {
    const p = checkPolicy(['meiligao.crc.bad,mt700.*.range']);
    expect(p.verdict(finding('meiligao.crc.bad'))).toBe('tolerated');
    expect(p.verdict(finding('meiligao.length.bad'))).toBe('fail');
    expect(p.verdict(finding('mt700.cmd.keep_alive.interval.range', 'warn'))).toBe('tolerated');
    expect(p.verdict(finding('fibocom.cmd.mipsend.set.socket_id.range', 'warn'))).toBe('fail');
    expect(p.verdict(finding('mt700.cmd.keyword.unknown', 'note'))).toBe('note');
    expect(p.verdict(finding('mt700.cmd.mode10_colon.deviation', 'warn'))).toBe('note');
    // A dot in a pattern is a dot, not any character.
    expect(checkPolicy(['meiligao.crc.bad']).verdict(finding('meiligaoXcrcXbad'))).toBe('fail');
  });

  test('a value that cannot be a rule id is an argument error', () => {
    expect(() => checkPolicy(['crc bad'])).toThrow(InputError);
    expect(() => checkPolicy(['a/b'])).toThrow(/--allow wants rule ids/);
  });
});

describe('tallies', () => {
  test('counters grow, the kept findings do not', () => {
    const t = new Tally(10);
    for (let i = 0; i < 5000; i++)
      t.add({ frame: true, conversation: undefined, findings: [finding('meiligao.crc.bad')] }, ['fail']);
    t.add({ frame: true, conversation: undefined, findings: [] }, []);
    const r = t.report();
    expect(r).toMatchObject({ frames: 5001, valid: 1, invalid: 5000, failed: 5000 });
    expect(r.findings).toHaveLength(10);
    expect(r.rules).toEqual([{ rule: 'meiligao.crc.bad', count: 5000, severity: 'error', verdict: 'fail' }]);
  });

  test('per conversation, and failing rules before tolerated ones and notes', () => {
    const t = new FileTally('f.pcap', checkPolicy(['tcp.gap']), 10);
    t.add({ frame: true, conversation: 'tcp:0', findings: [finding('x.unknown', 'note')] });
    t.add({ frame: false, conversation: 'tcp:0', findings: [finding('tcp.gap')] });
    t.add({ frame: true, conversation: 'tcp:1', findings: [finding('h02.malformed')] });
    const r = t.report();
    expect(r).toMatchObject({ status: 'invalid', frames: 2, valid: 1, invalid: 1, tolerated: 1, notes: 1 });
    expect(r.rules.map((x) => x.rule)).toEqual(['h02.malformed', 'tcp.gap', 'x.unknown']);
    expect(r.conversations.map((c) => [c.conversation, c.frames, c.invalid, c.failed])).toEqual([
      ['tcp:0', 1, 0, 0],
      ['tcp:1', 1, 1, 1],
    ]);
  });
});

describe('JUnit XML', () => {
  test('any text survives escaping: the document stays well formed and the text comes back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const doc = parseXml(`<a b="${xmlText(s)}">${xmlText(s)}</a>`);
        // Characters XML cannot carry come back as \uXXXX; everything else exactly.
        const carried = s.replace(
          // eslint-disable-next-line no-control-regex
          /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
        expect(doc.attrs.b).toBe(carried);
        expect(textOf(doc)).toBe(carried);
      }),
    );
  });

  test('a testsuite per input, a testcase per conversation, failures with rule, values and offsets', () => {
    const t = new FileTally('a<b>.pcap', checkPolicy(), 10);
    t.add({
      frame: true,
      conversation: 'tcp:0 10.0.0.1:1 > 10.0.0.2:2',
      findings: [
        {
          ...finding('meiligao.crc.bad'),
          conversation: 'tcp:0 10.0.0.1:1 > 10.0.0.2:2',
          protocol: 'meiligao',
          frameType: 'frame',
          expected: 'EC69',
          actual: 'A93E',
          frameOffset: 146,
        },
      ],
    });
    t.add({ frame: true, conversation: 'udp:1 "x"', findings: [] });
    const doc = parseXml(
      junitXml([
        t.report(),
        { ...new FileTally('gone', checkPolicy(), 1).report({ error: 'gone: cannot read' }) },
      ]),
    );
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    const [suite, gone] = elements(doc, 'testsuite');
    expect(suite!.attrs).toMatchObject({ name: 'a<b>.pcap', tests: '2', failures: '1' });
    const cases = elements(suite!, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(['tcp:0 10.0.0.1:1 > 10.0.0.2:2', 'udp:1 "x"']);
    const [failure] = elements(cases[0]!, 'failure');
    expect(failure!.attrs.type).toBe('meiligao.crc.bad');
    expect(failure!.attrs.message).toBe('1 of 1 frame invalid: meiligao.crc.bad x1');
    expect(textOf(failure!)).toBe(
      '#1 (byte 0, tcp:0 10.0.0.1:1 > 10.0.0.2:2): meiligao frame byte 146: meiligao.crc.bad: expected EC69, actual A93E',
    );
    expect(elements(cases[1]!)).toEqual([]);
    expect(elements(elements(gone!, 'testcase')[0]!, 'error')[0]!.attrs.message).toBe('gone: cannot read');
  });
});

describe('progress', () => {
  const state = { file: 'big.pcap', index: 1, of: 2, frames: 1234567, invalid: 3, bytes: 50, size: 200 };

  test('a single line rewritten in place on a terminal, after a short delay, then erased', () => {
    const tty = new Sink(true);
    let now = 0;
    const p = new Progress(tty, Progress.wanted(tty, false), () => now);
    p.update(state);
    expect(tty.text).toBe('');
    now = 600;
    p.update(state);
    now = 650;
    p.update({ ...state, frames: 1 });
    expect(tty.text).toBe('\r\u001b[Kchecking 1/2 big.pcap 25%: 1,234,567 frames, 3 invalid');
    p.clear();
    expect(tty.text.endsWith('\r\u001b[K')).toBe(true);
  });

  test('never on a pipe or with --quiet', () => {
    const pipe = new Sink(false);
    expect(Progress.wanted(pipe, false)).toBe(false);
    expect(Progress.wanted(new Sink(true), true)).toBe(false);
    let now = 0;
    const p = new Progress(pipe, false, () => now);
    now = 10_000;
    p.update(state);
    p.clear();
    expect(pipe.text).toBe('');
  });
});

describe('runCheck', () => {
  test('arbitrary bytes never throw: status 0 or 1, every frame valid or invalid, few findings kept', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const file = join(tmp, 'random.bin');
        writeFileSync(file, bytes);
        const out = new Sink();
        const err = new Sink();
        const status = await runCheck({ inputs: [file], json: true, show: 3 }, { stdout: out, stderr: err });
        const report = JSON.parse(out.text) as {
          status: number;
          files: { frames: number; valid: number; invalid: number; failed: number; findings: unknown[] }[];
        };
        expect([0, 1]).toContain(status);
        expect(report.status).toBe(status);
        const f = report.files[0]!;
        expect(f.valid + f.invalid).toBe(f.frames);
        expect(f.findings.length).toBe(Math.min(3, f.failed));
        expect(status === 1).toBe(f.failed > 0);
        expect(err.text).toBe('');
      }),
      { numRuns: 40 },
    );
  });

  test('--max-errors stops in the input where the budget runs out; later inputs are not checked', async () => {
    const out = new Sink();
    const status = await runCheck(
      {
        inputs: [
          'captures/mt700/wifi-examples.txt',
          'captures/vt600/ota-commands.hex',
          'captures/vt600/ota-procedure.hex',
        ],
        json: true,
        maxErrors: 3,
      },
      { stdout: out, stderr: new Sink() },
    );
    expect(status).toBe(1);
    const { files } = JSON.parse(out.text) as {
      files: { status: string; invalid: number; stopped?: boolean }[];
    };
    expect(files.map((f) => [f.status, f.invalid, f.stopped ?? false])).toEqual([
      ['invalid', 2, false],
      ['invalid', 1, true],
      ['not checked', 0, false],
    ]);
  });

  test('the JUnit file is written even when nothing fails', async () => {
    const junit = join(tmp, 'pass.xml');
    const status = await runCheck(
      { inputs: ['captures/vt600/ota-procedure.hex'], junit, quiet: true },
      { stdout: new Sink(), stderr: new Sink() },
    );
    expect(status).toBe(0);
    const doc = parseXml(readFileSync(junit, 'utf8'));
    expect(doc.attrs).toMatchObject({ tests: '1', failures: '0', errors: '0' });
    expect(elements(elements(doc, 'testsuite')[0]!, 'testcase')[0]!.attrs.assertions).toBe('15');
  });
});
