// What `encode` knows of a frame type, read from its schema: every field a user can set, under the
// dotted name `decode --json` prints, with the switch and choice branches it lies in; and the names a
// frame can be asked for by: its frame type, or a case of a switch keyed on one of its fields (an
// MT700 keyword `MODE`, a Meiligao command `0x9501`, a case label `ota_authorize`).
import {
  alternatives,
  altLabel,
  rootPath,
  type Direction,
  type Fields,
  type FrameType,
  type Node,
  type Protocol,
} from '../schema/index.js';

/** Wrong arguments to `encode`, reported as they are. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One case of a switch, or variant of a choice, that a field lies in. */
export interface Branch {
  /** Which switch or choice: its path and node. */
  readonly at: string;
  /** The case or variant key ('$default' for a switch's default case). */
  readonly key: string;
  /** A switch's discriminant: a field path relative to the frame root, or '$direction'. */
  readonly on?: string;
  /** The case keys of that switch, to tell which case a discriminant value picks. */
  readonly cases?: readonly string[];
  /** Inside a list item: each item chooses for itself. */
  readonly inList?: boolean;
}

export interface FieldEntry {
  /** The dotted name, as `decode --json` prints it. */
  readonly path: string;
  /** The same, relative to the frame root ('' for the root itself). */
  readonly rel: string;
  readonly node: Node;
  readonly branches: readonly Branch[];
  /** List levels opening at each segment of `rel` (a repeat's items sit at the repeat's own path). */
  readonly lists: readonly number[];
  readonly optional: boolean;
  /** Inside an optional or list: present only when something puts it there. */
  readonly conditional: boolean;
}

/** A name that stands for one case of a frame type's top-level switch or choice. */
export interface FrameAlias {
  readonly name: string;
  readonly title: string | undefined;
  /** Discriminant values the case stands for, by relative path. */
  readonly sets: readonly (readonly [string, unknown])[];
  readonly branches: readonly Branch[];
  readonly direction: Direction | undefined;
  /** Relative path of the case's own fields. */
  readonly rel: string;
  /** The case's value when it has nothing to fill in (an opaque data field defaults to no bytes). */
  readonly empty?: unknown;
}

export interface FrameCatalog {
  readonly protocol: Protocol;
  readonly frameType: FrameType;
  readonly root: string;
  readonly fields: readonly FieldEntry[];
  readonly aliases: readonly FrameAlias[];
}

interface Scope {
  readonly rel: string;
  readonly fields: Fields;
}

const join = (rel: string, key: string) => (rel === '' ? key : `${rel}.${key}`);

const nodeIds = new WeakMap<Node, number>();
let lastNodeId = 0;
function branchId(rel: string, n: Node): string {
  let id = nodeIds.get(n);
  if (id === undefined) nodeIds.set(n, (id = ++lastNodeId));
  return `${rel}@${id}`;
}

/** The relative path of a switch's discriminant: the innermost enclosing struct holding that name. */
function discriminant(on: string, scopes: readonly Scope[]): { rel: string; node: Node } | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i]!;
    if (on in s.fields) return { rel: join(s.rel, on), node: s.fields[on]! };
  }
  return undefined;
}

function branchOf(n: Node, key: string, rel: string, scopes: readonly Scope[], inList = false): Branch {
  const own = { at: branchId(rel, n), key, ...(inList ? { inList } : {}) };
  if (n.kind !== 'switch') return own;
  const on = n.on === '$direction' ? '$direction' : (discriminant(n.on, scopes)?.rel ?? n.on);
  return { ...own, on, cases: Object.keys(n.cases) };
}

function collectFields(protocol: Protocol, frameType: FrameType): FieldEntry[] {
  const root = rootPath(protocol, frameType);
  const out: FieldEntry[] = [];
  interface At {
    rel: string;
    branches: readonly Branch[];
    lists: readonly number[];
    optional: boolean;
    conditional: boolean;
    scopes: readonly Scope[];
    memberKey: string | undefined;
  }
  const push = (n: Node, at: At) =>
    out.push({
      path: at.rel === '' ? root : `${root}.${at.rel}`,
      rel: at.rel,
      node: n,
      branches: at.branches,
      lists: at.lists,
      optional: at.optional,
      conditional: at.conditional,
    });
  const child = (at: At, key: string): At => ({
    ...at,
    rel: join(at.rel, key),
    lists: [...at.lists, 0],
    memberKey: undefined,
  });
  const visit = (n: Node, at: At): void => {
    switch (n.kind) {
      case 'struct': {
        push(n, at);
        const inner = { ...at, scopes: [...at.scopes, { rel: at.rel, fields: n.fields }], optional: false };
        for (const [key, c] of Object.entries(n.fields)) {
          if (c.kind === 'switch' || c.kind === 'choice') visit(c, { ...inner, memberKey: key });
          else visit(c, child(inner, key));
        }
        return;
      }
      case 'optional':
        return visit(n.node, { ...at, optional: true, conditional: true });
      case 'line':
        return visit(n.node, at);
      case 'repeat': {
        push(n, at);
        const lists = [...at.lists];
        if (lists.length > 0) lists[lists.length - 1]! += 1;
        return visit(n.node, { ...at, lists, conditional: true });
      }
      case 'switch':
      case 'choice':
        for (const [key, c] of alternatives(n)) {
          const inList = at.lists.some((l) => l > 0);
          const branches = [...at.branches, branchOf(n, key, at.rel, at.scopes, inList)];
          if (c.kind === 'switch' || c.kind === 'choice') visit(c, { ...at, branches });
          else visit(c, { ...child(at, altLabel(n, key, c, at.memberKey)), branches });
        }
        return;
      default:
        push(n, at);
    }
  };
  visit(frameType.node, {
    rel: '',
    branches: [],
    lists: [],
    optional: false,
    conditional: false,
    scopes: [],
    memberKey: undefined,
  });
  return out;
}

/** How a case key is written by users: a Meiligao command as `0x9501`, a keyword as itself. */
export function caseName(key: string, disc: Node | undefined): string {
  if (disc?.kind !== 'uint' || disc.display !== 'hex') return key;
  return `0x${Number(key)
    .toString(16)
    .padStart(disc.size * 2, '0')}`;
}

/**
 * The text a frame starts with when only fixed markers precede its discriminant at the root (`AT`
 * before an AT command's name), so that a case can be named as on the wire: `AT+MIPSEND`.
 */
function wireLead(discRel: string, root: Scope | undefined): string | undefined {
  if (!root || root.rel !== '' || discRel.includes('.')) return undefined;
  let lead = '';
  for (const [key, f] of Object.entries(root.fields)) {
    if (key === discRel) return lead === '' ? undefined : lead;
    if (f.kind === 'lit') lead += f.value;
    else if (f.kind === 'oneOf' && f.role !== 'direction') lead += Object.keys(f.values)[0] ?? '';
    else return undefined;
  }
  return undefined;
}

function caseValue(key: string, disc: Node | undefined): unknown {
  return disc?.kind === 'uint' ? Number(key) : key;
}

/** Where a case's own fields are, and the value it takes when given nothing (opaque data: no bytes). */
function caseFields(rel: string, label: string, c: Node): Pick<FrameAlias, 'rel' | 'empty'> {
  const own = { rel: join(rel, label) };
  return c.kind === 'bytes' && c.size === 'rest' ? { ...own, empty: new Uint8Array(0) } : own;
}

function collectAliases(frameType: FrameType): FrameAlias[] {
  const out: FrameAlias[] = [];
  const add = (a: FrameAlias) => {
    if (a.name !== '' && !out.some((x) => x.name === a.name)) out.push(a);
  };
  interface At {
    rel: string;
    branches: readonly Branch[];
    scopes: readonly Scope[];
    memberKey: string | undefined;
  }
  /** A switch case that is itself a switch or choice: each inner case is a name of its own. */
  const inner = (n: Node, at: At, base: Omit<FrameAlias, 'name' | 'title' | 'rel'>): void => {
    for (const [key, c] of alternatives(n)) {
      const branches = [...base.branches, branchOf(n, key, at.rel, at.scopes)];
      const direction = n.kind === 'switch' && n.on === '$direction' ? (key as Direction) : base.direction;
      if (c.kind === 'switch' || c.kind === 'choice') inner(c, at, { ...base, branches, direction });
      else {
        const label = altLabel(n, key, c, at.memberKey);
        add({ ...base, name: label, title: c.title, branches, direction, ...caseFields(at.rel, label, c) });
      }
    }
  };
  const visit = (n: Node, at: At): void => {
    switch (n.kind) {
      case 'struct': {
        const scopes = [...at.scopes, { rel: at.rel, fields: n.fields }];
        for (const [key, c] of Object.entries(n.fields)) {
          if (c.kind === 'switch' || c.kind === 'choice') visit(c, { ...at, scopes, memberKey: key });
          else visit(c, { ...at, rel: join(at.rel, key), scopes, memberKey: undefined });
        }
        return;
      }
      case 'optional':
      case 'line':
        return visit(n.node, at);
      case 'choice':
        for (const [key, c] of alternatives(n)) {
          const branches = [...at.branches, branchOf(n, key, at.rel, at.scopes)];
          if (c.kind === 'switch' || c.kind === 'choice') {
            visit(c, { ...at, branches });
            continue;
          }
          const label = altLabel(n, key, c, at.memberKey);
          add({
            name: label,
            title: c.title,
            sets: [],
            branches,
            direction: undefined,
            rel: join(at.rel, label),
          });
          visit(c, { ...at, rel: join(at.rel, label), branches, memberKey: undefined });
        }
        return;
      case 'switch': {
        const disc = n.on === '$direction' ? undefined : discriminant(n.on, at.scopes);
        if (!disc) return;
        const lead = wireLead(disc.rel, at.scopes[0]);
        for (const [key, c] of alternatives(n)) {
          if (key === '$default') continue;
          const base = {
            sets: [[disc.rel, caseValue(key, disc.node)] as const],
            branches: [...at.branches, branchOf(n, key, at.rel, at.scopes)],
            direction: undefined,
          };
          const title = c.title ?? disc.node.names?.[key];
          const names = [caseName(key, disc.node), ...(lead !== undefined ? [`${lead}${key}`] : [])];
          if (c.kind === 'switch' || c.kind === 'choice') {
            for (const name of names) add({ ...base, name, title, rel: at.rel });
            inner(c, at, base);
            continue;
          }
          const label = altLabel(n, key, c, at.memberKey);
          for (const name of [...names, label])
            add({ ...base, name, title, ...caseFields(at.rel, label, c) });
        }
        return;
      }
      default:
        return;
    }
  };
  visit(frameType.node, { rel: '', branches: [], scopes: [], memberKey: undefined });
  return out;
}

const catalogs = new WeakMap<FrameType, FrameCatalog>();

export function frameCatalog(protocol: Protocol, frameType: FrameType): FrameCatalog {
  let c = catalogs.get(frameType);
  if (!c) {
    c = {
      protocol,
      frameType,
      root: rootPath(protocol, frameType),
      fields: collectFields(protocol, frameType),
      aliases: collectAliases(frameType),
    };
    catalogs.set(frameType, c);
  }
  return c;
}

/** What a `<frame>` argument names: a frame type, perhaps narrowed to one case. */
export interface FrameChoice {
  readonly catalog: FrameCatalog;
  readonly alias: FrameAlias | undefined;
}

/**
 * A frame type or case by name: `report`, `MODE`, `0x9501`, `ota_authorize`, or qualified by the frame
 * type when several have the name (`command:+MIPSEND`). Exact names first, then ignoring case.
 */
export function findFrame(
  protocol: Protocol,
  name: string,
  direction?: Direction,
): FrameChoice | { readonly error: string } {
  const colon = name.indexOf(':', 1);
  const qualifier = colon > 0 ? protocol.frames.find((f) => f.name === name.slice(0, colon)) : undefined;
  const wanted = qualifier ? name.slice(colon + 1) : name;
  const frames = qualifier ? [qualifier] : protocol.frames;
  if (!qualifier) {
    const ft = protocol.frames.find((f) => f.name === name);
    if (ft) return { catalog: frameCatalog(protocol, ft), alias: undefined };
  }
  const all = frames.flatMap((ft) => {
    const catalog = frameCatalog(protocol, ft);
    return catalog.aliases.map((alias) => ({ catalog, alias }));
  });
  const fits = (x: FrameChoice) =>
    direction === undefined ||
    (x.alias?.direction ?? x.catalog.frameType.direction ?? direction) === direction;
  for (const same of [
    (a: FrameAlias) => a.name === wanted,
    (a: FrameAlias) => a.name.toLowerCase() === wanted.toLowerCase(),
  ]) {
    const found = all.filter((x) => same(x.alias));
    const fitting = found.filter(fits);
    const pick = fitting.length > 0 ? fitting : found;
    if (pick.length === 1) return pick[0]!;
    if (pick.length > 1)
      return {
        error: `${protocol.name} has ${wanted} in several frame types: say which (${pick
          .map((x) => `${x.catalog.frameType.name}:${x.alias!.name}`)
          .join(', ')})`,
      };
  }
  return {
    error: `${protocol.name} has no frame type or command ${JSON.stringify(wanted)} (frame types: ${protocol.frames
      .map((f) => f.name)
      .join(', ')}; 'trackshark encode --list ${protocol.name}' lists every name)`,
  };
}
