// The replay engine: the script's conversations times the devices (and loops) as sessions, started on
// one shared clock with bounded concurrency and a bounded duration; live counters for the TUI and a
// summary at the end.
import { setMaxListeners } from 'node:events';
import { ReplayClock } from './clock.js';
import type { ReplayEvent, SessionInfo } from './events.js';
import { derivedId, deviceIdOf, IdentityError, rewriteIdentity } from './identity.js';
import type { Target, TlsOptions } from './link.js';
import { RecordingFile } from './recorder.js';
import { lineEndOf, type ReplayScript, type ScriptConversation, type ScriptStep } from './script.js';
import { ReplaySession, type SessionResult } from './session.js';
import { LatenessHistogram } from './stats.js';

export interface EngineOptions {
  readonly target: Target;
  readonly tls?: TlsOptions;
  /** Script speed factor; Infinity for top speed. */
  readonly speed: number;
  readonly step: boolean;
  /** How many times the whole script plays (one after the other). */
  readonly loops: number;
  readonly loopDelayMs: number;
  /** Sessions per conversation, each with its own device id. */
  readonly devices: number;
  /** Device id for device 0 (the rest count up from it); default: the capture's own. */
  readonly imei?: string;
  /** Seconds over which the devices' starts are spread. */
  readonly rampUp: number;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly replyTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly record?: string;
}

export interface Counters {
  sessions: number;
  open: number;
  done: number;
  sent: number;
  received: number;
  match: number;
  different: number;
  missing: number;
  unexpected: number;
  errors: number;
}

export interface ReplaySummary {
  readonly input: string;
  readonly target: string;
  readonly speed: number | 'top';
  readonly devices: number;
  readonly loops: number;
  readonly elapsedMs: number;
  readonly stopped?: string;
  readonly counters: Counters;
  readonly framesPerSecond: number;
  readonly lateness: {
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly unit: 'ms';
  };
  readonly recording?: { readonly file: string; readonly packets: number };
  readonly sessions: readonly SessionResult[];
}

/** The conversation's steps as device `device` plays them: its id written into every frame. */
function stepsFor(
  conversation: ScriptConversation,
  id: string | undefined,
): { steps: ScriptStep[]; problem?: string } {
  if (id === undefined) return { steps: [...conversation.steps] };
  let problem: string | undefined;
  const steps = conversation.steps.map((s) => {
    if (!s.frame || deviceIdOf(s.frame) === undefined || deviceIdOf(s.frame) === id) return s;
    try {
      const r = rewriteIdentity(s.frame, lineEndOf(s), id);
      return { ...s, bytes: r.bytes, frame: r.frame };
    } catch (e) {
      if (!(e instanceof IdentityError)) throw e;
      problem ??= e.message;
      return s;
    }
  });
  return { steps, ...(problem ? { problem } : {}) };
}

/** The device id the conversation was captured with. */
function capturedId(conversation: ScriptConversation): string | undefined {
  return conversation.steps.map((s) => deviceIdOf(s.frame)).find((x) => x !== undefined);
}

/** Device id of device `index` in a conversation, or undefined when ids stay as captured. */
function deviceId(conversation: ScriptConversation, index: number, opts: EngineOptions): string | undefined {
  const base = opts.imei ?? capturedId(conversation);
  if (base === undefined) return undefined;
  return opts.imei === undefined && opts.devices === 1 ? undefined : derivedId(base, index);
}

export class ReplayEngine {
  readonly clock: ReplayClock;
  readonly counters: Counters = {
    sessions: 0,
    open: 0,
    done: 0,
    sent: 0,
    received: 0,
    match: 0,
    different: 0,
    missing: 0,
    unexpected: 0,
    errors: 0,
  };
  private readonly listeners = new Set<(e: ReplayEvent) => void>();
  private readonly lateness = new LatenessHistogram();
  private readonly abort = new AbortController();
  private readonly started = performance.now();
  private stopReason: string | undefined;

  constructor(
    private readonly script: ReplayScript,
    private readonly opts: EngineOptions,
  ) {
    this.clock = new ReplayClock(opts.speed, opts.step);
    // Every open session listens for the stop while it waits; Node warns of a leak past 10.
    setMaxListeners(opts.concurrency + 10, this.abort.signal);
  }

  on(listener: (e: ReplayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop now: sessions close, unanswered replies count as missing. */
  stop(reason = 'stopped'): void {
    this.stopReason ??= reason;
    this.abort.abort();
    this.clock.releaseAll();
  }

  elapsed(): number {
    return performance.now() - this.started;
  }

  private emit(e: ReplayEvent): void {
    const c = this.counters;
    if (e.type === 'open') c.open++;
    else if (e.type === 'close') c.open--;
    else if (e.type === 'sent') c.sent++;
    else if (e.type === 'received') {
      c.received++;
      c[e.status ?? 'unexpected']++;
    } else if (e.type === 'missing') c.missing++;
    else if (e.type === 'error') c.errors++;
    for (const l of this.listeners) l(e);
  }

  async run(): Promise<ReplaySummary> {
    const recording = this.opts.record
      ? new RecordingFile(this.opts.record, `trackshark replay of ${this.script.file}`)
      : undefined;
    const timer = setTimeout(
      () => this.stop(`duration limit ${this.opts.durationMs} ms`),
      this.opts.durationMs,
    );
    const results: SessionResult[] = [];
    try {
      for (let loop = 0; loop < this.opts.loops && !this.abort.signal.aborted; loop++) {
        if (loop > 0) await new Promise((r) => setTimeout(r, this.opts.loopDelayMs));
        this.clock.restart();
        results.push(...(await this.runLoop(loop, recording)));
      }
    } finally {
      clearTimeout(timer);
      recording?.close();
    }
    const elapsedMs = this.elapsed();
    const c = this.counters;
    return {
      input: this.script.file,
      target: `${this.opts.target.host}:${this.opts.target.port}`,
      speed: Number.isFinite(this.opts.speed) ? this.opts.speed : 'top',
      devices: this.opts.devices,
      loops: this.opts.loops,
      elapsedMs: Math.round(elapsedMs),
      ...(this.stopReason ? { stopped: this.stopReason } : {}),
      counters: { ...c },
      framesPerSecond: Math.round(((c.sent + c.received) / Math.max(elapsedMs, 1)) * 1000),
      lateness: {
        p50: this.lateness.quantile(0.5),
        p99: this.lateness.quantile(0.99),
        max: Math.round(this.lateness.max * 100) / 100,
        unit: 'ms',
      },
      ...(recording ? { recording: { file: recording.path, packets: recording.packets } } : {}),
      sessions: results,
    };
  }

  private sessionsOf(loop: number, recording: RecordingFile | undefined): (() => ReplaySession)[] {
    const { devices, rampUp } = this.opts;
    const out: (() => ReplaySession)[] = [];
    for (let device = 0; device < devices; device++) {
      const startOffset = devices > 1 ? (rampUp * device) / devices : 0;
      for (const conversation of this.script.conversations) {
        if (!conversation.steps.some((s) => s.direction === 'uplink')) continue;
        out.push(() => {
          const id = deviceId(conversation, device, this.opts);
          const { steps, problem } = stepsFor(conversation, id);
          const info: SessionInfo = {
            id: `S${++this.counters.sessions}`,
            conversation: conversation.id,
            transport: conversation.transport,
            device,
            deviceId: id ?? capturedId(conversation),
            loop,
          };
          if (problem)
            this.emit({
              type: 'error',
              at: this.elapsed(),
              session: info.id,
              message: `device id not rewritten: ${problem}`,
            });
          return new ReplaySession(info, conversation, steps, startOffset, {
            clock: this.clock,
            target: this.opts.target,
            ...(this.opts.tls ? { tls: this.opts.tls } : {}),
            replyTimeoutMs: this.opts.replyTimeoutMs,
            connectTimeoutMs: this.opts.connectTimeoutMs,
            ...(recording ? { recording } : {}),
            elapsed: () => this.elapsed(),
            emit: (e) => this.emit(e),
            onLateness: (ms) => this.lateness.add(ms),
            signal: this.abort.signal,
          });
        });
      }
    }
    return out;
  }

  /** Every session of one loop, at most `concurrency` at a time. */
  private async runLoop(loop: number, recording: RecordingFile | undefined): Promise<SessionResult[]> {
    const queue = this.sessionsOf(loop, recording);
    const results: SessionResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < queue.length && !this.abort.signal.aborted) {
        const session = queue[next++]!();
        results.push(await session.run());
        this.counters.done++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, queue.length) }, worker));
    return results;
  }
}

/** Exit status: 1 when a reply was missing or different, a session failed, or the run was cut short. */
export function exitStatus(summary: ReplaySummary): number {
  const c = summary.counters;
  return c.missing > 0 || c.different > 0 || c.errors > 0 || summary.stopped !== undefined ? 1 : 0;
}
