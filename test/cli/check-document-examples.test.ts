// The vendor documents' own examples under `trackshark check`: exactly the known errata are flagged,
// each with the value the document prints (actual) and the one its bytes give (expected), and the
// README's errata table lists exactly these.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { trackshark } from '../helpers/cli.js';

/** The files whose every frame is an example printed in a vendor document, kept as printed. */
const DOCUMENT_EXAMPLES = [
  'captures/vt600/ota-procedure.hex',
  'captures/vt600/ota-commands.hex',
  'captures/mt700/gps-examples.txt',
  'captures/mt700/wifi-examples.txt',
  'captures/mt700/table-examples.txt',
  'captures/mt700/replies.txt',
  'captures/mt700/commands.txt',
  'captures/h02/cantrack-custom-commands.txt',
  'captures/wln/wialon-document-example.wln',
];

interface Erratum {
  readonly file: string;
  /** Record number as `decode` and `check` number them. */
  readonly record: string;
  readonly rule: string;
  readonly expected: string | number;
  readonly actual: string | number;
  /** Byte offset of the finding within the frame. */
  readonly frameOffset?: number;
}

/** What the documents print wrong (VT600 §2.3, §2.6; MT700 §2.2.1, §2.2.2), recomputed from the printed bytes. */
const ERRATA: readonly Erratum[] = [
  {
    file: 'captures/vt600/ota-commands.hex',
    record: '6',
    rule: 'meiligao.length.bad',
    expected: 150,
    actual: 151,
    frameOffset: 2,
  },
  {
    file: 'captures/vt600/ota-commands.hex',
    record: '6',
    rule: 'meiligao.ota_data.data_length.bad',
    expected: 127,
    actual: 32796,
    frameOffset: 17,
  },
  {
    file: 'captures/vt600/ota-commands.hex',
    record: '6',
    rule: 'meiligao.crc.bad',
    expected: 'EC69',
    actual: 'A93E',
    frameOffset: 146,
  },
  {
    file: 'captures/vt600/ota-commands.hex',
    record: '13',
    rule: 'meiligao.crc.bad',
    expected: '6F39',
    actual: '3619',
    frameOffset: 13,
  },
  {
    file: 'captures/vt600/ota-commands.hex',
    record: '14',
    rule: 'meiligao.crc.bad',
    expected: 'F552',
    actual: '3619',
    frameOffset: 14,
  },
  {
    file: 'captures/mt700/gps-examples.txt',
    record: '3',
    rule: 'stream.undecoded',
    expected: 'a frame',
    actual: '2320',
  },
  {
    file: 'captures/mt700/wifi-examples.txt',
    record: '3',
    rule: 'mt700.records.sentence.checksum.bad',
    expected: '4F',
    actual: '06',
    frameOffset: 92,
  },
  {
    file: 'captures/mt700/wifi-examples.txt',
    record: '4',
    rule: 'mt700.records.sentence.checksum.bad',
    expected: '08',
    actual: '74',
    frameOffset: 168,
  },
];

interface Report {
  status: number;
  files: {
    file: string;
    status: string;
    failed: number;
    findings: (Erratum & { source: { file: string } })[];
  }[];
}

function checkDocumentExamples(): Report {
  const r = trackshark(['check', '--json', '--show', '100', ...DOCUMENT_EXAMPLES]);
  expect(r.status).toBe(1);
  return JSON.parse(r.stdout) as Report;
}

/** The rows of the README's errata table, as cells. */
function readmeErrata(): string[][] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf("## Captures and the documents' errata"));
  const lines = section.slice(0, section.indexOf('\n## ', 1)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('| document |'));
  expect(start).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** A value or cell compared without spacing, code marks, `*` and case: `36 19` and `3619` are one value. */
const squash = (v: string | number) =>
  String(v)
    .replace(/[\s`*]/g, '')
    .toUpperCase();

describe('trackshark check over the documents own examples', () => {
  test('flags exactly the errata, each with expected and actual values and byte offsets', () => {
    const report = checkDocumentExamples();
    expect(report.files.map((f) => f.file)).toEqual(DOCUMENT_EXAMPLES);
    const found = report.files.flatMap((f) => {
      expect(f.findings).toHaveLength(f.failed);
      return f.findings.map((x) => ({
        file: x.source.file,
        record: x.record,
        rule: x.rule,
        expected: x.expected,
        actual: x.actual,
        ...(x.frameOffset !== undefined ? { frameOffset: x.frameOffset } : {}),
      }));
    });
    expect(found).toEqual(ERRATA);
    const failing = new Set(ERRATA.map((e) => e.file));
    for (const f of report.files) expect(f.status).toBe(failing.has(f.file) ? 'invalid' : 'valid');
  });

  test("the README's errata table has one row per erratum, with the printed and the computed value", () => {
    const rows = readmeErrata();
    expect(rows).toHaveLength(ERRATA.length);
    for (const [i, e] of ERRATA.entries()) {
      const [, , , printed, computed, finding] = rows[i]!;
      expect(finding).toBe(`\`${e.rule}\`, \`${e.file}\` #${e.record}`);
      expect(squash(printed!)).toContain(squash(e.actual));
      expect(squash(computed!)).toContain(squash(e.expected));
    }
  });
});
