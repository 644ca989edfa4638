// Inputs to the message timeline: reads a file or stdin as a stream, detects what kind of input it is
// (or obeys --input), and decodes it with the protocols chosen by content or by name.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { detectInputKind, type InputKind } from '../capture/index.js';
import { AutoStreamDecoder, StreamDecoder, type StreamRecord } from '../decode/index.js';
import { PAYLOAD_PROTOCOLS, PROTOCOLS, protocolByName } from '../protocols/index.js';
import type { Direction, Protocol } from '../schema/index.js';
import { decodeAtLog } from './at-log.js';
import { decodeCapture } from './capture-input.js';
import { decodeHexLines } from './hex-lines.js';
import { InputError, type SourcePosition, type TimelineRecord } from './records.js';
import { decodeServerLog } from './server-log.js';
import { decodeWlnLines } from './wln-lines.js';

export type { InputKind };

export interface DecodeInputOptions {
  /** Input kind; detected from the first bytes when omitted. */
  readonly input?: InputKind;
  /** Protocol name to decode streams and hex lines as, instead of detecting it. */
  readonly protocol?: string;
  /** Direction of a raw stream (who sent it), when known. */
  readonly direction?: Direction;
  /** Build field lists with spans (default true; counting alone does not need them). */
  readonly fields?: boolean;
  /** Candidates for choosing a payload protocol by content. */
  readonly protocols?: readonly Protocol[];
  /** Captures: protocols by TCP/UDP port, overriding detection (`--decode-as 5000=meiligao`). */
  readonly decodeAs?: ReadonlyMap<number, Protocol>;
}

const SNIFF_BYTES = 64 * 1024;

/** A file (or '-' for stdin) as chunks. */
export async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  if (file !== '-') {
    const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(
        file,
        undefined,
        `cannot read: ${e.code === 'ENOENT' ? 'no such file' : e.message}`,
      );
    });
    if (info.isDirectory())
      throw new InputError(file, undefined, 'is a directory (give the files inside it)');
  }
  const stream = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    throw new InputError(file, undefined, `cannot read: ${(e as Error).message}`);
  }
}

/** Chunks re-cut so that the first one holds enough bytes to tell the input kind. */
async function* withSniff(
  chunks: AsyncIterable<Uint8Array>,
  onSample: (sample: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  const held: Uint8Array[] = [];
  let size = 0;
  let sniffed = false;
  for await (const c of chunks) {
    if (sniffed) {
      yield c;
      continue;
    }
    held.push(c);
    size += c.length;
    if (size >= SNIFF_BYTES) {
      const first = new Uint8Array(Buffer.concat(held));
      onSample(first);
      sniffed = true;
      yield first;
    }
  }
  if (!sniffed) {
    const first = new Uint8Array(Buffer.concat(held));
    onSample(first);
    if (first.length > 0) yield first;
  }
}

/** The protocol a `--protocol` name stands for. */
export function resolveProtocol(name: string | undefined): Protocol | undefined {
  if (name === undefined) return undefined;
  const p = protocolByName(name);
  if (!p)
    throw new InputError(
      name,
      undefined,
      `unknown protocol (known: ${PROTOCOLS.map((x) => x.name).join(', ')})`,
    );
  return p;
}

/** `--decode-as` pairs (names already checked by parseDecodeAs) as the protocol for each port. */
export function protocolsByPort(pairs: readonly (readonly [number, string])[] = []): Map<number, Protocol> {
  return new Map(pairs.map(([port, name]) => [port, resolveProtocol(name)!]));
}

/** Decode one input into timeline records, in input order. */
export async function* decodeInput(
  file: string,
  opts: DecodeInputOptions = {},
): AsyncGenerator<TimelineRecord> {
  for await (const batch of decodeInputBatches(file, opts)) yield* batch;
}

/** Wraps a record-at-a-time decoder as batches. */
async function* single(records: AsyncIterable<TimelineRecord>): AsyncGenerator<TimelineRecord[]> {
  for await (const r of records) yield [r];
}

/**
 * Decode one input into timeline records, in input order, in batches: inputs with millions of
 * packets would otherwise pay for an asynchronous step per record.
 */
export async function* decodeInputBatches(
  file: string,
  opts: DecodeInputOptions = {},
): AsyncGenerator<TimelineRecord[]> {
  const protocols = opts.protocols ?? PAYLOAD_PROTOCOLS;
  const forced = resolveProtocol(opts.protocol);
  let kind: InputKind | undefined = opts.input;
  const chunks = withSniff(readChunks(file), (sample) => {
    kind ??= detectInputKind(sample);
  });
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const all = (async function* () {
    yield first.value;
    for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield n.value;
  })();
  const ctx = { file, protocols, forced, fields: opts.fields !== false, direction: opts.direction };
  if (forced?.name === 'fibocom') kind = 'at-log';
  switch (kind) {
    case 'at-log':
      yield* single(decodeAtLog(all, ctx));
      return;
    case 'server-log':
      yield* single(decodeServerLog(all, ctx));
      return;
    case 'hex-lines':
      yield* single(decodeHexLines(all, ctx));
      return;
    case 'wln':
      yield* single(decodeWlnLines(all, ctx));
      return;
    case 'pcap':
    case 'pcapng':
      yield* decodeCapture(all, { ...ctx, decodeAs: opts.decodeAs ?? new Map() });
      return;
    default:
      yield* decodeRawStream(all, ctx);
  }
}

export interface PipelineContext {
  readonly file: string;
  readonly protocols: readonly Protocol[];
  readonly forced: Protocol | undefined;
  readonly fields: boolean;
  readonly direction: Direction | undefined;
}

/** A raw byte stream (binary or text frames back to back): one conversation. */
async function* decodeRawStream(
  chunks: AsyncIterable<Uint8Array>,
  ctx: PipelineContext,
): AsyncGenerator<TimelineRecord[]> {
  const direction = ctx.direction ? { direction: ctx.direction } : {};
  const opts = { fields: ctx.fields, ...direction };
  const decoder = ctx.forced
    ? new StreamDecoder(ctx.forced, opts)
    : new AutoStreamDecoder(ctx.protocols, opts);
  const batch = (records: StreamRecord[]) =>
    records.flatMap(
      (r) => timelineRecord(r, { source: { file: ctx.file, offset: r.offset }, ...direction }) ?? [],
    );
  for await (const chunk of chunks) yield batch(decoder.push(chunk));
  yield batch(decoder.end());
}

/** Where a stream record came from and what it belongs to. */
export interface RecordContext {
  readonly source: SourcePosition;
  readonly conversation?: string;
  readonly direction?: Direction;
  readonly timestamp?: number;
}

/** A stream record as a timeline record; separators (line ends between frames) are accounted, not shown. */
export function timelineRecord(r: StreamRecord, base: RecordContext): TimelineRecord | undefined {
  if (r.kind === 'frame')
    return {
      kind: 'frame',
      ...base,
      ...(r.frame.direction ? { direction: r.frame.direction } : {}),
      frame: r.frame,
      bytes: r.bytes,
      trailer: r.trailer,
    };
  if (r.kind === 'undecoded') return { kind: 'undecoded', ...base, bytes: r.bytes, reason: r.reason };
  return undefined;
}

/** Stream records as timeline records. */
export function* streamRecordToTimeline(
  r: StreamRecord,
  source: { file: string; offset: number; line?: number },
  direction: Direction | undefined,
  extra: { conversation?: string; timestamp?: number } = {},
): Generator<TimelineRecord> {
  const record = timelineRecord(r, { source, ...extra, ...(direction ? { direction } : {}) });
  if (record) yield record;
}
