// Files named by command-line options (certificates, keys, firmware), read whole: a read error becomes
// one line naming the option, thrown as the command's own argument error (exit status 2).
import { readFile } from 'node:fs/promises';

export async function optionFile(
  option: string,
  path: string,
  ArgumentError: new (message: string) => Error,
): Promise<Uint8Array> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new ArgumentError(`--${option} ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  return new Uint8Array(bytes);
}
