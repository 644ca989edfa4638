// One replayed session: a conversation of the script played by one (possibly renamed) device over
// its own socket. Device frames go out on the clock; before each one, the replies the capture had
// until then are waited for (up to a timeout). Every reply received is decoded and compared with the
// recorded reply it answers: match, different (with the fields that differ) or, when nothing came
// in time, missing.
import { AutoStreamDecoder, StreamDecoder, type StreamRecord } from '../decode/index.js';
import { PAYLOAD_PROTOCOLS } from '../protocols/index.js';
import type { ReplayClock } from './clock.js';
import { compareReply, sameKind, type Comparable, type FieldDiff, type ReplyStatus } from './compare.js';
import type { ReplayEvent, SessionInfo } from './events.js';
import { LinkAborted, openLink, type Link, type Target, type TlsOptions } from './link.js';
import type { SessionRecording, RecordingFile } from './recorder.js';
import { withLineEnd, type ScriptConversation, type ScriptStep } from './script.js';

export interface SessionContext {
  readonly clock: ReplayClock;
  readonly target: Target;
  readonly tls?: TlsOptions;
  readonly replyTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly recording?: RecordingFile;
  /** Milliseconds since the replay started. */
  readonly elapsed: () => number;
  readonly emit: (e: ReplayEvent) => void;
  /** A send went out `lateMs` after it was due. */
  readonly onLateness: (lateMs: number) => void;
  readonly signal: AbortSignal;
}

export interface ReplyOutcome {
  readonly step: number;
  readonly status: ReplyStatus;
  readonly frameType?: string;
  readonly diffs?: readonly FieldDiff[];
}

export interface SessionResult {
  readonly info: SessionInfo;
  sent: number;
  received: number;
  readonly replies: ReplyOutcome[];
  error?: string;
}

interface Expectation {
  readonly step: number;
  readonly expected: ScriptStep;
  settled: boolean;
}

export class ReplaySession {
  readonly result: SessionResult;
  private link: Link | undefined;
  private recording: SessionRecording | undefined;
  private readonly pending: Expectation[] = [];
  private decoder: StreamDecoder | AutoStreamDecoder;
  private wake: (() => void) | undefined;
  private lastActivity = 0;
  private closed = false;

  constructor(
    readonly info: SessionInfo,
    private readonly conversation: ScriptConversation,
    /** The conversation's steps with this device's identity. */
    private readonly steps: readonly ScriptStep[],
    /** Script seconds this session starts at (ramp-up). */
    private readonly startOffset: number,
    private readonly ctx: SessionContext,
  ) {
    this.result = { info, sent: 0, received: 0, replies: [] };
    this.decoder = this.newDecoder();
  }

  private newDecoder(): StreamDecoder | AutoStreamDecoder {
    const opts = { direction: 'downlink' as const };
    return this.conversation.protocol
      ? new StreamDecoder(this.conversation.protocol, opts)
      : new AutoStreamDecoder(PAYLOAD_PROTOCOLS, opts);
  }

  async run(): Promise<SessionResult> {
    const { ctx } = this;
    const firstSend = this.steps.find((s) => s.direction === 'uplink');
    const opensAt = this.startOffset + (this.steps[0]?.offset ?? 0);
    // Connect when the conversation starts (or just before the first send if the server spoke first).
    await ctx.clock.waitUntil(Math.min(opensAt, this.startOffset + (firstSend?.offset ?? opensAt)));
    if (ctx.signal.aborted) return this.result;
    try {
      this.link = await openLink(ctx.target, this.conversation.transport, this.linkEvents(), {
        timeoutMs: ctx.connectTimeoutMs,
        signal: ctx.signal,
        ...(ctx.tls ? { tls: ctx.tls } : {}),
      });
    } catch (e) {
      // Stopped while connecting: like the sessions not yet started, nothing was tried.
      if (e instanceof LinkAborted) return this.result;
      this.fail(`connect ${ctx.target.host}:${ctx.target.port}: ${(e as Error).message}`);
      this.steps.forEach((s, i) => {
        if (s.direction === 'downlink') this.missing({ step: i, expected: s, settled: false });
      });
      return this.result;
    }
    const local = `${this.link.local.address}:${this.link.local.port}`;
    this.recording = ctx.recording?.session(this.conversation.transport, {
      client: this.link.local,
      server: this.link.remote,
    });
    ctx.emit({ type: 'open', at: ctx.elapsed(), session: this.info.id, info: this.info, local });
    this.lastActivity = performance.now();
    this.steps.forEach((s, i) => {
      if (s.direction === 'downlink') this.pending.push({ step: i, expected: s, settled: false });
    });
    for (const [i, step] of this.steps.entries()) {
      if (ctx.signal.aborted || this.closed) break;
      if (step.direction === 'downlink') continue;
      await this.awaitReplies(i);
      const { scheduled } = await ctx.clock.waitUntil(this.startOffset + step.offset);
      if (ctx.signal.aborted || this.closed) break;
      this.send(i, step, scheduled);
    }
    await this.awaitReplies(Infinity);
    this.finish();
    return this.result;
  }

  private send(index: number, step: ScriptStep, scheduled: number): void {
    this.link!.send(step.bytes);
    const late = performance.now() - scheduled;
    this.lastActivity = performance.now();
    this.result.sent++;
    this.ctx.onLateness(late);
    this.recording?.data('client', step.bytes, [
      `${this.info.id} device ${this.info.deviceId ?? '-'} step ${index + 1} sent`,
    ]);
    this.ctx.emit({
      type: 'sent',
      at: this.ctx.elapsed(),
      session: this.info.id,
      bytes: step.bytes,
      frame: step.frame,
      lateMs: late,
    });
  }

  private unsettled(): Expectation[] {
    return this.pending.filter((p) => !p.settled);
  }

  /** Wait until the recorded replies before `step` came in, or the reply timeout passed since the last send. */
  private async awaitReplies(step: number): Promise<void> {
    const due = () => this.unsettled().filter((p) => p.step < step);
    while (due().length > 0 && !this.closed && !this.ctx.signal.aborted) {
      const left = this.lastActivity + this.ctx.replyTimeoutMs - performance.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.ctx.signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, left);
        this.ctx.signal.addEventListener('abort', done, { once: true });
        this.wake = done;
      });
    }
    for (const p of due()) this.missing(p);
  }

  private missing(p: Expectation): void {
    this.settle(p.step, p.expected, 'missing');
    this.ctx.emit({
      type: 'missing',
      at: this.ctx.elapsed(),
      session: this.info.id,
      expected: { bytes: p.expected.bytes, frame: p.expected.frame },
    });
  }

  private settle(
    step: number,
    expected: ScriptStep,
    status: ReplyStatus,
    diffs?: readonly FieldDiff[],
  ): void {
    const p = this.pending.find((x) => x.step === step);
    if (p) p.settled = true;
    this.result.replies.push({
      step: step + 1,
      status,
      ...(expected.frame ? { frameType: expected.frame.frameType } : {}),
      ...(diffs && diffs.length > 0 ? { diffs } : {}),
    });
  }

  private linkEvents() {
    return {
      onData: (bytes: Uint8Array, datagram: boolean) => {
        this.lastActivity = performance.now();
        const records = this.decoder.push(bytes, datagram);
        if (datagram) {
          records.push(...this.decoder.end());
          this.decoder = this.newDecoder();
        }
        const comments = this.describe(records);
        this.recording?.data('server', bytes, comments);
        this.wake?.();
      },
      onClose: (error?: Error) => {
        if (error && !this.closed) this.fail(error.message);
        this.closed = true;
        this.wake?.();
      },
    };
  }

  /** Compare received records with the recorded replies; returns the pcapng comments for them. */
  private describe(records: readonly StreamRecord[]): string[] {
    const comments: string[] = [];
    for (const r of records) {
      if (r.kind !== 'frame' && r.kind !== 'undecoded') continue;
      const actual: Comparable =
        r.kind === 'frame' ? { bytes: withLineEnd(r.bytes, r.trailer), frame: r.frame } : { bytes: r.bytes };
      const match = this.unsettled().find((p) => sameKind(p.expected, actual));
      let status: Exclude<ReplyStatus, 'missing'> = 'unexpected';
      let diffs: readonly FieldDiff[] | undefined;
      if (match) {
        const c = compareReply(match.expected, actual);
        status = c.status;
        diffs = c.diffs;
        this.settle(match.step, match.expected, status, diffs);
      }
      this.result.received++;
      comments.push(`${this.info.id} reply ${status}${match ? ` to step ${match.step + 1}` : ''}`);
      this.ctx.emit({
        type: 'received',
        at: this.ctx.elapsed(),
        session: this.info.id,
        bytes: actual.bytes,
        frame: actual.frame,
        status,
        ...(diffs ? { diffs } : {}),
      });
    }
    return comments;
  }

  private fail(message: string): void {
    this.result.error ??= message;
    this.ctx.emit({ type: 'error', at: this.ctx.elapsed(), session: this.info.id, message });
  }

  private finish(): void {
    const reason = this.ctx.signal.aborted ? 'stopped' : this.closed ? 'closed by server' : undefined;
    this.closed = true;
    this.describe(this.decoder.end());
    this.recording?.close();
    this.link?.close();
    this.ctx.emit({
      type: 'close',
      at: this.ctx.elapsed(),
      session: this.info.id,
      ...(reason ? { reason } : {}),
    });
  }
}
