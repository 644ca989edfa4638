// What a replay reports as it runs: the TUI renders these, --headless prints them as lines.
import type { DecodedFrame } from '../decode/index.js';
import type { FieldDiff, ReplyStatus } from './compare.js';
import type { Transport } from './script.js';

export interface SessionInfo {
  /** S1, S2, … in start order. */
  readonly id: string;
  readonly conversation: string;
  readonly transport: Transport;
  readonly device: number;
  readonly deviceId: string | undefined;
  readonly loop: number;
}

interface Timed {
  /** Milliseconds since the replay started. */
  readonly at: number;
  readonly session: string;
}

export interface FrameEvent extends Timed {
  readonly type: 'sent' | 'received';
  readonly bytes: Uint8Array;
  readonly frame: DecodedFrame | undefined;
  /** Sent frames: how late the send was against its schedule, in ms. */
  readonly lateMs?: number;
  /** Received frames: how the reply compares with the recorded one. */
  readonly status?: Exclude<ReplyStatus, 'missing'>;
  readonly diffs?: readonly FieldDiff[];
}

export interface MissingEvent extends Timed {
  readonly type: 'missing';
  readonly expected: { readonly bytes: Uint8Array; readonly frame: DecodedFrame | undefined };
}

export type ReplayEvent =
  | ({ readonly type: 'open'; readonly info: SessionInfo; readonly local: string } & Timed)
  | FrameEvent
  | MissingEvent
  | ({ readonly type: 'close'; readonly reason?: string } & Timed)
  | ({ readonly type: 'error'; readonly message: string } & Timed);

/** A frame's short name: protocol, type and message type when it says more. */
export function frameLabel(frame: DecodedFrame | undefined, bytes: Uint8Array): string {
  if (!frame) return `undecoded ${bytes.length} B`;
  const type = frame.normalized['message.type'];
  const name =
    typeof type === 'string' && type !== frame.frameType ? `${frame.frameType}/${type}` : frame.frameType;
  return `${frame.protocol} ${name} ${bytes.length} B`;
}

function diffText(diffs: readonly FieldDiff[] | undefined): string {
  if (!diffs || diffs.length === 0) return '';
  const cut = (v: string | undefined) =>
    v === undefined ? '(none)' : v.length > 24 ? `${v.slice(0, 21)}...` : v;
  const shown = diffs.slice(0, 3).map((d) => `${d.path} ${cut(d.expected)} -> ${cut(d.actual)}`);
  return `: ${shown.join('; ')}${diffs.length > 3 ? `; +${diffs.length - 3} more` : ''}`;
}

/** One line per event, as --headless prints them. */
export function eventLine(e: ReplayEvent): string {
  const head = `${(e.at / 1000).toFixed(3).padStart(8)} ${e.session.padEnd(5)}`;
  switch (e.type) {
    case 'open':
      return `${head} open ${e.info.transport} ${e.local} conversation ${e.info.conversation}${e.info.deviceId ? ` device ${e.info.deviceId}` : ''}`;
    case 'sent':
      return `${head} > ${frameLabel(e.frame, e.bytes)} (late ${(e.lateMs ?? 0).toFixed(2)} ms)`;
    case 'received':
      return `${head} < ${frameLabel(e.frame, e.bytes)} ${e.status}${diffText(e.diffs)}`;
    case 'missing':
      return `${head} ! missing ${frameLabel(e.expected.frame, e.expected.bytes)}`;
    case 'close':
      return `${head} close${e.reason ? ` (${e.reason})` : ''}`;
    case 'error':
      return `${head} error ${e.message}`;
  }
}
