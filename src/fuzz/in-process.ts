// The in-process target: trackshark's own decoders. A case is decoded as its frame type directly
// (every field, normalized values included) and as a stream in its segments; the oracles are an
// exception from either, and a stream whose records do not account for every byte exactly once.
import { decodeFrame, StreamDecoder, type StreamRecord } from '../decode/index.js';
import { segmentsOf } from './delivery.js';
import type { FuzzCase } from './engine.js';

export interface InProcessVerdict {
  /** Dedup key: `exception:<name>:<top frame>` or `stream.untiled`. */
  readonly signature: string;
  readonly detail: string;
}

const recordLength = (r: StreamRecord) => (r.kind === 'frame' ? r.length + r.trailer : r.bytes.length);

/** Where an exception was thrown, without the line and column (which move with every edit). */
function topFrame(e: Error): string {
  const line = e.stack?.split('\n').find((l) => l.trimStart().startsWith('at ')) ?? '';
  return line
    .trim()
    .replace(/^at /, '')
    .replace(/\(?(?:file:\/\/)?[^ ()]*\/(src|dist)\//, '$1/')
    .replace(/:\d+:\d+\)?$/, '');
}

/** Decode one case; undefined when the decoders behaved. */
export function decodeCase(c: FuzzCase): InProcessVerdict | undefined {
  const { protocol, frameType, direction } = c.seed;
  const dir = direction ? { direction } : {};
  try {
    decodeFrame(protocol, frameType, c.frame, { ...dir, fields: c.index % 2 === 0 });
    const stream = new StreamDecoder(protocol, { ...dir, fields: c.index % 2 === 1 });
    const records: StreamRecord[] = [];
    let total = 0;
    for (const seg of segmentsOf(c.delivery)) {
      total += seg.length;
      for (const r of stream.push(seg)) records.push(r);
    }
    for (const r of stream.end()) records.push(r);
    let at = 0;
    for (const r of records) {
      if (r.offset !== at)
        return {
          signature: 'stream.untiled',
          detail: `a ${r.kind} record starts at ${r.offset}, expected ${at}`,
        };
      at += recordLength(r);
    }
    if (at !== total) return { signature: 'stream.untiled', detail: `records cover ${at} of ${total} bytes` };
    return undefined;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { signature: `exception:${err.name}:${topFrame(err)}`, detail: `${err.name}: ${err.message}` };
  }
}
