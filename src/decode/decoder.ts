// The decoder backend: each frame type's schema is compiled once into closures (a recursive-descent
// parser with PEG choice), which then decode frames without walking the schema again. Bad wire data
// never throws: it yields issues, and a frame whose grammar fails keeps everything decoded before
// the failure.
//
// Everything a closure can know from the schema (messages, tables, which spans are ever looked up)
// is settled at compile time, so that decoding a valid frame allocates little more than its result.
import {
  CHECKSUMS,
  altLabel,
  binaryTail,
  checksumInit,
  isEmptyCase,
  rootPath,
  spanReferences,
  stopsAfter,
  type Derive,
  type Direction,
  type FrameType,
  type Node,
  type ParamConversion,
  type Protocol,
  type TokenNode,
} from '../schema/index.js';
import { lookup, lookupSpan, TOKEN_SYNTAX_TEST, type Scope } from './scope.js';
import { latin1 } from './bytes.js';
import { COMPUTE } from './compute.js';
import { normalize } from './normalize.js';
import type { CarriedBytes, ChecksumResult, DecodedFrame, FieldRecord, Issue } from './types.js';

interface Deferred {
  readonly derive: Derive;
  /** Checksum register after the derive's seed text (computed once, at compile time). */
  readonly init: number;
  readonly path: string;
  readonly scope: Scope;
  readonly start: number;
  readonly end: number;
  readonly value: unknown;
  readonly text: boolean;
}

/** A place in the schema that records fields: what each record needs, read once at compile time. */
interface Site {
  readonly path: string;
  readonly node: Node;
  readonly param: string | undefined;
  readonly paramAs: ParamConversion | undefined;
}

const site = (path: string, node: Node): Site => ({ path, node, param: node.param, paramAs: node.paramAs });

/** What compiling one frame type needs to know about all of it. */
interface Context {
  /** Names whose byte spans something looks up (computed arguments, derived-field targets). */
  readonly spanNames: ReadonlySet<string>;
}

const ABSENT = Symbol('absent');

/**
 * The lists a decode needs only while it runs. They are handed from frame to frame (emptied), so
 * that each frame does not grow its own from nothing; what a frame returns is never among them.
 */
class Scratch {
  readonly deferred: Deferred[] = [];
  readonly params: Readonly<Record<string, string | number | boolean>>[] = [];
  readonly norm: unknown[] = [];
  readonly marks: number[] = [];

  clear(): void {
    truncate(this.deferred, 0);
    truncate(this.params, 0);
    truncate(this.norm, 0);
    truncate(this.marks, 0);
  }
}

let spareScratch: Scratch | undefined;

/** The spare scratch lists (empty), or new ones if they are in use (a decode within a decode). */
function takeScratch(): Scratch {
  const s = spareScratch ?? new Scratch();
  spareScratch = undefined;
  return s;
}

function releaseScratch(s: Scratch): void {
  s.clear();
  spareScratch = s;
}

class State {
  private text: string | undefined;
  v: unknown = undefined;
  readonly fields: FieldRecord[] = [];
  /** Issues, some still to be written out (see issueLater). */
  readonly issues: (Issue | (() => Issue))[] = [];
  private lazyIssues = false;
  readonly deferred: Deferred[];
  readonly params: Readonly<Record<string, string | number | boolean>>[];
  readonly carried: CarriedBytes[] = [];
  readonly lineEnds: string[] = [];
  readonly quoted: boolean[] = [];
  /** Values of fields that feed normalized parameters, flat: param, value, conversion, param, … */
  readonly norm: unknown[];
  /** A stack of saved list lengths, MARK_SIZE per mark (see mark()). */
  private readonly marks: number[];
  private top = 0;
  failPos = -1;
  /** What would have been accepted at failPos, in the order first expected, without repeats. */
  failExpected: string[] = [];
  /** A separator the enclosing struct owes before a transparent switch/choice member, if its case is not empty. */
  sepBefore: string | undefined;
  /** Where the last chosen case began (after any separator), for its span. */
  caseStart = 0;
  /** Where the grammar stopped: the end of what it matched, or -1. */
  end = -1;

  constructor(
    readonly buf: Uint8Array,
    readonly collect: boolean,
    readonly partial: boolean,
    public direction: Direction | undefined,
    scratch: Scratch,
  ) {
    this.deferred = scratch.deferred;
    this.params = scratch.params;
    this.norm = scratch.norm;
    this.marks = scratch.marks;
  }

  /** The frame as latin1 text (token values, line ends), made on first use: binary frames rarely need it. */
  get s(): string {
    return (this.text ??= latin1(this.buf));
  }

  /** Saves the lengths of every list a failed alternative must give back; returns the mark's handle. */
  mark(): number {
    const m = this.top;
    const k = this.marks;
    k[m] = this.fields.length;
    k[m + 1] = this.issues.length;
    k[m + 2] = this.deferred.length;
    k[m + 3] = this.params.length;
    k[m + 4] = this.carried.length;
    k[m + 5] = this.lineEnds.length;
    k[m + 6] = this.quoted.length;
    k[m + 7] = this.norm.length;
    this.top = m + MARK_SIZE;
    return m;
  }
  restore(m: number): void {
    const k = this.marks;
    truncate(this.fields, k[m]!);
    truncate(this.issues, k[m + 1]!);
    truncate(this.deferred, k[m + 2]!);
    truncate(this.params, k[m + 3]!);
    truncate(this.carried, k[m + 4]!);
    truncate(this.lineEnds, k[m + 5]!);
    truncate(this.quoted, k[m + 6]!);
    truncate(this.norm, k[m + 7]!);
  }
  /** Drops mark `m` and every mark taken after it. */
  release(m: number): void {
    this.top = m;
  }
  /** Whether a failure at `pos` would be kept: callers build costly messages only then. */
  failsAt(pos: number): boolean {
    return pos >= this.failPos;
  }
  fail(pos: number, expected: string): -1 {
    if (pos > this.failPos) {
      this.failPos = pos;
      this.failExpected = [expected];
    } else if (pos === this.failPos && !this.failExpected.includes(expected))
      this.failExpected.push(expected);
    return -1;
  }
  record(at: Site, start: number, end: number, value: unknown): number {
    if (at.param !== undefined && value !== undefined) this.norm.push(at.param, value, at.paramAs);
    if (!this.collect) return -1;
    return this.fields.push({ path: at.path, node: at.node, start, end, value }) - 1;
  }
  recordGenerated(at: Site, start: number, end: number, value: unknown): void {
    if (at.param !== undefined) this.norm.push(at.param, value, at.paramAs);
    if (this.collect) this.fields.push({ path: at.path, node: at.node, start, end, value, generated: true });
  }
  issue(i: Issue): void {
    this.issues.push(i);
  }
  /**
   * An issue whose message is written only if it survives: one raised inside an alternative that
   * then fails is dropped with it, and PEG backtracking raises many of those.
   */
  issueLater(make: () => Issue): void {
    this.issues.push(make);
    this.lazyIssues = true;
  }
  /** The issues, all written out. */
  issueList(): Issue[] {
    const list = this.issues;
    if (this.lazyIssues)
      for (let i = 0; i < list.length; i++) {
        const item = list[i]!;
        if (typeof item === 'function') list[i] = item();
      }
    return list as Issue[];
  }
}

const MARK_SIZE = 8;

/** Shortens a list. Setting an array's length is slow even for a change of one; pop is not. */
function truncate(list: unknown[], length: number): void {
  if (list.length - length > 8) list.length = length;
  else while (list.length > length) list.pop();
}

type Parse = (st: State, pos: number, end: number, scope: Scope) => number;

const table = (chars: string): Uint8Array => {
  const t = new Uint8Array(256);
  for (const c of chars) t[c.charCodeAt(0) & 0xff] = 1;
  return t;
};

const show = (s: string) => JSON.stringify(s);
/** Outside the frame's root nothing is named; nothing writes here either (frozen, to be sure). */
const ROOT_SCOPE: Scope = Object.freeze({ vals: Object.freeze({}), spans: Object.freeze({}), up: null });

// ---- compilation --------------------------------------------------------------------------------

function compile(n: Node, path: string, stops: string, ctx: Context, memberKey?: string): Parse {
  const parse = compileNode(n, path, stops, ctx, memberKey);
  const deviation = n.deviation;
  if (!deviation) return parse;
  return (st, pos, end, scope) => {
    const q = parse(st, pos, end, scope);
    if (q >= 0 && st.v !== ABSENT)
      st.issue({
        id: `${path}.deviation`,
        severity: deviation.severity,
        group: 'protocol',
        path,
        offset: pos,
        message: deviation.message,
      });
    return q;
  };
}

function compileNode(n: Node, path: string, stops: string, ctx: Context, memberKey?: string): Parse {
  switch (n.kind) {
    case 'uint':
      return compileUint(n, path);
    case 'bcd':
      return compileBcd(n, path);
    case 'bytes':
      return compileBytes(n, path);
    case 'lit': {
      const value = n.value;
      const codes = [...value].map((c) => c.charCodeAt(0));
      const expected = show(value);
      const at = site(path, n);
      return (st, pos, end) => {
        if (pos + codes.length > end) return st.fail(pos, expected);
        for (let i = 0; i < codes.length; i++)
          if (st.buf[pos + i] !== codes[i]) return st.fail(pos, expected);
        st.v = undefined;
        st.record(at, pos, pos + codes.length, value);
        return pos + codes.length;
      };
    }
    case 'oneOf':
      return compileOneOf(n, path);
    case 'struct':
      return compileStruct(n, path, stops, ctx);
    case 'switch':
    case 'choice':
      return compileAlternatives(n, path, stops, ctx, memberKey);
    case 'optional': {
      const inner = compile(n.node, path, stops, ctx, memberKey);
      return (st, pos, end, scope) => {
        const m = st.mark();
        const q = inner(st, pos, end, scope);
        if (q < 0) {
          st.restore(m);
          st.v = ABSENT;
        }
        st.release(m);
        return q < 0 ? pos : q;
      };
    }
    case 'repeat':
      return compileRepeat(n, path, stops, ctx);
    case 'line':
      return compileLine(n, path, stops, ctx, memberKey);
    case 'token':
      return compileToken(n, path, stops);
    case 'computed':
      return compileComputed(n, path);
  }
}

function startsWith(buf: Uint8Array, pos: number, end: number, text: string): boolean {
  if (pos + text.length > end) return false;
  for (let i = 0; i < text.length; i++) if (buf[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

const HEX_DIGIT_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));

function compileBcd(n: Extract<Node, { kind: 'bcd' }>, path: string): Parse {
  const { size, pad } = n;
  const expected = `${size} BCD bytes`;
  const at = site(path, n);
  return (st, pos, end) => {
    if (pos + size > end) return st.fail(pos, expected);
    // Character codes first, one string at the end (not a new string per digit).
    const codes: number[] = [];
    let bad = false;
    for (let i = 0; i < size; i++) {
      const b = st.buf[pos + i]!;
      for (let nib = b >> 4, k = 0; k < 2; nib = b & 15, k++) {
        if (nib === pad) continue;
        if (nib > 9) bad = true;
        codes.push(HEX_DIGIT_CODES[nib]!);
      }
    }
    const digits = String.fromCharCode(...codes);
    if (bad)
      st.issueLater(() => ({
        id: `${path}.syntax`,
        severity: 'warn',
        group: 'malformed',
        path,
        offset: pos,
        message: `BCD digits contain non-decimal nibbles (${digits})`,
      }));
    st.v = digits;
    st.record(at, pos, pos + size, digits);
    return pos + size;
  };
}

function compileBytes(n: Extract<Node, { kind: 'bytes' }>, path: string): Parse {
  const size = n.size;
  const at = site(path, n);
  return (st, pos, end, scope) => {
    let len: number;
    if (size === 'rest') len = end - pos;
    else if (typeof size === 'number') len = size;
    else {
      const ref = Number(lookup(scope, size.ref));
      len = Number.isFinite(ref) ? ref : -1;
    }
    if (len < 0 || pos + len > end)
      return st.failsAt(pos)
        ? st.fail(pos, `${len < 0 ? 'a' : len} byte${len === 1 ? '' : 's'} of ${path}`)
        : -1;
    const value = st.buf.slice(pos, pos + len);
    st.v = value;
    st.record(at, pos, pos + len, value);
    return pos + len;
  };
}

function compileOneOf(n: Extract<Node, { kind: 'oneOf' }>, path: string): Parse {
  // Longest first, so that a literal that is a prefix of another does not shadow it.
  const options = Object.keys(n.values).sort((a, b) => b.length - a.length);
  const expected = options.map(show).join(' or ');
  const meanings = n.values;
  const role = n.role;
  const at = site(path, n);
  return (st, pos, end) => {
    for (const o of options) {
      if (!startsWith(st.buf, pos, end, o)) continue;
      if (role === 'direction') st.direction = meanings[o] as Direction;
      st.v = o;
      st.record(at, pos, pos + o.length, o);
      return pos + o.length;
    }
    return st.fail(pos, expected);
  };
}

function compileRepeat(
  n: Extract<Node, { kind: 'repeat' }>,
  path: string,
  stops: string,
  ctx: Context,
): Parse {
  const inner = compile(n.node, path, n.sep ? stops + n.sep : stops, ctx);
  const sep = n.sep;
  const sepExpected = sep === undefined ? '' : show(sep);
  const min = n.min ?? 0;
  const max = n.max ?? Infinity;
  const tooFew = `at least ${min} ${path} item${min === 1 ? '' : 's'}`;
  const at = site(path, n);
  return (st, pos, end, scope) => {
    const items: unknown[] = [];
    const rec = st.record(at, pos, pos, undefined);
    let p = pos;
    let partialItem: unknown = ABSENT;
    while (items.length < max) {
      let r = p;
      if (sep !== undefined && items.length > 0) {
        if (!startsWith(st.buf, r, end, sep)) {
          st.fail(r, sepExpected);
          break;
        }
        r += sep.length;
      }
      const m = st.mark();
      const q = inner(st, r, end, scope);
      if (q < 0 && st.partial && items.length < min) {
        partialItem = st.v; // keep what the missing item got to, for the partial result
        st.release(m);
        break;
      }
      // Without a separator an empty item would repeat forever; with one, an empty item is a field.
      if (q < 0 || (q === p && (sep === undefined || items.length > 0))) {
        st.restore(m);
        st.release(m);
        break;
      }
      st.release(m);
      items.push(st.v);
      p = q;
    }
    if (rec >= 0) st.fields[rec]!.end = p;
    if (items.length < min) {
      if (partialItem !== ABSENT) items.push(partialItem);
      st.v = items;
      return st.fail(p, tooFew);
    }
    st.v = items;
    return p;
  };
}

function compileLine(
  n: Extract<Node, { kind: 'line' }>,
  path: string,
  stops: string,
  ctx: Context,
  memberKey: string | undefined,
): Parse {
  const inner = compile(n.node, path, stops + '\r\n', ctx, memberKey);
  return (st, pos, end, scope) => {
    const q = inner(st, pos, end, scope);
    if (q < 0) return -1;
    const lineEnd = lineEndAt(st.buf, q, end);
    if (lineEnd === undefined) return st.fail(q, 'end of line');
    st.lineEnds.push(lineEnd);
    return q + lineEnd.length;
  };
}

/** The line end at `q` (CRLF, CR or LF; none at the end of the frame), or undefined if there is none. */
function lineEndAt(buf: Uint8Array, q: number, end: number): string | undefined {
  if (q >= end) return '';
  if (buf[q] === 13) return q + 1 < end && buf[q + 1] === 10 ? '\r\n' : '\r';
  return buf[q] === 10 ? '\n' : undefined;
}

function compileComputed(n: Extract<Node, { kind: 'computed' }>, path: string): Parse {
  const impl = COMPUTE[n.fn];
  const { args, options } = n;
  const at = site(path, n);
  // Indexed loops: schema arrays are frozen, and for…of over a frozen array allocates as it goes.
  return (st, pos, _end, scope) => {
    const values = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) {
      const v = lookup(scope, args[i]!);
      if (v === undefined) {
        st.v = undefined;
        return pos;
      }
      values[i] = v;
    }
    const value = impl(values, options);
    st.v = value;
    if (value === undefined) return pos;
    // The generated field covers the fields it was computed from.
    let s = Infinity;
    let e = -Infinity;
    if (st.collect)
      for (let i = 0; i < args.length; i++) {
        const sp = lookupSpan(scope, args[i]!);
        if (sp) {
          s = Math.min(s, sp[0]);
          e = Math.max(e, sp[1]);
        }
      }
    st.recordGenerated(at, s === Infinity ? pos : s, e === -Infinity ? pos : e, value);
    return pos;
  };
}

function compileUint(n: Extract<Node, { kind: 'uint' }>, path: string): Parse {
  const { size, endian, range, derive } = n;
  const known = describedBy(n.names);
  const expected = `${size}-byte ${path}`;
  const init = checksumInit(derive);
  const at = site(path, n);
  return (st, pos, end, scope) => {
    if (pos + size > end) return st.fail(pos, expected);
    const b = st.buf;
    let v: number;
    if (size === 1) v = b[pos]!;
    else if (size === 2) v = endian === 'be' ? (b[pos]! << 8) | b[pos + 1]! : b[pos]! | (b[pos + 1]! << 8);
    else
      v =
        endian === 'be'
          ? ((b[pos]! << 24) >>> 0) + ((b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!)
          : ((b[pos + 3]! << 24) >>> 0) + ((b[pos + 2]! << 16) | (b[pos + 1]! << 8) | b[pos]!);
    if (known !== undefined || range !== undefined) checkValue(st, path, pos, v, known, range);
    if (derive)
      st.deferred.push({ derive, init, path, scope, start: pos, end: pos + size, value: v, text: false });
    st.v = v;
    st.record(at, pos, pos + size, v);
    return pos + size;
  };
}

/**
 * Whether a value has a name: `key in names`, with the own keys in a Set first (a keyed `in` on
 * the many different name tables is slow; inherited keys still count, as `in` counts them).
 */
function describedBy(
  names: Readonly<Record<string, string>> | undefined,
): ((key: string) => boolean) | undefined {
  if (names === undefined) return undefined;
  const own = new Set(Object.keys(names));
  return (key) => own.has(key) || key in names;
}

function checkValue(
  st: State,
  path: string,
  pos: number,
  v: number | string,
  known: ((key: string) => boolean) | undefined,
  range: readonly [number, number] | undefined,
): void {
  if (known && !known(String(v)))
    st.issueLater(() => ({
      id: `${path}.unknown`,
      severity: 'note',
      group: 'undecoded',
      path,
      offset: pos,
      actual: v,
      message: `${path} value ${typeof v === 'number' ? `0x${v.toString(16).padStart(2, '0')}` : show(v)} is not described by the documents`,
    }));
  if (range) {
    const x = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
    if (Number.isFinite(x) && (x < range[0] || x > range[1]))
      st.issueLater(() => ({
        id: `${path}.range`,
        severity: 'warn',
        group: 'protocol',
        path,
        offset: pos,
        actual: v,
        expected: `${range[0]}..${range[1]}`,
        message: `${path} ${v} is outside the documented range [${range[0]}, ${range[1]}]`,
      }));
  }
}

function compileToken(n: TokenNode, path: string, stops: string): Parse {
  const stop = table(stops);
  const valid = TOKEN_SYNTAX_TEST[n.syntax];
  const { quoted, length, range, derive, carries } = n;
  const known = describedBy(n.names);
  const init = checksumInit(derive);
  const at = site(path, n);
  return (st, pos, end, scope) => {
    const buf = st.buf;
    let p = pos;
    let value: string;
    let wasQuoted = false;
    if (quoted && buf[p] === 34) {
      let q = p + 1;
      while (q < end && buf[q] !== 34) q++;
      if (q >= end) return st.fail(q, "closing '\"'");
      value = st.s.slice(p + 1, q);
      p = q + 1;
      wasQuoted = true;
    } else if (quoted === 'always') return st.fail(p, "'\"'");
    else {
      while (p < end && stop[buf[p]!] !== 1) p++;
      value = p === pos ? '' : st.s.slice(pos, p);
    }
    if (quoted === 'optional') st.quoted.push(wasQuoted);
    if (value !== '') {
      if (!valid(value)) syntaxIssue(st, n, path, pos, value);
      if (length && (value.length < length[0] || value.length > length[1]))
        lengthIssue(st, length, path, pos, value);
      if (known !== undefined || range !== undefined) checkValue(st, path, pos, value, known, range);
    }
    if (derive) st.deferred.push({ derive, init, path, scope, start: pos, end: p, value, text: true });
    if (carries) carry(st, path, carries.stream, scope, value);
    st.v = value;
    st.record(at, pos, p, value);
    return p;
  };
}

function syntaxIssue(st: State, n: TokenNode, path: string, pos: number, value: string): void {
  tokenIssue(st, path, pos, value, () => [n.syntax, `${path} ${show(value)} is not ${n.syntax}`]);
}

function lengthIssue(
  st: State,
  length: readonly [number, number],
  path: string,
  pos: number,
  value: string,
): void {
  const [min, max] = length;
  tokenIssue(st, path, pos, value, () => [
    min === max ? `${min} characters` : `${min}..${max} characters`,
    `${path} ${show(value)} has ${value.length} characters, expected ${min === max ? min : `${min} to ${max}`}`,
  ]);
}

/**
 * A text token whose characters do not fit its declared syntax or length. The texts are written only
 * if the issue survives (an alternative that later fails drops its issues).
 */
function tokenIssue(
  st: State,
  path: string,
  pos: number,
  actual: string,
  describe: () => readonly [expected: string, message: string],
): void {
  st.issueLater(() => {
    const [expected, message] = describe();
    return {
      id: `${path}.syntax`,
      severity: 'warn',
      group: 'malformed',
      path,
      offset: pos,
      actual,
      expected,
      message,
    };
  });
}

/** Hex text (or raw text, when it is not hex) that belongs to an inner byte stream. */
function carry(st: State, path: string, keys: readonly string[], scope: Scope, text: string): void {
  const stream = keys.map((k) => `${k}=${String(lookup(scope, k))}`).join(',');
  const isHex = text.length % 2 === 0 && /^[0-9A-Fa-f]*$/.test(text);
  const bytes = isHex
    ? Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16))
    : Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  if (bytes.length > 0) st.carried.push({ path, stream, bytes, raw: !isHex });
}

function compileStruct(
  n: Extract<Node, { kind: 'struct' }>,
  path: string,
  stops: string,
  ctx: Context,
): Parse {
  const entries = Object.entries(n.fields);
  const nodes = entries.map(([, c]) => c);
  const sep = n.sep;
  const sepExpected = sep === undefined ? '' : show(sep);
  const members = entries.map(([key, child], i) => {
    const transparent = child.kind === 'switch' || child.kind === 'choice';
    return {
      key,
      transparent,
      optional: child.kind === 'optional',
      zeroWidth: child.kind === 'computed',
      /** Its value goes into the struct's value (literals carry none; alternatives assign their own). */
      valued: !transparent && child.kind !== 'lit',
      needsSpan: ctx.spanNames.has(key),
      parse: compile(
        child,
        transparent ? path : `${path}.${key}`,
        stopsAfter(nodes, i, sep, stops),
        ctx,
        transparent ? key : undefined,
      ),
      /** Bytes held back for the fixed-size fields after it: how a `rest` body finds its end. */
      tail: binaryTail(nodes, i),
    };
  });
  const params = n.params;
  const lead = n.lead;
  const leadExpected = lead === undefined ? '' : show(lead);
  const at = site(path, n);
  return (st, pos, end, scope) => {
    if (lead !== undefined && !startsWith(st.buf, pos, end, lead)) return st.fail(pos, leadExpected);
    const vals: Record<string, unknown> = {};
    const sc: Scope = { vals, spans: {}, up: scope };
    const rec = st.record(at, pos, pos, undefined);
    let p = lead === undefined ? pos : pos + lead.length;
    let emitted = 0;
    let skipped = false;
    for (const m of members) {
      const fend = end - m.tail;
      let start = p;
      let q: number;
      if (sep !== undefined && !m.zeroWidth) {
        const needSep = emitted > 0;
        if (m.optional) {
          // Separated fields are positional: once one optional is absent, the later ones are too.
          if (skipped) continue;
          const mk = st.mark();
          let r = p;
          if (needSep) r = startsWith(st.buf, r, fend, sep) ? r + sep.length : st.fail(r, sepExpected);
          q = r >= 0 ? m.parse(st, r, fend, sc) : -1;
          if (q < 0 || st.v === ABSENT) {
            st.restore(mk);
            st.release(mk);
            skipped = true;
            continue;
          }
          st.release(mk);
          start = r;
        } else if (m.transparent) {
          st.sepBefore = needSep ? sep : undefined;
          q = m.parse(st, p, fend, sc);
          st.sepBefore = undefined;
        } else {
          if (needSep) {
            if (!startsWith(st.buf, p, fend, sep)) {
              st.fail(p, sepExpected);
              return failStruct(st, rec, p, vals);
            }
            p += sep.length;
            start = p;
          }
          q = m.parse(st, p, fend, sc);
        }
      } else q = m.parse(st, p, fend, sc);
      if (q < 0) {
        if (st.partial && m.valued && st.v !== undefined) vals[m.key] = st.v;
        return failStruct(st, rec, p, vals);
      }
      if (st.v !== ABSENT) {
        if (m.valued) vals[m.key] = st.v;
        if (m.needsSpan) sc.spans[m.key] = [start, q];
        if (!m.zeroWidth) emitted++;
      }
      p = q;
    }
    if (rec >= 0) st.fields[rec]!.end = p;
    if (params) st.params.push(params);
    st.v = vals;
    return p;
  };
}

function failStruct(st: State, rec: number, p: number, vals: Record<string, unknown>): -1 {
  if (rec >= 0) st.fields[rec]!.end = p;
  st.v = vals;
  return -1;
}

function compileAlternatives(
  n: Extract<Node, { kind: 'switch' | 'choice' }>,
  path: string,
  stops: string,
  ctx: Context,
  memberKey: string | undefined,
): Parse {
  // As a struct member the alternative's value goes straight into the struct under its label;
  // elsewhere (frame root, inside a line or repeat) it is wrapped as { [label]: value }.
  const asMember = memberKey !== undefined;
  const memberSpan = memberKey !== undefined && ctx.spanNames.has(memberKey);
  // A case that is itself a switch or choice is flattened: its own cases stand in for it. A separator
  // owed by the enclosing struct is consumed here, unless the chosen case is empty.
  const build = (key: string, child: Node) => {
    const nested = child.kind === 'switch' || child.kind === 'choice';
    const label = altLabel(n, key, child, memberKey);
    const inner = nested
      ? compile(child, path, stops, ctx, memberKey)
      : compile(child, `${path}.${label}`, stops, ctx);
    const empty = isEmptyCase(child);
    const parse: Parse = (st, pos, end, scope) => {
      const sep = st.sepBefore;
      if (nested) return inner(st, pos, end, scope);
      st.sepBefore = undefined;
      const start = sep === undefined || empty ? pos : pos + sep.length;
      if (start !== pos && !startsWith(st.buf, pos, end, sep!))
        return st.failsAt(pos) ? st.fail(pos, show(sep!)) : -1;
      const q = inner(st, start, end, scope);
      st.caseStart = start;
      return q;
    };
    return { key, label, params: child.params, parse, nested, labelSpan: ctx.spanNames.has(label) };
  };
  type Alt = ReturnType<typeof build>;
  /** Puts the chosen case's value in place; a partial one (withParams false) adds no constants. */
  const assign = (st: State, scope: Scope, alt: Alt, pos: number, q: number, withParams: boolean) => {
    if (withParams && alt.params) st.params.push(alt.params);
    const start = alt.nested ? pos : Math.min(st.caseStart, q);
    if (memberSpan) scope.spans[memberKey] = [start, q];
    if (alt.nested) return q;
    const v = st.v;
    if (asMember) {
      scope.vals[alt.label] = v;
      if (alt.labelSpan) scope.spans[alt.label] = [start, q];
    } else st.v = { [alt.label]: v };
    return q;
  };
  if (n.kind === 'switch') {
    const cases = new Map(Object.entries(n.cases).map(([k, c]) => [k, build(k, c)]));
    const fallback = n.default ? build('$default', n.default) : undefined;
    const on = n.on;
    return (st, pos, end, scope) => {
      const disc = on === '$direction' ? st.direction : lookup(scope, on);
      const c = cases.get(String(disc)) ?? fallback;
      if (!c) return st.fail(pos, `a case of ${path} for ${on} = ${String(disc)}`);
      st.caseStart = pos;
      const q = c.parse(st, pos, end, scope);
      if (q < 0) {
        if (st.partial) assign(st, scope, c, pos, pos, false);
        return -1;
      }
      return assign(st, scope, c, pos, q, true);
    };
  }
  const variants = Object.entries(n.variants).map(([k, c]) => build(k, c));
  return (st, pos, end, scope) => {
    let furthest = -1;
    let best = variants[0];
    const sepBefore = st.sepBefore;
    for (const v of variants) {
      st.sepBefore = sepBefore;
      st.caseStart = pos;
      const m = st.mark();
      // Each variant's failures are measured on their own, then merged with those before it.
      const beforePos = st.failPos;
      const beforeExpected = st.failExpected;
      st.failPos = -1;
      const q = v.parse(st, pos, end, scope);
      const reached = st.failPos;
      if (beforePos > reached) {
        st.failPos = beforePos;
        st.failExpected = beforeExpected;
      } else if (beforePos === reached)
        for (const e of beforeExpected) if (!st.failExpected.includes(e)) st.failExpected.push(e);
      if (q >= 0) {
        st.release(m);
        return assign(st, scope, v, pos, q, true);
      }
      st.restore(m);
      st.release(m);
      if (reached > furthest) {
        furthest = reached;
        best = v;
      }
    }
    if (st.partial && best) {
      st.sepBefore = sepBefore;
      best.parse(st, pos, end, scope);
      assign(st, scope, best, pos, pos, false);
    }
    return -1;
  };
}

// ---- derived-field verification -------------------------------------------------------------------

function verify(st: State, frameLength: number): ChecksumResult[] {
  const results: ChecksumResult[] = [];
  for (const d of st.deferred) {
    const { derive, path } = d;
    const actual = d.text ? parseTextNumber(d.value, derive.kind === 'checksum') : (d.value as number);
    if (derive.kind === 'lengthOf') {
      const sp =
        derive.target === '$frame' ? ([0, frameLength] as const) : lookupSpan(d.scope, derive.target);
      if (!sp) continue;
      const expected = sp[1] - sp[0];
      if (actual !== expected)
        st.issue({
          id: `${path}.bad`,
          severity: 'error',
          group: 'malformed',
          path,
          offset: d.start,
          expected,
          actual: actual ?? String(d.value),
          message: `${path} says ${actual ?? show(String(d.value))} bytes but ${derive.target === '$frame' ? 'the frame has' : `${derive.target} has`} ${expected}`,
        });
    } else if (derive.kind === 'countOf') {
      const target = lookup(d.scope, derive.target);
      const expected = Array.isArray(target) ? target.length : undefined;
      if (expected !== undefined && actual !== expected)
        st.issue({
          id: `${path}.bad`,
          severity: 'warn',
          group: 'malformed',
          path,
          offset: d.start,
          expected,
          actual: actual ?? String(d.value),
          message: `${path} says ${actual ?? show(String(d.value))} ${derive.target} but ${expected} follow`,
        });
    } else {
      const from = derive.from === '$frame' ? 0 : lookupSpan(d.scope, derive.from)?.[0];
      const to = derive.to === '$frame' ? d.start : lookupSpan(d.scope, derive.to)?.[1];
      if (from === undefined || to === undefined) continue;
      const algo = CHECKSUMS[derive.algorithm];
      const expected = algo.compute(st.buf, from, to, d.init);
      const good = actual === expected;
      results.push({
        path,
        algorithm: derive.algorithm,
        status: good ? 'good' : 'bad',
        expected,
        actual: actual ?? NaN,
        start: from,
        end: to,
      });
      if (!good) {
        const w = algo.width * 2;
        const hexOf = (x: number) => x.toString(16).toUpperCase().padStart(w, '0');
        st.issue({
          id: `${path}.bad`,
          severity: 'error',
          group: 'checksum',
          path,
          offset: d.start,
          expected: hexOf(expected),
          actual: actual === undefined ? String(d.value) : hexOf(actual),
          message: `${path} is ${actual === undefined ? show(String(d.value)) : `0x${hexOf(actual)}`}, ${derive.algorithm} of bytes ${from}..${to - 1} is 0x${hexOf(expected)}`,
        });
      }
    }
  }
  return results;
}

function parseTextNumber(v: unknown, hexDigits: boolean): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (hexDigits) return /^[0-9A-Fa-f]+$/.test(v) ? parseInt(v, 16) : undefined;
  return /^[0-9]+$/.test(v) ? Number(v) : undefined;
}

// ---- entry points -------------------------------------------------------------------------------

export interface DecodeOptions {
  /** Who sent it, when the transport knows (a frame's own marker takes precedence for its grammar). */
  readonly direction?: Direction;
  /** Build the field list with spans (needed for trees and JSON; not for counting). Default true. */
  readonly fields?: boolean;
}

const compiled = new WeakMap<FrameType, Parse>();

function compiledFor(protocol: Protocol, frameType: FrameType): Parse {
  let p = compiled.get(frameType);
  if (!p) {
    const ctx: Context = { spanNames: spanReferences(frameType.node) };
    p = compile(frameType.node, rootPath(protocol, frameType), '', ctx);
    compiled.set(frameType, p);
  }
  return p;
}

/** One pass of the grammar over the frame; `st.end` is where it stopped, or -1. */
function run(
  parse: Parse,
  bytes: Uint8Array,
  collect: boolean,
  partial: boolean,
  direction: Direction | undefined,
  scratch: Scratch,
) {
  const st = new State(bytes, collect, partial, direction, scratch);
  st.end = parse(st, 0, bytes.length, ROOT_SCOPE);
  return st;
}

/** Decode one frame (already cut out of its stream) as the given frame type. Never throws on bad bytes. */
export function decodeFrame(
  protocol: Protocol,
  frameType: FrameType,
  bytes: Uint8Array,
  opts: DecodeOptions = {},
): DecodedFrame {
  const parse = compiledFor(protocol, frameType);
  const collect = opts.fields !== false;
  const direction = frameType.direction ?? opts.direction;
  const scratch = takeScratch();
  let st = run(parse, bytes, collect, false, direction, scratch);
  const end = st.end;
  const ok = end >= 0;
  if (!ok) {
    // A second pass keeps what the failing grammar got to; the failure is the first pass's.
    const failPos = st.failPos;
    const expected = st.failExpected.join(' or ');
    scratch.clear();
    st = run(parse, bytes, collect, true, direction, scratch);
    const got = failPos < bytes.length ? show(st.s.slice(failPos, failPos + 12)) : 'the end of the frame';
    st.issues.push({
      id: `${protocol.name}.malformed`,
      severity: 'error',
      group: 'malformed',
      offset: failPos,
      expected,
      message: `expected ${expected} at byte ${failPos}, found ${got}`,
    });
  } else if (end < bytes.length) {
    st.issues.push({
      id: `${protocol.name}.trailing`,
      severity: 'warn',
      group: 'malformed',
      offset: end,
      actual: bytes.length - end,
      message: `${bytes.length - end} byte${bytes.length - end === 1 ? '' : 's'} after the end of the ${frameType.name} at byte ${end}`,
    });
  }
  const checksums = verify(st, bytes.length);
  if (frameType.direction === undefined && opts.direction && st.direction && st.direction !== opts.direction)
    st.issues.push({
      id: `${protocol.name}.direction`,
      severity: 'note',
      group: 'protocol',
      message: `frame marked ${st.direction} travelled ${opts.direction}`,
    });
  const normalized = normalize(st.norm, st.params, frameType);
  releaseScratch(scratch);
  return {
    protocol: protocol.name,
    frameType: frameType.name,
    direction: st.direction ?? opts.direction,
    value: st.v,
    ok,
    length: bytes.length,
    fields: st.fields,
    checksums,
    issues: st.issueList(),
    normalized,
    carried: st.carried,
    layout: { lineEnds: st.lineEnds, quoted: st.quoted },
  };
}
