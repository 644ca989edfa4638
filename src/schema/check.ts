// checkSchema: the front-end validation every backend relies on. A schema that passes is pure data,
// resolves every reference, and gives every field one unambiguous dotted name.
import { altLabel, alternatives, firstOf, fixedSize, listFields, rootPath } from './analysis.js';
import { CHECKSUMS } from './checksums.js';
import type { Node, Protocol } from './nodes.js';

export interface SchemaProblem {
  readonly where: string;
  readonly message: string;
}

const NAME = /^[a-z][a-z0-9_]*$/;
const PROTOCOL_NAME = /^[a-z][a-z0-9_]+$/;
const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/;

/** Names visible from a point: each enclosing struct's members, innermost first. */
interface Frame {
  readonly all: ReadonlySet<string>;
  readonly before: ReadonlySet<string>;
}

export function checkSchema(protocol: Protocol): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report = (where: string, message: string) => problems.push({ where, message });

  findCode(protocol, protocol.name, report);
  if (!PROTOCOL_NAME.test(protocol.name))
    report(protocol.name, 'protocol name must be lowercase [a-z0-9_], at least 2 characters');

  const typeOfPath = new Map<string, string>();
  for (const f of listFields(protocol)) {
    if (f.node.kind === 'repeat') continue; // its items carry the path and the type
    const type = wireType(f.node);
    const seen = typeOfPath.get(f.path);
    if (seen !== undefined && seen !== type)
      report(f.path, `two fields share this name with different types (${seen}, ${type})`);
    typeOfPath.set(f.path, type);
  }

  const names = new Set<string>();
  const segments = new Set<string>();
  for (const ft of protocol.frames) {
    if (names.has(ft.name)) report(ft.name, 'duplicate frame type name');
    names.add(ft.name);
    if (segments.has(ft.segment) && ft.segment !== '') report(ft.name, `segment ${ft.segment} used twice`);
    segments.add(ft.segment);
    const where = rootPath(protocol, ft);
    walk(ft.node, where, [], report, undefined);
    checkFraming(ft.framing, ft.node, where, report);
  }

  const experts = new Set<string>();
  for (const e of protocol.experts ?? []) {
    if (experts.has(e.id)) report(e.id, 'duplicate expert id');
    experts.add(e.id);
    if (!e.id.startsWith(`${protocol.name}.`)) report(e.id, `expert ids start with "${protocol.name}."`);
  }
  return problems;
}

/** Rule 1: a schema holds no closures or regular expressions a generator could not see into. */
function findCode(
  value: unknown,
  where: string,
  report: (w: string, m: string) => void,
  seen = new Set<unknown>(),
): void {
  if (typeof value === 'function')
    return report(where, 'a function in a schema: generators cannot translate it');
  if (value instanceof RegExp)
    return report(where, 'a RegExp in a schema: Lua 5.2 has no regular expressions');
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (!Object.isFrozen(value)) report(where, 'schema objects must be frozen (build them with the DSL)');
  for (const [k, v] of Object.entries(value)) findCode(v, `${where}.${k}`, report, seen);
}

function wireType(n: Node): string {
  switch (n.kind) {
    case 'uint':
      return `uint${n.size * 8}`;
    case 'bytes':
      return 'bytes';
    case 'token':
    case 'bcd':
    case 'oneOf':
    case 'lit':
      return 'string';
    case 'computed':
      return `computed:${n.fn}`;
    default:
      return n.kind;
  }
}

function resolves(scopes: readonly Frame[], name: string, earlierOnly: boolean): boolean {
  return scopes.some((s) => (earlierOnly ? s.before : s.all).has(name));
}

function walk(
  n: Node,
  where: string,
  scopes: readonly Frame[],
  report: (w: string, m: string) => void,
  memberKey: string | undefined,
): void {
  if (n.param !== undefined && !/^[a-z][a-z0-9_.]*$/.test(n.param))
    report(where, `param ${n.param} is not a dotted lowercase name`);
  if (n.label !== undefined && !NAME.test(n.label)) report(where, `label ${n.label} is not snake_case`);
  const derive = 'derive' in n ? n.derive : undefined;
  if (derive) {
    if (derive.kind === 'checksum') {
      for (const end of [derive.from, derive.to])
        if (end !== '$frame' && !resolves(scopes, end, false))
          report(where, `checksum span end ${end} does not resolve`);
      const width = CHECKSUMS[derive.algorithm].width;
      if (n.kind === 'uint' && n.size !== width)
        report(where, `${derive.algorithm} needs a ${width}-byte field`);
      if (
        n.kind === 'token' &&
        (n.syntax !== 'hex' || n.length?.[0] !== width * 2 || n.length?.[1] !== width * 2)
      )
        report(where, `${derive.algorithm} in text needs hex({ length: [${width * 2}, ${width * 2}] })`);
    } else {
      if (derive.target !== '$frame' && !resolves(scopes, derive.target, false))
        report(where, `${derive.kind} target ${derive.target} does not resolve`);
      if (derive.kind === 'lengthOf' && n.kind !== 'uint')
        report(where, 'lengthOf needs a binary integer (text lengths change width)');
      if (derive.kind === 'countOf' && n.kind === 'token' && n.syntax !== 'digits' && n.syntax !== 'integer')
        report(where, 'countOf in text needs digits or integer');
    }
  }
  switch (n.kind) {
    case 'struct': {
      const entries = Object.entries(n.fields);
      const all = new Set<string>();
      for (const [k, c] of entries) {
        all.add(k);
        for (const [ck, cc] of c.kind === 'switch' || c.kind === 'choice' ? alternatives(c) : [])
          all.add(cc.label ?? (c.kind === 'switch' ? k : ck));
      }
      const before = new Set<string>();
      entries.forEach(([key, child], i) => {
        if (INTEGER_LIKE.test(key))
          report(`${where}.${key}`, 'integer-like keys break wire order (object keys)');
        if (!NAME.test(key)) report(`${where}.${key}`, 'field names are snake_case');
        if (child.kind === 'bytes' && child.size === 'rest')
          for (const [k2, later] of entries.slice(i + 1))
            if (fixedSize(later) === undefined)
              report(`${where}.${k2}`, `follows a 'rest' field but has no fixed size`);
        if (n.sep === undefined && child.kind === 'token' && !child.quoted) {
          const next = entries.slice(i + 1).find(([, c]) => c.kind !== 'computed');
          if (next && firstOf(next[1]).any && next[1].kind === 'token')
            report(
              `${where}.${key}`,
              `token followed directly by token ${next[0]}: nothing tells where one ends`,
            );
        }
        const transparent = child.kind === 'switch' || child.kind === 'choice';
        walk(
          child,
          transparent ? where : `${where}.${key}`,
          [{ all, before: new Set(before) }, ...scopes],
          report,
          transparent ? key : undefined,
        );
        before.add(key);
        for (const [ck, cc] of transparent ? alternatives(child) : [])
          before.add(cc.label ?? (child.kind === 'switch' ? key : ck));
      });
      return;
    }
    case 'switch':
    case 'choice': {
      if (n.kind === 'switch' && n.on !== '$direction' && !resolves(scopes, n.on, true))
        report(where, `switch on ${n.on}, which is not an earlier field`);
      // The encoder finds the case (and fills the discriminant) from the label present in the value, so
      // different bodies of one switch need labels of their own. One body shared by several keys (H02 V1
      // and V2) is deliberate: the first key is the default.
      if (n.kind === 'switch') {
        const bodies = new Map<string, Set<Node>>();
        const collect = (alt: Node): void => {
          for (const [key, child] of alternatives(alt)) {
            if (key === '$default') continue; // never inferred: it has no discriminant value of its own
            if (child.kind === 'switch') collect(child);
            else {
              const label = altLabel(alt, key, child, memberKey);
              bodies.set(label, (bodies.get(label) ?? new Set()).add(child));
            }
          }
        };
        collect(n);
        for (const [label, set] of bodies)
          if (set.size > 1 && label !== memberKey)
            report(
              `${where}.${label}`,
              `case label ${label} is used by ${set.size} different cases: an encoder cannot tell which to write`,
            );
      }
      for (const [key, child] of alternatives(n)) {
        const label = altLabel(n, key, child, memberKey);
        if (child.kind !== 'switch' && child.kind !== 'choice' && !NAME.test(label))
          report(`${where}.${key}`, `case label ${label} is not a field name: give the case a label`);
        walk(
          child,
          child.kind === 'switch' || child.kind === 'choice' ? where : `${where}.${label}`,
          scopes,
          report,
          memberKey,
        );
      }
      return;
    }
    case 'optional':
    case 'line':
    case 'repeat':
      return walk(n.node, where, scopes, report, memberKey);
    case 'computed':
      for (const a of n.args)
        if (!resolves(scopes, a, true)) report(where, `computed argument ${a} is not an earlier field`);
      return;
    case 'lit':
      if (n.value.length === 0) report(where, 'empty literal');
      return;
    case 'oneOf':
      if (Object.keys(n.values).some((k) => k.length === 0)) report(where, 'empty literal in oneOf');
      return;
    default:
      return;
  }
}

function checkFraming(
  framing: Protocol['frames'][number]['framing'],
  node: Node,
  where: string,
  report: (w: string, m: string) => void,
): void {
  switch (framing.kind) {
    case 'length':
      if (node.kind !== 'struct' || !(framing.lengthField in node.fields))
        report(where, `length framing: no field ${framing.lengthField}`);
      return;
    case 'delimited':
      if (framing.start.length === 0 || framing.end.length === 0)
        report(where, 'delimited framing needs start patterns and end markers');
      return;
    case 'fixed':
      if (framing.start.length === 0 || framing.sizes.length === 0)
        report(where, 'fixed framing needs start patterns and sizes');
      return;
    case 'line':
      if (framing.max <= 0) report(where, 'line framing needs a positive max');
  }
}
