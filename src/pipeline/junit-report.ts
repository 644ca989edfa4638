// `check --junit FILE`: JUnit XML as CI systems read it. One testsuite per input; one testcase per
// conversation (TCP/UDP conversation, AT socket, server-log session), and one for the input's records
// outside any conversation (AT lines, hex lines, a raw stream). A failing testcase carries a
// <failure> whose type is its most frequent rule and whose text lists the first offending frames with
// rule, expected and actual values and byte offsets; an input that cannot be read is an <error>.
import { plural } from './check-findings.js';
import { findingLine } from './check-text.js';
import type { FileReport, TallyReport } from './check-tally.js';

/** Characters XML 1.0 cannot hold at all: controls other than tab and line ends, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MARKUP: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text as XML character data or an attribute value; characters XML cannot carry are written as \uXXXX. */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (c) => MARKUP[c]!);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlText(String(v))}"`)
    .join('');
}

function failureMessage(t: TallyReport): string {
  const what = [
    ...(t.invalid > 0 ? [`${t.invalid} of ${plural(t.frames, 'frame')} invalid`] : []),
    ...(t.otherFailures > 0 ? [`${plural(t.otherFailures, 'finding')} outside frames`] : []),
  ];
  const rules = t.rules
    .filter((r) => r.verdict === 'fail')
    .map((r) => `${r.rule} x${r.count}`)
    .join(', ');
  return `${what.join(', ')}: ${rules}`;
}

/** Testcases sit two levels deep: in a testsuite, in the testsuites root. */
const CASE = '    ';

function testcase(file: string, name: string, t: TallyReport): string {
  const head = `${CASE}<testcase${attrs({ classname: file, name, assertions: t.frames })}`;
  if (t.failed === 0) return `${head}/>`;
  const firstRule = t.rules.find((r) => r.verdict === 'fail')!.rule;
  const lines = t.findings.map(findingLine);
  if (t.failed > t.findings.length) lines.push(`… ${t.failed - t.findings.length} more`);
  return [
    `${head}>`,
    `${CASE}  <failure${attrs({ type: firstRule, message: failureMessage(t) })}>${xmlText(lines.join('\n'))}</failure>`,
    `${CASE}</testcase>`,
  ].join('\n');
}

interface Suite {
  readonly xml: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

/** A testcase that holds one `<skipped>` or `<error>` element instead of a verdict on frames. */
function markedCase(file: string, name: string, mark: string, values: Record<string, string>) {
  return `${CASE}<testcase${attrs({ classname: file, name })}>\n${CASE}  <${mark}${attrs(values)}/>\n${CASE}</testcase>`;
}

function testsuite(r: FileReport): Suite {
  const cases: string[] = [];
  let failures = 0;
  if (r.status === 'not checked')
    cases.push(markedCase(r.file, r.file, 'skipped', { message: 'not checked: --max-errors reached' }));
  // An input without conversations is one testcase, with the input's (longer) list of findings.
  const single = r.conversations.length === 1 && r.conversations[0]!.conversation === null;
  const groups: [string, TallyReport][] = single
    ? [[r.file, r]]
    : r.conversations.map((c) => [c.conversation ?? r.file, c]);
  for (const [name, t] of groups) {
    if (t.failed > 0) failures++;
    cases.push(testcase(r.file, name, t));
  }
  if (r.status === 'unreadable')
    cases.push(markedCase(r.file, `${r.file} (reading)`, 'error', { type: 'input', message: r.error ?? '' }));
  if (cases.length === 0) cases.push(testcase(r.file, r.file, r));
  const counts = {
    tests: cases.length,
    failures,
    errors: r.status === 'unreadable' ? 1 : 0,
    skipped: r.status === 'not checked' ? 1 : 0,
  };
  const head = attrs({ name: r.file, ...counts });
  return { xml: `  <testsuite${head}>\n${cases.join('\n')}\n  </testsuite>`, ...counts };
}

/** The whole run as one JUnit XML document. */
export function junitXml(reports: readonly FileReport[]): string {
  const suites = reports.map(testsuite);
  const sum = (key: Exclude<keyof Suite, 'xml'>) => suites.reduce((n, s) => n + s[key], 0);
  const head = attrs({
    name: 'trackshark check',
    tests: sum('tests'),
    failures: sum('failures'),
    errors: sum('errors'),
    skipped: sum('skipped'),
  });
  const body = suites.map((s) => s.xml).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${head}>\n${body}\n</testsuites>\n`;
}
