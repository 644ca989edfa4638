// The encoder backend: the inverse walk of the decoder. Derived fields are written as placeholders and
// patched at the end (lengths, then checksums from the innermost span outwards); a switch's
// discriminant is filled in from the case that is present. Bad input raises an EncodeError naming
// the field, what it expects and what it was given.
import {
  CHECKSUMS,
  alternatives,
  altLabel,
  checksumInit,
  isEmptyCase,
  rootPath,
  type Derive,
  type Direction,
  type FrameType,
  type Node,
  type Protocol,
  type TokenNode,
} from '../schema/index.js';
import { lookup, lookupSpan, TOKEN_SYNTAX, type Scope } from './scope.js';
import { fromHex } from './bytes.js';
import type { Layout } from './types.js';

export class EncodeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly given: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${describe(given)}`);
    this.name = 'EncodeError';
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return JSON.stringify(v) ?? String(v);
}

export interface EncodeOptions {
  /** Chooses `byDirection` bodies and the direction marker when the value does not give it. */
  readonly direction?: Direction;
  /** Line ends and quoting as observed by decode, to reproduce a frame byte for byte. */
  readonly layout?: Partial<Layout>;
  /** Keep the given values of derived fields instead of recomputing them (to craft bad frames). */
  readonly keepDerived?: boolean;
  /** Accept token text that does not match its syntax (fuzzing). */
  readonly lenient?: boolean;
  /** A token without a value is an error instead of empty text, and a group without a value is
   * missing its first field (values typed by a person). */
  readonly strict?: boolean;
}

export interface EncodedFrame {
  readonly bytes: Uint8Array;
  /** Byte span of every field path written (first occurrence). */
  readonly spans: ReadonlyMap<string, readonly [number, number]>;
}

interface Patch {
  readonly derive: Derive;
  readonly path: string;
  readonly scope: Scope;
  readonly start: number;
  readonly size: number;
  readonly text: boolean;
  readonly endian: 'be' | 'le';
  /** The text a value gave for a text checksum. */
  readonly given?: string;
}

class Writer {
  buf = new Uint8Array(256);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  text(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i) & 0xff;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

class Encoder {
  readonly w = new Writer();
  readonly patches: Patch[] = [];
  readonly spans = new Map<string, readonly [number, number]>();
  lineEndIndex = 0;
  quotedIndex = 0;
  /** A separator the enclosing struct owes before a switch/choice member, written only for a non-empty case. */
  sepBefore: string | undefined;
  wroteEmptyCase = false;
  direction: Direction | undefined;

  constructor(readonly opts: EncodeOptions) {
    this.direction = opts.direction;
  }

  span(path: string, start: number): void {
    if (!this.spans.has(path)) this.spans.set(path, [start, this.w.len]);
  }

  node(n: Node, value: unknown, path: string, scope: Scope, memberKey?: string): void {
    const start = this.w.len;
    switch (n.kind) {
      case 'uint':
        this.uint(n, value, path, scope);
        break;
      case 'bcd': {
        const digits = typeof value === 'number' ? String(value) : value;
        if (typeof digits !== 'string' || !/^[0-9]*$/.test(digits) || digits.length > n.size * 2)
          throw new EncodeError(path, `up to ${n.size * 2} decimal digits`, value);
        const nibbles = [...digits].map(Number);
        while (nibbles.length < n.size * 2) nibbles.push(n.pad);
        for (let i = 0; i < n.size; i++) this.w.byte((nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!);
        break;
      }
      case 'bytes': {
        const b =
          value instanceof Uint8Array ? value : typeof value === 'string' ? fromHex(value) : undefined;
        if (!b) throw new EncodeError(path, 'bytes (Uint8Array or hex text)', value);
        if (typeof n.size === 'number' && b.length !== n.size)
          throw new EncodeError(path, `${n.size} bytes`, value);
        this.w.bytes(b);
        break;
      }
      case 'lit':
        this.w.text(n.value);
        break;
      case 'oneOf': {
        let v = value;
        if (v === undefined && n.role === 'direction' && this.direction)
          v = Object.keys(n.values).find((k) => n.values[k] === this.direction);
        if (typeof v !== 'string' || !(v in n.values))
          throw new EncodeError(
            path,
            `one of ${Object.keys(n.values)
              .map((k) => JSON.stringify(k))
              .join(', ')}`,
            value,
          );
        if (n.role === 'direction') this.direction = n.values[v] as Direction;
        this.w.text(v);
        break;
      }
      case 'struct':
        this.struct(n, value, path, scope);
        break;
      case 'switch':
      case 'choice':
        this.alternative(n, value, path, scope, memberKey);
        break;
      case 'optional':
        if (value !== undefined) this.node(n.node, value, path, scope, memberKey);
        break;
      case 'repeat': {
        if (!Array.isArray(value)) throw new EncodeError(path, 'a list', value);
        if (value.length < (n.min ?? 0)) throw new EncodeError(path, `at least ${n.min} items`, value);
        value.forEach((item, i) => {
          if (i > 0 && n.sep !== undefined) this.w.text(n.sep);
          this.node(n.node, item, path, scope);
        });
        break;
      }
      case 'line': {
        this.node(n.node, value, path, scope, memberKey);
        const ends = this.opts.layout?.lineEnds;
        this.w.text(ends && this.lineEndIndex < ends.length ? ends[this.lineEndIndex]! : '\r\n');
        this.lineEndIndex++;
        break;
      }
      case 'token':
        this.token(n, value, path, scope);
        break;
      case 'computed':
        return;
    }
    if (n.kind !== 'switch' && n.kind !== 'choice') this.span(path, start);
  }

  uint(n: Extract<Node, { kind: 'uint' }>, value: unknown, path: string, scope: Scope): void {
    const max = 2 ** (8 * n.size) - 1;
    let v = value;
    if (n.derive && (v === undefined || !this.opts.keepDerived)) {
      this.patches.push({
        derive: n.derive,
        path,
        scope,
        start: this.w.len,
        size: n.size,
        text: false,
        endian: n.endian,
      });
      v = 0;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
      throw new EncodeError(path, `an integer 0..${max}`, value);
    this.writeUint(this.w.len, v, n.size, n.endian, true);
  }

  writeUint(at: number, v: number, size: number, endian: 'be' | 'le', append: boolean): void {
    if (append) this.w.ensure(size);
    for (let i = 0; i < size; i++) {
      const shift = endian === 'be' ? 8 * (size - 1 - i) : 8 * i;
      this.w.buf[at + i] = Math.floor(v / 2 ** shift) & 0xff;
    }
    if (append) this.w.len += size;
  }

  token(n: TokenNode, value: unknown, path: string, scope: Scope): void {
    let text: string;
    if (n.derive?.kind === 'countOf' && (value === undefined || !this.opts.keepDerived)) {
      const target = lookup(scope, n.derive.target);
      if (!Array.isArray(target)) throw new EncodeError(n.derive.target, 'a list to count', target);
      // A correct count keeps the spelling it was given (a zero-padded `02` stays `02`).
      const given = typeof value === 'string' && /^[0-9]+$/.test(value) ? value : undefined;
      text = given !== undefined && Number(given) === target.length ? given : String(target.length);
    } else if (n.derive?.kind === 'checksum' && (value === undefined || !this.opts.keepDerived)) {
      const width = CHECKSUMS[n.derive.algorithm].width * 2;
      const given = typeof value === 'string' && value.length === width ? value : undefined;
      this.patches.push({
        derive: n.derive,
        path,
        scope,
        start: this.w.len,
        size: width,
        text: true,
        endian: 'be',
        ...(given !== undefined ? { given } : {}),
      });
      text = '0'.repeat(width);
    } else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else if (typeof value === 'string') text = value;
    else if (value === undefined && !this.opts.strict) text = '';
    else throw new EncodeError(path, `${n.syntax} text`, value);
    if (!this.opts.lenient) {
      if (text !== '' && !TOKEN_SYNTAX[n.syntax].test(text))
        throw new EncodeError(path, `${n.syntax} text`, value);
      if (n.length && text !== '' && (text.length < n.length[0] || text.length > n.length[1]))
        throw new EncodeError(path, `${n.length[0]}..${n.length[1]} characters`, value);
      if (n.range && text !== '') {
        const x = Number(text);
        if (!Number.isFinite(x) || x < n.range[0] || x > n.range[1])
          throw new EncodeError(path, `a number in [${n.range[0]}, ${n.range[1]}]`, value);
      }
    }
    let quote = n.quoted === 'always';
    if (n.quoted === 'optional') {
      const q = this.opts.layout?.quoted;
      quote = q && this.quotedIndex < q.length ? q[this.quotedIndex]! : n.syntax === 'text';
      this.quotedIndex++;
    }
    this.w.text(quote ? `"${text}"` : text);
  }

  struct(n: Extract<Node, { kind: 'struct' }>, given: unknown, path: string, scope: Scope): void {
    // Strictly, a group left out is missing its first field, which says more than "an object".
    const value = given === undefined && this.opts.strict ? {} : given;
    if (!isObject(value)) throw new EncodeError(path, 'an object', value);
    const vals: Record<string, unknown> = { ...value };
    const sc: Scope = { vals, spans: {}, up: scope };
    // Switches work both ways: a missing discriminant is taken from the case that is present.
    for (const child of Object.values(n.fields)) {
      if (
        child.kind !== 'switch' ||
        child.on === '$direction' ||
        !(child.on in n.fields) ||
        vals[child.on] !== undefined
      )
        continue;
      const key = Object.keys(child.cases).find((k) =>
        presentIn(child.cases[k]!, vals, child, k, memberOf(n, child)),
      );
      if (key !== undefined) vals[child.on] = n.fields[child.on]!.kind === 'uint' ? Number(key) : key;
    }
    if (n.lead !== undefined) this.w.text(n.lead);
    let emitted = 0;
    let skipped: string | undefined;
    for (const [key, child] of Object.entries(n.fields)) {
      if (child.kind === 'computed') continue;
      const transparent = child.kind === 'switch' || child.kind === 'choice';
      const v = transparent ? vals : vals[key];
      if (child.kind === 'optional' && v === undefined) {
        skipped ??= key;
        continue;
      }
      // Separated fields are positional: a later optional cannot stand in an earlier one's place.
      if (child.kind === 'optional' && n.sep !== undefined && skipped !== undefined)
        throw new EncodeError(
          `${path}.${skipped}`,
          `a value (or leave out ${key} too: separated fields are positional)`,
          undefined,
        );
      const owed = n.sep !== undefined && emitted > 0 ? n.sep : undefined;
      let start = this.w.len;
      if (transparent) {
        // The alternative writes the separator itself, unless its chosen case is empty.
        this.sepBefore = owed;
        this.node(child, v, path, sc, key);
        this.sepBefore = undefined;
        if (owed !== undefined && this.w.len > start && !this.wroteEmptyCase) start += owed.length;
      } else {
        if (owed !== undefined) this.w.text(owed);
        start = this.w.len;
        this.node(child, v, `${path}.${key}`, sc, undefined);
      }
      emitted++;
      sc.spans[key] = [start, this.w.len];
    }
  }

  alternative(
    n: Extract<Node, { kind: 'switch' | 'choice' }>,
    value: unknown,
    path: string,
    scope: Scope,
    memberKey: string | undefined,
  ): void {
    const asMember = memberKey !== undefined;
    const holder = asMember ? scope.vals : value;
    if (!isObject(holder)) throw new EncodeError(path, 'an object', value);
    let key: string | undefined;
    if (n.kind === 'switch') {
      const disc = n.on === '$direction' ? this.direction : lookup(scope, n.on);
      key = disc !== undefined && String(disc) in n.cases ? String(disc) : n.default ? '$default' : undefined;
      if (key === undefined)
        throw new EncodeError(path, `${n.on} to be one of ${Object.keys(n.cases).join(', ')}`, disc);
    } else {
      key = Object.keys(n.variants).find((k) => presentIn(n.variants[k]!, holder, n, k, memberKey));
      if (key === undefined)
        throw new EncodeError(
          path,
          `one of ${alternatives(n)
            .map(([k, c]) => altLabel(n, k, c, memberKey))
            .join(', ')}`,
          value,
        );
    }
    const child = alternatives(n).find(([k]) => k === key)![1];
    let start = this.w.len;
    if (child.kind === 'switch' || child.kind === 'choice') this.node(child, value, path, scope, memberKey);
    else {
      const sep = this.sepBefore;
      this.sepBefore = undefined;
      this.wroteEmptyCase = isEmptyCase(child);
      if (sep !== undefined && !this.wroteEmptyCase) {
        this.w.text(sep);
        start = this.w.len;
      }
      const label = altLabel(n, key, child, memberKey);
      // A switch case with nothing to write needs no value: the discriminant chose it.
      const v = holder[label] ?? (n.kind === 'switch' && this.wroteEmptyCase ? {} : undefined);
      this.node(child, v, `${path}.${label}`, scope);
    }
    if (memberKey !== undefined) scope.spans[memberKey] = [start, this.w.len];
  }

  finish(): Uint8Array {
    const bytes = this.w.buf;
    const ordered = [
      ...this.patches.filter((p) => p.derive.kind === 'lengthOf'),
      ...this.patches
        .filter((p) => p.derive.kind === 'checksum')
        .map((p) => ({ p, range: this.range(p) }))
        .sort((a, b) => a.range[1] - a.range[0] - (b.range[1] - b.range[0]))
        .map((x) => x.p),
    ];
    for (const p of ordered) {
      let v: number;
      if (p.derive.kind === 'lengthOf') {
        const [s, e] = this.range(p);
        v = e - s;
      } else if (p.derive.kind === 'checksum') {
        const [s, e] = this.range(p);
        v = CHECKSUMS[p.derive.algorithm].compute(bytes, s, e, checksumInit(p.derive));
      } else continue;
      if (p.text) {
        // A correct checksum keeps the case it was given; a wrong or missing one is written upper case.
        const right = v.toString(16).toUpperCase().padStart(p.size, '0');
        const hex = p.given !== undefined && p.given.toUpperCase() === right ? p.given : right;
        for (let i = 0; i < p.size; i++) bytes[p.start + i] = hex.charCodeAt(i);
      } else this.writeUint(p.start, v, p.size, p.endian, false);
    }
    return bytes.slice(0, this.w.len);
  }

  range(p: Patch): readonly [number, number] {
    const d = p.derive;
    if (d.kind === 'lengthOf') {
      if (d.target === '$frame') return [0, this.w.len];
      const sp = lookupSpan(p.scope, d.target);
      if (!sp) throw new EncodeError(p.path, `a field ${d.target} to measure`, undefined);
      return sp;
    }
    if (d.kind === 'checksum') {
      const from = d.from === '$frame' ? 0 : lookupSpan(p.scope, d.from)?.[0];
      const to = d.to === '$frame' ? p.start : lookupSpan(p.scope, d.to)?.[1];
      if (from === undefined || to === undefined)
        throw new EncodeError(p.path, `fields ${d.from}..${d.to} to checksum`, undefined);
      return [from, to];
    }
    return [0, 0];
  }
}

/** The struct member key under which a switch/choice sits, for labels that default to it. */
function memberOf(parent: Extract<Node, { kind: 'struct' }>, child: Node): string | undefined {
  return Object.keys(parent.fields).find((k) => parent.fields[k] === child);
}

/** Whether the value object holds the case `key` of alternative `owner` (nested alternatives included). */
function presentIn(
  child: Node,
  holder: Record<string, unknown>,
  owner: Node,
  key: string,
  memberKey: string | undefined,
): boolean {
  if (child.kind === 'switch' || child.kind === 'choice')
    return alternatives(child).some(([k, c]) => presentIn(c, holder, child, k, memberKey));
  return holder[altLabel(owner, key, child, memberKey)] !== undefined;
}

/** Encode a value of one frame type. Throws EncodeError on a value the schema cannot express. */
export function encodeFrameDetailed(
  protocol: Protocol,
  frameType: FrameType,
  value: unknown,
  opts: EncodeOptions = {},
): EncodedFrame {
  const enc = new Encoder({ ...opts, direction: frameType.direction ?? opts.direction });
  const root: Scope = { vals: {}, spans: {}, up: null };
  enc.node(frameType.node, value, rootPath(protocol, frameType), root);
  return { bytes: enc.finish(), spans: enc.spans };
}

export function encodeFrame(
  protocol: Protocol,
  frameType: FrameType,
  value: unknown,
  opts: EncodeOptions = {},
): Uint8Array {
  return encodeFrameDetailed(protocol, frameType, value, opts).bytes;
}
