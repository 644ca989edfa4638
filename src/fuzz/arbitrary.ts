// fast-check arbitraries derived from schemas: random valid values of any frame type, generated in
// wire order so that switch discriminants, byte counts and directions agree with what follows.
// Text tokens avoid their stop characters, exactly as the decoder computes them.
import fc from 'fast-check';
import type { FuzzCase, FuzzEngine } from './engine.js';
import {
  alternatives,
  altLabel,
  firstOf,
  stopsAfter,
  type Direction,
  type FrameType,
  type Node,
  type Protocol,
  type TokenNode,
} from '../schema/index.js';

interface Ctx {
  readonly stops: string;
  readonly direction: Direction;
  /** Values generated so far in enclosing structs, innermost first. */
  readonly scope: readonly Record<string, unknown>[];
  /** Inside a separated struct, where an absent optional is told apart by its missing separator. */
  readonly inSep: boolean;
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const CHARSETS: Record<TokenNode['syntax'], string> = {
  digits: '0123456789',
  integer: '0123456789',
  decimal: '0123456789',
  hex: '0123456789ABCDEFabcdef',
  alnum: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  text: PRINTABLE,
};

function lookup(scope: readonly Record<string, unknown>[], name: string): unknown {
  for (const s of scope) if (name in s) return s[name];
  return undefined;
}

function stringFrom(chars: string, min: number, max: number): fc.Arbitrary<string> {
  if (chars.length === 0) return fc.constant('');
  return fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));
}

function tokenArbitrary(n: TokenNode, ctx: Ctx): fc.Arbitrary<string> {
  const banned = new Set(ctx.stops + '\r\n' + (n.quoted ? '"' : ''));
  const chars = [...CHARSETS[n.syntax]].filter((c) => !banned.has(c)).join('');
  const [min, max] = n.length ?? [0, 12];
  const candidates: fc.Arbitrary<string>[] = [];
  if (n.range) {
    const [lo, hi] = n.range;
    const ints = fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }).map(String);
    candidates.push(
      n.syntax === 'decimal'
        ? fc.oneof(
            ints,
            fc
              .double({ min: lo, max: hi, noNaN: true })
              .map((x) => x.toFixed(2))
              .filter((t) => Number(t) >= lo && Number(t) <= hi),
          )
        : ints,
    );
  } else if (n.syntax === 'integer') {
    candidates.push(
      fc
        .tuple(fc.boolean(), stringFrom(chars, Math.max(1, min), Math.max(1, Math.min(max, 9))))
        .map(([neg, d]) => (neg && !banned.has('-') ? `-${d}` : d)),
    );
    if (min === 0) candidates.push(fc.constant(''));
  } else if (n.syntax === 'decimal') {
    const int = stringFrom(chars, 1, 5);
    candidates.push(
      fc
        .tuple(int, fc.option(stringFrom(chars, 1, 4), { nil: undefined }))
        .map(([i, f]) => (f === undefined || banned.has('.') ? i : `${i}.${f}`)),
    );
    if (min === 0) candidates.push(fc.constant(''));
  } else candidates.push(stringFrom(chars, min, max));
  if (n.names) {
    const names = Object.keys(n.names).filter((k) => [...k].every((c) => !banned.has(c)));
    if (names.length > 0) candidates.push(fc.constantFrom(...names));
  }
  const arb = candidates.length === 1 ? candidates[0]! : fc.oneof(...candidates);
  const lengthOk = (t: string) =>
    !n.length || t === '' || (t.length >= n.length[0] && t.length <= n.length[1]);
  return arb.filter((t) => lengthOk(t) && (min === 0 || t.length > 0));
}

/** Keys of a struct that a later switch (in this struct's subtree) is keyed on, with their case keys. */
function discriminants(
  fields: Readonly<Record<string, Node>>,
): Map<string, { keys: string[]; open: boolean }> {
  const found = new Map<string, { keys: string[]; open: boolean }>();
  const visit = (n: Node, shadowed: ReadonlySet<string>) => {
    if (n.kind === 'switch' && n.on in fields && !shadowed.has(n.on)) {
      const prev = found.get(n.on) ?? { keys: [], open: false };
      found.set(n.on, {
        keys: [...prev.keys, ...Object.keys(n.cases).filter((k) => n.cases[k]!.deviation === undefined)],
        open: prev.open || n.default !== undefined,
      });
    }
    if (n.kind === 'struct') {
      const inner = new Set([...shadowed, ...Object.keys(n.fields)]);
      for (const c of Object.values(n.fields)) visit(c, inner);
    } else for (const [, c] of alternatives(n)) visit(c, shadowed);
    if (n.kind === 'optional' || n.kind === 'line' || n.kind === 'repeat') visit(n.node, shadowed);
  };
  for (const c of Object.values(fields)) visit(c, new Set());
  return found;
}

function discriminantArbitrary(
  n: Node,
  keys: readonly string[],
  open: boolean,
  ctx: Ctx,
): fc.Arbitrary<unknown> {
  const numeric = n.kind === 'uint';
  const known = fc.constantFrom(...keys).map((k) => (numeric ? Number(k) : k));
  if (!open) return known;
  const other = (
    numeric ? valueArbitrary(n, ctx) : n.kind === 'token' ? tokenArbitrary(n, ctx) : valueArbitrary(n, ctx)
  ).filter((v) => !keys.includes(String(v)));
  return fc.oneof({ arbitrary: known, weight: 4 }, { arbitrary: other, weight: 1 });
}

function structArbitrary(
  n: Extract<Node, { kind: 'struct' }>,
  ctx: Ctx,
): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(n.fields);
  const nodes = entries.map(([, c]) => c);
  const discs = discriminants(n.fields);
  // In a separated struct, once an optional is left out the later optionals must be too (positional).
  const step = (
    i: number,
    vals: Record<string, unknown>,
    skipped = false,
  ): fc.Arbitrary<Record<string, unknown>> => {
    if (i === entries.length) return fc.constant(vals);
    const [key, child] = entries[i]!;
    const inner: Ctx = {
      ...ctx,
      stops: stopsAfter(nodes, i, n.sep, ctx.stops),
      scope: [vals, ...ctx.scope],
      inSep: n.sep !== undefined,
    };
    const next = (frag: Record<string, unknown>) =>
      step(i + 1, { ...vals, ...frag }, skipped || (child.kind === 'optional' && !(key in frag)));
    if (child.kind === 'lit' || child.kind === 'computed' || ('derive' in child && child.derive))
      return step(i + 1, vals, skipped);
    const disc = discs.get(key);
    if (disc)
      return discriminantArbitrary(child, disc.keys, disc.open, inner).chain((v) => next({ [key]: v }));
    if (child.kind === 'switch' || child.kind === 'choice')
      return alternativeArbitrary(child, inner, key).chain(next);
    if (child.kind === 'optional') {
      const present = valueArbitrary(child.node, inner).map((v) => ({ [key]: v }));
      // Outside separators an optional that can be empty cannot be told absent from empty.
      const canBeAbsent = inner.inSep || !firstOf(child.node).nullable;
      if (skipped && n.sep !== undefined) return next({});
      return (canBeAbsent ? fc.oneof(fc.constant({}), present) : present).chain(next);
    }
    return valueArbitrary(child, inner).chain((v) => next({ [key]: v }));
  };
  return step(0, {});
}

/** A switch or choice: the fragment to merge into the parent ({ label: value }, flattened). */
function alternativeArbitrary(
  n: Extract<Node, { kind: 'switch' | 'choice' }>,
  ctx: Ctx,
  memberKey: string | undefined,
): fc.Arbitrary<Record<string, unknown>> {
  // Valid values only: a case marked as a deviation from the documents is not generated.
  let options = alternatives(n).filter(([, c]) => c.deviation === undefined);
  if (n.kind === 'switch') {
    const disc = n.on === '$direction' ? ctx.direction : lookup(ctx.scope, n.on);
    const exact = options.filter(([k]) => k === String(disc));
    options = exact.length > 0 ? exact : options.filter(([k]) => k === '$default');
    if (options.length === 0) return fc.constant({});
  }
  return fc.constantFrom(...options).chain(([key, child]) => {
    if (child.kind === 'switch' || child.kind === 'choice')
      return alternativeArbitrary(child, ctx, memberKey);
    const label = altLabel(n, key, child, memberKey);
    return valueArbitrary(child, ctx).map((v) => ({ [label]: v }));
  });
}

function valueArbitrary(n: Node, ctx: Ctx): fc.Arbitrary<unknown> {
  switch (n.kind) {
    case 'uint': {
      const max = 2 ** (8 * n.size) - 1;
      const [lo, hi] = n.range ?? [0, max];
      const arb = fc.integer({ min: Math.max(0, lo), max: Math.min(max, hi) });
      const named = n.names ? Object.keys(n.names).map(Number) : [];
      return named.length > 0 ? fc.oneof(arb, fc.constantFrom(...named)) : arb;
    }
    case 'bcd':
      return stringFrom('0123456789', 1, n.size * 2);
    case 'bytes': {
      if (typeof n.size === 'number') return fc.uint8Array({ minLength: n.size, maxLength: n.size });
      if (n.size === 'rest') return fc.uint8Array({ maxLength: 40 });
      const ref = lookup(ctx.scope, n.size.ref);
      return typeof ref === 'number'
        ? fc.uint8Array({ minLength: ref, maxLength: ref })
        : fc.uint8Array({ maxLength: 40 });
    }
    case 'lit':
      return fc.constant(undefined);
    case 'oneOf': {
      const keys = Object.keys(n.values);
      if (n.role === 'direction') {
        const own = keys.filter((k) => n.values[k] === ctx.direction);
        return fc.constantFrom(...(own.length > 0 ? own : keys));
      }
      return fc.constantFrom(...keys);
    }
    case 'struct':
      return structArbitrary(n, ctx);
    case 'switch':
    case 'choice':
      return alternativeArbitrary(n, ctx, undefined);
    case 'optional':
      return fc.option(valueArbitrary(n.node, ctx), { nil: undefined });
    case 'repeat': {
      // With a separator, no items and one empty item are the same text: decode reads one empty item.
      const min = Math.max(n.min ?? 0, n.sep !== undefined && firstOf(n.node).nullable ? 1 : 0);
      const item = valueArbitrary(n.node, { ...ctx, stops: n.sep ? ctx.stops + n.sep : ctx.stops });
      return fc.array(item, { minLength: min, maxLength: Math.min(n.max ?? min + 3, min + 3) });
    }
    case 'line':
      return valueArbitrary(n.node, { ...ctx, stops: ctx.stops + '\r\n' });
    case 'token':
      return tokenArbitrary(n, ctx);
    case 'computed':
      return fc.constant(undefined);
  }
}

export interface FrameSample {
  readonly value: unknown;
  readonly direction: Direction;
}

/** Random valid values of a frame type, with the direction they travel. */
export function frameArbitrary(_protocol: Protocol, frameType: FrameType): fc.Arbitrary<FrameSample> {
  const directions: Direction[] = frameType.direction ? [frameType.direction] : ['uplink', 'downlink'];
  return fc.constantFrom(...directions).chain((direction) =>
    valueArbitrary(frameType.node, { stops: '', direction, scope: [], inSep: false }).map((value) => ({
      value,
      direction,
    })),
  );
}

/** The part of a value that decode must reproduce: without computed and derived fields. */
export function comparable(n: Node, value: unknown, memberKey?: string): unknown {
  if (value === undefined || value === null) return value;
  switch (n.kind) {
    case 'struct': {
      if (typeof value !== 'object') return value;
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(n.fields)) {
        if (child.kind === 'lit' || child.kind === 'computed' || ('derive' in child && child.derive))
          continue;
        if (child.kind === 'switch' || child.kind === 'choice')
          Object.assign(out, comparable(child, src, key));
        else if (src[key] !== undefined)
          out[key] = comparable(child.kind === 'optional' ? child.node : child, src[key]);
      }
      return out;
    }
    case 'switch':
    case 'choice': {
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, child] of alternatives(n)) {
        if (child.kind === 'switch' || child.kind === 'choice')
          Object.assign(out, comparable(child, src, memberKey));
        else {
          const label = altLabel(n, key, child, memberKey);
          if (src[label] !== undefined) out[label] = comparable(child, src[label]);
        }
      }
      return out;
    }
    case 'optional':
    case 'line':
      return comparable(n.node, value, memberKey);
    case 'repeat':
      return Array.isArray(value) ? value.map((v) => comparable(n.node, v)) : value;
    case 'bytes':
      return value instanceof Uint8Array ? Array.from(value) : value;
    default:
      return value;
  }
}

/** Whether a value passes through a choice declared ambiguous (then only its bytes must round-trip). */
export function throughAmbiguousChoice(n: Node, value: unknown, memberKey?: string): boolean {
  if (value === undefined || value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  switch (n.kind) {
    case 'struct':
      return Object.entries(n.fields).some(([key, child]) =>
        child.kind === 'switch' || child.kind === 'choice'
          ? throughAmbiguousChoice(child, v, key)
          : throughAmbiguousChoice(child, v[key]),
      );
    case 'switch':
    case 'choice':
      if (n.kind === 'choice' && n.ambiguous) return true;
      return alternatives(n).some(([key, child]) =>
        child.kind === 'switch' || child.kind === 'choice'
          ? throughAmbiguousChoice(child, v, memberKey)
          : throughAmbiguousChoice(child, v[altLabel(n, key, child, memberKey)]),
      );
    case 'optional':
    case 'line':
      return throughAmbiguousChoice(n.node, value, memberKey);
    case 'repeat':
      return Array.isArray(value) && value.some((item) => throughAmbiguousChoice(n.node, item));
    default:
      return false;
  }
}

/**
 * Fuzz cases of an engine as a fast-check arbitrary, for property tests: the case index is what
 * fast-check draws (and shrinks towards 0); the engine turns it into the same bytes every time.
 */
export function fuzzCaseArbitrary(engine: FuzzEngine): fc.Arbitrary<FuzzCase> {
  return fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((i) => engine.case(i));
}
