// Stream mutations: how a case's frames reach the decoder or the server. One frame split over many
// segments, several frames merged into one, garbage in front. A delivery is data, so the minimiser
// can drop its parts and a finding can record exactly which bytes went out in which segment.
import { fromLatin1 } from '../decode/index.js';
import type { Rng } from './rng.js';

export interface Delivery {
  /** Bytes sent before the first frame. */
  readonly garbage: Uint8Array;
  /** The frames in sending order; `target` is the mutated one, the others are valid seeds. */
  readonly frames: readonly Uint8Array[];
  readonly target: number;
  /** Offsets into garbage + frames where a new segment starts (ascending, inside the stream). */
  readonly cuts: readonly number[];
}

const GARBAGE = ['\r\n', '$$', '@@', '##', '*HQ,', '#', '\x00\x00', 'AT'];

/** The parts back to back. */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes with `remove` bytes at `at` replaced by `insert`. */
export function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

export function streamOf(d: Delivery): Uint8Array {
  return joinBytes([d.garbage, ...d.frames]);
}

/** The segments, as written to the transport. */
export function segmentsOf(d: Delivery): Uint8Array[] {
  const stream = streamOf(d);
  const bounds = [0, ...d.cuts.filter((c) => c > 0 && c < stream.length), stream.length];
  const out: Uint8Array[] = [];
  for (let i = 0; i + 1 < bounds.length; i++)
    if (bounds[i + 1]! > bounds[i]!) out.push(stream.subarray(bounds[i]!, bounds[i + 1]!));
  return out;
}

export interface DeliveryOptions {
  /** Chance of each stream mutation (default 0.25). */
  readonly share?: number;
  /** Valid frames of the same protocol to merge with. */
  readonly companions: readonly Uint8Array[];
}

/** How the mutated frame goes out: alone in one segment, or split, merged, after garbage. */
export function planDelivery(frame: Uint8Array, rng: Rng, opts: DeliveryOptions): Delivery {
  const share = opts.share ?? 0.25;
  let garbage: Uint8Array = new Uint8Array(0);
  if (rng.chance(share))
    garbage = rng.chance(0.5) ? rng.bytes(rng.range(1, 16)) : fromLatin1(rng.pick(GARBAGE));
  const frames: Uint8Array[] = [frame];
  let target = 0;
  if (opts.companions.length > 0 && rng.chance(share)) {
    const n = rng.range(1, 2);
    for (let i = 0; i < n; i++) {
      const other = rng.pick(opts.companions);
      if (rng.chance(0.5)) frames.push(other);
      else {
        frames.unshift(other);
        target++;
      }
    }
  }
  // Merged frames travel in one segment; otherwise each frame is its own segment.
  const merged = frames.length > 1 && rng.chance(0.5);
  const cuts: number[] = [];
  let at = garbage.length;
  frames.forEach((f, i) => {
    if (!merged && i > 0) cuts.push(at);
    if (i === target && rng.chance(share)) {
      const pieces = f.length <= 256 && rng.chance(0.1) ? f.length : rng.range(2, 8);
      const inner = new Set<number>();
      for (let k = 1; k < pieces; k++)
        inner.add(pieces === f.length ? k : 1 + rng.int(Math.max(1, f.length - 1)));
      for (const c of [...inner].sort((a, b) => a - b)) cuts.push(at + c);
    }
    at += f.length;
  });
  return { garbage, frames, target, cuts: [...new Set(cuts)].sort((a, b) => a - b) };
}
