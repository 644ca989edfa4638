// Static types inferred from a schema (zod's input/output split): Decoded<S> is what decode returns,
// Encodable<S> what encode accepts. Derived fields are optional in the second and present in the first;
// computed fields exist only in the first; literals in neither.
import type { ComputeFn, FrameType, Node, Protocol } from './nodes.js';

type Mode = 'decoded' | 'encodable';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ComputeResult<F> = F extends 'validity' | 'bitSet' ? boolean : F extends 'hexToText' ? string : number;

type TokenValue<N, M extends Mode> = N extends { readonly names: infer V }
  ? (keyof V & string) | (string & {})
  : M extends 'encodable'
    ? N extends { readonly syntax: 'digits' | 'integer' | 'decimal' }
      ? string | number
      : string
    : string;

export type Value<N, M extends Mode> = N extends { readonly kind: 'uint' }
  ? number
  : N extends { readonly kind: 'bcd' }
    ? string
    : N extends { readonly kind: 'bytes' }
      ? Uint8Array
      : N extends { readonly kind: 'oneOf'; readonly values: infer V }
        ? keyof V & string
        : N extends { readonly kind: 'token' }
          ? TokenValue<N, M>
          : N extends { readonly kind: 'computed'; readonly fn: infer F extends ComputeFn }
            ? ComputeResult<F>
            : N extends { readonly kind: 'struct'; readonly fields: infer F }
              ? StructValue<F, M>
              : N extends { readonly kind: 'line'; readonly node: infer I }
                ? Value<I, M>
                : N extends { readonly kind: 'repeat'; readonly node: infer I }
                  ? Value<I, M>[]
                  : N extends { readonly kind: 'optional'; readonly node: infer I }
                    ? Value<I, M> | undefined
                    : N extends { readonly kind: 'choice'; readonly variants: infer V }
                      ? Tagged<V, M>
                      : N extends { readonly kind: 'switch'; readonly cases: infer C }
                        ? Tagged<C, M>
                        : N extends { readonly kind: 'lit' }
                          ? undefined
                          : unknown;

/** `{ [label]: value }` for each case or variant (externally tagged). */
type Tagged<C, M extends Mode> = {
  [K in keyof C]: C[K] extends { readonly kind: 'switch' | 'choice' }
    ? Value<C[K], M>
    : { [L in LabelOf<C[K], K & (string | number)>]: Value<C[K], M> };
}[keyof C];

type LabelOf<N, Fallback extends string | number> = N extends { readonly label: infer L extends string }
  ? L
  : `${Fallback}`;

// ---- structs ------------------------------------------------------------------------------------

type KeysWhere<F, P> = { [K in keyof F]: F[K] extends P ? K : never }[keyof F];

type Transparent = { readonly kind: 'switch' | 'choice' | 'lit' };
type SwitchKeys<F> = KeysWhere<F, { readonly kind: 'switch' }>;
type ChoiceKeys<F> = KeysWhere<F, { readonly kind: 'choice' }>;
/** Fields that a sibling switch is keyed on: they are typed by the switch's union instead. */
type DiscriminantKeys<F> = {
  [K in SwitchKeys<F>]: F[K] extends { readonly on: infer O } ? (O extends keyof F ? O : never) : never;
}[SwitchKeys<F>];

type OmittedKeys<F, M extends Mode> =
  | KeysWhere<F, Transparent>
  | DiscriminantKeys<F>
  | (M extends 'encodable' ? KeysWhere<F, { readonly kind: 'computed' }> : never);
type OptionalKeys<F, M extends Mode> =
  | KeysWhere<F, { readonly kind: 'optional' }>
  | (M extends 'encodable' ? KeysWhere<F, { readonly derive: object }> : never);

type PlainPart<F, M extends Mode> = {
  [K in Exclude<keyof F, OmittedKeys<F, M> | OptionalKeys<F, M>>]: Value<F[K], M>;
} & {
  [K in Exclude<OptionalKeys<F, M>, OmittedKeys<F, M>>]?: F[K] extends {
    readonly kind: 'optional';
    readonly node: infer I;
  }
    ? Value<I, M>
    : Value<F[K], M>;
};

type CaseKey<K> = K extends number ? K : K extends `${infer N extends number}` ? N | K : K;

/** A switch keyed on sibling `O`: one member per case, pairing the discriminant value with its body. */
type SwitchPart<F, K extends keyof F, M extends Mode> = F[K] extends {
  readonly kind: 'switch';
  readonly on: infer O;
  readonly cases: infer C;
}
  ? O extends keyof F
    ? | {
          [CK in keyof C]: { [P in O]: CaseKey<CK> } & (C[CK] extends {
            readonly kind: 'switch' | 'choice';
          }
            ? Value<C[CK], M>
            : { [L in LabelOf<C[CK], K & string>]: Value<C[CK], M> });
        }[keyof C]
      | (F[K] extends { readonly default: infer D extends Node }
          ? { [P in O]: Value<F[O], M> } & { [L in LabelOf<D, K & string>]: Value<D, M> }
          : never)
    : Tagged<C, M>
  : never;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

type SwitchParts<F, M extends Mode> = [SwitchKeys<F>] extends [never]
  ? unknown
  : UnionToIntersection<{ [K in SwitchKeys<F>]: { box: SwitchPart<F, K, M> } }[SwitchKeys<F>]> extends {
        box: infer B;
      }
    ? B
    : unknown;

type ChoiceParts<F, M extends Mode> = [ChoiceKeys<F>] extends [never]
  ? unknown
  : F[ChoiceKeys<F>] extends { readonly variants: infer V }
    ? Tagged<V, M>
    : unknown;

type StructValue<F, M extends Mode> = Simplify<PlainPart<F, M>> & SwitchParts<F, M> & ChoiceParts<F, M>;

// ---- public -------------------------------------------------------------------------------------

/** The value decode returns for a node, frame type or protocol. */
export type Decoded<S> = S extends Protocol
  ? FramesValue<S['frames'][number], 'decoded'>
  : S extends FrameType
    ? Value<S['node'], 'decoded'>
    : Value<S, 'decoded'>;

/** The value encode accepts for a node, frame type or protocol. */
export type Encodable<S> = S extends Protocol
  ? FramesValue<S['frames'][number], 'encodable'>
  : S extends FrameType
    ? Value<S['node'], 'encodable'>
    : Value<S, 'encodable'>;

type FramesValue<T, M extends Mode> = T extends FrameType
  ? { readonly frameType: T['name']; readonly value: Value<T['node'], M> }
  : never;
