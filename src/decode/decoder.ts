// The decoder backend: each frame type's schema is compiled once into closures (a recursive-descent
// parser with PEG choice), which then decode frames without walking the schema again. Bad wire data
// never throws: it yields issues, and a frame whose grammar fails keeps everything decoded before
// the failure.
import {
  CHECKSUMS,
  altLabel,
  fixedSize,
  isEmptyCase,
  rootPath,
  stopsAfter,
  type Derive,
  type Direction,
  type FrameType,
  type Node,
  type Protocol,
  type TokenNode,
} from '../schema/index.js';
import { lookup, lookupSpan, TOKEN_SYNTAX, type Scope } from './scope.js';
import { latin1 } from './bytes.js';
import { COMPUTE } from './compute.js';
import { normalize } from './normalize.js';
import type { CarriedBytes, ChecksumResult, DecodedFrame, FieldRecord, Issue } from './types.js';

interface Deferred {
  readonly derive: Derive;
  readonly path: string;
  readonly scope: Scope;
  readonly start: number;
  readonly end: number;
  readonly value: unknown;
  readonly text: boolean;
}

const ABSENT = Symbol('absent');

class State {
  s = '';
  v: unknown = undefined;
  direction: Direction | undefined;
  readonly fields: FieldRecord[] = [];
  readonly issues: Issue[] = [];
  readonly deferred: Deferred[] = [];
  readonly params: Readonly<Record<string, string | number | boolean>>[] = [];
  readonly carried: CarriedBytes[] = [];
  readonly lineEnds: string[] = [];
  readonly quoted: boolean[] = [];
  /** Values of fields that feed normalized parameters: [param, value, conversion]. */
  readonly norm: [string, unknown, string | undefined][] = [];
  failPos = -1;
  failExpected = new Set<string>();
  partial = false;
  /** A separator the enclosing struct owes before a transparent switch/choice member, if its case is not empty. */
  sepBefore: string | undefined;
  /** Where the last chosen case began (after any separator), for its span. */
  caseStart = 0;

  constructor(
    readonly buf: Uint8Array,
    readonly collect: boolean,
  ) {}

  mark(): number[] {
    return [
      this.fields.length,
      this.issues.length,
      this.deferred.length,
      this.params.length,
      this.carried.length,
      this.lineEnds.length,
      this.quoted.length,
      this.norm.length,
    ];
  }
  restore(m: number[]): void {
    this.fields.length = m[0]!;
    this.issues.length = m[1]!;
    this.deferred.length = m[2]!;
    this.params.length = m[3]!;
    this.carried.length = m[4]!;
    this.lineEnds.length = m[5]!;
    this.quoted.length = m[6]!;
    this.norm.length = m[7]!;
  }
  fail(pos: number, expected: string): -1 {
    if (pos > this.failPos) {
      this.failPos = pos;
      this.failExpected = new Set([expected]);
    } else if (pos === this.failPos) this.failExpected.add(expected);
    return -1;
  }
  record(path: string, node: Node, start: number, end: number, value: unknown, generated = false): number {
    if (node.param !== undefined && value !== undefined) this.norm.push([node.param, value, node.paramAs]);
    if (!this.collect) return -1;
    return this.fields.push({ path, node, start, end, value, ...(generated ? { generated } : {}) }) - 1;
  }
  issue(i: Issue): void {
    this.issues.push(i);
  }
}

type Parse = (st: State, pos: number, end: number, scope: Scope) => number;

const table = (chars: string): Uint8Array => {
  const t = new Uint8Array(256);
  for (const c of chars) t[c.charCodeAt(0) & 0xff] = 1;
  return t;
};

const show = (s: string) => JSON.stringify(s);

// ---- compilation --------------------------------------------------------------------------------

function compile(n: Node, path: string, stops: string, memberKey?: string): Parse {
  const parse = compileNode(n, path, stops, memberKey);
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

function compileNode(n: Node, path: string, stops: string, memberKey?: string): Parse {
  switch (n.kind) {
    case 'uint':
      return compileUint(n, path);
    case 'bcd': {
      const { size, pad } = n;
      return (st, pos, end) => {
        if (pos + size > end) return st.fail(pos, `${size} BCD bytes`);
        let digits = '';
        let bad = false;
        for (let i = 0; i < size; i++) {
          const b = st.buf[pos + i]!;
          for (const nib of [b >> 4, b & 15]) {
            if (nib === pad) continue;
            if (nib > 9) bad = true;
            digits += nib.toString(16);
          }
        }
        if (bad)
          st.issue({
            id: `${path}.syntax`,
            severity: 'warn',
            group: 'malformed',
            path,
            offset: pos,
            message: `BCD digits contain non-decimal nibbles (${digits})`,
          });
        st.v = digits;
        st.record(path, n, pos, pos + size, digits);
        return pos + size;
      };
    }
    case 'bytes': {
      const size = n.size;
      return (st, pos, end, scope) => {
        let len: number;
        if (size === 'rest') len = end - pos;
        else if (typeof size === 'number') len = size;
        else {
          const ref = Number(lookup(scope, size.ref));
          len = Number.isFinite(ref) ? ref : -1;
        }
        if (len < 0 || pos + len > end)
          return st.fail(pos, `${len < 0 ? 'a' : len} byte${len === 1 ? '' : 's'} of ${path}`);
        const value = st.buf.slice(pos, pos + len);
        st.v = value;
        st.record(path, n, pos, pos + len, value);
        return pos + len;
      };
    }
    case 'lit': {
      const value = n.value;
      const codes = [...value].map((c) => c.charCodeAt(0));
      const expected = show(value);
      return (st, pos, end) => {
        if (pos + codes.length > end) return st.fail(pos, expected);
        for (let i = 0; i < codes.length; i++)
          if (st.buf[pos + i] !== codes[i]) return st.fail(pos, expected);
        st.v = undefined;
        st.record(path, n, pos, pos + codes.length, value);
        return pos + codes.length;
      };
    }
    case 'oneOf': {
      const options = Object.keys(n.values).sort((a, b) => b.length - a.length);
      const expected = options.map(show).join(' or ');
      const meanings = n.values;
      const role = n.role;
      return (st, pos, end) => {
        for (const o of options) {
          if (pos + o.length > end) continue;
          let ok = true;
          for (let i = 0; i < o.length && ok; i++) ok = st.buf[pos + i] === o.charCodeAt(i);
          if (!ok) continue;
          if (role === 'direction') st.direction = meanings[o] as Direction;
          st.v = o;
          st.record(path, n, pos, pos + o.length, o);
          return pos + o.length;
        }
        return st.fail(pos, expected);
      };
    }
    case 'struct':
      return compileStruct(n, path, stops);
    case 'switch':
    case 'choice':
      return compileAlternatives(n, path, stops, memberKey);
    case 'optional': {
      const inner = compile(n.node, path, stops, memberKey);
      return (st, pos, end, scope) => {
        const m = st.mark();
        const q = inner(st, pos, end, scope);
        if (q >= 0) return q;
        st.restore(m);
        st.v = ABSENT;
        return pos;
      };
    }
    case 'repeat': {
      const inner = compile(n.node, path, n.sep ? stops + n.sep : stops);
      const sep = n.sep;
      const min = n.min ?? 0;
      const max = n.max ?? Infinity;
      return (st, pos, end, scope) => {
        const items: unknown[] = [];
        const rec = st.record(path, n, pos, pos, undefined);
        let p = pos;
        let partialItem: unknown = ABSENT;
        while (items.length < max) {
          const m = st.mark();
          let r = p;
          if (sep !== undefined && items.length > 0) {
            if (!startsWith(st.buf, r, end, sep)) {
              st.fail(r, show(sep));
              break;
            }
            r += sep.length;
          }
          const q = inner(st, r, end, scope);
          if (q < 0 && st.partial && items.length < min) {
            partialItem = st.v; // keep what the missing item got to, for the partial result
            break;
          }
          // Without a separator an empty item would repeat forever; with one, an empty item is a field.
          if (q < 0 || (q === p && (sep === undefined || items.length > 0))) {
            st.restore(m);
            break;
          }
          items.push(st.v);
          p = q;
        }
        if (rec >= 0) st.fields[rec]!.end = p;
        if (items.length < min) {
          st.v = partialItem === ABSENT ? items : [...items, partialItem];
          return st.fail(p, `at least ${min} ${path} item${min === 1 ? '' : 's'}`);
        }
        st.v = items;
        return p;
      };
    }
    case 'line': {
      const inner = compile(n.node, path, stops + '\r\n', memberKey);
      return (st, pos, end, scope) => {
        const q = inner(st, pos, end, scope);
        if (q < 0) return -1;
        const v = st.v;
        let r: number;
        if (q >= end) r = q;
        else if (st.buf[q] === 13) r = q + 1 < end && st.buf[q + 1] === 10 ? q + 2 : q + 1;
        else if (st.buf[q] === 10) r = q + 1;
        else return st.fail(q, 'end of line');
        st.lineEnds.push(st.s.slice(q, r));
        st.v = v;
        return r;
      };
    }
    case 'token':
      return compileToken(n, path, stops);
    case 'computed': {
      const impl = COMPUTE[n.fn];
      const { args, options } = n;
      return (st, pos, _end, scope) => {
        const values = args.map((a) => lookup(scope, a));
        const value = values.some((v) => v === undefined) ? undefined : impl(values, options);
        st.v = value;
        if (value !== undefined) {
          let s = Infinity;
          let e = -Infinity;
          for (const a of args) {
            const sp = lookupSpan(scope, a);
            if (sp) [s, e] = [Math.min(s, sp[0]), Math.max(e, sp[1])];
          }
          st.record(path, n, s === Infinity ? pos : s, e === -Infinity ? pos : e, value, true);
        }
        return pos;
      };
    }
  }
}

function startsWith(buf: Uint8Array, pos: number, end: number, text: string): boolean {
  if (pos + text.length > end) return false;
  for (let i = 0; i < text.length; i++) if (buf[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

function compileUint(n: Extract<Node, { kind: 'uint' }>, path: string): Parse {
  const { size, endian, names, range, derive } = n;
  return (st, pos, end, scope) => {
    if (pos + size > end) return st.fail(pos, `${size}-byte ${path}`);
    const b = st.buf;
    let v: number;
    if (size === 1) v = b[pos]!;
    else if (size === 2) v = endian === 'be' ? (b[pos]! << 8) | b[pos + 1]! : b[pos]! | (b[pos + 1]! << 8);
    else
      v =
        endian === 'be'
          ? ((b[pos]! << 24) >>> 0) + ((b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!)
          : ((b[pos + 3]! << 24) >>> 0) + ((b[pos + 2]! << 16) | (b[pos + 1]! << 8) | b[pos]!);
    checkValue(st, path, pos, v, names, range);
    if (derive) st.deferred.push({ derive, path, scope, start: pos, end: pos + size, value: v, text: false });
    st.v = v;
    st.record(path, n, pos, pos + size, v);
    return pos + size;
  };
}

function checkValue(
  st: State,
  path: string,
  pos: number,
  v: number | string,
  names: Readonly<Record<string, string>> | undefined,
  range: readonly [number, number] | undefined,
): void {
  if (names && !(String(v) in names))
    st.issue({
      id: `${path}.unknown`,
      severity: 'note',
      group: 'undecoded',
      path,
      offset: pos,
      actual: v,
      message: `${path} value ${typeof v === 'number' ? `0x${v.toString(16).padStart(2, '0')}` : show(v)} is not described by the documents`,
    });
  if (range) {
    const x = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
    if (Number.isFinite(x) && (x < range[0] || x > range[1]))
      st.issue({
        id: `${path}.range`,
        severity: 'warn',
        group: 'protocol',
        path,
        offset: pos,
        actual: v,
        expected: `${range[0]}..${range[1]}`,
        message: `${path} ${v} is outside the documented range [${range[0]}, ${range[1]}]`,
      });
  }
}

function compileToken(n: TokenNode, path: string, stops: string): Parse {
  const stop = table(stops);
  const syntax = TOKEN_SYNTAX[n.syntax];
  const { quoted, length, names, range, derive, carries } = n;
  return (st, pos, end, scope) => {
    let p = pos;
    let value: string;
    let wasQuoted = false;
    if (quoted && st.buf[p] === 34) {
      let q = p + 1;
      while (q < end && st.buf[q] !== 34) q++;
      if (q >= end) return st.fail(q, "closing '\"'");
      value = st.s.slice(p + 1, q);
      p = q + 1;
      wasQuoted = true;
    } else if (quoted === 'always') return st.fail(p, "'\"'");
    else {
      while (p < end && stop[st.buf[p]!] !== 1) p++;
      value = st.s.slice(pos, p);
    }
    if (quoted === 'optional') st.quoted.push(wasQuoted);
    if (value !== '' && !syntax.test(value))
      st.issue({
        id: `${path}.syntax`,
        severity: 'warn',
        group: 'malformed',
        path,
        offset: pos,
        actual: value,
        expected: n.syntax,
        message: `${path} ${show(value)} is not ${n.syntax}`,
      });
    if (length && value !== '' && (value.length < length[0] || value.length > length[1]))
      st.issue({
        id: `${path}.syntax`,
        severity: 'warn',
        group: 'malformed',
        path,
        offset: pos,
        actual: value,
        expected:
          length[0] === length[1] ? `${length[0]} characters` : `${length[0]}..${length[1]} characters`,
        message: `${path} ${show(value)} has ${value.length} characters, expected ${length[0] === length[1] ? length[0] : `${length[0]} to ${length[1]}`}`,
      });
    if (value !== '') checkValue(st, path, pos, value, names, range);
    if (derive) st.deferred.push({ derive, path, scope, start: pos, end: p, value, text: true });
    if (carries) carry(st, path, carries.stream, scope, value);
    st.v = value;
    st.record(path, n, pos, p, value);
    return p;
  };
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

function compileStruct(n: Extract<Node, { kind: 'struct' }>, path: string, stops: string): Parse {
  const entries = Object.entries(n.fields);
  const nodes = entries.map(([, c]) => c);
  const sep = n.sep;
  // Fields followed only by fixed-size fields end that many bytes before the struct does (`rest`).
  // Fields followed only by fixed-size fields, some of them binary (a CRC), end that many bytes before
  // the struct does: that is how a `rest` body finds its end. Literals alone need no room held back,
  // since text finds them by their characters (and a missing one is then reported where it belongs).
  const tails = nodes.map((_, i) => {
    let t = 0;
    let binary = false;
    for (let j = i + 1; j < nodes.length; j++) {
      const s = fixedSize(nodes[j]!);
      if (s === undefined) return 0;
      t += s;
      if (nodes[j]!.kind !== 'lit' && nodes[j]!.kind !== 'computed') binary = true;
    }
    return binary ? t : 0;
  });
  const members = entries.map(([key, child], i) => {
    const transparent = child.kind === 'switch' || child.kind === 'choice';
    return {
      key,
      kind: child.kind,
      transparent,
      zeroWidth: child.kind === 'computed',
      parse: compile(
        child,
        transparent ? path : `${path}.${key}`,
        stopsAfter(nodes, i, sep, stops),
        transparent ? key : undefined,
      ),
      tail: tails[i]!,
    };
  });
  const params = n.params;
  const lead = n.lead;
  return (st, pos, end, scope) => {
    const vals: Record<string, unknown> = {};
    const sc: Scope = { vals, spans: {}, up: scope };
    if (lead !== undefined && !startsWith(st.buf, pos, end, lead)) return st.fail(pos, show(lead));
    const rec = st.record(path, n, pos, pos, undefined);
    let p = lead === undefined ? pos : pos + lead.length;
    let emitted = 0;
    let skipped = false;
    for (const m of members) {
      const fend = end - m.tail;
      let start = p;
      let q: number;
      if (sep !== undefined && !m.zeroWidth) {
        const needSep = emitted > 0;
        if (m.kind === 'optional') {
          // Separated fields are positional: once one optional is absent, the later ones are too.
          if (skipped) continue;
          const mk = st.mark();
          let r = p;
          if (needSep) r = startsWith(st.buf, r, fend, sep) ? r + sep.length : st.fail(r, show(sep));
          q = r >= 0 ? m.parse(st, r, fend, sc) : -1;
          if (q < 0 || st.v === ABSENT) {
            st.restore(mk);
            skipped = true;
            continue;
          }
          start = r;
        } else if (m.transparent) {
          st.sepBefore = needSep ? sep : undefined;
          q = m.parse(st, p, fend, sc);
          st.sepBefore = undefined;
        } else {
          if (needSep) {
            if (!startsWith(st.buf, p, fend, sep)) {
              st.fail(p, show(sep));
              return failStruct(st, rec, p, vals);
            }
            p += sep.length;
            start = p;
          }
          q = m.parse(st, p, fend, sc);
        }
      } else q = m.parse(st, p, fend, sc);
      if (q < 0) {
        if (st.partial && !m.transparent && m.kind !== 'lit' && st.v !== undefined) vals[m.key] = st.v;
        return failStruct(st, rec, p, vals);
      }
      if (st.v !== ABSENT) {
        if (!m.transparent && m.kind !== 'lit') vals[m.key] = st.v;
        sc.spans[m.key] = [start, q];
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
  memberKey: string | undefined,
): Parse {
  // As a struct member the alternative's value goes straight into the struct under its label;
  // elsewhere (frame root, inside a line or repeat) it is wrapped as { [label]: value }.
  const asMember = memberKey !== undefined;
  // A case that is itself a switch or choice is flattened: its own cases stand in for it. A separator
  // owed by the enclosing struct is consumed here, unless the chosen case is empty.
  const build = (key: string, child: Node) => {
    const nested = child.kind === 'switch' || child.kind === 'choice';
    const label = altLabel(n, key, child, memberKey);
    const inner = nested ? compile(child, path, stops, memberKey) : compile(child, `${path}.${label}`, stops);
    const empty = isEmptyCase(child);
    const parse: Parse = (st, pos, end, scope) => {
      const sep = st.sepBefore;
      if (nested) return inner(st, pos, end, scope);
      st.sepBefore = undefined;
      const start = sep === undefined || empty ? pos : pos + sep.length;
      if (start !== pos && !startsWith(st.buf, pos, end, sep!)) return st.fail(pos, show(sep!));
      const q = inner(st, start, end, scope);
      st.caseStart = start;
      return q;
    };
    return { key, label, params: child.params, parse, nested };
  };
  type Alt = ReturnType<typeof build>;
  const assign = (st: State, scope: Scope, alt: Alt, pos: number, q: number) => {
    if (alt.params) st.params.push(alt.params);
    const start = alt.nested ? pos : Math.min(st.caseStart, q);
    if (memberKey !== undefined) scope.spans[memberKey] = [start, q];
    if (alt.nested) return q;
    const v = st.v;
    if (asMember) {
      scope.vals[alt.label] = v;
      scope.spans[alt.label] = [start, q];
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
        if (st.partial) assign(st, scope, { ...c, params: undefined }, pos, pos);
        return -1;
      }
      return assign(st, scope, c, pos, q);
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
      const [beforePos, beforeExpected] = [st.failPos, st.failExpected];
      st.failPos = -1;
      const q = v.parse(st, pos, end, scope);
      const reached = st.failPos;
      if (beforePos > reached) [st.failPos, st.failExpected] = [beforePos, beforeExpected];
      else if (beforePos === reached) for (const e of beforeExpected) st.failExpected.add(e);
      if (q >= 0) return assign(st, scope, v, pos, q);
      st.restore(m);
      if (reached > furthest) [furthest, best] = [reached, v];
    }
    if (st.partial && best) {
      st.sepBefore = sepBefore;
      best.parse(st, pos, end, scope);
      assign(st, scope, { ...best, params: undefined }, pos, pos);
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
      let init = algo.init;
      if (derive.seed)
        init = algo.compute(
          Uint8Array.from(derive.seed, (c) => c.charCodeAt(0)),
          0,
          derive.seed.length,
          init,
        );
      const expected = algo.compute(st.buf, from, to, init);
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
    p = compile(frameType.node, rootPath(protocol, frameType), '');
    compiled.set(frameType, p);
  }
  return p;
}

/** Decode one frame (already cut out of its stream) as the given frame type. Never throws on bad bytes. */
export function decodeFrame(
  protocol: Protocol,
  frameType: FrameType,
  bytes: Uint8Array,
  opts: DecodeOptions = {},
): DecodedFrame {
  const parse = compiledFor(protocol, frameType);
  const run = (partial: boolean) => {
    const st = new State(bytes, opts.fields !== false);
    st.s = latin1(bytes);
    st.direction = frameType.direction ?? opts.direction;
    st.partial = partial;
    const root: Scope = { vals: {}, spans: {}, up: null };
    const end = parse(st, 0, bytes.length, root);
    return { st, end };
  };
  const first = run(false);
  let st = first.st;
  const end = first.end;
  const ok = end >= 0;
  if (!ok) {
    const failPos = st.failPos;
    const expected = [...st.failExpected];
    ({ st } = run(true));
    const got = failPos < bytes.length ? show(st.s.slice(failPos, failPos + 12)) : 'the end of the frame';
    st.issues.push({
      id: `${protocol.name}.malformed`,
      severity: 'error',
      group: 'malformed',
      offset: failPos,
      expected: expected.join(' or '),
      message: `expected ${expected.join(' or ')} at byte ${failPos}, found ${got}`,
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
  const value = st.v;
  return {
    protocol: protocol.name,
    frameType: frameType.name,
    direction: st.direction ?? opts.direction,
    value,
    ok,
    length: bytes.length,
    fields: st.fields,
    checksums,
    issues: st.issues,
    normalized: normalize(st.norm, st.params, frameType),
    carried: st.carried,
    layout: { lineEnds: st.lineEnds, quoted: st.quoted },
  };
}
