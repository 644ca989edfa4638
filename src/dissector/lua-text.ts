// Writing Lua 5.2 source text: string literals that survive any byte, and tables from plain data.

/** A Lua string literal for latin1 text: printable ASCII as is, everything else as a decimal escape. */
export function luaString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Error(`character U+${c.toString(16)} cannot be written as one Lua byte`);
    if (c === 0x22 || c === 0x5c) out += `\\${s[i]}`;
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += `\\${c.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(
  'and break do else elseif end false for function goto if in local nil not or repeat return then true until while'.split(
    ' ',
  ),
);

/** A Lua table key: `name` when it is an identifier, else `["text"]`. */
function luaKey(k: string): string {
  return IDENT.test(k) && !RESERVED.has(k) ? k : `[${luaString(k)}]`;
}

/** Raw Lua text, embedded as is by luaValue. */
export class LuaCode {
  constructor(readonly code: string) {}
}

export type LuaData = string | number | boolean | undefined | LuaCode | readonly LuaData[] | LuaRecord;
export interface LuaRecord {
  readonly [key: string]: LuaData;
}

/** A Lua constructor for plain data (undefined entries are left out). */
export function luaValue(v: LuaData): string {
  if (v instanceof LuaCode) return v.code;
  if (typeof v === 'string') return luaString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? 'math.huge' : '-math.huge';
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === undefined) return 'nil';
  if (Array.isArray(v)) return `{ ${v.map(luaValue).join(', ')} }`;
  const entries = Object.entries(v as LuaRecord).filter(([, x]) => x !== undefined);
  return `{ ${entries.map(([k, x]) => `${luaKey(k)} = ${luaValue(x)}`).join(', ')} }`;
}

/** A Lua pattern character class matching any of `chars` (every character escaped). */
export function luaCharClass(chars: string): string {
  return `[${[...chars].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `%${c}`)).join('')}]`;
}
