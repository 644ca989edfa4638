// `trackshark dissector`: generate the Lua files, check their syntax, write them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Protocol } from '../schema/index.js';
import { generateDissector } from './generate.js';
import { checkLuaSyntax } from './syntax.js';

export interface DissectorOptions {
  readonly out: string;
  readonly protocols: readonly Protocol[];
  /** Candidates for the frames carried inside others (AT payloads); none: carried bytes stay hex. */
  readonly payloads?: readonly Protocol[];
}

export interface Io {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

/** Exit status: 0 written, 2 when a schema cannot be expressed or the Lua does not parse. */
export function runDissector(opts: DissectorOptions, io: Io): number {
  let status = 0;
  let warned = false;
  for (const protocol of opts.protocols) {
    let lua: string;
    let fileName: string;
    try {
      ({ lua, fileName } = generateDissector(protocol, { payloads: opts.payloads ?? [] }));
    } catch (e) {
      io.stderr.write(`trackshark: ${protocol.name}: ${(e as Error).message}\n`);
      status = 2;
      continue;
    }
    const check = checkLuaSyntax(lua, fileName);
    if ('skipped' in check) {
      if (!warned) io.stderr.write(`trackshark: ${check.skipped}\n`);
      warned = true;
    } else if (!check.ok) {
      io.stderr.write(`trackshark: generated Lua does not parse: ${check.error}\n`);
      status = 2;
      continue;
    }
    const file = join(opts.out, fileName);
    try {
      mkdirSync(opts.out, { recursive: true });
      writeFileSync(file, lua);
    } catch (e) {
      io.stderr.write(`trackshark: cannot write ${file}: ${(e as Error).message}\n`);
      return 2;
    }
    io.stdout.write(`${file}\n`);
  }
  return status;
}
