// `trackshark encode`: a frame built from field arguments (and a JSON value), printed as hex, raw
// bytes, a tree or NDJSON; `--fix` re-encodes given frames with their derived fields recomputed;
// `--list` shows what can be built. Wrong input is one line on stderr naming the field, and status 2.
import { readFileSync } from 'node:fs';
import { decodeFrame, EncodeError, encodeFrameDetailed, toHex } from '../decode/index.js';
import { PAYLOAD_PROTOCOLS, PROTOCOLS } from '../protocols/index.js';
import type { Direction, FrameType, Protocol } from '../schema/index.js';
import { CarriedStreams } from './carried-streams.js';
import { resolveProtocol, type InputKind } from './decode-input.js';
import { findFrame, UsageError, type FrameCatalog } from './encode-catalog.js';
import { buildValue, parseFieldArg, splitValueObject, type FieldArg } from './encode-fields.js';
import { fixRecord, fixTargets, fixToJson, fixToText } from './encode-fix.js';
import { describeNode, listText } from './encode-list.js';
import { recordToJsonLine } from './format-json.js';
import { recordToTree } from './format-tree.js';
import { Output } from './output.js';
import { InputError, type FrameRecord } from './records.js';
import type { Io } from './run-decode.js';

export type EncodeOutput = 'hex' | 'raw' | 'tree' | 'json';

export interface EncodeRunOptions {
  readonly protocol?: string;
  readonly frame?: string;
  readonly fields?: readonly string[];
  /** A JSON object: the nested value, and/or dotted field names. */
  readonly value?: string;
  /** A file (or `-`) holding such an object. */
  readonly valueFile?: string;
  readonly direction?: Direction;
  readonly output?: EncodeOutput;
  /** Keep given values of derived fields (to craft frames with a wrong length or checksum). */
  readonly keepDerived?: boolean;
  readonly quiet?: boolean;
  /** List frames and fields instead of encoding. */
  readonly list?: boolean;
  /** Hex bytes or an input whose frames to re-encode with correct derived fields. */
  readonly fix?: string;
  readonly input?: InputKind;
}

/** Reads each `@name` once: stdin can be read only once. */
function byteReader(): (name: string) => Uint8Array {
  const seen = new Map<string, Uint8Array>();
  return (name) => {
    let b = seen.get(name);
    if (!b) {
      try {
        b = new Uint8Array(readFileSync(name === '-' ? 0 : name));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(
          name,
          undefined,
          `cannot read: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
        );
      }
      seen.set(name, b);
    }
    return b;
  };
}

function valueArgs(opts: EncodeRunOptions, read: (name: string) => Uint8Array) {
  const texts: [what: string, text: string][] = [];
  if (opts.valueFile !== undefined)
    texts.push([`--value-file ${opts.valueFile}`, Buffer.from(read(opts.valueFile)).toString('utf8')]);
  if (opts.value !== undefined) texts.push(['--value', opts.value]);
  let base: Record<string, unknown> = {};
  const args: FieldArg[] = [];
  for (const [what, text] of texts) {
    let obj: unknown;
    try {
      obj = JSON.parse(text) as unknown;
    } catch (e) {
      throw new EncodeError(what, 'a JSON object', `${(e as Error).message}`);
    }
    const split = splitValueObject(obj);
    base = { ...base, ...split.base };
    args.push(...split.args);
  }
  return { base, args };
}

/** The frame as the decoder reads it back, with the frames its payload fields carry. */
function encodedRecord(
  protocol: Protocol,
  frameType: FrameType,
  bytes: Uint8Array,
  direction?: Direction,
): FrameRecord {
  const frame = decodeFrame(protocol, frameType, bytes, direction ? { direction } : {});
  const source = { file: '<encoded>', offset: 0 };
  const dir = frame.direction ?? direction;
  const carried = new CarriedStreams(PAYLOAD_PROTOCOLS, true);
  const nested = [
    ...frame.carried.flatMap((c) => carried.push(c.stream, dir, c.bytes, source, undefined)),
    ...carried.end(),
  ];
  return {
    kind: 'frame',
    source,
    ...(dir ? { direction: dir } : {}),
    frame,
    bytes,
    ...(nested.length > 0 ? { nested } : {}),
  };
}

/** An EncodeError as one line; a missing field says what it takes. */
function encodeErrorText(e: EncodeError, catalog: FrameCatalog | undefined): string {
  const entry = catalog?.fields.find((f) => f.path === e.path);
  if (e.given !== undefined || !entry) return e.message;
  const hint =
    entry.node.kind === 'oneOf' && entry.node.role === 'direction'
      ? ' (or give --direction uplink|downlink)'
      : ` (give ${e.path.slice(catalog!.root.length + 1) || e.path}=...)`;
  return `${e.path}: missing: expected ${describeNode(entry.node)}${hint}`;
}

async function writeBytes(io: Io, bytes: Uint8Array): Promise<void> {
  if (!io.stdout.write(bytes)) await new Promise<void>((resolve) => io.stdout.once('drain', resolve));
}

async function encodeOne(opts: EncodeRunOptions, io: Io, err: Output): Promise<number> {
  const protocol = resolveProtocol(opts.protocol);
  if (!protocol || opts.frame === undefined)
    throw new UsageError("name a protocol and a frame ('trackshark encode --list' lists them)");
  const found = findFrame(protocol, opts.frame, opts.direction);
  if ('error' in found) throw new UsageError(found.error);
  const read = byteReader();
  const fromJson = valueArgs(opts, read);
  let built;
  let bytes: Uint8Array;
  try {
    built = buildValue(found, [...fromJson.args, ...(opts.fields ?? []).map(parseFieldArg)], {
      readBytes: read,
      base: fromJson.base,
      ...(opts.direction ? { direction: opts.direction } : {}),
    });
    bytes = encodeFrameDetailed(protocol, found.catalog.frameType, built.value, {
      strict: true,
      ...(built.direction ? { direction: built.direction } : {}),
      ...(opts.keepDerived ? { keepDerived: true } : {}),
    }).bytes;
  } catch (e) {
    if (e instanceof EncodeError) throw new UsageError(encodeErrorText(e, found.catalog));
    throw e;
  }
  const record = encodedRecord(protocol, found.catalog.frameType, bytes, built.direction);
  if (!opts.quiet) {
    if (!opts.keepDerived)
      for (const d of built.derivedGiven)
        await err.line(
          `trackshark: note: ${d.path} is derived and was recomputed (--keep-derived keeps the value given)`,
        );
    for (const i of record.frame.issues.filter((x) => x.severity !== 'note'))
      await err.line(
        `trackshark: ${i.severity === 'error' ? 'warning' : 'note'}: the frame decodes with ${i.id}: ${i.message}`,
      );
  }
  const out = new Output(io.stdout);
  switch (opts.output ?? 'hex') {
    case 'raw':
      await writeBytes(io, bytes);
      break;
    case 'tree':
      await out.text(`${recordToTree(record, 1, { protocols: PROTOCOLS, hex: true })}\n`);
      break;
    case 'json':
      await out.line(recordToJsonLine(record, 1));
      break;
    default:
      await out.line(toHex(bytes));
  }
  await out.flush();
  return 0;
}

async function fixAll(opts: EncodeRunOptions, io: Io, err: Output): Promise<number> {
  const out = new Output(io.stdout);
  let status = 0;
  let index = 0;
  for await (const r of fixTargets(opts.fix!, {
    ...(opts.protocol ? { protocol: opts.protocol } : {}),
    ...(opts.direction ? { direction: opts.direction } : {}),
    ...(opts.input ? { input: opts.input } : {}),
  })) {
    if (r.kind !== 'frame' && r.kind !== 'undecoded') continue;
    const o = fixRecord(r);
    index++;
    if (o.kind === 'unfixable') {
      status = 2;
      if (!opts.quiet) await err.line(`trackshark: ${opts.fix}: frame ${index}: cannot fix: ${o.reason}`);
    }
    if (opts.output === 'raw') {
      if (o.kind !== 'unfixable') await writeBytes(io, o.fixed);
    } else if (opts.output === 'json') await out.line(JSON.stringify(fixToJson(o, index)));
    else await out.text(fixToText(o, index));
  }
  await out.flush();
  if (index === 0) {
    await err.line(`trackshark: ${opts.fix}: no frames to fix`);
    return 2;
  }
  return status;
}

/** Returns the exit status: 0, or 2 for wrong arguments, fields or input. */
export async function runEncode(opts: EncodeRunOptions, io: Io): Promise<number> {
  const err = new Output(io.stderr);
  let status: number;
  try {
    if (
      (opts.list || opts.fix !== undefined) &&
      (opts.fields ?? []).length + (opts.list ? 0 : opts.frame ? 1 : 0) > 0
    )
      throw new UsageError(
        `${opts.list ? '--list takes a protocol and a frame' : '--fix takes a protocol'}, no fields`,
      );
    if (opts.list) {
      const out = new Output(io.stdout);
      await out.text(listText(opts.protocol, opts.frame));
      await out.flush();
      status = 0;
    } else if (opts.fix !== undefined) status = await fixAll(opts, io, err);
    else status = await encodeOne(opts, io, err);
  } catch (e) {
    if (!(e instanceof EncodeError || e instanceof InputError || e instanceof UsageError)) throw e;
    await err.line(`trackshark: ${e.message}`);
    status = 2;
  }
  await err.flush();
  return status;
}
