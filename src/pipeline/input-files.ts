// Command-line inputs to the files to read: a directory stands for every file below it, in sorted
// path order, so a day of fleet captures is one argument and the output order never depends on the
// file system. Hidden files and Markdown notes kept beside the captures are not inputs there (they
// would only show up as undecoded bytes, and fail `check`); named on the command line, they are read.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.') || /\.md$/i.test(e.name)) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesBelow(path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

/** Inputs with directories expanded; anything else (missing files, '-') is passed on to be reported. */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const info = input === '-' ? undefined : await stat(input).catch(() => undefined);
    if (info?.isDirectory()) out.push(...(await filesBelow(input)));
    else out.push(input);
  }
  return out;
}
