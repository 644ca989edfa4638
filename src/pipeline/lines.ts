// Line-oriented inputs: each line of a file (with its position) handed to a per-line decoder.
import { LineSplitter, type Line } from '../capture/index.js';
import type { TimelineRecord } from './records.js';

export async function* eachLine(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Line> {
  const splitter = new LineSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** Latin1 bytes of a line's text (offsets stay byte offsets). */
export function lineBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

export type LineDecoder = (line: Line) => Iterable<TimelineRecord>;
