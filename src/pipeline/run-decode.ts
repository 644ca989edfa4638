// `trackshark decode`: inputs to a tree or NDJSON on stdout; one line per problem on stderr, naming
// the file and position; decoding always goes on at the next frame. Several inputs are decoded in
// parallel worker threads, their output written in input order.
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import { protocolsByPort, resolveProtocol } from './decode-input.js';
import type { Protocol } from '../schema/index.js';
import { decodeFileOutput, type FileDecodeOptions, type OutputPiece } from './decode-output.js';
import { expandInputs } from './input-files.js';
import { Output } from './output.js';
import { canRunWorkers, decodeFilesInParallel } from './parallel-decode.js';
import { InputError } from './records.js';

export interface DecodeRunOptions extends Omit<FileDecodeOptions, 'decodeAs'> {
  readonly inputs: readonly string[];
  /** `port=protocol` specs (`--decode-as`). */
  readonly decodeAs?: readonly string[];
  /** Files decoded at once (default: one per core). */
  readonly jobs?: number;
}

export interface Io {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** `5000=meiligao` specs as checked pairs; a bad spec is an argument error. */
function parseDecodeAs(specs: readonly string[]): [number, string][] {
  return specs.map((spec) => {
    const m = /^(\d{1,5})=([\w-]+)$/.exec(spec.trim());
    const port = m ? Number(m[1]) : NaN;
    if (!m || port < 1 || port > 65535)
      throw new InputError(spec, undefined, '--decode-as wants PORT=PROTOCOL, e.g. 5000=meiligao');
    resolveProtocol(m[2]);
    return [port, m[2]!];
  });
}

/** `--decode-as` specs, checked, as the protocol for each port. */
export function decodeAsProtocols(specs: readonly string[] = []): Map<number, Protocol> {
  return protocolsByPort(parseDecodeAs(specs));
}

async function* sequential(files: readonly string[], opts: FileDecodeOptions): AsyncGenerator<OutputPiece> {
  for (const file of files) yield* decodeFileOutput(file, opts);
}

/** Returns the exit status: 0, or 2 when an input could not be read or an argument is wrong. */
export async function runDecode(opts: DecodeRunOptions, io: Io): Promise<number> {
  const out = new Output(io.stdout);
  const err = new Output(io.stderr);
  let fileOpts: FileDecodeOptions;
  try {
    const { inputs: _inputs, jobs: _jobs, decodeAs, ...rest } = opts;
    fileOpts = { ...rest, decodeAs: parseDecodeAs(decodeAs ?? []) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    await err.line(`trackshark: ${e.message}`);
    await err.flush();
    return 2;
  }
  const files = await expandInputs(opts.inputs);
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), files.length));
  const parallel = jobs > 1 && !files.includes('-') && canRunWorkers();
  let status = 0;
  for await (const piece of parallel
    ? decodeFilesInParallel(files, fileOpts, jobs)
    : sequential(files, fileOpts)) {
    if ('status' in piece) {
      status = Math.max(status, piece.status);
      continue;
    }
    if (piece.err) await err.text(piece.err);
    if (piece.out) await out.text(piece.out);
  }
  await out.flush();
  await err.flush();
  return status;
}
