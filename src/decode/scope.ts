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

/** Whether a character code is an ASCII digit. */
export const isDigit = (c: number) => c >= 48 && c <= 57;
const isHexDigit = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAlnum = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function all(s: string, from: number, test: (c: number) => boolean): boolean {
  for (let i = from; i < s.length; i++) if (!test(s.charCodeAt(i))) return false;
  return true;
}

/** Digits from `from` to the end, at least one: the index after the last digit, or -1. */
function digitRun(s: string, from: number): number {
  let i = from;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i > from ? i : -1;
}

function signedDigits(s: string, fraction: boolean): boolean {
  const i = digitRun(s, s.charCodeAt(0) === 45 ? 1 : 0);
  if (i < 0) return false;
  if (i === s.length) return true;
  return fraction && s.charCodeAt(i) === 46 && digitRun(s, i + 1) === s.length;
}

/**
 * TOKEN_SYNTAX as character loops, for the decoder's hot path (a regular expression test costs
 * several times as much on these short texts). Same answers; a test checks them against the patterns.
 */
export const TOKEN_SYNTAX_TEST: Readonly<Record<TokenNode['syntax'], (text: string) => boolean>> = {
  digits: (s) => all(s, 0, isDigit),
  integer: (s) => signedDigits(s, false),
  decimal: (s) => signedDigits(s, true),
  hex: (s) => all(s, 0, isHexDigit),
  alnum: (s) => all(s, 0, isAlnum),
  text: () => true,
};
