// The schema DSL: pure constructors returning frozen plain objects. Literal types are kept (const type
// parameters) so that Decoded<> and Encodable<> can be inferred from a declaration.
import type {
  BcdNode,
  BytesNode,
  Cases,
  ChecksumAlgorithm,
  ChoiceNode,
  ComputeFn,
  ComputedNode,
  Derive,
  Expert,
  ExpertGroup,
  Fields,
  FrameType,
  LineNode,
  LitNode,
  Node,
  NodeBase,
  OneOfNode,
  OptionalNode,
  Pattern,
  PatternAtom,
  Protocol,
  RepeatNode,
  Severity,
  Size,
  StructNode,
  SwitchNode,
  TokenNode,
  TokenSyntax,
  UintNode,
} from './nodes.js';

/* eslint-disable @typescript-eslint/no-empty-object-type -- `{}` is the neutral element of the option intersections */

/** Schemas are immutable data: freeze the node and every plain object or array inside it. */
function node<T extends object>(value: T): T {
  if (Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value))
    if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) node(v);
  return value;
}

type UintOptions = Omit<Partial<UintNode>, 'kind' | 'size'>;

/* @__NO_SIDE_EFFECTS__ */
export function u8<const O extends UintOptions = {}>(opts?: O): UintNode & { readonly size: 1 } & NoInfer<O> {
  return node({ kind: 'uint', size: 1, endian: 'be', ...opts }) as UintNode & {
    readonly size: 1;
  } & NoInfer<O>;
}
/* @__NO_SIDE_EFFECTS__ */
export function u16<const O extends UintOptions = {}>(
  opts?: O,
): UintNode & { readonly size: 2 } & NoInfer<O> {
  return node({ kind: 'uint', size: 2, endian: 'be', ...opts }) as UintNode & {
    readonly size: 2;
  } & NoInfer<O>;
}
/* @__NO_SIDE_EFFECTS__ */
export function u32<const O extends UintOptions = {}>(
  opts?: O,
): UintNode & { readonly size: 4 } & NoInfer<O> {
  return node({ kind: 'uint', size: 4, endian: 'be', ...opts }) as UintNode & {
    readonly size: 4;
  } & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function bcd<const O extends Omit<Partial<BcdNode>, 'kind' | 'size'> = {}>(
  size: number,
  opts?: O,
): BcdNode & NoInfer<O> {
  return node({ kind: 'bcd', size, pad: 0xf, ...opts }) as BcdNode & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function bytes<const O extends NodeBase = {}>(size: Size, opts?: O): BytesNode & NoInfer<O> {
  return node({ kind: 'bytes', size, ...opts }) as BytesNode & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function lit<const V extends string, const O extends NodeBase = {}>(
  value: V,
  opts?: O,
): LitNode & { readonly value: V } & NoInfer<O> {
  return node({ kind: 'lit', value, ...opts }) as LitNode & { readonly value: V } & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function oneOf<
  const V extends Readonly<Record<string, string>>,
  const O extends NodeBase & { role?: 'direction' } = {},
>(values: V, opts?: O): OneOfNode<V> & NoInfer<O> {
  return node({ kind: 'oneOf', values, ...opts }) as OneOfNode<V> & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function struct<const F extends Fields, const O extends NodeBase & { lead?: string } = {}>(
  fields: F,
  opts?: O,
): StructNode<F> & NoInfer<O> {
  return node({ kind: 'struct', fields: node(fields), ...opts }) as StructNode<F> & NoInfer<O>;
}

/** Text fields separated by `sep` (an optional field takes its separator with it when absent). */
/* @__NO_SIDE_EFFECTS__ */
export function delimited<const F extends Fields, const O extends NodeBase & { lead?: string } = {}>(
  sep: string,
  fields: F,
  opts?: O,
): StructNode<F> & { readonly sep: string } & NoInfer<O> {
  return node({ kind: 'struct', fields: node(fields), sep, ...opts }) as StructNode<F> & {
    readonly sep: string;
  } & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function switchOn<
  const On extends string,
  const C extends Cases,
  const D extends Node | undefined = undefined,
  const O extends NodeBase = {},
>(
  on: On,
  cases: C,
  opts?: O & { default?: D },
): SwitchNode<C, NoInfer<D>> & { readonly on: On } & NoInfer<O> {
  return node({ kind: 'switch', on, cases: node(cases), ...opts }) as SwitchNode<C, D> & {
    readonly on: On;
  } & NoInfer<O>;
}

/** A switch on who sent the frame. */
/* @__NO_SIDE_EFFECTS__ */
export function byDirection<
  const C extends { readonly uplink?: Node; readonly downlink?: Node },
  const O extends NodeBase = {},
>(cases: C, opts?: O): SwitchNode<C, undefined> & { readonly on: '$direction' } & NoInfer<O> {
  return node({ kind: 'switch', on: '$direction', cases: node(cases), ...opts }) as SwitchNode<
    C,
    undefined
  > & {
    readonly on: '$direction';
  } & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function choice<const V extends Cases, const O extends NodeBase & { ambiguous?: boolean } = {}>(
  variants: V,
  opts?: O,
): ChoiceNode<V> & NoInfer<O> {
  return node({ kind: 'choice', variants: node(variants), ...opts }) as ChoiceNode<V> & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function optional<const N extends Node, const O extends NodeBase = {}>(
  inner: N,
  opts?: O,
): OptionalNode<N> & NoInfer<O> {
  return node({ kind: 'optional', node: inner, ...opts }) as OptionalNode<N> & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function repeat<
  const N extends Node,
  const O extends NodeBase & { sep?: string; min?: number; max?: number } = {},
>(inner: N, opts?: O): RepeatNode<N> & NoInfer<O> {
  return node({ kind: 'repeat', node: inner, ...opts }) as RepeatNode<N> & NoInfer<O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function line<const N extends Node, const O extends NodeBase = {}>(
  inner: N,
  opts?: O,
): LineNode<N> & NoInfer<O> {
  return node({ kind: 'line', node: inner, ...opts }) as LineNode<N> & NoInfer<O>;
}

// ---- text tokens --------------------------------------------------------------------------------

type TokenOptions = Omit<Partial<TokenNode>, 'kind' | 'syntax'>;
type Token<S extends TokenSyntax, O> = TokenNode & { readonly syntax: S } & NoInfer<O>;

function token<S extends TokenSyntax, O extends TokenOptions>(syntax: S, opts?: O): Token<S, O> {
  return node({ kind: 'token', syntax, ...opts }) as Token<S, O>;
}

/* @__NO_SIDE_EFFECTS__ */
export function digits<const O extends TokenOptions = {}>(opts?: O): Token<'digits', O> {
  return token('digits', opts);
}
/* @__NO_SIDE_EFFECTS__ */
export function integer<const O extends TokenOptions = {}>(opts?: O): Token<'integer', O> {
  return token('integer', opts);
}
/* @__NO_SIDE_EFFECTS__ */
export function decimal<const O extends TokenOptions = {}>(opts?: O): Token<'decimal', O> {
  return token('decimal', opts);
}
/* @__NO_SIDE_EFFECTS__ */
export function hex<const O extends TokenOptions = {}>(opts?: O): Token<'hex', O> {
  return token('hex', opts);
}
/* @__NO_SIDE_EFFECTS__ */
export function alnum<const O extends TokenOptions = {}>(opts?: O): Token<'alnum', O> {
  return token('alnum', opts);
}
/* @__NO_SIDE_EFFECTS__ */
export function text<const O extends TokenOptions = {}>(opts?: O): Token<'text', O> {
  return token('text', opts);
}
/** An open enum of text values: unknown values decode, with a note. */
/* @__NO_SIDE_EFFECTS__ */
export function picklist<const V extends Readonly<Record<string, string>>, const O extends TokenOptions = {}>(
  names: V,
  opts?: O,
): Token<'text', O> & { readonly names: V } {
  return token('text', { ...opts, names }) as Token<'text', O> & { readonly names: V };
}

/* @__NO_SIDE_EFFECTS__ */
export function computed<const F extends ComputeFn, const O extends Omit<Partial<ComputedNode>, 'kind'> = {}>(
  fn: F,
  args: readonly string[],
  opts?: O,
): ComputedNode & { readonly fn: F } & NoInfer<O> {
  return node({ kind: 'computed', fn, args: node([...args]), ...opts }) as ComputedNode & {
    readonly fn: F;
  } & NoInfer<O>;
}

// ---- derived fields -----------------------------------------------------------------------------

export interface Span {
  readonly from: string;
  readonly to: string;
}

/* @__NO_SIDE_EFFECTS__ */
export function span(from: string, to: string = from): Span {
  return node({ from, to });
}
/* @__NO_SIDE_EFFECTS__ */
export function lengthOf(target: string): Derive {
  return node({ kind: 'lengthOf', target });
}
/* @__NO_SIDE_EFFECTS__ */
export function countOf(target: string): Derive {
  return node({ kind: 'countOf', target });
}
/* @__NO_SIDE_EFFECTS__ */
export function checksum(algorithm: ChecksumAlgorithm, covered: Span, opts?: { seed?: string }): Derive {
  return node({ kind: 'checksum', algorithm, from: covered.from, to: covered.to, ...opts });
}

// ---- protocols ----------------------------------------------------------------------------------

/* @__NO_SIDE_EFFECTS__ */
export function expert(id: string, group: ExpertGroup, severity: Severity, summary: string): Expert {
  return node({ id, group, severity, summary });
}

/** Start pattern atoms: `pat('#', digitsRun(10, 17), '#')`. */
/* @__NO_SIDE_EFFECTS__ */
export function pattern(...atoms: readonly (string | PatternAtom)[]): Pattern {
  return node(atoms.map((a) => (typeof a === 'string' ? node({ lit: a }) : a)));
}
/* @__NO_SIDE_EFFECTS__ */
export function run(cls: Extract<PatternAtom, { cls: string }>['cls'], min: number, max = min): PatternAtom {
  return node({ cls, min, max });
}

/* @__NO_SIDE_EFFECTS__ */
export function frameType<const T extends FrameType>(spec: T): T {
  return node(spec);
}

/* @__NO_SIDE_EFFECTS__ */
export function protocol<const P extends Protocol>(spec: P): P {
  return node(spec);
}
