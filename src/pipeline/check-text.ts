// The human report of `check`: per input a verdict line, the findings by rule, and the first offending
// frames with expected versus actual values and byte offsets; then one line for the whole run.
import { plural, type Finding } from './check-findings.js';
import type { FileReport, TallyReport } from './check-tally.js';

const INDENT = '    ';

/** Frames, valid, invalid and failing records outside frames: of one input, or of the whole run. */
function counts(t: Pick<TallyReport, 'frames' | 'valid' | 'invalid' | 'otherFailures'>): string {
  const parts = [`${plural(t.frames, 'frame')}`, `${t.valid} valid`, `${t.invalid} invalid`];
  if (t.otherFailures > 0) parts.push(plural(t.otherFailures, 'finding') + ' outside frames');
  return parts.join(', ');
}

/** A value as written in a report line: numbers as they are, text with control characters escaped. */
function showValue(v: string | number | undefined): string {
  if (v === undefined) return '?';
  if (typeof v === 'number') return String(v);
  if (v === '') return '(empty)';
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Where a finding is: record number, line or packet, file byte offset, conversation, frame and byte in it. */
function findingPlace(f: Finding): string {
  const s = f.source;
  const where = [
    ...(s.line !== undefined ? [`line ${s.line}`] : []),
    ...(s.packet !== undefined ? [`packet ${s.packet}`] : []),
    `byte ${s.offset}`,
    ...(f.conversation !== undefined ? [f.conversation] : []),
  ];
  const frame =
    f.protocol !== undefined
      ? `: ${f.protocol} ${f.frameType ?? 'frame'}${f.frameOffset !== undefined ? ` byte ${f.frameOffset}` : ''}`
      : '';
  return `#${f.record} (${where.join(', ')})${frame}`;
}

/** One finding on one line: place, rule, expected versus actual (or the message when it has neither). */
export function findingLine(f: Finding): string {
  const values =
    f.expected !== undefined || f.actual !== undefined
      ? `expected ${showValue(f.expected)}, actual ${showValue(f.actual)}`
      : f.message;
  // Outside frames the message says what the bytes are (undecoded, missing, retransmitted).
  const what = f.protocol === undefined && values !== f.message ? `${f.message}: ` : '';
  return `${findingPlace(f)}: ${f.rule}: ${what}${values}`;
}

function ruleLines(t: TallyReport): string[] {
  const width = Math.max(...t.rules.map((r) => String(r.count).length));
  return t.rules.map((r) => {
    const label = r.verdict === 'fail' ? r.severity : r.verdict === 'tolerated' ? 'allowed' : 'note';
    return `${INDENT}${String(r.count).padStart(width)}  ${r.rule} (${label})`;
  });
}

/** The report of one input. */
export function fileReportText(r: FileReport): string {
  if (r.status === 'not checked') return `SKIP ${r.file}: not checked (--max-errors reached)\n`;
  const verdict = r.status === 'valid' ? 'PASS' : r.status === 'invalid' ? 'FAIL' : 'ERROR';
  const lines = [`${verdict} ${r.file}: ${counts(r)}`];
  if (r.error !== undefined) lines.push(`${INDENT}cannot be read: ${r.error}`);
  lines.push(...ruleLines(r));
  if (r.findings.length > 0) {
    lines.push(`${INDENT}first ${r.findings.length === r.failed ? 'and only ' : ''}findings:`);
    for (const f of r.findings) lines.push(`${INDENT}${INDENT}${findingLine(f)}`);
    if (r.failed > r.findings.length) lines.push(`${INDENT}${INDENT}… ${r.failed - r.findings.length} more`);
  }
  if (r.stopped) lines.push(`${INDENT}stopped here: --max-errors reached`);
  return `${lines.join('\n')}\n`;
}

export interface RunTotals {
  readonly files: number;
  readonly frames: number;
  readonly valid: number;
  readonly invalid: number;
  readonly otherFailures: number;
  readonly failedFiles: number;
  readonly unreadable: number;
  readonly notChecked: number;
}

export function totals(reports: readonly FileReport[]): RunTotals {
  const sum = (f: (r: FileReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  return {
    files: reports.length,
    frames: sum((r) => r.frames),
    valid: sum((r) => r.valid),
    invalid: sum((r) => r.invalid),
    otherFailures: sum((r) => r.otherFailures),
    failedFiles: sum((r) => (r.status === 'invalid' ? 1 : 0)),
    unreadable: sum((r) => (r.status === 'unreadable' ? 1 : 0)),
    notChecked: sum((r) => (r.status === 'not checked' ? 1 : 0)),
  };
}

/** The last line: the whole run. */
export function totalsText(t: RunTotals): string {
  const problems = [
    ...(t.failedFiles > 0 ? [`${t.failedFiles} failed`] : []),
    ...(t.unreadable > 0 ? [`${t.unreadable} unreadable`] : []),
    ...(t.notChecked > 0 ? [`${t.notChecked} not checked`] : []),
  ];
  const verdict = t.failedFiles + t.unreadable > 0 ? 'FAIL' : 'PASS';
  return `${verdict}: checked ${plural(t.files, 'input')}${problems.length ? ` (${problems.join(', ')})` : ''}: ${counts(t)}\n`;
}
