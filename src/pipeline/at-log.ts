// AT modem logs: each line (timestamp and direction prefixes stripped) is a Fibocom AT frame; the hex
// payloads it carries are joined per socket and direction and decoded as MT700, Meiligao or H02
// frames, nested under the AT line that completed them.
import { parseAtLogLine } from '../capture/index.js';
import { decodeStream, fromLatin1 } from '../decode/index.js';
import { fibocom } from '../protocols/index.js';
import type { Direction } from '../schema/index.js';
import { CarriedStreams } from './carried-streams.js';
import type { PipelineContext } from './decode-input.js';
import { eachLine } from './lines.js';
import type { TimelineRecord } from './records.js';

export async function* decodeAtLog(
  chunks: AsyncIterable<Uint8Array>,
  ctx: PipelineContext,
): AsyncGenerator<TimelineRecord> {
  const at = fibocom;
  const carried = new CarriedStreams(
    ctx.forced && ctx.forced !== fibocom ? [ctx.forced] : ctx.protocols,
    ctx.fields,
  );
  for await (const line of eachLine(chunks)) {
    if (line.text.trim() === '') continue;
    const source = { file: ctx.file, offset: line.offset, line: line.lineNumber };
    const parsed = parseAtLogLine(line.text);
    const body = fromLatin1(parsed.body);
    const direction: Direction | undefined =
      parsed.direction === 'tx' ? 'uplink' : parsed.direction === 'rx' ? 'downlink' : undefined;
    // Only stamps with a date are wall-clock times; time-of-day and relative stamps stay in the text.
    const timestamp = parsed.timestampKind === 'unix' ? parsed.timestamp : undefined;
    const extra = { ...(timestamp !== undefined ? { timestamp } : {}) };
    for (const r of decodeStream(at, body, { fields: ctx.fields, ...(direction ? { direction } : {}) })) {
      if (r.kind === 'separator') continue;
      if (r.kind === 'undecoded') {
        yield {
          kind: 'undecoded',
          source,
          ...extra,
          ...(direction ? { direction } : {}),
          bytes: r.bytes,
          reason: 'not an AT line',
        };
        continue;
      }
      const frameDirection = r.frame.direction ?? direction;
      const nested = r.frame.carried.flatMap((c) =>
        carried.push(c.stream, frameDirection, c.bytes, source, timestamp),
      );
      yield {
        kind: 'frame',
        source,
        ...extra,
        ...(frameDirection ? { direction: frameDirection } : {}),
        frame: r.frame,
        bytes: r.bytes,
        trailer: r.trailer,
        ...(nested.length > 0 ? { nested } : {}),
      };
    }
  }
  yield* carried.end();
}
