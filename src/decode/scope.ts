// What the decoder and encoder share while walking a schema: the values and byte spans of the structs
// being read or written (for field references), and what each token syntax accepts.
import type { TokenNode } from '../schema/index.js';

/** Values and spans of one struct, with a link outwards for resolving field references by name. */
export interface Scope {
  readonly vals: Record<string, unknown>;
  readonly spans: Record<string, readonly [number, number]>;
  readonly up: Scope | null;
}

export function lookup(scope: Scope | null, name: string): unknown {
  for (let s = scope; s; s = s.up) if (name in s.vals) return s.vals[name];
  return undefined;
}

export function lookupSpan(scope: Scope | null, name: string): readonly [number, number] | undefined {
  for (let s = scope; s; s = s.up) if (name in s.spans) return s.spans[name];
  return undefined;
}

/** The text each token syntax accepts (the empty text is always accepted). */
export const TOKEN_SYNTAX: Readonly<Record<TokenNode['syntax'], RegExp>> = {
  digits: /^[0-9]*$/,
  integer: /^-?[0-9]+$/,
  decimal: /^-?[0-9]+(\.[0-9]+)?$/,
  hex: /^[0-9A-Fa-f]*$/,
  alnum: /^[0-9A-Za-z]*$/,
  text: /^/,
};
