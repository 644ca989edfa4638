// Seeds: valid frames to mutate, each decoded once so that mutations can aim at its fields' bytes.
// They come from the schemas (random valid values, encoded) or from frames the caller cut out of
// captures and logs.
import fc from 'fast-check';
import { decodeFrame, encodeFrame, latin1 } from '../decode/index.js';
import { rootPath, type Direction, type FrameType, type Node, type Protocol } from '../schema/index.js';
import { frameArbitrary } from './arbitrary.js';

/** A field of a seed frame: where its bytes are and what separates it from its siblings. */
export interface SeedField {
  readonly path: string;
  readonly node: Node;
  readonly start: number;
  readonly end: number;
  /** The separator of the struct or repeat holding it, if any. */
  readonly sep?: string;
}

export interface Seed {
  /** Where it came from: `schema:meiligao/frame#3`, `file.log:5`. */
  readonly id: string;
  readonly protocol: Protocol;
  readonly frameType: FrameType;
  readonly direction: Direction | undefined;
  readonly bytes: Uint8Array;
  readonly fields: readonly SeedField[];
}

/** Containers whose children are separated; a repeat's items share its path. */
function separatorOf(node: Node): string | undefined {
  return node.kind === 'struct' || node.kind === 'repeat' ? node.sep : undefined;
}

/**
 * A seed from one frame's bytes, or undefined when they do not decode cleanly as that frame type
 * (a seed must be valid, so that what breaks is what the mutation did).
 */
export function seedFromFrame(
  protocol: Protocol,
  frameType: FrameType,
  bytes: Uint8Array,
  id: string,
  direction?: Direction,
): Seed | undefined {
  const decoded = decodeFrame(protocol, frameType, bytes, direction ? { direction } : {});
  if (!decoded.ok || decoded.issues.some((i) => i.severity === 'error')) return undefined;
  const root = rootPath(protocol, frameType);
  const containers = new Map<string, string | undefined>();
  const fields: SeedField[] = [];
  for (const f of decoded.fields) {
    if (f.generated || f.path === root) continue;
    const own = separatorOf(f.node);
    const sameRepeat = containers.get(f.path);
    const parentPath = f.path.slice(0, f.path.lastIndexOf('.'));
    const sep =
      f.node.kind !== 'repeat' && sameRepeat !== undefined ? sameRepeat : containers.get(parentPath);
    if (f.node.kind === 'struct' || f.node.kind === 'repeat') containers.set(f.path, own);
    fields.push({ path: f.path, node: f.node, start: f.start, end: f.end, ...(sep ? { sep } : {}) });
  }
  return {
    id,
    protocol,
    frameType,
    direction: decoded.direction ?? direction,
    bytes,
    fields,
  };
}

export interface SchemaSeedOptions {
  readonly seed: number;
  /** Values drawn per frame type (default 24). */
  readonly perFrameType?: number;
  /** Only frames travelling this way (a live server hears uplink frames). */
  readonly direction?: Direction;
}

/** Valid frames of every frame type of a protocol, generated from its schema. */
export function schemaSeeds(protocol: Protocol, opts: SchemaSeedOptions): Seed[] {
  const seeds: Seed[] = [];
  const seen = new Set<string>();
  for (const ft of protocol.frames) {
    const samples = fc.sample(frameArbitrary(protocol, ft), {
      seed: opts.seed,
      numRuns: opts.perFrameType ?? 24,
    });
    samples.forEach((s, i) => {
      if (opts.direction && s.direction !== opts.direction) return;
      const bytes = encodeFrame(protocol, ft, s.value, { direction: s.direction });
      const key = `${ft.name}:${latin1(bytes)}`;
      if (seen.has(key)) return;
      seen.add(key);
      const seed = seedFromFrame(protocol, ft, bytes, `schema:${protocol.name}/${ft.name}#${i}`, s.direction);
      if (seed && (!opts.direction || seed.direction === opts.direction)) seeds.push(seed);
    });
  }
  return seeds;
}
