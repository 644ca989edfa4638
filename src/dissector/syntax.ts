// Checking generated Lua: `luac5.2 -p` when it is installed (CI installs it next to tshark). The
// generator never emits 5.3+ operators, but a checker guards the text it writes.
import { spawnSync } from 'node:child_process';

export type SyntaxCheck =
  { readonly ok: true } | { readonly ok: false; readonly error: string } | { readonly skipped: string };

const LUAC = ['luac5.2', 'luac'];

/** Parses `lua` with the first Lua 5.2 compiler found on PATH; `skipped` when there is none. */
export function checkLuaSyntax(lua: string, name: string): SyntaxCheck {
  for (const cmd of LUAC) {
    const r = spawnSync(cmd, ['-p', '-'], { input: lua, encoding: 'utf8' });
    if (r.error) continue;
    if (cmd === 'luac') {
      const v = spawnSync(cmd, ['-v'], { encoding: 'utf8' });
      if (!`${v.stdout}${v.stderr}`.includes('5.2')) continue;
    }
    if (r.status === 0) return { ok: true };
    return { ok: false, error: `${name}: ${r.stderr.trim().replace(/^\S+: stdin:/, 'line ')}` };
  }
  return { skipped: 'no Lua 5.2 compiler (luac5.2) on PATH; syntax not checked' };
}
