// A progress line for long checks on a terminal: one line on stderr, rewritten in place a few times a
// second and erased before the report is written. Never on a pipe or file (CI logs stay clean).
import type { Writable } from 'node:stream';

/** A terminal stream (what `process.stderr` is on a TTY). */
export type MaybeTty = Writable & { readonly isTTY?: boolean; readonly columns?: number };

export interface ProgressState {
  readonly file: string;
  /** 1-based number of the input and how many there are. */
  readonly index: number;
  readonly of: number;
  readonly frames: number;
  readonly invalid: number;
  /** Bytes of the input read so far, and its size when known. */
  readonly bytes: number;
  readonly size: number | undefined;
}

const INTERVAL_MS = 200;
/** Short runs finish before a line would help. */
const DELAY_MS = 500;

export class Progress {
  private shown = false;
  private last: number;

  constructor(
    private readonly stream: MaybeTty,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now() + DELAY_MS - INTERVAL_MS;
  }

  /** Whether progress goes to this stream at all. */
  static wanted(stream: MaybeTty, quiet: boolean): boolean {
    return !quiet && stream.isTTY === true;
  }

  update(s: ProgressState): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.last < INTERVAL_MS) return;
    this.last = t;
    const share =
      s.size !== undefined && s.size > 0 ? ` ${Math.min(100, Math.floor((s.bytes / s.size) * 100))}%` : '';
    const text = `checking ${s.index}/${s.of} ${s.file}${share}: ${s.frames.toLocaleString('en-US')} frames, ${s.invalid.toLocaleString('en-US')} invalid`;
    const width = (this.stream.columns ?? 80) - 1;
    this.stream.write(`\r\u001b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.shown = true;
  }

  /** Erases the line (before other output, and at the end). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[K');
    this.shown = false;
  }
}
