// Counters of a check, kept per input and per conversation: frames, valid and invalid ones, findings
// by rule, and only the first few offending findings, so memory does not grow with the input.
import type { Severity } from '../schema/index.js';
import type { CheckedUnit, Finding } from './check-findings.js';
import type { CheckPolicy, Verdict } from './check-policy.js';

export interface RuleCount {
  count: number;
  readonly severity: Severity;
  readonly verdict: Verdict;
}

/** A tally as plain data (what the reports print). */
export interface TallyReport {
  readonly frames: number;
  readonly valid: number;
  readonly invalid: number;
  /** Records outside frames with a failing finding (undecoded bytes, gaps, ...). */
  readonly otherFailures: number;
  /** Findings that failed, were tolerated by `--allow`, or were notes. */
  readonly failed: number;
  readonly tolerated: number;
  readonly notes: number;
  /** Rule id to count, severity and verdict: failing rules first, then tolerated ones, then notes; most frequent first. */
  readonly rules: readonly (RuleCount & { readonly rule: string })[];
  /** The first failing findings, in input order. */
  readonly findings: readonly Finding[];
}

const VERDICT_ORDER: Record<Verdict, number> = { fail: 0, tolerated: 1, note: 2 };

export class Tally {
  private frames = 0;
  private invalid = 0;
  private otherFailures = 0;
  private failed = 0;
  private tolerated = 0;
  private notes = 0;
  private readonly rules = new Map<string, RuleCount>();
  private readonly shown: Finding[] = [];

  /** `show`: how many failing findings to keep. */
  constructor(private readonly show: number) {}

  /** Counts a unit whose findings were judged. */
  add(unit: CheckedUnit, verdicts: readonly Verdict[]): void {
    let fails = false;
    unit.findings.forEach((f, i) => {
      const verdict = verdicts[i]!;
      const rule = this.rules.get(f.rule);
      if (rule) rule.count++;
      else this.rules.set(f.rule, { count: 1, severity: f.severity, verdict });
      if (verdict === 'fail') {
        fails = true;
        this.failed++;
        if (this.shown.length < this.show) this.shown.push(f);
      } else if (verdict === 'tolerated') this.tolerated++;
      else this.notes++;
    });
    if (unit.frame) {
      this.frames++;
      if (fails) this.invalid++;
    } else if (fails) this.otherFailures++;
  }

  get failing(): boolean {
    return this.failed > 0;
  }

  get frameCount(): number {
    return this.frames;
  }

  /** Units that failed: invalid frames and failing records outside frames. */
  get failures(): number {
    return this.invalid + this.otherFailures;
  }

  report(): TallyReport {
    return {
      frames: this.frames,
      valid: this.frames - this.invalid,
      invalid: this.invalid,
      otherFailures: this.otherFailures,
      failed: this.failed,
      tolerated: this.tolerated,
      notes: this.notes,
      rules: [...this.rules]
        .map(([rule, c]) => ({ rule, ...c }))
        .sort(
          (a, b) =>
            VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] ||
            b.count - a.count ||
            (a.rule < b.rule ? -1 : 1),
        ),
      findings: [...this.shown],
    };
  }
}

/** Failing findings kept per conversation (for JUnit failure texts). */
const SHOWN_PER_CONVERSATION = 3;

export type FileStatus = 'valid' | 'invalid' | 'unreadable' | 'not checked';

export interface FileReport extends TallyReport {
  readonly file: string;
  readonly status: FileStatus;
  /** Why the input could not be read (status `unreadable`). */
  readonly error?: string;
  /** The check stopped in this input (`--max-errors`). */
  readonly stopped?: boolean;
  /** Per conversation (TCP/UDP conversation, AT socket, server-log session); `null`: records outside any. */
  readonly conversations: readonly (TallyReport & { readonly conversation: string | null })[];
}

/** One input's tallies: the whole file and each conversation. */
export class FileTally {
  private readonly total: Tally;
  private readonly byConversation = new Map<string | null, Tally>();

  constructor(
    readonly file: string,
    private readonly policy: CheckPolicy,
    show: number,
  ) {
    this.total = new Tally(show);
  }

  /** Counts a unit. */
  add(unit: CheckedUnit): void {
    const verdicts = unit.findings.map((f) => this.policy.verdict(f));
    const key = unit.conversation ?? null;
    let conversation = this.byConversation.get(key);
    if (!conversation) {
      conversation = new Tally(SHOWN_PER_CONVERSATION);
      this.byConversation.set(key, conversation);
    }
    conversation.add(unit, verdicts);
    this.total.add(unit, verdicts);
  }

  get frames(): number {
    return this.total.frameCount;
  }

  /** Units that failed so far (what `--max-errors` counts). */
  get failures(): number {
    return this.total.failures;
  }

  report(outcome: { error?: string; stopped?: boolean } = {}): FileReport {
    const status: FileStatus =
      outcome.error !== undefined ? 'unreadable' : this.total.failing ? 'invalid' : 'valid';
    return {
      file: this.file,
      status,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.stopped ? { stopped: true } : {}),
      ...this.total.report(),
      conversations: [...this.byConversation].map(([conversation, t]) => ({ conversation, ...t.report() })),
    };
  }
}

/** A file the check did not reach (it stopped at `--max-errors` before). */
export function notCheckedReport(file: string): FileReport {
  return { file, status: 'not checked', ...new Tally(0).report(), conversations: [] };
}
