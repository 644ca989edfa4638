// What counts as a finding against a live server, as a signature that deduplicates findings and that
// minimisation must keep: the connection closed or reset by the case, a probe that healthy servers
// answer going unanswered, a canary on a fresh connection going unanswered, error lines in its log.
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import type { DerivedMode } from './engine.js';
import type { Outcome } from './live.js';

/** The signature of an exchange's outcome, or undefined when the server behaved. */
export function liveSignature(outcome: Outcome, derived: DerivedMode, hasProbe: boolean): string | undefined {
  // A server may well hang up on a frame whose checksum is wrong; that is told apart, not hidden.
  const bad = derived.mode === 'broken' ? ' after a bad length/checksum' : '';
  switch (outcome.kind) {
    case 'closed':
    case 'reset':
      return outcome.phase === 'case' || outcome.phase === 'probe' ? `${outcome.kind}${bad}` : undefined;
    case 'refused':
      return 'refused';
    case 'silent':
      // Consistent frame, then a frame the server answers: no answer means the case wedged it.
      return hasProbe && outcome.phase === 'probe' && derived.mode === 'fixed' ? 'timeout' : undefined;
    default:
      return undefined;
  }
}

/** Lines appended to a server's log since the last look that match the error pattern. */
export class LogWatcher {
  private offset: number;
  private partial = '';

  constructor(
    readonly path: string,
    private readonly pattern: RegExp,
  ) {
    this.offset = statSync(path).size;
  }

  newErrors(): string[] {
    const size = statSync(this.path).size;
    if (size < this.offset) this.offset = 0; // rotated or truncated
    if (size === this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const lines = (this.partial + buf.toString('latin1')).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    return lines.filter((l) => this.pattern.test(l));
  }
}

/** A log line's signature: its words, without the numbers, ids and addresses that vary per case. */
export function logSignature(line: string): string {
  const words = line
    .replace(/^\S+[ T]\S+\s+/, '')
    .replace(/\b[0-9A-Fa-f]{6,}\b/g, '#')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return `log: ${words.slice(0, 120)}`;
}

const DEFAULT_LOG_PATTERN = /\b(ERROR|WARN|FATAL|SEVERE|Exception|Traceback|panic)\b/;

/** A watcher of `--server-log` from now on, for `--log-pattern` (default DEFAULT_LOG_PATTERN). */
export function serverLogWatcher(o: {
  readonly serverLog?: string | undefined;
  readonly logPattern?: string | undefined;
}): LogWatcher | undefined {
  return o.serverLog
    ? new LogWatcher(o.serverLog, o.logPattern ? new RegExp(o.logPattern) : DEFAULT_LOG_PATTERN)
    : undefined;
}
