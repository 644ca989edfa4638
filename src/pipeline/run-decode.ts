// `trackshark decode`: inputs to a tree or NDJSON on stdout; one line per problem on stderr, naming
// the file and position; decoding always goes on at the next frame.
import type { Writable } from 'node:stream';
import { PROTOCOLS } from '../protocols/index.js';
import type { Direction } from '../schema/index.js';
import { decodeInput, type InputKind } from './decode-input.js';
import { recordToJson } from './format-json.js';
import { recordToTree } from './format-tree.js';
import { Output } from './output.js';
import { InputError, type SourcePosition, type TimelineRecord } from './records.js';

export interface DecodeRunOptions {
  readonly inputs: readonly string[];
  readonly json?: boolean;
  readonly input?: InputKind;
  readonly protocol?: string;
  readonly direction?: Direction;
  readonly hex?: boolean;
  readonly quiet?: boolean;
}

export interface Io {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

interface Counts {
  frames: number;
  withErrors: number;
  undecoded: number;
  undecodedBytes: number;
  skipped: number;
}

function position(s: SourcePosition): string {
  return s.line === undefined ? `${s.file} (byte ${s.offset})` : `${s.file}:${s.line} (byte ${s.offset})`;
}

/** One line per problem in a record (and its nested frames). */
function problems(r: TimelineRecord): string[] {
  if (r.kind === 'undecoded')
    return [
      `${position(r.source)}: ${r.bytes.length} undecoded byte${r.bytes.length === 1 ? '' : 's'} (${r.reason})`,
    ];
  if (r.kind !== 'frame') return [];
  const own = r.frame.issues
    .filter((i) => i.severity === 'error')
    .map(
      (i) =>
        `${position(r.source)}: ${r.frame.protocol} ${r.frame.frameType}${i.offset !== undefined ? ` byte ${i.offset}` : ''}: ${i.id}: ${i.message}`,
    );
  return [...own, ...(r.nested ?? []).flatMap(problems)];
}

function count(r: TimelineRecord, c: Counts): void {
  if (r.kind === 'frame') {
    c.frames++;
    if (r.frame.issues.some((i) => i.severity === 'error')) c.withErrors++;
    for (const n of r.nested ?? []) count(n, c);
  } else if (r.kind === 'undecoded') {
    c.undecoded++;
    c.undecodedBytes += r.bytes.length;
  } else c.skipped++;
}

/** Returns the exit status: 0, or 2 when an input could not be read. */
export async function runDecode(opts: DecodeRunOptions, io: Io): Promise<number> {
  const out = new Output(io.stdout);
  const err = new Output(io.stderr);
  let status = 0;
  let index = 0;
  for (const file of opts.inputs) {
    const c: Counts = { frames: 0, withErrors: 0, undecoded: 0, undecodedBytes: 0, skipped: 0 };
    try {
      for await (const r of decodeInput(file, {
        ...(opts.input ? { input: opts.input } : {}),
        ...(opts.protocol ? { protocol: opts.protocol } : {}),
        ...(opts.direction ? { direction: opts.direction } : {}),
      })) {
        count(r, c);
        if (!opts.quiet) for (const p of problems(r)) await err.line(`trackshark: ${p}`);
        if (r.kind === 'skipped' && !opts.json) continue;
        index++;
        if (opts.json) await out.line(JSON.stringify(recordToJson(r, index)));
        else await out.line(`${recordToTree(r, index, { protocols: PROTOCOLS, hex: opts.hex ?? false })}\n`);
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      await err.line(`trackshark: ${e.message}`);
      status = 2;
      continue;
    }
    if (!opts.quiet) {
      const parts = [
        `${c.frames} frame${c.frames === 1 ? '' : 's'}${c.withErrors ? ` (${c.withErrors} with errors)` : ''}`,
      ];
      if (c.undecoded)
        parts.push(`${c.undecoded} undecoded run${c.undecoded === 1 ? '' : 's'} (${c.undecodedBytes} bytes)`);
      if (c.skipped) parts.push(`${c.skipped} line${c.skipped === 1 ? '' : 's'} without packets`);
      await err.line(`trackshark: ${file === '-' ? 'stdin' : file}: ${parts.join(', ')}`);
    }
  }
  await out.flush();
  await err.flush();
  return status;
}
