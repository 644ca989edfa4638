// The fuzzing loops: in-process (as fast as the decoders go) and against a live server (bounded
// connections, a measured baseline, canary checks), each collecting findings deduplicated by
// oracle signature and minimised before they are reported.
import { segmentsOf } from './delivery.js';
import type { DerivedMode, FuzzCase, FuzzEngine } from './engine.js';
import { decodeCase } from './in-process.js';
import { exchange, type Exchange, type LiveTarget, type Outcome, type Timing } from './live.js';
import { minimise, type Candidate } from './minimise.js';
import { liveSignature, logSignature, type LogWatcher } from './oracles.js';
import type { Seed } from './seeds.js';

export interface Progress {
  readonly cases: number;
  readonly findings: number;
  readonly elapsedMs: number;
}

export interface RunLimits {
  /** First case index (default 0). */
  readonly start?: number;
  readonly cases: number;
  /** Stop after this long even if cases remain. */
  readonly durationMs?: number;
  readonly onProgress?: (p: Progress) => void;
}

/** A finding before it becomes a file. */
export interface RawFinding {
  readonly signature: string;
  readonly detail: string;
  readonly fuzzCase: FuzzCase;
  readonly best: Candidate;
  readonly minimised?: { readonly tries: number; readonly steps: number };
  readonly outcome?: Outcome;
}

export interface RunResult {
  readonly cases: number;
  readonly elapsedMs: number;
  readonly findings: readonly RawFinding[];
  /** Cases per signature, the first included. */
  readonly hits: ReadonlyMap<string, number>;
  readonly stopped?: string;
}

const PROGRESS_EVERY_MS = 250;

const candidateOf = (c: FuzzCase, prefix: readonly Uint8Array[] = []): Candidate => ({
  prefix,
  seed: c.seed,
  mutations: c.mutations,
  derived: c.derived,
  delivery: c.delivery,
});

/** The case a candidate stands for, for the in-process oracle. */
const caseOf = (base: FuzzCase, c: Candidate): FuzzCase => ({
  ...base,
  mutations: c.mutations,
  derived: c.derived,
  frame: c.delivery.frames[c.delivery.target]!,
  delivery: c.delivery,
});

export async function runInProcess(engine: FuzzEngine, limits: RunLimits): Promise<RunResult> {
  const started = Date.now();
  const start = limits.start ?? 0;
  const hits = new Map<string, number>();
  const findings: RawFinding[] = [];
  let done = 0;
  let lastReport = started;
  for (let i = start; i < start + limits.cases; i++) {
    const c = engine.case(i);
    const verdict = decodeCase(c);
    done++;
    if (verdict) {
      hits.set(verdict.signature, (hits.get(verdict.signature) ?? 0) + 1);
      if (hits.get(verdict.signature) === 1) {
        const m = await minimise(
          engine,
          candidateOf(c),
          async (cand) => decodeCase(caseOf(c, cand))?.signature === verdict.signature,
          { tries: 2000, ms: 10_000 },
        );
        findings.push({
          ...verdict,
          fuzzCase: c,
          best: m.best,
          minimised: { tries: m.tries, steps: m.steps.length },
        });
      }
    }
    if ((done & 255) === 0) {
      const now = Date.now();
      if (limits.durationMs !== undefined && now - started >= limits.durationMs) break;
      if (now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        limits.onProgress?.({ cases: done, findings: findings.length, elapsedMs: now - started });
        // Let a terminal redraw and signals through.
        await new Promise((r) => setImmediate(r));
      }
    }
  }
  return { cases: done, elapsedMs: Date.now() - started, findings, hits };
}

export interface Session {
  /** Frames sent first on every connection, each awaiting its reply (a login). */
  readonly prefix: readonly Uint8Array[];
  /** A frame a healthy server answers, sent after each case; also the canary. */
  readonly probe?: Uint8Array;
}

export interface Baseline {
  readonly timing: Timing;
  readonly rttsMs: readonly number[];
  /** Seeds the server took without closing (the others are reported, not fuzzed). */
  readonly seeds: readonly Seed[];
  readonly rejected: readonly { readonly seed: Seed; readonly outcome: Outcome }[];
  readonly probe?: Uint8Array;
}

const percentile = (xs: readonly number[], p: number) =>
  xs.length === 0 ? 0 : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

/**
 * The server's normal behaviour: every seed (up to `max`) sent unmutated, then the probe. The
 * timeouts follow from the round trips measured (20x the 95th percentile, 50 ms to 2 s).
 */
export async function measureBaseline(
  target: LiveTarget,
  session: Session,
  seeds: readonly Seed[],
  opts: { readonly max?: number; readonly timeoutMs?: number } = {},
): Promise<Baseline> {
  const probing: Timing = { settleMs: 20, timeoutMs: opts.timeoutMs ?? 1000 };
  let probe = session.probe;
  const rtts: number[] = [];
  const kept: Seed[] = [];
  const rejected: { seed: Seed; outcome: Outcome }[] = [];
  const sample = seeds.slice(0, opts.max ?? 24);
  for (const seed of sample) {
    const ex: Exchange = { prefix: session.prefix, segments: [seed.bytes], ...(probe ? { probe } : {}) };
    const o = await exchange(target, ex, probing);
    if (o.kind === 'refused' || (o.kind === 'error' && o.phase === 'connect'))
      throw new Error(`cannot connect to ${target.host}:${target.port}: ${o.message ?? o.kind}`);
    if (o.kind === 'closed' || o.kind === 'reset') {
      rejected.push({ seed, outcome: o });
      continue;
    }
    kept.push(seed);
    if (o.kind === 'answered') rtts.push(o.ms);
    // Without a session probe, the first seed the server answers becomes the probe.
    if (!probe && o.kind === 'answered' && o.replies.length > 0) probe = seed.bytes;
  }
  const p95 = percentile(rtts, 0.95);
  const timing: Timing = {
    timeoutMs: opts.timeoutMs ?? Math.min(2000, Math.max(50, Math.ceil(20 * p95))),
    settleMs: Math.min(200, Math.max(5, Math.ceil(2 * p95))),
  };
  return {
    timing,
    rttsMs: rtts,
    seeds: [...kept, ...seeds.slice(sample.length)],
    rejected,
    ...(probe ? { probe } : {}),
  };
}

export interface LiveOptions extends RunLimits {
  readonly target: LiveTarget;
  readonly session: Session;
  readonly timing: Timing;
  /** Connections at once (1 when a log is watched, so its lines can be blamed on one case). */
  readonly concurrency: number;
  readonly log?: LogWatcher;
  readonly minimise?: boolean;
  /** Check with a canary every this many cases (default 50) and after every suspicious one. */
  readonly canaryEvery?: number;
}

const exchangeOf = (c: Candidate, probe: Uint8Array | undefined): Exchange => ({
  prefix: c.prefix,
  segments: segmentsOf(c.delivery),
  ...(probe ? { probe } : {}),
});

/** Fuzz a live server. */
export async function runLive(engine: FuzzEngine, opts: LiveOptions): Promise<RunResult> {
  const started = Date.now();
  const start = opts.start ?? 0;
  const hits = new Map<string, number>();
  const findings: RawFinding[] = [];
  const probe = opts.session.probe;
  let next = start;
  let done = 0;
  let stopped: string | undefined;
  let lastReport = started;

  /** The server still answers a known-good exchange on a fresh connection (one retry, see below). */
  const canaryAlive = async (): Promise<boolean> => {
    const frame = probe ?? engine.seeds[0]!.bytes;
    const once = async () => {
      const o = await exchange(
        opts.target,
        { prefix: opts.session.prefix, segments: [], probe: frame },
        opts.timing,
      );
      return probe ? o.kind === 'answered' : o.kind !== 'refused' && o.phase !== 'connect';
    };
    return (await once()) || once();
  };

  const signatureOf = async (c: Candidate): Promise<{ sig?: string; outcome: Outcome; detail: string }> => {
    const ex = exchangeOf(c, probe);
    const outcome = await exchange(opts.target, ex, opts.timing);
    let sig = liveSignature(outcome, c.derived, probe !== undefined);
    // The baseline timeout can be tens of ms on loopback, where a busy machine alone may miss it: a
    // missing reply counts only when the same exchange misses it again (also while minimising).
    if (sig === 'timeout') {
      const again = await exchange(opts.target, ex, opts.timing);
      if (liveSignature(again, c.derived, true) !== 'timeout') sig = undefined;
    }
    let detail = `${outcome.kind} in the ${outcome.phase} phase after ${outcome.ms} ms`;
    const logLines = opts.log?.newErrors() ?? [];
    if (!sig && logLines.length > 0) {
      sig = logSignature(logLines[0]!);
      detail = logLines[0]!;
    } else if (logLines.length > 0) detail += `; log: ${logLines[0]}`;
    return { ...(sig ? { sig } : {}), outcome, detail };
  };

  const report = async (c: FuzzCase, sig: string, detail: string, outcome: Outcome) => {
    let best = candidateOf(c, opts.session.prefix);
    let minimised: RawFinding['minimised'];
    let last = outcome;
    if (opts.minimise !== false) {
      const m = await minimise(engine, best, async (cand) => {
        const r = await signatureOf(cand);
        if (r.sig === sig) last = r.outcome;
        return r.sig === sig;
      });
      best = m.best;
      minimised = { tries: m.tries, steps: m.steps.length };
    }
    findings.push({
      signature: sig,
      detail,
      fuzzCase: c,
      best,
      ...(minimised ? { minimised } : {}),
      outcome: last,
    });
  };

  const worker = async () => {
    while (!stopped && next < start + opts.cases) {
      if (opts.durationMs !== undefined && Date.now() - started >= opts.durationMs) break;
      const c = engine.case(next++);
      const r = await signatureOf(candidateOf(c, opts.session.prefix));
      done++;
      let sig = r.sig;
      let detail = r.detail;
      if (sig === 'refused' || (r.outcome.kind === 'error' && r.outcome.phase === 'connect')) {
        stopped = `the target stopped accepting connections at case ${c.index}`;
        sig = 'refused';
      } else if (sig || done % (opts.canaryEvery ?? 50) === 0) {
        if (!(await canaryAlive())) {
          sig = 'canary';
          detail = `after case ${c.index} (${r.detail}), a known-good frame on a fresh connection got no answer`;
          stopped = `the canary went unanswered after case ${c.index}`;
        }
      }
      if (sig) {
        hits.set(sig, (hits.get(sig) ?? 0) + 1);
        // The server is gone: minimising against it would only time out.
        if (hits.get(sig) === 1) {
          if (stopped)
            findings.push({
              signature: sig,
              detail,
              fuzzCase: c,
              best: candidateOf(c, opts.session.prefix),
              outcome: r.outcome,
            });
          else await report(c, sig, detail, r.outcome);
        }
      }
      const now = Date.now();
      if (now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        opts.onProgress?.({ cases: done, findings: findings.length, elapsedMs: now - started });
      }
    }
  };
  const n = opts.log ? 1 : Math.max(1, Math.min(16, opts.concurrency));
  await Promise.all(Array.from({ length: n }, worker));
  return { cases: done, elapsedMs: Date.now() - started, findings, hits, ...(stopped ? { stopped } : {}) };
}

/** Resend a finding's exact bytes `times` times; how often its signature came back. */
export async function verifyLive(
  target: LiveTarget,
  ex: Exchange,
  timing: Timing,
  signature: string,
  derived: DerivedMode,
  times: number,
  log?: LogWatcher,
): Promise<{ reproduced: number; outcomes: Outcome[] }> {
  const outcomes: Outcome[] = [];
  let reproduced = 0;
  for (let i = 0; i < times; i++) {
    const o = await exchange(target, ex, timing);
    outcomes.push(o);
    const lines = log?.newErrors() ?? [];
    const sig =
      liveSignature(o, derived, ex.probe !== undefined) ?? (lines[0] ? logSignature(lines[0]) : undefined);
    if (sig === signature) reproduced++;
  }
  return { reproduced, outcomes };
}
