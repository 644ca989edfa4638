// The replay script: an input's message timeline cut into conversations, each a list of steps the
// device sends (uplink) and the replies the server gave (downlink), timed against the input's start.
import { concat, type DecodedFrame } from '../decode/index.js';
import type { DecodeInputOptions } from '../pipeline/decode-input.js';
import { decodeInput } from '../pipeline/decode-input.js';
import type { SourcePosition, TimelineRecord } from '../pipeline/records.js';
import { protocolByName } from '../protocols/index.js';
import type { Direction, Protocol } from '../schema/index.js';

export type Transport = 'tcp' | 'udp';

export interface ScriptStep {
  readonly direction: Direction;
  /** Seconds since the input's first timestamp (after --max-gap). */
  readonly offset: number;
  /** Exactly what goes on the wire, line end included. */
  readonly bytes: Uint8Array;
  /** Undefined for bytes no protocol decoded (sent as they are, compared byte for byte). */
  readonly frame?: DecodedFrame;
  readonly source: SourcePosition;
}

export interface ScriptConversation {
  readonly id: string;
  readonly transport: Transport;
  readonly protocol: Protocol | undefined;
  readonly steps: readonly ScriptStep[];
}

export interface ReplayScript {
  readonly file: string;
  readonly conversations: readonly ScriptConversation[];
  /** Seconds from the first to the last step. */
  readonly span: number;
}

export interface ScriptOptions extends DecodeInputOptions {
  /** Longest pause kept between two consecutive steps of the input, in seconds. */
  readonly maxGap?: number;
  /** Transport for conversations whose input does not say (raw streams, hex lines, logs). */
  readonly transport?: Transport;
}

const LINE_ENDS: Readonly<Record<number, Uint8Array>> = {
  1: new Uint8Array([0x0a]),
  2: new Uint8Array([0x0d, 0x0a]),
};

interface RawStep {
  conversation: string;
  direction: Direction;
  time: number | undefined;
  bytes: Uint8Array;
  frame?: DecodedFrame;
  source: SourcePosition;
}

/** Frame bytes with the line end that followed them (inputs give a count; devices send CRLF or LF). */
export function withLineEnd(bytes: Uint8Array, trailer: number | undefined): Uint8Array {
  const end = trailer ? LINE_ENDS[trailer] : undefined;
  return end ? concat(bytes, end) : bytes;
}

/** The line end part of a step's bytes (what identity rewriting keeps). */
export function lineEndOf(step: { bytes: Uint8Array; frame?: DecodedFrame }): Uint8Array {
  return step.frame ? step.bytes.subarray(step.frame.length) : new Uint8Array(0);
}

/** What an AT log says about its sockets: UDP or TCP per `AT+MIPOPEN`, and a new session per open. */
class AtSockets {
  private readonly opens = new Map<string, number>();
  readonly transports = new Map<string, Transport>();

  observe(frame: DecodedFrame): void {
    const field = (suffix: string) => frame.fields.find((f) => f.path.endsWith(suffix))?.value;
    const socket = field('mipopen.set.socket_id');
    if (socket === undefined) return;
    const key = `socket_id=${String(socket)}`;
    const generation = (this.opens.get(key) ?? 0) + 1;
    this.opens.set(key, generation);
    this.transports.set(this.session(key), String(field('mipopen.set.protocol')) === '1' ? 'udp' : 'tcp');
  }

  session(conversation: string): string {
    const generation = this.opens.get(conversation);
    return generation === undefined || generation === 1 ? conversation : `${conversation}#${generation}`;
  }
}

function* replayable(r: TimelineRecord, sockets: AtSockets): Generator<RawStep> {
  if (r.kind !== 'frame' && r.kind !== 'undecoded') return;
  if (r.kind === 'frame' && r.frame.protocol === 'fibocom') {
    sockets.observe(r.frame);
    for (const n of r.nested ?? [])
      yield* replayable({ ...n, conversation: sockets.session(n.conversation ?? 'socket') }, sockets);
    return;
  }
  yield {
    conversation: r.conversation ?? 'stream',
    direction: r.direction ?? 'uplink',
    time: r.timestamp,
    bytes: r.kind === 'frame' ? withLineEnd(r.bytes, r.trailer) : r.bytes,
    ...(r.kind === 'frame' ? { frame: r.frame } : {}),
    source: r.source,
  };
}

function transportOf(conversation: string, sockets: AtSockets, fallback: Transport): Transport {
  const at = sockets.transports.get(conversation);
  if (at) return at;
  if (conversation.startsWith('udp:')) return 'udp';
  if (conversation.startsWith('tcp:')) return 'tcp';
  // Traccar session ids: T for TCP, U for UDP, then 8 hex digits.
  if (/^U[0-9a-f]{8}$/i.test(conversation)) return 'udp';
  if (/^T[0-9a-f]{8}$/i.test(conversation)) return 'tcp';
  return fallback;
}

/**
 * Offsets from the first timestamp, with every pause between consecutive steps cut to `maxGap`.
 * Steps without a time keep the time of the step before them.
 */
export function stepOffsets(times: readonly (number | undefined)[], maxGap = Infinity): number[] {
  const known = times.filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  const compressed = new Map<number, number>();
  let offset = 0;
  known.forEach((t, i) => {
    if (i > 0) offset += Math.min(t - known[i - 1]!, maxGap);
    if (!compressed.has(t)) compressed.set(t, offset);
  });
  let last = 0;
  return times.map((t) => {
    if (t !== undefined) last = compressed.get(t)!;
    return last;
  });
}

/** Read and decode an input into the conversations a replay plays. */
export async function loadScript(file: string, opts: ScriptOptions = {}): Promise<ReplayScript> {
  const sockets = new AtSockets();
  const raw: RawStep[] = [];
  for await (const r of decodeInput(file, opts)) for (const s of replayable(r, sockets)) raw.push(s);
  const offsets = stepOffsets(
    raw.map((s) => s.time),
    opts.maxGap,
  );
  const byConversation = new Map<string, ScriptStep[]>();
  raw.forEach((s, i) => {
    let steps = byConversation.get(s.conversation);
    if (!steps) byConversation.set(s.conversation, (steps = []));
    steps.push({
      direction: s.direction,
      offset: offsets[i]!,
      bytes: s.bytes,
      ...(s.frame ? { frame: s.frame } : {}),
      source: s.source,
    });
  });
  const conversations = [...byConversation].map(([id, steps]) => {
    const named = steps.find((s) => s.frame)?.frame?.protocol;
    return {
      id,
      transport: transportOf(id, sockets, opts.transport ?? 'tcp'),
      protocol: named === undefined ? undefined : protocolByName(named),
      steps,
    };
  });
  return { file, conversations, span: offsets.reduce((a, b) => Math.max(a, b), 0) };
}
