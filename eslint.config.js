// Lint rules, including the folder import rules of ../shared/DESIGN.md ("Folder layout and import rules").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layer = (name) => [`**/${name}/*`, `**/${name}/**`, `**/${name}`];
const forbid = (message, ...names) => ({ group: names.flatMap(layer), message });

/** Folders and what each may not import (everything not listed is allowed). Nothing imports src/cli. */
const noCli = forbid('Nothing imports src/cli.', 'cli');
const noInk = {
  group: ['ink', 'ink/*', 'react', 'react/*'],
  message: 'Only src/replay/tui/*.tsx imports ink and react.',
};
const importRules = [
  { files: ['src/**/*.ts'], ignores: ['src/cli/**'], patterns: [noCli] },
  {
    files: ['src/schema/**/*.ts'],
    patterns: [
      { group: ['../*', '../**'], message: 'src/schema is a leaf: it imports nothing else in src/.' },
      { group: ['node:*'], message: 'src/schema is pure: no node: built-ins.' },
    ],
  },
  {
    files: ['src/protocols/**/*.ts'],
    patterns: [
      forbid(
        'src/protocols may import src/schema and sibling protocols only.',
        'decode',
        'capture',
        'pipeline',
        'replay',
        'dissector',
        'fuzz',
        'docs',
      ),
      { group: ['node:*'], message: 'protocols are data.' },
      noCli,
    ],
  },
  {
    files: ['src/decode/**/*.ts'],
    patterns: [
      forbid(
        'src/decode imports src/schema only (protocols are passed in).',
        'protocols',
        'capture',
        'pipeline',
        'replay',
        'dissector',
        'fuzz',
        'docs',
      ),
      noCli,
    ],
  },
  {
    files: ['src/capture/**/*.ts'],
    patterns: [
      forbid(
        'src/capture is protocol-agnostic: node: built-ins only.',
        'schema',
        'protocols',
        'decode',
        'pipeline',
        'replay',
        'dissector',
        'fuzz',
        'docs',
      ),
      noCli,
    ],
  },
  {
    files: ['src/fuzz/**/*.ts'],
    patterns: [
      forbid(
        'src/fuzz imports schema, decode and capture only.',
        'protocols',
        'pipeline',
        'replay',
        'dissector',
        'docs',
      ),
      noCli,
    ],
  },
  {
    files: ['src/dissector/**/*.ts'],
    patterns: [
      forbid(
        'src/dissector reads src/schema only: the Lua comes from the schema, not from the decoder.',
        'protocols',
        'decode',
        'capture',
        'pipeline',
        'replay',
        'fuzz',
        'docs',
      ),
      noCli,
    ],
  },
  {
    files: ['src/export/**/*.ts'],
    patterns: [
      forbid(
        'src/export builds on pipeline, decode, protocols and schema only.',
        'capture',
        'replay',
        'dissector',
        'fuzz',
        'docs',
      ),
      noCli,
    ],
  },
  {
    // The replay engine plays the pipeline's message timeline, so it builds on src/pipeline too.
    files: ['src/replay/**/*.ts'],
    patterns: [
      forbid('src/replay does not import the other backends.', 'dissector', 'fuzz', 'docs', 'export'),
      noCli,
    ],
  },
  {
    files: ['src/pipeline/**/*.ts'],
    patterns: [
      forbid(
        'src/pipeline composes schema, protocols, decode and capture only.',
        'replay',
        'dissector',
        'fuzz',
        'docs',
      ),
      noCli,
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'dissectors/**', 'captures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // CommonJS preloads (node --require) are what they are.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...importRules.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, noInk] }] },
  })),
  {
    // The Ink components: the only files that import ink and react (rule 9 of DESIGN.md).
    files: ['src/replay/tui/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noCli] }] },
  },
);
