// `trackshark encode --list [protocol [frame]]`: the frames a protocol can build, the names they can
// be asked for by, and every field with its type, range, unit and whether it is derived; the same
// descriptions make the errors for wrong or missing fields.
import { PROTOCOLS } from '../protocols/index.js';
import type { Derive, Node } from '../schema/index.js';
import { resolveProtocol } from './decode-input.js';
import {
  caseName,
  findFrame,
  frameCatalog,
  UsageError,
  type FieldEntry,
  type FrameAlias,
  type FrameCatalog,
} from './encode-catalog.js';

const SYNTAX: Readonly<Record<string, string>> = {
  digits: 'digits',
  integer: 'integer',
  decimal: 'decimal number',
  hex: 'hex digits',
  alnum: 'letters and digits',
  text: 'text',
};

const MAX_NAMES = 12;

function valueNames(names: Readonly<Record<string, string>>, show: (k: string) => string): string {
  const keys = Object.keys(names);
  const shown = keys
    .slice(0, MAX_NAMES)
    .map((k) => (show(k) === names[k] ? show(k) : `${show(k)} (${names[k]})`));
  return `${shown.join(', ')}${keys.length > MAX_NAMES ? `, … ${keys.length - MAX_NAMES} more` : ''}`;
}

function derivation(d: Derive): string {
  switch (d.kind) {
    case 'lengthOf':
      return `length of ${d.target === '$frame' ? 'the frame' : d.target}`;
    case 'countOf':
      return `count of ${d.target}`;
    case 'checksum':
      return `${d.algorithm} of ${d.from === '$frame' ? 'the frame' : d.from}..${d.to === '$frame' ? 'here' : d.to}`;
  }
}

/** What a field takes, in words: `u16, 0..65535`, `digits, 10..600 s`, `one of "$$", "@@"`. */
export function describeNode(n: Node): string {
  const parts: string[] = [];
  switch (n.kind) {
    case 'uint': {
      parts.push(`u${n.size * 8}${n.endian === 'le' && n.size > 1 ? ' little-endian' : ''}`);
      parts.push(n.range ? `${n.range[0]}..${n.range[1]}` : `0..${2 ** (8 * n.size) - 1}`);
      if (n.names) parts.push(`known: ${valueNames(n.names, (k) => caseName(k, n))}`);
      break;
    }
    case 'bcd':
      parts.push(`up to ${n.size * 2} decimal digits (BCD)`);
      break;
    case 'bytes':
      parts.push(
        typeof n.size === 'number'
          ? `${n.size} bytes in hex`
          : n.size === 'rest'
            ? 'bytes in hex (or @file)'
            : `bytes in hex, as many as ${n.size.ref}`,
      );
      break;
    case 'oneOf':
      parts.push(
        `one of ${Object.entries(n.values)
          .map(([k, v]) => `${JSON.stringify(k)} (${v})`)
          .join(', ')}`,
      );
      break;
    case 'lit':
      parts.push(`fixed ${JSON.stringify(n.value)}`);
      break;
    case 'computed':
      parts.push('computed from other fields');
      break;
    case 'token':
      parts.push(n.quoted === 'always' ? `${SYNTAX[n.syntax]} (written quoted)` : SYNTAX[n.syntax]!);
      if (n.length)
        parts.push(
          n.length[0] === n.length[1]
            ? `${n.length[0]} characters`
            : `${n.length[0]}..${n.length[1]} characters`,
        );
      if (n.range) parts.push(`${n.range[0]}..${n.range[1]}`);
      if (n.names) parts.push(`known: ${valueNames(n.names, (k) => k)}`);
      if (n.carries)
        parts.push(n.syntax === 'hex' ? 'carries frames: hex, or @file of raw bytes' : 'carries frames');
      break;
    case 'struct':
      parts.push('group (its fields, or a JSON object)');
      break;
    case 'repeat':
      parts.push('list (repeat the field, name[i].field=..., or a JSON list)');
      break;
    default:
      parts.push(n.kind);
  }
  let text = parts.join(', ');
  if (n.unit) text += ` ${n.unit}`;
  if ('derive' in n && n.derive) text += `; derived: ${derivation(n.derive)}`;
  return text;
}

const PAD = '    ';

/** The path with `[]` after each segment that holds a list, `?` when optional. */
function shownPath(e: FieldEntry, root: string): string {
  const segs = e.rel.split('.').map((s, i) => s + '[]'.repeat(e.lists[i] ?? 0));
  return `${root}.${segs.join('.')}${e.optional ? '?' : ''}`;
}

function fieldLine(e: FieldEntry, name: string, width: number): string {
  return `${PAD}${PAD}${name.padEnd(width)}  ${describeNode(e.node)}${e.node.title ? `  — ${e.node.title}` : ''}`;
}

/** Fields worth listing: what a user can set (no structs without values of their own). */
function listable(entries: readonly FieldEntry[]): FieldEntry[] {
  return entries.filter((e) => e.node.kind !== 'struct' && e.node.kind !== 'repeat' && e.rel !== '');
}

function aliasNames(c: FrameCatalog): string {
  const groups = new Map<string, FrameAlias[]>();
  for (const a of c.aliases) {
    const key = a.branches.map((b) => `${b.at}=${b.key}`).join(' ');
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()]
    .map((g) => {
      const dir = g[0]!.direction ? ` ${g[0]!.direction}` : '';
      return `${g.map((a) => a.name).join(' = ')}${dir}`;
    })
    .join(', ');
}

function frameHeader(c: FrameCatalog): string {
  const ft = c.frameType;
  const dir = ft.direction ?? 'either direction';
  return `${PAD}${ft.name}: ${ft.title} (${dir})`;
}

/** The frame type's header line, and the names it can be asked for by. */
function frameSummary(c: FrameCatalog): string[] {
  const names = aliasNames(c);
  return [frameHeader(c), ...(names ? [`${PAD}${PAD}names: ${names}`] : [])];
}

function fieldsBlock(c: FrameCatalog, entries: readonly FieldEntry[]): string[] {
  const shown = listable(entries).map((e) => [e, shownPath(e, c.root)] as const);
  const width = Math.min(48, Math.max(0, ...shown.map(([, name]) => name.length)));
  return shown.map(([e, name]) => fieldLine(e, name, width));
}

/** Entries a frame alias leaves possible: fields outside its switch, and its own case's fields. */
function aliasFields(c: FrameCatalog, a: FrameAlias): FieldEntry[] {
  const chosen = new Map(a.branches.map((b) => [b.at, b.key]));
  return c.fields.filter((e) =>
    e.branches.every((b) => {
      const k = chosen.get(b.at);
      if (k !== undefined) return k === b.key;
      return b.on !== '$direction' || a.direction === undefined || b.key === a.direction;
    }),
  );
}

/** The listing for `--list`, `--list <protocol>` or `--list <protocol> <frame>`. */
export function listText(protocolName?: string, frame?: string): string {
  const lines: string[] = [];
  if (protocolName === undefined) {
    for (const p of PROTOCOLS) {
      lines.push(`${p.name}: ${p.title}`);
      for (const ft of p.frames) lines.push(...frameSummary(frameCatalog(p, ft)));
    }
    lines.push('', "'trackshark encode --list <protocol> [frame]' lists the fields.");
    return `${lines.join('\n')}\n`;
  }
  const p = resolveProtocol(protocolName)!;
  if (frame !== undefined) {
    const found = findFrame(p, frame);
    if ('error' in found) throw new UsageError(found.error);
    const c = found.catalog;
    lines.push(`${p.name}: ${p.title}`, frameHeader(c));
    if (found.alias) {
      const a = found.alias;
      const sets = a.sets.map(([rel, v]) => {
        const node = c.fields.find((f) => f.rel === rel)?.node;
        return `${c.root}.${rel}=${caseName(String(v), node)}`;
      });
      lines.push(
        `${PAD}${PAD}${a.name}: ${a.title ?? a.rel}${a.direction ? ` (${a.direction})` : ''}${sets.length ? `, sets ${sets.join(' ')}` : ''}`,
      );
      lines.push(...fieldsBlock(c, aliasFields(c, a)));
    } else lines.push(...fieldsBlock(c, c.fields));
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${p.name}: ${p.title}`);
  for (const ft of p.frames) {
    const c = frameCatalog(p, ft);
    lines.push(...frameSummary(c), ...fieldsBlock(c, c.fields), '');
  }
  return `${lines.join('\n')}\n`;
}
