// Line-oriented inputs (AT logs, server logs, hex lines, WLN): the lines of a stream of chunks, each
// with its byte offset and line number.
import { LineSplitter, type Line } from '../capture/index.js';

export async function* eachLine(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Line> {
  const splitter = new LineSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
