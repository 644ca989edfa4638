// Minimisation that keeps the oracle signature: first the sequence (session frames, garbage,
// companion frames, segment cuts), then the field mutations one by one, then the frame's bytes
// (delta debugging, fixing up lengths and checksums after every cut when the case had them right).
import { fixDerived } from './fixup.js';
import { splice, type Delivery } from './delivery.js';
import type { DerivedMode, FuzzEngine } from './engine.js';
import type { Mutation } from './mutation.js';
import type { Seed } from './seeds.js';

export interface Candidate {
  readonly prefix: readonly Uint8Array[];
  readonly seed: Seed;
  readonly mutations: readonly Mutation[];
  readonly derived: DerivedMode;
  readonly delivery: Delivery;
}

export interface MinimiseResult {
  readonly best: Candidate;
  readonly tries: number;
  readonly steps: readonly string[];
}

const withTarget = (d: Delivery, frame: Uint8Array): Delivery => ({
  ...d,
  frames: d.frames.map((f, i) => (i === d.target ? frame : f)),
});

export async function minimise(
  engine: FuzzEngine,
  start: Candidate,
  reproduces: (c: Candidate) => Promise<boolean>,
  budget: { readonly tries: number; readonly ms: number } = { tries: 400, ms: 15_000 },
): Promise<MinimiseResult> {
  let best = start;
  let tries = 0;
  const steps: string[] = [];
  const deadline = Date.now() + budget.ms;
  const maxTries = budget.tries;
  const attempt = async (c: Candidate, step: string): Promise<boolean> => {
    if (tries >= maxTries || Date.now() > deadline) return false;
    tries++;
    if (!(await reproduces(c))) return false;
    best = c;
    steps.push(step);
    return true;
  };

  // 1. The sequence.
  for (let i = best.prefix.length - 1; i >= 0; i--)
    await attempt(
      { ...best, prefix: best.prefix.filter((_, k) => k !== i) },
      `session frame ${i + 1} dropped`,
    );
  if (best.delivery.garbage.length > 0)
    await attempt(
      { ...best, delivery: { ...best.delivery, garbage: new Uint8Array(0), cuts: [] } },
      'garbage dropped',
    );
  for (let i = best.delivery.frames.length - 1; i >= 0; i--) {
    const d = best.delivery;
    if (i === d.target) continue;
    await attempt(
      {
        ...best,
        delivery: {
          ...d,
          frames: d.frames.filter((_, k) => k !== i),
          target: i < d.target ? d.target - 1 : d.target,
          cuts: [],
        },
      },
      `companion frame ${i + 1} dropped`,
    );
  }
  if (best.delivery.cuts.length > 0)
    await attempt({ ...best, delivery: { ...best.delivery, cuts: [] } }, 'sent in one segment');

  // 2. The fields.
  for (let i = best.mutations.length - 1; i >= 0 && best.mutations.length > 1; i--) {
    const mutations = best.mutations.filter((_, k) => k !== i);
    const frame = engine.build(best.seed, mutations, best.derived);
    const d = { ...withTarget(best.delivery, frame), cuts: [] };
    await attempt({ ...best, mutations, delivery: d }, `mutation dropped: ${best.mutations[i]!.how}`);
  }

  // 3. The bytes of the mutated frame.
  const fix = (b: Uint8Array) =>
    best.derived.mode === 'fixed' ? fixDerived(best.seed, b, engine.derivedOf(best.seed)) : b;
  let chunk = Math.max(1, best.delivery.frames[best.delivery.target]!.length >> 1);
  while (chunk >= 1 && tries < maxTries && Date.now() <= deadline) {
    let removed = false;
    for (let at = 0; ; at += chunk) {
      const frame = best.delivery.frames[best.delivery.target]!;
      if (at >= frame.length) break;
      const next = fix(splice(frame, at, Math.min(chunk, frame.length - at), new Uint8Array(0)));
      if (next.length === 0 || next.length >= frame.length) continue;
      if (
        await attempt(
          { ...best, delivery: { ...withTarget(best.delivery, next), cuts: [] } },
          `bytes ${at}..${at + chunk - 1} removed`,
        )
      ) {
        removed = true;
        at -= chunk;
      }
      if (tries >= maxTries || Date.now() > deadline) break;
    }
    if (!removed) chunk >>= 1;
  }
  return { best, tries, steps };
}
