// `trackshark export`, `map` and `stats`: inputs decoded one after the other (as `decode --jobs 1`
// does), their messages streamed to a format. The line formats hold nothing but the current record;
// GeoJSON, the map and stats keep per-device state (see tracks.ts and stats.ts).
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Direction } from '../schema/index.js';
import type { InputKind } from '../pipeline/decode-input.js';
import { decodeInputBatches } from '../pipeline/decode-input.js';
import { expandInputs } from '../pipeline/input-files.js';
import { Output } from '../pipeline/output.js';
import { InputError, type Io, type TimelineRecord } from '../pipeline/index.js';
import { decodeAsProtocols } from '../pipeline/run-decode.js';
import type { ExportFormat } from './formats.js';
import { CSV_HEADER, csvLine, toCsvRow, toFlespi } from './flat.js';
import { GeoJsonWriter } from './geojson.js';
import { mapHtml, mapSvg, mapSvgElement } from './map.js';
import { isUplink, messagesOf, type ExportMessage } from './messages.js';
import { StatsCollector, statsText } from './stats.js';
import { Tracks, type PointBudget } from './tracks.js';
import { toWialonJson, toWln } from './wialon.js';

export interface MessageInputOptions {
  readonly inputs: readonly string[];
  readonly input?: InputKind;
  readonly protocol?: string;
  readonly direction?: Direction;
  /** `port=protocol` specs (`--decode-as`). */
  readonly decodeAs?: readonly string[];
  /** Only these devices' messages (ident, or the file for inputs without one). */
  readonly devices?: readonly string[];
  readonly quiet?: boolean;
}

export interface ExportRunOptions extends MessageInputOptions {
  readonly to: ExportFormat;
  /** File to write; stdout when omitted. */
  readonly out?: string;
}

/** Points kept for the map before tracks are thinned (see tracks.ts): a 1000x700 picture shows no
 * more, and its SVG stays a few megabytes whatever the fleet. */
export const MAP_POINTS: PointBudget = { total: 50_000, perDevice: 5_000, floor: 20 };

export interface MapRunOptions extends MessageInputOptions {
  readonly out: string;
}

export interface StatsRunOptions extends MessageInputOptions {
  readonly json?: boolean;
}

function fail(io: Io, message: string): Promise<number> {
  return new Promise((resolve) => io.stderr.write(`trackshark: ${message}\n`, () => resolve(2)));
}

/**
 * Decodes every input, handing each record and each of its messages on. Returns the exit status: 2
 * when an input could not be read (reported, and the next input read), else 0.
 */
async function eachMessage(
  opts: MessageInputOptions,
  io: Io,
  onMessage: (m: ExportMessage) => Promise<void> | void,
  onRecord?: (r: TimelineRecord) => void,
): Promise<number> {
  const decodeAs = decodeAsProtocols(opts.decodeAs);
  const wanted = opts.devices && opts.devices.length > 0 ? new Set(opts.devices) : undefined;
  let status = 0;
  for (const file of await expandInputs(opts.inputs)) {
    try {
      const batches = decodeInputBatches(file, {
        fields: false,
        decodeAs,
        ...(opts.input ? { input: opts.input } : {}),
        ...(opts.protocol ? { protocol: opts.protocol } : {}),
        ...(opts.direction ? { direction: opts.direction } : {}),
      });
      for await (const batch of batches)
        for (const r of batch) {
          onRecord?.(r);
          for (const m of messagesOf(r)) if (!wanted || wanted.has(m.device)) await onMessage(m);
        }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      io.stderr.write(`trackshark: ${e.message}\n`);
      status = 2;
    }
  }
  return status;
}

/** The output file, opened before any decoding so that a bad path fails at once. */
function openOut(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const s = createWriteStream(path);
    s.once('open', () => resolve(s));
    s.once('error', (e) => reject(new InputError(path, undefined, `cannot write: ${e.message}`)));
  });
}

function closeOut(s: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** Runs `body` with the output (file or stdout); argument and file errors become one line and status 2. */
async function withOutput(
  path: string | undefined,
  io: Io,
  body: (out: Output) => Promise<number>,
): Promise<number> {
  let file: WriteStream | undefined;
  try {
    if (path !== undefined) file = await openOut(path);
    const out = new Output(file ?? io.stdout);
    const status = await body(out);
    await out.flush();
    if (file) await closeOut(file);
    return status;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    file?.destroy();
    return fail(io, e.message);
  }
}

/** One format's writer: text per message (undefined when the format does not carry it). */
interface FormatWriter {
  readonly start?: string;
  readonly write: (m: ExportMessage) => string | undefined;
  readonly end?: () => Iterable<string>;
  /** Why a message is left out, for the summary. */
  readonly skipped: string;
}

function writerFor(to: ExportFormat): FormatWriter {
  const json = (m: ExportMessage) => `${JSON.stringify(toWialonJson(m))}\n`;
  switch (to) {
    case 'wln':
      return {
        write: (m) => (isUplink(m) ? toWln(m) : undefined)?.concat('\n'),
        skipped: 'commands, or without a position and time',
      };
    case 'wialon-json':
      return { write: json, skipped: '' };
    case 'flespi':
      return {
        write: (m) => (isUplink(m) ? `${JSON.stringify(toFlespi(m))}\n` : undefined),
        skipped: 'commands',
      };
    case 'csv':
      return { start: `${csvLine(CSV_HEADER)}\n`, write: (m) => `${toCsvRow(m)}\n`, skipped: '' };
    case 'geojson': {
      const g = new GeoJsonWriter();
      return {
        start: g.start(),
        write: (m) => g.point(m),
        end: () => g.end(),
        skipped: 'without a position',
      };
    }
  }
}

export async function runExport(opts: ExportRunOptions, io: Io): Promise<number> {
  return withOutput(opts.out, io, async (out) => {
    const writer = writerFor(opts.to);
    let written = 0;
    let skipped = 0;
    if (writer.start) await out.text(writer.start);
    const status = await eachMessage(opts, io, async (m) => {
      const text = writer.write(m);
      if (text === undefined) skipped++;
      else {
        written++;
        await out.text(text);
      }
    });
    if (writer.end) for (const text of writer.end()) await out.text(text);
    if (!opts.quiet)
      io.stderr.write(
        `trackshark: ${written} message${written === 1 ? '' : 's'} written as ${opts.to}${opts.out ? ` to ${opts.out}` : ''}` +
          (skipped > 0 ? `; ${skipped} left out (${writer.skipped})` : '') +
          '\n',
      );
    return status;
  });
}

/** The map's format, from the file name. */
function mapKind(out: string): 'svg' | 'html' | undefined {
  return /\.svg$/i.test(out) ? 'svg' : /\.html?$/i.test(out) ? 'html' : undefined;
}

export async function runMap(opts: MapRunOptions, io: Io): Promise<number> {
  const kind = mapKind(opts.out);
  if (!kind) return fail(io, `${opts.out}: the map is written as .svg or .html`);
  const tracks = new Tracks(MAP_POINTS);
  let status = 0;
  try {
    status = await eachMessage(opts, io, (m) => tracks.add(m));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return fail(io, e.message);
  }
  const title = `trackshark: ${opts.inputs.join(', ')}`;
  const svg = mapSvgElement(tracks, title);
  if (!svg) return fail(io, 'no positions in the inputs: nothing to map');
  const written = await withOutput(opts.out, io, async (out) => {
    await out.text(kind === 'svg' ? mapSvg(svg) : mapHtml(svg, title));
    return 0;
  });
  if (!opts.quiet && written === 0)
    io.stderr.write(`trackshark: ${tracks.byDevice.size} device track(s) drawn to ${opts.out}\n`);
  return Math.max(status, written);
}

export async function runStats(opts: StatsRunOptions, io: Io): Promise<number> {
  const stats = new StatsCollector();
  let status: number;
  try {
    status = await eachMessage(
      opts,
      io,
      (m) => stats.message(m),
      (r) => stats.record(r),
    );
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return fail(io, e.message);
  }
  const json = stats.toJson();
  const text = opts.json ? `${JSON.stringify(json)}\n` : statsText(json);
  await new Promise<void>((resolve) => io.stdout.write(text, () => resolve()));
  return status;
}
