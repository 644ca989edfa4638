// Plans: every schema node placed at its path, with what the Lua parser needs to know there (stop
// characters, separators, which spans are looked up, expected-text for errors), written as Lua tables.
// A node reached at several places is planned once per place, as the TypeScript decoder compiles it;
// identical plans are written once (hash-consed), so shared subtrees stay shared in the Lua file.
import {
  CHECKSUMS,
  altLabel,
  binaryTail,
  checksumInit,
  isEmptyCase,
  stopsAfter,
  type Derive,
  type Kind,
  type Node,
} from '../schema/index.js';
import { fieldType } from './fields.js';
import { LuaCode, luaCharClass, luaValue, type LuaData, type LuaRecord } from './lua-text.js';

/** The Lua form of a derive: the checksum's register after its seed text is worked out here. */
function luaDerive(d: Derive | undefined): LuaData {
  if (d === undefined) return undefined;
  if (d.kind !== 'checksum') return { k: d.kind, target: d.target };
  const { width } = CHECKSUMS[d.algorithm];
  return { k: 'checksum', algo: d.algorithm, from: d.from, to: d.to, init: checksumInit(d), width };
}

const show = (s: string) => JSON.stringify(s);

type PlanFn<K extends Kind> = (
  planner: Planner,
  n: Extract<Node, { kind: K }>,
  path: string,
  stops: string,
  memberKey: string | undefined,
) => LuaRecord;

/** What every recorded node carries: its field (the path) and the ProtoField type. */
const field = (n: Node, path: string): LuaRecord => {
  const t = fieldType(n);
  // A frame root named like the protocol is the protocol item itself.
  return t === undefined || !path.includes('.') ? {} : { f: path, t };
};

const PLANS: { [K in Kind]: PlanFn<K> } = {
  uint: (_, n, path) => ({
    ...field(n, path),
    sz: n.size,
    le: n.endian === 'le' || undefined,
    x: `${n.size}-byte ${path}`,
    names: n.names,
    rng: n.range,
    der: luaDerive(n.derive),
  }),
  bcd: (_, n, path) => ({ ...field(n, path), sz: n.size, pad: n.pad, x: `${n.size} BCD bytes` }),
  bytes: (_, n, path) => ({
    ...field(n, path),
    rest: n.size === 'rest' || undefined,
    ref: typeof n.size === 'object' ? n.size.ref : undefined,
    sz: typeof n.size === 'number' ? n.size : undefined,
  }),
  lit: (_, n, path) => ({ ...field(n, path), v: n.value, x: show(n.value) }),
  oneOf: (_, n, path) => {
    const opts = Object.keys(n.values).sort((a, b) => b.length - a.length);
    return {
      ...field(n, path),
      opts,
      dirs: n.role === 'direction' ? n.values : undefined,
      x: opts.map(show).join(' or '),
    };
  },
  struct: (planner, n, path, stops) => {
    const entries = Object.entries(n.fields);
    const nodes = entries.map(([, c]) => c);
    const members = entries.map(([key, child], i) => {
      const transparent = child.kind === 'switch' || child.kind === 'choice';
      return {
        key,
        n: planner.plan(
          child,
          transparent ? path : `${path}.${key}`,
          stopsAfter(nodes, i, n.sep, stops),
          transparent ? key : undefined,
        ),
        tr: transparent || undefined,
        opt: child.kind === 'optional' || undefined,
        zw: child.kind === 'computed' || undefined,
        valued: (!transparent && child.kind !== 'lit') || undefined,
        span: planner.spanNames.has(key) || undefined,
        tail: binaryTail(nodes, i),
      };
    });
    return {
      ...field(n, path),
      m: members,
      sep: n.sep,
      lead: n.lead,
      xsep: n.sep === undefined ? undefined : show(n.sep),
      xlead: n.lead === undefined ? undefined : show(n.lead),
    };
  },
  switch: (planner, n, path, stops, memberKey) => {
    const cases: Record<string, LuaData> = {};
    for (const [key, child] of Object.entries(n.cases))
      cases[key] = planner.alternative(n, key, child, path, stops, memberKey);
    return {
      on: n.on,
      cases,
      def: n.default ? planner.alternative(n, '$default', n.default, path, stops, memberKey) : undefined,
      ...planner.member(memberKey),
    };
  },
  choice: (planner, n, path, stops, memberKey) => ({
    alts: Object.entries(n.variants).map(([key, child]) =>
      planner.alternative(n, key, child, path, stops, memberKey),
    ),
    ...planner.member(memberKey),
  }),
  optional: (planner, n, path, stops, memberKey) => ({ n: planner.plan(n.node, path, stops, memberKey) }),
  repeat: (planner, n, path, stops) => {
    const min = n.min ?? 0;
    return {
      ...field(n, path),
      n: planner.plan(n.node, path, n.sep ? stops + n.sep : stops),
      sep: n.sep,
      min,
      max: n.max,
      xsep: n.sep === undefined ? undefined : show(n.sep),
      xmin: `at least ${min} ${path} item${min === 1 ? '' : 's'}`,
    };
  },
  line: (planner, n, path, stops, memberKey) => ({
    n: planner.plan(n.node, path, stops + '\r\n', memberKey),
  }),
  token: (_, n, path, stops) => ({
    ...field(n, path),
    syn: n.syntax,
    stop: stops === '' ? undefined : luaCharClass([...new Set(stops)].join('')),
    quoted: n.quoted,
    len: n.length,
    names: n.names,
    rng: n.range,
    der: luaDerive(n.derive),
    carries: n.carries?.stream,
  }),
  computed: (_, n, path) => ({ ...field(n, path), fn: n.fn, args: n.args, o: n.options ?? {} }),
};

export class Planner {
  private readonly ids = new Map<string, number>();
  /** `N[i] = {...}` lines, children before parents. */
  readonly lines: string[] = [];
  /** Paths of every recorded field, for checking them against the ProtoFields. */
  readonly paths = new Set<string>();
  /** Nodes with a deviation, by path (each gets an expert). */
  readonly deviations = new Map<string, Node>();
  spanNames = new Set<string>();

  plan(n: Node, path: string, stops: string, memberKey?: string): LuaCode {
    const make = PLANS[n.kind] as PlanFn<Kind>;
    const body = make(this, n as never, path, stops, memberKey);
    if (typeof body.f === 'string') this.paths.add(body.f);
    if (n.deviation) this.deviations.set(path, n);
    return this.intern({ k: n.kind, path, dev: n.deviation?.message, ...body });
  }

  alternative(
    owner: Node,
    key: string,
    child: Node,
    path: string,
    stops: string,
    memberKey: string | undefined,
  ): LuaCode {
    const nested = child.kind === 'switch' || child.kind === 'choice';
    const label = altLabel(owner, key, child, memberKey);
    return this.intern({
      label,
      n: nested ? this.plan(child, path, stops, memberKey) : this.plan(child, `${path}.${label}`, stops),
      nested: nested || undefined,
      empty: isEmptyCase(child) || undefined,
      lspan: this.spanNames.has(label) || undefined,
    });
  }

  member(memberKey: string | undefined): LuaRecord {
    return {
      mk: memberKey,
      mspan: (memberKey !== undefined && this.spanNames.has(memberKey)) || undefined,
    };
  }

  private intern(rec: LuaRecord): LuaCode {
    const text = luaValue(rec);
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.lines.length + 1;
      this.lines.push(`N[${id}] = ${text}`);
      this.ids.set(text, id);
    }
    return new LuaCode(`N[${id}]`);
  }
}
