// Tracking-server logs: every packet line is one message the server already cut out of its session
// (T = TCP, U = UDP, plus an id) in one direction, so each line is decoded as a whole, in log order,
// with the protocol the log names (or, for names we do not know, the one chosen for the session's
// first message by content).
import { parseServerLogLine } from '../capture/index.js';
import { decodeStream, detectProtocol, fromLatin1 } from '../decode/index.js';
import type { Protocol } from '../schema/index.js';
import type { PipelineContext } from './decode-input.js';
import { streamRecordToTimeline } from './decode-input.js';
import { eachLine } from './lines.js';
import type { TimelineRecord } from './records.js';

/** Protocol names tracking servers log, to ours. */
const LOGGED_NAMES: Readonly<Record<string, string>> = {
  meiligao: 'meiligao',
  h02: 'h02',
  mictrack: 'mt700',
  mt700: 'mt700',
};

export async function* decodeServerLog(
  chunks: AsyncIterable<Uint8Array>,
  ctx: PipelineContext,
): AsyncGenerator<TimelineRecord> {
  const sessions = new Map<string, Protocol | undefined>();
  for await (const line of eachLine(chunks)) {
    if (line.text.trim() === '') continue;
    const source = { file: ctx.file, offset: line.offset, line: line.lineNumber };
    const packet = parseServerLogLine(line.text);
    if (!packet) {
      yield { kind: 'skipped', source, bytes: fromLatin1(line.text), reason: 'log line without a packet' };
      continue;
    }
    let protocol = ctx.forced ?? sessions.get(packet.session);
    if (!protocol) {
      const named = LOGGED_NAMES[packet.protocol.toLowerCase()];
      protocol =
        ctx.protocols.find((p) => p.name === named) ??
        detectProtocol(ctx.protocols, packet.payload, packet.direction);
      if (protocol) sessions.set(packet.session, protocol);
    }
    const extra = { conversation: packet.session, timestamp: packet.timestamp };
    if (!protocol) {
      yield {
        kind: 'undecoded',
        source,
        ...extra,
        direction: packet.direction,
        bytes: packet.payload,
        reason: `no known protocol (logged as ${packet.protocol})`,
      };
      continue;
    }
    for (const r of decodeStream(protocol, packet.payload, {
      fields: ctx.fields,
      direction: packet.direction,
    }))
      yield* streamRecordToTimeline(r, source, packet.direction, extra);
  }
}
