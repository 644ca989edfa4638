// Mutations as plain data (a splice of the frame's bytes and why), so a case can be rebuilt from its
// seed with any subset of them: that is how the minimiser takes fields away one at a time.
import { splice } from './delivery.js';
import { hostileReplacement } from './hostile.js';
import type { Rng } from './rng.js';
import type { Seed } from './seeds.js';

export interface Mutation {
  /** 'field': aimed at a field of the seed (offsets in the seed); 'havoc': at the bytes so far. */
  readonly kind: 'field' | 'havoc';
  readonly field?: string;
  readonly at: number;
  readonly remove: number;
  readonly insert: Uint8Array;
  readonly how: string;
}

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x24, 0x40, 0x23, 0x2c, 0x2a, 0x7c, 0x3b, 0x0d, 0x0a];

/**
 * The seed's bytes with the mutations applied: field mutations from the last byte backwards (so each
 * finds its field where the seed had it; one overlapping an earlier-applied one is skipped), then
 * havoc in order, its offsets folded into the bytes' current length.
 */
export function applyMutations(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  const fields = mutations.filter((m) => m.kind === 'field').sort((a, b) => b.at - a.at);
  let out = seed;
  let floor = Infinity;
  for (const m of fields) {
    if (m.at + m.remove > floor) continue;
    out = splice(out, m.at, m.remove, m.insert);
    floor = m.at;
  }
  for (const m of mutations) {
    if (m.kind !== 'havoc') continue;
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    out = splice(out, at, Math.min(m.remove, out.length - at), m.insert);
  }
  return out;
}

function fieldMutation(seed: Seed, rng: Rng): Mutation | undefined {
  if (seed.fields.length === 0) return undefined;
  const field = rng.pick(seed.fields);
  const r = hostileReplacement(field, seed.bytes, rng);
  return {
    kind: 'field',
    field: field.path,
    at: field.start - r.before,
    remove: field.end - field.start + r.before,
    insert: r.bytes,
    how: r.how,
  };
}

function havocMutation(rng: Rng, length: number): Mutation {
  const at = rng.int(length + 1);
  switch (rng.int(4)) {
    case 0:
      return { kind: 'havoc', at, remove: 1, insert: rng.bytes(1), how: `byte at ${at} replaced` };
    case 1:
      return {
        kind: 'havoc',
        at,
        remove: 0,
        insert: rng.bytes(rng.range(1, 4)),
        how: `bytes inserted at ${at}`,
      };
    case 2:
      return {
        kind: 'havoc',
        at,
        remove: rng.range(1, 4),
        insert: new Uint8Array(0),
        how: `bytes deleted at ${at}`,
      };
    default: {
      const b = rng.pick(INTERESTING_BYTES);
      return {
        kind: 'havoc',
        at,
        remove: 1,
        insert: Uint8Array.of(b),
        how: `byte at ${at} set to 0x${b.toString(16).padStart(2, '0')}`,
      };
    }
  }
}

export interface MutationPlanOptions {
  /** Chance of byte-level havoc after the field mutations (default 0.25). */
  readonly havocShare?: number;
}

/** One to three field mutations, then sometimes a little havoc. */
export function planMutations(seed: Seed, rng: Rng, opts: MutationPlanOptions = {}): Mutation[] {
  const roll = rng.next() / 2 ** 32;
  const count = roll < 0.6 ? 1 : roll < 0.85 ? 2 : 3;
  const out: Mutation[] = [];
  for (let i = 0; i < count; i++) {
    const m = fieldMutation(seed, rng);
    if (m) out.push(m);
  }
  if (out.length === 0 || rng.chance(opts.havocShare ?? 0.25)) {
    const n = rng.range(1, 4);
    for (let i = 0; i < n; i++) out.push(havocMutation(rng, seed.bytes.length));
  }
  return out;
}
