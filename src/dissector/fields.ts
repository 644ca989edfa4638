// ProtoFields: one per schema path (the dotted name `decode --json` uses), typed from the schema
// node, plus the checksum companions Wireshark users expect (`.calculated`, `.status`) and one field
// for bytes outside any frame. Nodes that meet at one path must agree on a type; when they cannot,
// generation stops and says which path.
import { CHECKSUMS, listFields, type Kind, type Node, type Protocol } from '../schema/index.js';
import { COMPUTED_FIELD_TYPE } from './lua/compute.js';
import { luaString, luaValue } from './lua-text.js';

export type FieldType = 'none' | 'uint' | 'string' | 'bytes' | 'double' | 'bool' | 'time';

const FIELD_TYPES = {
  uint: () => 'uint',
  bcd: () => 'string',
  bytes: () => 'bytes',
  lit: () => 'string',
  oneOf: () => 'string',
  struct: () => 'none',
  switch: () => undefined,
  choice: () => undefined,
  optional: () => undefined,
  repeat: () => 'none',
  line: () => undefined,
  token: () => 'string',
  computed: (n) => COMPUTED_FIELD_TYPE[n.fn],
} satisfies { [K in Kind]: (n: Extract<Node, { kind: K }>) => FieldType | undefined };

/** The ProtoField type of a node that records a field; undefined for transparent nodes. */
export function fieldType(n: Node): FieldType | undefined {
  // A repeat of values (tokens, integers) has no item of its own: its values sit beside each other
  // under the one name, as `decode --json` lists them. A repeat of structs is a subtree.
  if (n.kind === 'repeat') {
    const item = fieldType(n.node);
    if (item !== undefined && item !== 'none') return undefined;
  }
  return (FIELD_TYPES[n.kind] as (n: Node) => FieldType | undefined)(n);
}

export interface FieldDecl {
  readonly path: string;
  readonly type: FieldType;
  readonly title: string;
  readonly size?: 1 | 2 | 4;
  readonly hex?: boolean;
  readonly names?: Readonly<Record<string, string>>;
  /** Added by the dissector, not a schema field (not in `decode --json`). */
  readonly extra?: boolean;
}

/** Field names the dissector adds beside the schema's (not in `decode --json`). */
function extraFields(protocol: Protocol): FieldDecl[] {
  const out: FieldDecl[] = [];
  for (const f of listFields(protocol)) {
    const d = f.node.kind === 'uint' || f.node.kind === 'token' ? f.node.derive : undefined;
    if (d?.kind !== 'checksum') continue;
    const size = CHECKSUMS[d.algorithm].width;
    out.push(
      {
        path: `${f.path}.calculated`,
        type: 'uint',
        size,
        hex: true,
        title: 'Calculated checksum',
        extra: true,
      },
      {
        path: `${f.path}.status`,
        type: 'uint',
        size: 1,
        title: 'Checksum status',
        names: { 0: 'Bad', 1: 'Good', 2: 'Unverified' },
        extra: true,
      },
    );
  }
  out.push({
    path: `${protocol.name}.undecoded`,
    type: 'bytes',
    title: 'Bytes outside any frame',
    extra: true,
  });
  return out;
}

/** One declaration per schema path, in listFields order, then the extra fields. */
export function fieldDecls(protocol: Protocol): FieldDecl[] {
  const byPath = new Map<string, FieldDecl>();
  for (const { path, node } of listFields(protocol)) {
    const type = fieldType(node);
    if (type === undefined || path === protocol.name) continue;
    const decl: FieldDecl = {
      path,
      type,
      title: node.title ?? path.slice(path.lastIndexOf('.') + 1),
      ...(node.kind === 'uint'
        ? { size: node.size, hex: node.display === 'hex', ...(node.names ? { names: node.names } : {}) }
        : {}),
    };
    const seen = byPath.get(path);
    if (!seen) {
      byPath.set(path, decl);
      continue;
    }
    if (seen.type !== decl.type || seen.size !== decl.size || seen.hex !== decl.hex)
      throw new Error(
        `${path}: a ${seen.type}${seen.size ?? ''} and a ${decl.type}${decl.size ?? ''} share this name; one ProtoField cannot express both`,
      );
    if (decl.names) byPath.set(path, { ...seen, names: { ...decl.names, ...seen.names } });
  }
  const extras = extraFields(protocol);
  for (const e of extras)
    if (byPath.has(e.path)) throw new Error(`${e.path}: the schema already uses this dissector field name`);
  return [...byPath.values(), ...extras];
}

const UINT = { 1: 'uint8', 2: 'uint16', 4: 'uint32' } as const;

/** `F["path"] = ProtoField.…(…)` for every field, then their registration. */
export function luaFields(decls: readonly FieldDecl[]): string {
  const lines = decls.map((d) => {
    const abbr = luaString(d.path);
    const name = luaString(d.title);
    let ctor: string;
    switch (d.type) {
      case 'uint': {
        const names = d.names
          ? `{ ${Object.entries(d.names)
              .map(([k, v]) => `[${k}] = ${luaString(v)}`)
              .join(', ')} }`
          : 'nil';
        ctor = `ProtoField.${UINT[d.size ?? 4]}(${abbr}, ${name}, ${d.hex ? 'base.HEX' : 'base.DEC'}, ${names})`;
        break;
      }
      case 'time':
        ctor = `ProtoField.absolute_time(${abbr}, ${name}, base.UTC)`;
        break;
      default:
        ctor = `ProtoField.${d.type}(${abbr}, ${name})`;
    }
    return `F[${abbr}] = ${ctor}`;
  });
  return [
    'local F = {}',
    ...lines,
    'local FIELD_LIST = {}',
    `for _, abbr in ipairs(${luaValue(decls.map((d) => d.path))}) do FIELD_LIST[#FIELD_LIST + 1] = F[abbr] end`,
    'p.fields = FIELD_LIST',
  ].join('\n');
}
