// Files of hex frames, one per line: each line's bytes decoded on their own, with the protocol chosen
// by content unless one is named.
import { parseHexLine } from '../capture/index.js';
import { decodeStream, detectProtocol, fromLatin1 } from '../decode/index.js';
import type { PipelineContext } from './decode-input.js';
import { streamRecordToTimeline } from './decode-input.js';
import { eachLine } from './lines.js';
import type { TimelineRecord } from './records.js';

export async function* decodeHexLines(
  chunks: AsyncIterable<Uint8Array>,
  ctx: PipelineContext,
): AsyncGenerator<TimelineRecord> {
  for await (const line of eachLine(chunks)) {
    const source = { file: ctx.file, offset: line.offset, line: line.lineNumber };
    const parsed = parseHexLine(line.text);
    if (parsed?.kind === 'skip') continue;
    if (!parsed) {
      yield { kind: 'undecoded', source, bytes: fromLatin1(line.text), reason: 'line is not hex' };
      continue;
    }
    const protocol = ctx.forced ?? detectProtocol(ctx.protocols, parsed.bytes, ctx.direction);
    if (!protocol) {
      yield { kind: 'undecoded', source, bytes: parsed.bytes, reason: 'no known protocol' };
      continue;
    }
    for (const r of decodeStream(protocol, parsed.bytes, {
      fields: ctx.fields,
      ...(ctx.direction ? { direction: ctx.direction } : {}),
    }))
      yield* streamRecordToTimeline(r, source, ctx.direction);
  }
}
