// One input's `decode` output as text: stdout chunks (tree or NDJSON) and stderr lines (one per
// problem, then the file's summary). The same generator runs in the main thread and in workers, so
// a parallel run prints exactly what a sequential one does.
import { PROTOCOLS } from '../protocols/index.js';
import type { Direction } from '../schema/index.js';
import { decodeInputBatches, protocolsByPort, type InputKind } from './decode-input.js';
import { eventToJson, eventToTree, isEvent } from './format-events.js';
import { plural } from './check-findings.js';
import { recordToJsonLine } from './format-json.js';
import { recordToTree } from './format-tree.js';
import { InputError, type SourcePosition, type TimelineRecord } from './records.js';

/** Options of one file's decode, plain data so they cross to a worker thread. */
export interface FileDecodeOptions {
  readonly json?: boolean;
  readonly input?: InputKind;
  readonly protocol?: string;
  readonly direction?: Direction;
  readonly hex?: boolean;
  readonly quiet?: boolean;
  /** `port=protocol` pairs, already checked. */
  readonly decodeAs?: readonly (readonly [number, string])[];
}

/** Characters of output per piece. */
const PIECE = 1 << 15;

/** A piece of one file's output; `status` comes last. */
export type OutputPiece = { readonly out: string; readonly err: string } | { readonly status: number };

interface Counts {
  frames: number;
  withErrors: number;
  undecoded: number;
  undecodedBytes: number;
  skipped: number;
  gaps: number;
  gapBytes: number;
  conflicts: number;
  notes: string[];
}

function position(s: SourcePosition): string {
  const at = s.packet === undefined ? `byte ${s.offset}` : `packet ${s.packet}, byte ${s.offset}`;
  return s.line === undefined ? `${s.file} (${at})` : `${s.file}:${s.line} (${at})`;
}

/** One line per problem in a record (and its nested frames). */
function problems(r: TimelineRecord): string[] {
  switch (r.kind) {
    case 'undecoded':
      return [`${position(r.source)}: ${plural(r.bytes.length, 'undecoded byte')} (${r.reason})`];
    case 'gap':
      return [
        `${position(r.source)}: ${r.conversation ?? ''} ${r.direction ?? ''}: ${plural(r.length, 'byte')} missing at stream offset ${r.streamOffset} (not captured)`,
      ];
    case 'conflict':
      return [
        `${position(r.source)}: ${r.conversation ?? ''} ${r.direction ?? ''}: retransmission at stream offset ${r.streamOffset} differs from the bytes already delivered (first copy kept)`,
      ];
    case 'notice':
      return r.severity === 'info' ? [] : [`${position(r.source)}: ${r.message}`];
    case 'skipped':
      return [];
    case 'frame': {
      const own = r.frame.issues
        .filter((i) => i.severity === 'error')
        .map(
          (i) =>
            `${position(r.source)}: ${r.frame.protocol} ${r.frame.frameType}${i.offset !== undefined ? ` byte ${i.offset}` : ''}: ${i.id}: ${i.message}`,
        );
      return [...own, ...(r.nested ?? []).flatMap(problems)];
    }
  }
}

function count(r: TimelineRecord, c: Counts): void {
  switch (r.kind) {
    case 'frame':
      c.frames++;
      if (r.frame.issues.some((i) => i.severity === 'error')) c.withErrors++;
      for (const n of r.nested ?? []) count(n, c);
      return;
    case 'undecoded':
      c.undecoded++;
      c.undecodedBytes += r.bytes.length;
      return;
    case 'gap':
      c.gaps++;
      c.gapBytes += r.length;
      return;
    case 'conflict':
      c.conflicts++;
      return;
    case 'notice':
      if (r.severity === 'info') c.notes.push(r.message);
      return;
    case 'skipped':
      c.skipped++;
  }
}

function summary(file: string, c: Counts): string {
  const parts = [`${plural(c.frames, 'frame')}${c.withErrors ? ` (${c.withErrors} with errors)` : ''}`];
  if (c.undecoded) parts.push(`${plural(c.undecoded, 'undecoded run')} (${c.undecodedBytes} bytes)`);
  if (c.gaps) parts.push(`${plural(c.gaps, 'gap')} (${c.gapBytes} bytes not captured)`);
  if (c.conflicts) parts.push(plural(c.conflicts, 'conflicting retransmission'));
  if (c.skipped) parts.push(`${plural(c.skipped, 'line')} without packets`);
  parts.push(...c.notes);
  return `trackshark: ${file === '-' ? 'stdin' : file}: ${parts.join(', ')}`;
}

/** Text output of one input; records are numbered from 1 in each file (like tshark's frame numbers). */
export async function* decodeFileOutput(file: string, opts: FileDecodeOptions): AsyncGenerator<OutputPiece> {
  const c: Counts = {
    frames: 0,
    withErrors: 0,
    undecoded: 0,
    undecodedBytes: 0,
    skipped: 0,
    gaps: 0,
    gapBytes: 0,
    conflicts: 0,
    notes: [],
  };
  const tree = { protocols: PROTOCOLS, hex: opts.hex ?? false };
  let index = 0;
  let status = 0;
  try {
    for await (const batch of decodeInputBatches(file, {
      ...(opts.input ? { input: opts.input } : {}),
      ...(opts.protocol ? { protocol: opts.protocol } : {}),
      ...(opts.direction ? { direction: opts.direction } : {}),
      decodeAs: protocolsByPort(opts.decodeAs),
    })) {
      let out = '';
      let err = '';
      for (const r of batch) {
        count(r, c);
        if (!opts.quiet) for (const p of problems(r)) err += `trackshark: ${p}\n`;
        if (r.kind === 'skipped' && !opts.json) continue;
        if (r.kind === 'notice' && r.severity === 'info' && !opts.json) continue;
        index++;
        if (opts.json)
          out += `${isEvent(r) ? JSON.stringify(eventToJson(r, index)) : recordToJsonLine(r, index)}\n`;
        else out += `${isEvent(r) ? eventToTree(r, index) : recordToTree(r, index, tree)}\n\n`;
        // Small pieces stay in V8's young generation and die there.
        if (out.length >= PIECE) {
          yield { out, err };
          out = err = '';
        }
      }
      if (out || err) yield { out, err };
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    yield { out: '', err: `trackshark: ${e.message}\n` };
    status = 2;
  }
  if (!opts.quiet && (status === 0 || index > 0)) yield { out: '', err: `${summary(file, c)}\n` };
  yield { status };
}
