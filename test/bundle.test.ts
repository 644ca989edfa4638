// DESIGN rule 9: the library entry never loads the CLI or TUI stack. Bundle it and list every
// package it reaches.
import { build } from 'esbuild';
import { expect, test } from 'vitest';

test('importing trackshark pulls in no yargs, ink or react', async () => {
  const result = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    packages: 'external',
    logLevel: 'silent',
  });
  const external = new Set<string>();
  for (const output of Object.values(result.metafile.outputs))
    for (const imp of output.imports) if (imp.external) external.add(imp.path);
  const packages = [...external].filter((p) => !p.startsWith('node:'));
  expect(packages.filter((p) => /^(yargs|ink|react)(\/|$)/.test(p))).toEqual([]);
  // The library entry needs no third-party package at run time (fast-check is reached only via src/fuzz).
  expect(packages).toEqual([]);
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((f) => f.startsWith('src/cli/'))).toBe(false);
  expect(inputs.some((f) => f.startsWith('src/schema/'))).toBe(true);
});
