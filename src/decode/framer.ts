// Cuts a byte stream into frames using each frame type's `framing` declaration: several frames per
// chunk, frames split across chunks, and resynchronisation after garbage. Every byte leaves as part
// of a frame, as undecoded bytes or as line-end separators between frames.
import {
  lengthLayout as schemaLengthLayout,
  type Direction,
  type FrameType,
  type Pattern,
  type Protocol,
} from '../schema/index.js';
import { concat } from './bytes.js';

export interface FramedBytes {
  readonly kind: 'frame';
  readonly frameType: FrameType;
  /** Stream offset of the first byte. */
  readonly offset: number;
  /** What the decoder gets. */
  readonly bytes: Uint8Array;
  /** Line-end bytes after the frame that belong to it but not to its grammar. */
  readonly trailer: number;
}

export interface UndecodedBytes {
  readonly kind: 'undecoded';
  readonly offset: number;
  readonly bytes: Uint8Array;
  readonly reason: string;
}

/** Line ends between frames that no frame claimed (e.g. at a chunk boundary). */
export interface SeparatorBytes {
  readonly kind: 'separator';
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export type FramerItem = FramedBytes | UndecodedBytes | SeparatorBytes;

type Match = 'yes' | 'no' | 'partial';
type EndResult = number | 'more' | 'none';

const MAX_HELD_GARBAGE = 65536;
const CR = 13;
const LF = 10;
const isLineEnd = (b: number | undefined) => b === CR || b === LF;

const CLASSES: Record<Extract<Pattern[number], { cls: string }>['cls'], (b: number) => boolean> = {
  digit: (b) => b >= 48 && b <= 57,
  hex: (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102),
  alpha: (b) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122),
  alnum: (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122),
  upper: (b) => b >= 65 && b <= 90,
  print: (b) => b >= 32 && b < 127,
};

/** Match a start pattern at `pos`: runs are greedy without backtracking. */
export function matchPattern(buf: Uint8Array, pos: number, pattern: Pattern, eof: boolean): Match {
  let p = pos;
  for (let a = 0; a < pattern.length; a++) {
    const atom = pattern[a]!;
    if ('lit' in atom) {
      const lit = atom.lit;
      for (let i = 0; i < lit.length; i++, p++) {
        if (p >= buf.length) return eof ? 'no' : 'partial';
        if (buf[p] !== lit.charCodeAt(i)) return 'no';
      }
    } else {
      const test = CLASSES[atom.cls];
      const max = atom.max;
      let n = 0;
      while (n < max && p < buf.length && test(buf[p]!)) {
        n++;
        p++;
      }
      if (p >= buf.length && n < max && !eof) return 'partial';
      if (n < atom.min) return 'no';
    }
  }
  return 'yes';
}

const matchAny = (buf: Uint8Array, pos: number, patterns: readonly Pattern[], eof: boolean): Match => {
  let result: Match = 'no';
  for (const pat of patterns) {
    const m = matchPattern(buf, pos, pat, eof);
    if (m === 'yes') return 'yes';
    if (m === 'partial') result = 'partial';
  }
  return result;
};

/**
 * Start patterns indexed by the byte they can begin with: most stream positions are rejected by one
 * table lookup instead of a try of every pattern of every frame type.
 */
class StartSet {
  private readonly byByte: (Pattern[] | undefined)[] = new Array(256);

  constructor(readonly patterns: readonly Pattern[]) {
    for (const pat of patterns) {
      const atom = pat[0];
      if (!atom) continue;
      const bytes =
        'lit' in atom ? [atom.lit.charCodeAt(0)] : [...Array(256).keys()].filter((b) => CLASSES[atom.cls](b));
      for (const b of bytes) (this.byByte[b] ??= []).push(pat);
    }
  }

  match(buf: Uint8Array, pos: number, eof: boolean): Match {
    if (pos >= buf.length) return this.patterns.length === 0 || eof ? 'no' : 'partial';
    const candidates = this.byByte[buf[pos]!];
    return candidates ? matchAny(buf, pos, candidates, eof) : 'no';
  }

  canStartWith(b: number): boolean {
    return this.byByte[b] !== undefined;
  }
}

/** The schema's length layout, with the literal texts a frame can start with as a start set. */
interface LengthLayout {
  readonly magics: StartSet;
  readonly offset: number;
  readonly size: number;
  readonly min: number;
}

/** Where the length field sits and the smallest possible frame, computed from the schema. */
function lengthLayout(ft: FrameType, field: string): LengthLayout {
  const { magics, ...layout } = schemaLengthLayout(ft, field);
  return { magics: new StartSet(magics.map((m) => [{ lit: m }])), ...layout };
}

type Delimited = Extract<FrameType['framing'], { kind: 'delimited' }>;

/** A delimited framing with its end markers indexed by first byte: most bytes end no frame. */
interface DelimitedLayout {
  readonly framing: Delimited;
  /** 1 for each byte an end marker starts with (every byte, if a marker is empty). */
  readonly markerStart: Uint8Array;
}

function delimitedLayout(framing: Delimited): DelimitedLayout {
  const markerStart = new Uint8Array(256);
  for (const m of framing.end) {
    if (m === '') markerStart.fill(1);
    else markerStart[m.charCodeAt(0) & 0xff] = 1;
  }
  return { framing, markerStart };
}

interface TypeRule {
  readonly ft: FrameType;
  readonly starts: StartSet | undefined;
  readonly length?: LengthLayout;
  readonly delimited?: DelimitedLayout;
}

export interface FramerOptions {
  /** Who sends this stream; frame types declared for the other direction are not tried. */
  readonly direction?: Direction;
}

/** What a framer needs from a protocol's framing declarations, worked out once per protocol and direction. */
interface FramingPlan {
  readonly rules: TypeRule[];
  readonly allStarts: StartSet;
  /** The most bytes a start pattern can span. */
  readonly longestStart: number;
}

// A capture can hold thousands of conversations, each with a framer per direction: they share plans.
const plans = new WeakMap<Protocol, Map<Direction | undefined, FramingPlan>>();

function framingPlan(protocol: Protocol, direction: Direction | undefined): FramingPlan {
  let byDirection = plans.get(protocol);
  if (!byDirection) plans.set(protocol, (byDirection = new Map()));
  let plan = byDirection.get(direction);
  if (plan) return plan;
  const eligible = protocol.frames.filter((ft) => !direction || !ft.direction || ft.direction === direction);
  const rules: TypeRule[] = eligible.map((ft) => {
    const f = ft.framing;
    if (f.kind === 'length') {
      const length = lengthLayout(ft, f.lengthField);
      return { ft, starts: length.magics, length };
    }
    const starts = f.start && f.start.length > 0 ? new StartSet(f.start) : undefined;
    return f.kind === 'delimited' ? { ft, starts, delimited: delimitedLayout(f) } : { ft, starts };
  });
  const patterns = rules.flatMap((r) => r.starts?.patterns ?? []);
  plan = {
    rules,
    allStarts: new StartSet(patterns),
    longestStart: Math.max(1, ...patterns.map(patternMaxLength)),
  };
  byDirection.set(direction, plan);
  return plan;
}

export class Framer {
  private buf: Uint8Array = new Uint8Array(0);
  /** Stream offset of buf[0]. */
  private base = 0;
  private prevByte: number | undefined;
  private lastKind: FramerItem['kind'] | undefined;
  private boundary = false;
  /** An undecoded run still growing, held so that chunk boundaries do not split it (bounded). */
  private garbage: { offset: number; parts: Uint8Array[]; size: number } | undefined;
  private readonly rules: TypeRule[];
  private readonly allStarts: StartSet;
  /** The most bytes a start pattern can span. */
  private readonly longestStart: number;

  constructor(
    readonly protocol: Protocol,
    readonly opts: FramerOptions = {},
  ) {
    ({
      rules: this.rules,
      allStarts: this.allStarts,
      longestStart: this.longestStart,
    } = framingPlan(protocol, opts.direction));
  }

  /**
   * `boundary`: the chunk is a whole message (a UDP datagram, one AT send), so an end marker at its
   * end is not followed by more of the same frame. A frame still missing its end keeps waiting.
   */
  push(chunk: Uint8Array, boundary = false): FramerItem[] {
    this.buf = concat(this.buf, chunk);
    this.boundary = boundary;
    try {
      return this.drain(false);
    } finally {
      this.boundary = false;
    }
  }

  end(): FramerItem[] {
    const out = this.drain(true);
    this.flushGarbage(out);
    return out;
  }

  private flushGarbage(out: FramerItem[]): void {
    const g = this.garbage;
    if (!g) return;
    this.garbage = undefined;
    out.push({
      kind: 'undecoded',
      offset: g.offset,
      bytes: concatAll(g.parts, g.size),
      reason: 'no frame start',
    });
  }

  private addGarbage(out: FramerItem[], offset: number, bytes: Uint8Array): void {
    if (!this.garbage) this.garbage = { offset, parts: [], size: 0 };
    this.garbage.parts.push(bytes);
    this.garbage.size += bytes.length;
    if (this.garbage.size >= MAX_HELD_GARBAGE) this.flushGarbage(out);
  }

  private drain(eof: boolean): FramerItem[] {
    const out: FramerItem[] = [];
    const buf = this.buf;
    let p = 0;
    while (p < buf.length) {
      // Line ends after a frame (or at the start) separate frames; after garbage they are garbage.
      if (isLineEnd(buf[p]) && this.lastKind !== 'undecoded') {
        let q = p;
        while (q < buf.length && isLineEnd(buf[q])) q++;
        this.flushGarbage(out);
        out.push({ kind: 'separator', offset: this.base + p, bytes: buf.slice(p, q) });
        this.prevByte = buf[q - 1];
        this.lastKind = 'separator';
        p = q;
        continue;
      }
      const found = this.frameAt(buf, p, eof);
      if (found === 'more') break;
      if (found) {
        const { rule, end, trailer } = found;
        this.flushGarbage(out);
        out.push({
          kind: 'frame',
          frameType: rule.ft,
          offset: this.base + p,
          bytes: buf.slice(p, end),
          trailer: trailer - end,
        });
        p = trailer;
        this.prevByte = buf[trailer - 1];
        this.lastKind = 'frame';
        continue;
      }
      const next = this.nextStart(buf, p + 1, eof);
      const stop = next === -1 ? (eof ? buf.length : this.keepFrom(buf, p + 1)) : next;
      if (stop <= p) break;
      this.addGarbage(out, this.base + p, buf.slice(p, stop));
      this.prevByte = buf[stop - 1];
      this.lastKind = 'undecoded';
      p = stop;
    }
    this.buf = buf.slice(p);
    this.base += p;
    return out;
  }

  /** Bytes from `from` that could begin a frame once more data arrives stay buffered. */
  private keepFrom(buf: Uint8Array, from: number): number {
    return Math.max(from, buf.length - (this.longestStart - 1));
  }

  private frameAt(
    buf: Uint8Array,
    p: number,
    eof: boolean,
  ): { rule: TypeRule; end: number; trailer: number } | 'more' | undefined {
    const lineStart =
      p === 0 ? this.prevByte === undefined || isLineEnd(this.prevByte) : isLineEnd(buf[p - 1]);
    for (const rule of this.rules) {
      let m: Match;
      if (rule.starts) m = rule.starts.match(buf, p, eof);
      else m = lineStart ? 'yes' : 'no';
      if (m === 'partial') return 'more';
      if (m === 'no') continue;
      const end = this.endOf(rule, buf, p, eof);
      if (end === 'more') return 'more';
      if (end === 'none') continue;
      return { rule, end, trailer: this.swallow(rule, buf, end) };
    }
    return undefined;
  }

  private swallow(rule: TypeRule, buf: Uint8Array, end: number): number {
    const f = rule.ft.framing;
    const swallows =
      f.kind === 'line' || (f.kind === 'delimited' && f.swallowLineEnd !== false) || f.kind === 'fixed';
    if (!swallows) return end;
    let q = end;
    while (q < buf.length && isLineEnd(buf[q])) q++;
    return q;
  }

  private endOf(rule: TypeRule, buf: Uint8Array, p: number, eof: boolean): EndResult {
    const f = rule.ft.framing;
    switch (f.kind) {
      case 'length':
        return this.lengthEnd(rule.length!, f.max, f.trailer, buf, p, eof);
      case 'delimited':
        return this.delimitedEnd(rule.delimited!, buf, p, eof);
      case 'line': {
        for (let i = p; i < buf.length; i++) {
          if (isLineEnd(buf[i])) return i;
          if (i - p > f.max) return 'none';
        }
        return eof || this.boundary ? buf.length : 'more';
      }
      case 'fixed':
        return this.fixedEnd(f.sizes, buf, p, eof);
    }
  }

  /**
   * Of several sizes, the one with the strongest boundary after it wins: the end of the data, or line
   * ends and then a frame start; then a frame start right away; then a bare line end (binary payloads
   * hold 0x0A and `$` bytes too, so each alone is weak); else the first size that fits.
   */
  private fixedEnd(sizes: readonly number[], buf: Uint8Array, p: number, eof: boolean): EndResult {
    const final = eof || this.boundary;
    if (!final && sizes.some((size) => p + size >= buf.length)) return 'more';
    let best: { end: number; rank: number } | undefined;
    for (let i = 0; i < sizes.length; i++) {
      const e = p + sizes[i]!;
      if (e > buf.length) continue;
      let rank: number;
      if (e === buf.length) rank = 0;
      else {
        let q = e;
        while (q < buf.length && isLineEnd(buf[q])) q++;
        if (q === buf.length && !final) return 'more';
        const start = q < buf.length ? this.allStarts.match(buf, q, final) : 'yes';
        if (start === 'partial') return 'more';
        rank = start === 'yes' ? (q > e ? 0 : 1) : q > e ? 2 : 3;
      }
      if (!best || rank < best.rank) best = { end: e, rank };
    }
    return best ? best.end : 'none';
  }

  /**
   * Trust the length field when it is plausible and the trailer sits where it says. Otherwise (0000,
   * off by one, garbage) end at the first trailer followed by the next frame start or the end of data.
   */
  private lengthEnd(
    layout: LengthLayout,
    max: number,
    trailer: string,
    buf: Uint8Array,
    p: number,
    eof: boolean,
  ): EndResult {
    const lenEnd = p + layout.offset + layout.size;
    if (lenEnd > buf.length) return eof ? 'none' : 'more';
    let len = 0;
    for (let i = p + layout.offset; i < lenEnd; i++) len = len * 256 + buf[i]!;
    const hasTrailer = (at: number) => {
      for (let i = 0; i < trailer.length; i++) if (buf[at + i] !== trailer.charCodeAt(i)) return false;
      return true;
    };
    // A plausible length whose end is not the trailer may still be right: a device that ends its
    // frames wrongly. It is trusted when nothing better ends the frame before it and the next frame
    // (or the end of the data) starts right there; the decoder then reports the terminator.
    let lengthEnd = -1;
    if (len >= layout.min && len <= max) {
      if (p + len <= buf.length) {
        if (hasTrailer(p + len - trailer.length)) return p + len;
        lengthEnd = p + len;
      } else if (!eof) return 'more';
    }
    const final = eof || this.boundary;
    /** The trusted length's verdict, once the scan for trailers has passed it. */
    const atLengthEnd = (): EndResult | undefined => {
      const e = lengthEnd;
      lengthEnd = -1;
      const m = e >= buf.length ? (final ? 'yes' : 'partial') : layout.magics.match(buf, e, final);
      return m === 'yes' ? e : m === 'partial' ? 'more' : undefined;
    };
    const limit = Math.min(buf.length, p + max);
    for (let t = p + layout.min - trailer.length; t + trailer.length <= limit; t++) {
      if (lengthEnd >= 0 && t + trailer.length > lengthEnd) {
        const r = atLengthEnd();
        if (r !== undefined) return r;
      }
      if (!hasTrailer(t)) continue;
      const e = t + trailer.length;
      if (e === buf.length) return final ? e : 'more';
      let q = e;
      while (q < buf.length && buf[q] === 0 && q - e < 2) q++; // stray 00 bytes seen after frames
      const m = q >= buf.length ? (final ? 'yes' : 'partial') : layout.magics.match(buf, q, final);
      if (m === 'partial') return 'more';
      if (m === 'yes') return e;
    }
    if (lengthEnd >= 0) {
      const r = atLengthEnd();
      if (r !== undefined) return r;
    }
    if (buf.length - p < max && !eof) return 'more';
    return 'none';
  }

  private delimitedEnd(layout: DelimitedLayout, buf: Uint8Array, p: number, eof: boolean): EndResult {
    const { framing: f, markerStart } = layout;
    const markers = f.end;
    const endsBeforeNextStart = f.endsBeforeNextStart === true;
    const limit = Math.min(buf.length, p + f.max);
    for (let i = p + 1; i < limit; i++) {
      const b = buf[i]!;
      if (endsBeforeNextStart && isLineEnd(b)) {
        let q = i;
        while (q < buf.length && isLineEnd(buf[q])) q++;
        if (q > i && q < buf.length) {
          const m = this.allStarts.match(buf, q, eof || this.boundary);
          if (m === 'partial') return 'more';
          if (m === 'yes') return i;
        } else if (q >= buf.length && !eof && !this.boundary) return 'more';
      }
      // A marker (or, at the end of the data, its beginning) must start with this byte.
      if (markerStart[b] !== 1) continue;
      for (let k = 0; k < markers.length; k++) {
        const marker = markers[k]!;
        if (!startsAt(buf, i, marker)) {
          if (i + marker.length > buf.length && startsAt(buf, i, marker.slice(0, buf.length - i)) && !eof)
            return 'more';
          continue;
        }
        const e = i + marker.length;
        if (!f.endMustBeFollowed) return e;
        if (e >= buf.length) {
          if (eof || this.boundary) return e;
          return 'more';
        }
        if (isLineEnd(buf[e])) return e;
        const m = this.allStarts.match(buf, e, eof || this.boundary);
        if (m === 'partial') return 'more';
        if (m === 'yes') return e;
      }
    }
    if (limit >= p + f.max) return 'none';
    return eof ? buf.length : 'more';
  }

  /** The first position at or after `from` where some frame type could start. */
  private nextStart(buf: Uint8Array, from: number, eof: boolean): number {
    const lineRules = this.rules.some((r) => !r.starts);
    for (let i = from; i < buf.length; i++) {
      const b = buf[i]!;
      if (lineRules && isLineEnd(buf[i - 1]) && !isLineEnd(b)) return i;
      if (this.allStarts.canStartWith(b) && this.allStarts.match(buf, i, eof) !== 'no') return i;
    }
    return -1;
  }
}

function concatAll(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function startsAt(buf: Uint8Array, pos: number, text: string): boolean {
  if (pos + text.length > buf.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

function patternMaxLength(p: Pattern): number {
  return p.reduce((n, a) => n + ('lit' in a ? a.lit.length : a.max), 0);
}
