// `trackshark check`: every frame of every input validated, counted by rule, and reported as text,
// one JSON object or JUnit XML. Inputs stream through the same timeline as `decode` (without field
// lists), and only counters and the first offending findings are kept, so memory stays flat however
// large a capture is. Inputs are checked one after the other: each is a stream, and the report must
// follow input order and stop at `--max-errors`.
import { stat, writeFile } from 'node:fs/promises';
import { checkRecord, isNumbered } from './check-findings.js';
import { checkPolicy, type CheckPolicy } from './check-policy.js';
import { Progress, type MaybeTty } from './check-progress.js';
import { FileTally, notCheckedReport, type FileReport } from './check-tally.js';
import { fileReportText, totals, totalsText } from './check-text.js';
import { decodeInputBatches, resolveProtocol, type InputKind } from './decode-input.js';
import { expandInputs } from './input-files.js';
import { junitXml } from './junit-report.js';
import { Output } from './output.js';
import { InputError } from './records.js';
import { decodeAsProtocols, type Io } from './run-decode.js';
import type { Direction, Protocol } from '../schema/index.js';

export interface CheckRunOptions {
  readonly inputs: readonly string[];
  readonly input?: InputKind;
  readonly protocol?: string;
  readonly direction?: Direction;
  /** `port=protocol` specs (`--decode-as`). */
  readonly decodeAs?: readonly string[];
  /** One JSON object on stdout instead of the text report. */
  readonly json?: boolean;
  /** Where to write JUnit XML. */
  readonly junit?: string;
  /** Stop after this many invalid frames (or other failing records). */
  readonly maxErrors?: number;
  /** Rule ids (or `*` patterns) to tolerate. */
  readonly allow?: readonly string[];
  /** Failing findings listed per input (default 10). */
  readonly show?: number;
  /** No text report and no progress; only input errors on stderr. */
  readonly quiet?: boolean;
}

const DEFAULT_SHOWN = 10;

interface Settings {
  readonly policy: CheckPolicy;
  readonly decodeAs: Map<number, Protocol>;
  readonly show: number;
  readonly maxErrors: number;
}

function wholeNumber(name: string, v: number | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min)
    throw new InputError(`${name} ${v}`, undefined, `wants a whole number of at least ${min}`);
  return v;
}

/** Options checked and resolved; a wrong one is an argument error (exit status 2). */
function settings(opts: CheckRunOptions): Settings {
  resolveProtocol(opts.protocol);
  const decodeAs = decodeAsProtocols(opts.decodeAs);
  return {
    policy: checkPolicy(opts.allow),
    decodeAs,
    show: wholeNumber('--show', opts.show, 0) ?? DEFAULT_SHOWN,
    maxErrors: wholeNumber('--max-errors', opts.maxErrors, 1) ?? Infinity,
  };
}

async function sizeOf(file: string): Promise<number | undefined> {
  if (file === '-') return undefined;
  return (await stat(file).catch(() => undefined))?.size;
}

/** Checks one input; stops when `budget` failing units have been seen. */
async function checkFile(
  file: string,
  opts: CheckRunOptions,
  s: Settings,
  budget: number,
  progress: { readonly bar: Progress; readonly index: number; readonly of: number },
): Promise<FileReport> {
  const tally = new FileTally(file, s.policy, s.show);
  const size = await sizeOf(file);
  let index = 0;
  let stopped = false;
  let read = 0;
  try {
    for await (const batch of decodeInputBatches(file, {
      fields: false,
      decodeAs: s.decodeAs,
      ...(opts.input ? { input: opts.input } : {}),
      ...(opts.protocol ? { protocol: opts.protocol } : {}),
      ...(opts.direction ? { direction: opts.direction } : {}),
    })) {
      for (const r of batch) {
        if (isNumbered(r)) index++;
        // A conversation's records can come after later packets: the furthest offset is how far the input was read.
        if (r.source.offset > read) read = r.source.offset;
        for (const unit of checkRecord(r, String(index))) tally.add(unit);
        if (tally.failures >= budget) {
          stopped = true;
          break;
        }
      }
      progress.bar.update({
        file,
        index: progress.index,
        of: progress.of,
        frames: tally.frames,
        invalid: tally.failures,
        bytes: read,
        size,
      });
      if (stopped) break;
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return tally.report({ error: e.message });
  }
  return tally.report({ stopped });
}

async function writeJunit(path: string, xml: string, err: Output): Promise<boolean> {
  try {
    await writeFile(path, xml);
    return true;
  } catch (e) {
    await err.line(`trackshark: ${path}: cannot write the JUnit report: ${(e as Error).message}`);
    await err.flush();
    return false;
  }
}

/** Returns the exit status: 0 when every frame is valid, 1 when one is not, 2 for unreadable input or wrong arguments. */
export async function runCheck(opts: CheckRunOptions, io: Io): Promise<number> {
  const out = new Output(io.stdout);
  const err = new Output(io.stderr);
  let s: Settings;
  try {
    s = settings(opts);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    await err.line(`trackshark: ${e.message}`);
    await err.flush();
    return 2;
  }
  // An unwritable report path is found before a long run, not after it.
  if (opts.junit !== undefined && !(await writeJunit(opts.junit, '', err))) return 2;
  const files = await expandInputs(opts.inputs);
  const bar = new Progress(
    io.stderr as MaybeTty,
    Progress.wanted(io.stderr as MaybeTty, opts.quiet ?? false),
  );
  const reports: FileReport[] = [];
  let budget = s.maxErrors;
  for (const [i, file] of files.entries()) {
    let report = notCheckedReport(file);
    if (budget > 0) {
      report = await checkFile(file, opts, s, budget, { bar, index: i + 1, of: files.length });
      budget -= report.invalid + report.otherFailures;
    }
    reports.push(report);
    bar.clear();
    if (report.error !== undefined) {
      await err.line(`trackshark: ${report.error}`);
      await err.flush();
    }
    if (!opts.json && !opts.quiet) await out.text(fileReportText(report));
  }
  const sum = totals(reports);
  const status = sum.unreadable > 0 ? 2 : sum.failedFiles > 0 ? 1 : 0;
  if (!opts.json && !opts.quiet) await out.text(totalsText(sum));
  if (opts.json) await out.text(`${JSON.stringify({ status, totals: sum, files: reports })}\n`);
  await out.flush();
  if (opts.junit !== undefined && !(await writeJunit(opts.junit, junitXml(reports), err))) return 2;
  return status;
}
