// Wialon WLN files: one `REG;...` message per line.
import { decodeStream, fromLatin1 } from '../decode/index.js';
import { wln as wlnProtocol } from '../protocols/index.js';
import type { PipelineContext } from './decode-input.js';
import { streamRecordToTimeline } from './decode-input.js';
import { eachLine } from './lines.js';
import type { TimelineRecord } from './records.js';

export async function* decodeWlnLines(
  chunks: AsyncIterable<Uint8Array>,
  ctx: PipelineContext,
): AsyncGenerator<TimelineRecord> {
  const wln = ctx.forced ?? wlnProtocol;
  for await (const line of eachLine(chunks)) {
    if (line.text.trim() === '') continue;
    const source = { file: ctx.file, offset: line.offset, line: line.lineNumber };
    const bytes = fromLatin1(line.text);
    for (const r of decodeStream(wln, bytes, { fields: ctx.fields }))
      yield* streamRecordToTimeline(r, source, undefined);
  }
}
