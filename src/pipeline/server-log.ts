// Tracking-server logs: every packet line is one message of a session (T/U + id) in one direction; a
// session's lines are joined per direction and decoded with the protocol the log names (or by content).
import { parseServerLogLine } from '../capture/index.js';
import type { Protocol } from '../schema/index.js';
import { CarriedStreams } from './carried-streams.js';
import type { PipelineContext } from './decode-input.js';
import { eachLine, lineBytes } from './lines.js';
import type { TimelineRecord } from './records.js';

/** Protocol names tracking servers log, to ours. */
const LOGGED_NAMES: Readonly<Record<string, string>> = {
  meiligao: 'meiligao',
  h02: 'h02',
  mictrack: 'mt700',
  mt700: 'mt700',
  wialon: 'wln',
  wln: 'wln',
};

export async function* decodeServerLog(
  chunks: AsyncIterable<Uint8Array>,
  ctx: PipelineContext,
): AsyncGenerator<TimelineRecord> {
  const carried = new CarriedStreams(ctx.protocols, ctx.fields);
  const byName = (logged: string): Protocol | undefined => {
    const ours = LOGGED_NAMES[logged.toLowerCase()];
    return ctx.forced ?? ctx.protocols.find((p) => p.name === ours);
  };
  for await (const line of eachLine(chunks)) {
    if (line.text.trim() === '') continue;
    const source = { file: ctx.file, offset: line.offset, line: line.lineNumber };
    const parsed = parseServerLogLine(line.text);
    if (!parsed) {
      yield { kind: 'skipped', source, bytes: lineBytes(line.text), reason: 'log line without a packet' };
      continue;
    }
    yield* carried.push(
      parsed.session,
      parsed.direction,
      parsed.payload,
      source,
      parsed.timestamp,
      byName(parsed.protocol),
    );
  }
  yield* carried.end();
}
