// The fuzzing engine: case `index` of a run with seed `seed` is always the same bytes. A case is a
// seed frame, field mutations and havoc (as data), the derived fields fixed up or deliberately left
// wrong, and a delivery (split, merged, after garbage).
import { createHash } from 'node:crypto';
import type { Node, Protocol } from '../schema/index.js';
import { planDelivery, type Delivery } from './delivery.js';
import { breakDerived, fixDerived, type DerivedFields } from './fixup.js';
import { applyMutations, planMutations, type Mutation } from './mutation.js';
import { Rng } from './rng.js';
import type { Seed } from './seeds.js';

/** What became of the derived fields: recomputed, or one left wrong on purpose (a byte set after the fix). */
export type DerivedMode =
  | { readonly mode: 'fixed' }
  | { readonly mode: 'broken'; readonly field: string; readonly at: number; readonly value: number };

export interface FuzzCase {
  readonly index: number;
  readonly seed: Seed;
  readonly mutations: readonly Mutation[];
  readonly derived: DerivedMode;
  /** The mutated frame. */
  readonly frame: Uint8Array;
  readonly delivery: Delivery;
}

export interface EngineOptions {
  readonly seed: number;
  /** Share of cases whose lengths and checksums are left wrong on purpose (default 0.1). */
  readonly badDerivedShare?: number;
  /** Chance of byte havoc after the field mutations (default 0.25). */
  readonly havocShare?: number;
  /** Chance of each stream mutation (default 0.25). */
  readonly streamShare?: number;
}

/** A short hash of the schemas a run used: findings say which schema version produced them. */
export function schemaHash(protocols: readonly Protocol[]): string {
  const h = createHash('sha256');
  for (const p of [...protocols].sort((a, b) => a.name.localeCompare(b.name))) h.update(JSON.stringify(p));
  return h.digest('hex').slice(0, 16);
}

export class FuzzEngine {
  private readonly derivedFields = new Map<string, Map<string, Node>>();
  private readonly companions = new Map<string, Uint8Array[]>();

  constructor(
    readonly seeds: readonly Seed[],
    readonly opts: EngineOptions,
  ) {
    if (seeds.length === 0) throw new RangeError('fuzzing needs at least one seed frame');
    for (const s of seeds) {
      const key = s.protocol.name;
      let derived = this.derivedFields.get(key);
      if (!derived) this.derivedFields.set(key, (derived = new Map()));
      for (const f of s.fields) if ('derive' in f.node && f.node.derive) derived.set(f.path, f.node);
      const list = this.companions.get(key) ?? [];
      list.push(s.bytes);
      this.companions.set(key, list);
    }
  }

  derivedOf(s: Seed): DerivedFields {
    return this.derivedFields.get(s.protocol.name)!;
  }

  /** The frame a seed becomes under these mutations and derived-field treatment. */
  build(s: Seed, mutations: readonly Mutation[], derived: DerivedMode): Uint8Array {
    const fixed = fixDerived(s, applyMutations(s.bytes, mutations), this.derivedOf(s));
    if (derived.mode === 'fixed' || derived.at >= fixed.length) return fixed;
    const out = fixed.slice();
    out[derived.at] = derived.value;
    return out;
  }

  case(index: number): FuzzCase {
    const rng = new Rng(this.opts.seed, index);
    const seed = rng.pick(this.seeds);
    const mutations = planMutations(seed, rng, {
      ...(this.opts.havocShare !== undefined ? { havocShare: this.opts.havocShare } : {}),
    });
    let frame = this.build(seed, mutations, { mode: 'fixed' });
    let derived: DerivedMode = { mode: 'fixed' };
    if (rng.chance(this.opts.badDerivedShare ?? 0.1)) {
      const broken = breakDerived(seed, frame, rng);
      if (broken) {
        const at = broken.bytes.findIndex((b, i) => b !== frame[i]);
        derived = { mode: 'broken', field: broken.field, at, value: broken.bytes[at]! };
        frame = broken.bytes;
      }
    }
    const delivery = planDelivery(frame, rng, {
      companions: this.companions.get(seed.protocol.name)!,
      ...(this.opts.streamShare !== undefined ? { share: this.opts.streamShare } : {}),
    });
    return { index, seed, mutations, derived, frame, delivery };
  }
}
