// Facts every backend derives from a schema the same way: field paths, fixed sizes, and which
// characters can start a node (so text tokens know where they stop).
import { CHECKSUMS } from './checksums.js';
import type { Derive, FrameType, Node, Protocol } from './nodes.js';

/** Byte size of a node when it does not depend on the data; undefined otherwise. */
export function fixedSize(n: Node): number | undefined {
  switch (n.kind) {
    case 'uint':
    case 'bcd':
      return n.size;
    case 'bytes':
      return typeof n.size === 'number' ? n.size : undefined;
    case 'lit':
      return n.value.length;
    case 'oneOf': {
      const lengths = new Set(Object.keys(n.values).map((k) => k.length));
      return lengths.size === 1 ? [...lengths][0] : undefined;
    }
    case 'computed':
      return 0;
    case 'struct': {
      if (n.sep !== undefined) return undefined;
      let total = 0;
      for (const f of Object.values(n.fields)) {
        const s = fixedSize(f);
        if (s === undefined) return undefined;
        total += s;
      }
      return total;
    }
    default:
      return undefined;
  }
}

/**
 * How many bytes the field at `index` of a struct leaves for the fields after it: when those are all
 * fixed-size and some are binary (a CRC), their total, so that a `rest` body ends that far before the
 * struct does; 0 otherwise. Literals alone need no room held back, since text finds them by their
 * characters (and a missing one is then reported where it belongs).
 */
export function binaryTail(nodes: readonly Node[], index: number): number {
  let tail = 0;
  let binary = false;
  for (let j = index + 1; j < nodes.length; j++) {
    const n = nodes[j]!;
    const s = fixedSize(n);
    if (s === undefined) return 0;
    tail += s;
    if (n.kind !== 'lit' && n.kind !== 'computed') binary = true;
  }
  return binary ? tail : 0;
}

/** A checksum's register after the derive's seed text (the algorithm's initial value without one); 0 for other derives. */
export function checksumInit(derive: Derive | undefined): number {
  if (derive?.kind !== 'checksum') return 0;
  const algo = CHECKSUMS[derive.algorithm];
  if (!derive.seed) return algo.init;
  const seed = Uint8Array.from(derive.seed, (c) => c.charCodeAt(0));
  return algo.compute(seed, 0, seed.length, algo.init);
}

/** A switch case or variant with nothing to write: it takes no separator in a separated struct. */
export function isEmptyCase(n: Node): boolean {
  return (
    n.kind === 'struct' && n.lead === undefined && Object.values(n.fields).every((f) => f.kind === 'computed')
  );
}

/** Characters that can start a node. `any`: a token can start with anything; `nullable`: may be empty. */
export interface First {
  readonly chars: string;
  readonly any: boolean;
  readonly nullable: boolean;
}

const EMPTY: First = { chars: '', any: false, nullable: true };
const union = (a: string, b: string) => [...new Set(a + b)].join('');

export function firstOf(n: Node): First {
  switch (n.kind) {
    case 'lit':
      return { chars: n.value.slice(0, 1), any: false, nullable: n.value.length === 0 };
    case 'oneOf':
      return {
        chars: union(
          '',
          Object.keys(n.values)
            .map((k) => k.slice(0, 1))
            .join(''),
        ),
        any: false,
        nullable: Object.keys(n.values).some((k) => k === ''),
      };
    case 'token':
      return n.quoted === 'always'
        ? { chars: '"', any: false, nullable: false }
        : { chars: '', any: true, nullable: true };
    case 'computed':
      return EMPTY;
    case 'optional':
      return { ...firstOf(n.node), nullable: true };
    case 'line': {
      const f = firstOf(n.node);
      return { chars: union(f.chars, '\r\n'), any: f.any, nullable: f.nullable };
    }
    case 'repeat': {
      const f = firstOf(n.node);
      return { ...f, nullable: f.nullable || (n.min ?? 0) === 0 };
    }
    case 'struct':
      return n.lead
        ? { chars: n.lead.slice(0, 1), any: false, nullable: false }
        : firstOfSequence(Object.values(n.fields), n.sep);
    case 'switch':
    case 'choice': {
      const firsts = childrenOf(n).map(firstOf);
      return firsts.reduce(
        (a, b) => ({
          chars: union(a.chars, b.chars),
          any: a.any || b.any,
          nullable: a.nullable || b.nullable,
        }),
        { chars: '', any: false, nullable: false },
      );
    }
    default:
      // binary nodes: any byte can start them
      return { chars: '', any: true, nullable: false };
  }
}

export function firstOfSequence(nodes: readonly Node[], sep?: string): First {
  let chars = '';
  for (let i = 0; i < nodes.length; i++) {
    const f = firstOf(nodes[i]!);
    chars = union(chars, f.chars);
    if (f.any) return { chars, any: true, nullable: false };
    if (!f.nullable) return { chars, any: false, nullable: false };
    if (sep !== undefined && i + 1 < nodes.length)
      return { chars: union(chars, sep), any: false, nullable: false };
  }
  return { chars, any: false, nullable: true };
}

/**
 * The stop characters of the field at `index` of a struct: what can follow it. A separator stops every
 * field; otherwise the following siblings (through nullable ones) and, past the end, the outer stops.
 */
export function stopsAfter(
  nodes: readonly Node[],
  index: number,
  sep: string | undefined,
  outer: string,
): string {
  if (sep !== undefined) return union(sep, outer);
  let stops = '';
  for (let i = index + 1; i < nodes.length; i++) {
    const f = firstOf(nodes[i]!);
    stops = union(stops, f.chars);
    if (!f.nullable) return stops;
  }
  return union(stops, outer);
}

// ---- paths --------------------------------------------------------------------------------------

export interface FieldInfo {
  /** Dotted name: JSON key, Wireshark filter name, docs anchor, fuzz target. */
  readonly path: string;
  readonly node: Node;
  readonly frameType: FrameType;
  /** Depth below the frame root, for indented listings. */
  readonly depth: number;
}

export function rootPath(protocol: Protocol, frameType: FrameType): string {
  return frameType.segment ? `${protocol.name}.${frameType.segment}` : protocol.name;
}

/**
 * The key (in values) and path segment of one case of a switch or variant of a choice: its `label`,
 * else the variant key (choice) or the switch's own member key (switch; the case key at a frame root).
 */
export function altLabel(owner: Node, key: string, child: Node, memberKey: string | undefined): string {
  if (child.label !== undefined) return child.label;
  if (owner.kind === 'switch' && memberKey !== undefined) return memberKey;
  return key;
}

/**
 * Every field of every frame type, parents before children, in wire order; a node reachable twice
 * under one path (a shared case, a repeat and its item of the same node) is listed once.
 */
export function listFields(protocol: Protocol): FieldInfo[] {
  const out: FieldInfo[] = [];
  const seen = new Map<string, Set<Node>>();
  const push = (f: FieldInfo) => {
    const nodes = seen.get(f.path) ?? new Set<Node>();
    if (nodes.has(f.node)) return;
    nodes.add(f.node);
    seen.set(f.path, nodes);
    out.push(f);
  };
  for (const frameType of protocol.frames) {
    const visit = (n: Node, path: string, depth: number, memberKey: string | undefined): void => {
      switch (n.kind) {
        case 'struct':
          push({ path, node: n, frameType, depth });
          for (const [key, child] of Object.entries(n.fields)) {
            // A switch or choice member is transparent: its cases sit beside the member's siblings.
            if (child.kind === 'switch' || child.kind === 'choice') visit(child, path, depth + 1, key);
            else visit(child, `${path}.${key}`, depth + 1, undefined);
          }
          return;
        case 'optional':
        case 'line':
          return visit(n.node, path, depth, memberKey);
        case 'repeat':
          push({ path, node: n, frameType, depth });
          return visit(n.node, path, depth, memberKey);
        case 'switch':
        case 'choice':
          // A case that is itself a switch or choice is flattened into this one.
          for (const [key, child] of alternatives(n)) {
            if (child.kind === 'switch' || child.kind === 'choice') visit(child, path, depth, memberKey);
            else visit(child, `${path}.${altLabel(n, key, child, memberKey)}`, depth, undefined);
          }
          return;
        default:
          push({ path, node: n, frameType, depth });
      }
    };
    visit(frameType.node, rootPath(protocol, frameType), 0, undefined);
  }
  return out;
}

/** Cases of a switch (default keyed '$default') or variants of a choice, in declaration order. */
export function alternatives(n: Node): [string, Node][] {
  if (n.kind === 'choice') return Object.entries(n.variants);
  if (n.kind === 'switch')
    return [...Object.entries(n.cases), ...(n.default ? [['$default', n.default] as [string, Node]] : [])];
  return [];
}

/** Where a length-framed frame's length field sits, and the smallest frame the schema allows. */
export interface LengthLayout {
  /** The literal texts a frame can start with (its first field's `lit` or `oneOf` values). */
  readonly magics: readonly string[];
  readonly offset: number;
  readonly size: number;
  readonly min: number;
}

export function lengthLayout(ft: FrameType, field: string): LengthLayout {
  const node = ft.node;
  if (node.kind !== 'struct') throw new Error(`${ft.name}: length framing needs a struct root`);
  let offset = 0;
  let min = 0;
  let size = 0;
  let seen = false;
  for (const [key, child] of Object.entries(node.fields)) {
    const s = fixedSize(child);
    if (key === field) {
      if (child.kind !== 'uint') throw new Error(`${ft.name}: length field ${field} is not an integer`);
      [size, seen] = [child.size, true];
    } else if (!seen && s === undefined)
      throw new Error(`${ft.name}: ${key} before the length field has no fixed size`);
    if (!seen) offset += s ?? 0;
    min += s ?? 0;
  }
  if (!seen) throw new Error(`${ft.name}: no length field ${field}`);
  const first = Object.values(node.fields)[0];
  const magics =
    first?.kind === 'oneOf' ? Object.keys(first.values) : first?.kind === 'lit' ? [first.value] : [];
  return { magics, offset, size, min };
}

/** The nodes directly inside a node. */
function childrenOf(n: Node): Node[] {
  switch (n.kind) {
    case 'struct':
      return Object.values(n.fields);
    case 'switch':
    case 'choice':
      return alternatives(n).map(([, c]) => c);
    case 'optional':
    case 'repeat':
    case 'line':
      return [n.node];
    default:
      return [];
  }
}

/** Every name whose span something looks up inside a node: computed arguments, derived-field targets. */
export function spanReferences(root: Node): Set<string> {
  const names = new Set<string>();
  const seen = new Set<Node>();
  const visit = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (n.kind === 'computed') n.args.forEach((a) => names.add(a));
    else if ((n.kind === 'uint' || n.kind === 'token') && n.derive) {
      const d = n.derive;
      if (d.kind === 'lengthOf') names.add(d.target);
      else if (d.kind === 'checksum') names.add(d.from).add(d.to);
    } else childrenOf(n).forEach(visit);
  };
  visit(root);
  return names;
}
