// `path=value` arguments (and JSON objects) to the value the encoder takes. Names are the dotted paths
// `decode --json` prints, with or without the frame's root (`meiligao.device_id`, `device_id`), or
// any unambiguous tail of one (`interval` once `mode=1` has chosen MODE 1). Values are typed by the
// schema node they land on: integers in decimal, 0x hex or by value name, bytes in hex or `@file`
// (`@-`: stdin), text as it is written on the wire; groups and lists take JSON.
import { EncodeError, fromHex, toHex } from '../decode/index.js';
import type { Direction, Node } from '../schema/index.js';
import { UsageError, type Branch, type FieldEntry, type FrameChoice } from './encode-catalog.js';

/** A field's value as given: command-line text, or a JSON value (`--value`). */
export type FieldInput = { readonly text: string } | { readonly json: unknown };

export interface FieldArg {
  readonly name: string;
  readonly input: FieldInput;
}

/** `name=value`; the name ends at the first `=`. */
export function parseFieldArg(arg: string): FieldArg {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UsageError(`${JSON.stringify(arg)}: a field is written name=value`);
  return { name: arg.slice(0, eq), input: { text: arg.slice(eq + 1) } };
}

/**
 * A `--value` object: keys with a dot are field names (so `decode --json`'s `fields` can be fed
 * back); the other keys form the nested value the encoder takes (as `decode`'s frame value).
 */
export function splitValueObject(obj: unknown): { base: Record<string, unknown>; args: FieldArg[] } {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new EncodeError('--value', 'a JSON object', obj);
  const base: Record<string, unknown> = {};
  const args: FieldArg[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k.includes('.')) args.push({ name: k, input: { json: v } });
    else base[k] = v;
  }
  return { base, args };
}

export interface BuildOptions {
  readonly direction?: Direction;
  /** Bytes of `@name` values: a file, or `-` for stdin. */
  readonly readBytes: (name: string) => Uint8Array;
  /** The nested part of a `--value` object. */
  readonly base?: Record<string, unknown>;
}

export interface BuiltValue {
  readonly value: unknown;
  readonly direction: Direction | undefined;
  /** Derived fields given on the command line (they are recomputed unless kept). */
  readonly derivedGiven: readonly FieldEntry[];
}

interface Named {
  readonly arg: FieldArg;
  readonly rel: string;
  /** Indices given per segment: `records[1].voltage`. */
  readonly indices: readonly (readonly number[])[];
}

const isGroup = (n: Node) => n.kind === 'struct' || n.kind === 'repeat';
function parsesAsJson(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A group (struct or list) is meant: JSON given, and no item index on the name. */
const wantsGroup = (named: Named) =>
  ('json' in named.arg.input || parsesAsJson(named.arg.input.text)) &&
  (named.indices[named.indices.length - 1] ?? []).length === 0;

/** No frame holds more items than this: a larger index is a typing error, not a list to fill. */
const MAX_INDEX = 4095;

function splitName(arg: FieldArg, root: string): Named {
  let name = arg.name;
  if (name.startsWith(`${root}.`)) name = name.slice(root.length + 1);
  const indices: number[][] = [];
  const segments = name.split('.').map((seg) => {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m) throw new UsageError(`${arg.name}: a field name is dotted segments, each with optional [index]`);
    const at = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    if (at.some((i) => i > MAX_INDEX))
      throw new UsageError(`${arg.name}: list indices go up to ${MAX_INDEX}`);
    indices.push(at);
    return m[1]!;
  });
  return { arg, rel: segments.join('.'), indices };
}

/** What is known of the frame being built: chosen branches, discriminant values, direction. */
class Choices {
  readonly known = new Map<string, string>();
  readonly values = new Map<string, unknown>();
  direction: Direction | undefined;

  constructor(choice: FrameChoice, direction: Direction | undefined) {
    const alias = choice.alias;
    this.direction = direction ?? alias?.direction ?? choice.catalog.frameType.direction;
    for (const b of alias?.branches ?? []) this.known.set(b.at, b.key);
    for (const [rel, v] of alias?.sets ?? []) this.values.set(rel, v);
  }

  fits(b: Branch): boolean {
    // What one list item chose says nothing of the others: only the direction applies to all.
    if (b.inList && b.on !== '$direction') return true;
    const chosen = this.known.get(b.at);
    if (chosen !== undefined) return chosen === b.key;
    const v = b.on === '$direction' ? this.direction : b.on !== undefined ? this.values.get(b.on) : undefined;
    if (v === undefined) return true;
    const key = b.cases?.includes(String(v)) ? String(v) : '$default';
    return key === b.key;
  }

  allows(e: FieldEntry): boolean {
    return e.branches.every((b) => this.fits(b));
  }

  /** Whether the frame surely holds this field: every branch it lies in is the one chosen. */
  holds(e: FieldEntry): boolean {
    return (
      !e.conditional &&
      e.branches.every(
        (b) =>
          this.fits(b) &&
          (this.known.has(b.at) ||
            (b.on === '$direction'
              ? this.direction !== undefined
              : b.on !== undefined && this.values.has(b.on))),
      )
    );
  }
}

/** Entries a name can mean: the exact path first, else paths ending with it; leaves unless JSON. */
function candidates(fields: readonly FieldEntry[], named: Named): FieldEntry[] {
  const group = wantsGroup(named);
  // A list of values and its items share a path: JSON goes to the list, text to an item.
  const groupRels = new Set(fields.filter((f) => isGroup(f.node)).map((f) => f.rel));
  const usable = fields.filter((f) => (group ? isGroup(f.node) || !groupRels.has(f.rel) : !isGroup(f.node)));
  const exact = usable.filter((f) => f.rel === named.rel);
  if (exact.length > 0) return exact;
  return usable.filter((f) => f.rel.endsWith(`.${named.rel}`));
}

const distinctRels = (entries: readonly FieldEntry[]) => [...new Set(entries.map((e) => e.rel))];

function parseUint(n: Extract<Node, { kind: 'uint' }>, text: string, path: string): number {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^[0-9]+$/.test(t)) return Number(t);
  const named = Object.entries(n.names ?? {}).filter(([, v]) => v.toLowerCase() === t.toLowerCase());
  if (named.length === 1) return Number(named[0]![0]);
  throw new EncodeError(
    path,
    `an integer 0..${2 ** (8 * n.size) - 1} (decimal, 0x hex or a value name)`,
    text,
  );
}

const SKIP = Symbol('skip');

/** A field's value typed by its node; SKIP for what carries no value (literals, computed in JSON). */
function typedValue(e: FieldEntry, input: FieldInput, opts: BuildOptions): unknown {
  const n = e.node;
  if ('json' in input) {
    const v = input.json;
    if (n.kind === 'computed' || n.kind === 'lit') return SKIP;
    return typeof v === 'string' && n.kind === 'uint' ? parseUint(n, v, e.path) : v;
  }
  const text = input.text;
  switch (n.kind) {
    case 'uint':
      return parseUint(n, text, e.path);
    case 'bytes': {
      if (text.startsWith('@')) return opts.readBytes(text.slice(1));
      const b = fromHex(text);
      if (!b) throw new EncodeError(e.path, 'bytes in hex, or @file', text);
      return b;
    }
    case 'token':
      // Hex text cannot start with `@`; payloads carried as raw text take the text as it is.
      if (n.carries && n.syntax === 'hex' && text.startsWith('@'))
        return toHex(opts.readBytes(text.slice(1))).toUpperCase();
      return text;
    case 'lit':
      if (text === n.value || text === JSON.stringify(n.value).slice(1, -1)) return SKIP;
      throw new EncodeError(e.path, `the fixed text ${JSON.stringify(n.value)}`, text);
    case 'computed':
      throw new EncodeError(e.path, 'nothing: it is computed from other fields', text);
    case 'struct':
    case 'repeat':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new EncodeError(e.path, `a JSON ${n.kind === 'struct' ? 'object' : 'list'}`, text);
      }
    default:
      return text;
  }
}

/** Writes a value at an entry's place, opening objects and lists on the way. */
function setAt(
  root: Record<string, unknown>,
  e: FieldEntry,
  indices: Named['indices'],
  value: unknown,
): void {
  const segs = e.rel.split('.');
  let cursor: Record<string, unknown> = root;
  segs.forEach((key, i) => {
    const last = i === segs.length - 1;
    const levels = e.lists[i] ?? 0;
    if (levels === 0) {
      if (last) cursor[key] = value;
      else cursor = (cursor[key] ??= {}) as Record<string, unknown>;
      return;
    }
    let list = (cursor[key] ??= []) as unknown[];
    for (let l = 0; l < levels; l++) {
      const innermost = l === levels - 1;
      // A list item without an index: the next one for list values, else the first (one record).
      const index = indices[i]?.[l] ?? (last && innermost && !isGroup(e.node) ? list.length : 0);
      if (!innermost) list = (list[index] ??= []) as unknown[];
      else if (last) list[index] = value;
      else cursor = (list[index] ??= {}) as Record<string, unknown>;
    }
  });
}

function clone(v: unknown): unknown {
  if (v instanceof Uint8Array || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(clone);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
}

function describeChoice(choice: FrameChoice): string {
  const ft = choice.catalog.frameType;
  return `${choice.catalog.protocol.name} ${choice.alias ? `${choice.alias.name} (${ft.name})` : ft.name}`;
}

/** The encoder's value for a frame from field arguments; EncodeError names a field that is wrong. */
export function buildValue(choice: FrameChoice, args: readonly FieldArg[], opts: BuildOptions): BuiltValue {
  const { fields, root } = choice.catalog;
  const choices = new Choices(choice, opts.direction);
  const resolved: { named: Named; entry: FieldEntry; value: unknown }[] = [];
  let pending = args.map((a) => splitName(a, root));
  // Names resolve in rounds: each field settled narrows the switch cases and variants the rest may be in.
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    pending = pending.filter((named) => {
      const fitting = candidates(fields, named).filter((e) => choices.allows(e));
      if (distinctRels(fitting).length !== 1) return true;
      const entry = fitting[0]!;
      const value = typedValue(entry, named.arg.input, opts);
      // A tail name's indices belong to the last segments of the path.
      const pad = entry.rel.split('.').length - named.indices.length;
      const indices = [...Array.from({ length: pad }, () => []), ...named.indices];
      resolved.push({ named: { ...named, indices }, entry, value });
      if (fitting.length === 1) for (const b of entry.branches) if (!b.inList) choices.known.set(b.at, b.key);
      const inList = entry.lists.some((l) => l > 0);
      if (value !== SKIP && !isGroup(entry.node) && !inList) choices.values.set(entry.rel, value);
      if (entry.node.kind === 'oneOf' && entry.node.role === 'direction' && typeof value === 'string')
        choices.direction = entry.node.values[value] as Direction | undefined;
      progress = true;
      return false;
    });
  }
  const [unresolved] = pending;
  if (unresolved) {
    const named = candidates(fields, unresolved);
    const all = distinctRels(named);
    const fitting = distinctRels(named.filter((e) => choices.allows(e)));
    const full = (rels: readonly string[]) => rels.map((r) => (r === '' ? root : `${root}.${r}`)).join(', ');
    const what = `${unresolved.arg.name}=${JSON.stringify(textOf(unresolved.arg))}`;
    if (fitting.length > 1)
      throw new UsageError(`${what}: the name fits several fields; write one of ${full(fitting)}`);
    if (all.length > 0)
      throw new UsageError(
        `${what}: ${full(all)} belong${all.length === 1 ? 's' : ''} to another case than the one chosen for ${describeChoice(choice)}`,
      );
    throw new UsageError(
      `${what}: no field of that name in ${describeChoice(choice)} ('trackshark encode --list ${choice.catalog.protocol.name} ${choice.alias?.name ?? choice.catalog.frameType.name}' lists them)`,
    );
  }
  const value = clone(opts.base ?? {}) as Record<string, unknown>;
  const alias = choice.alias;
  const given = (rel: string) =>
    resolved.some((r) => r.entry.rel === rel || r.entry.rel.startsWith(`${rel}.`));
  for (const [rel, v] of alias?.sets ?? []) {
    const entry = fields.find((f) => f.rel === rel);
    if (entry && !given(rel)) setAt(value, entry, [], v);
  }
  if (alias?.empty !== undefined && !given(alias.rel)) {
    const entry = fields.find((f) => f.rel === alias.rel);
    if (entry) setAt(value, entry, [], alias.empty);
  }
  // A marker with several spellings (`AT`/`at`) is written as the first unless given.
  for (const e of fields)
    if (e.node.kind === 'oneOf' && e.node.role !== 'direction' && !given(e.rel) && choices.holds(e))
      setAt(value, e, [], Object.keys(e.node.values)[0]);
  for (const { named, entry, value: v } of resolved) {
    if (v === SKIP) continue;
    if (
      'json' in named.arg.input &&
      Array.isArray(v) &&
      !isGroup(entry.node) &&
      entry.lists.some((l) => l > 0)
    ) {
      // A repeated field from decode --json: one value per item.
      const at = entry.lists.map((l) => l > 0).lastIndexOf(true);
      v.forEach((item, i) =>
        setAt(
          value,
          entry,
          named.indices.map((x, j) => (j === at ? [i] : x)),
          item,
        ),
      );
    } else setAt(value, entry, named.indices, v);
  }
  const derivedGiven = resolved
    .filter((r) => 'text' in r.named.arg.input && 'derive' in r.entry.node && r.entry.node.derive)
    .map((r) => r.entry);
  return { value, direction: choices.direction, derivedGiven };
}

function textOf(arg: FieldArg): unknown {
  return 'text' in arg.input ? arg.input.text : arg.input.json;
}
