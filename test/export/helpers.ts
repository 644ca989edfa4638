// Shared by the export tests: the bundled captures they run over, golden files, and reading a WLN
// line back with trackshark's own WLN decoder.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { fromLatin1 } from '../../src/decode/index.js';
import { decodeFrame } from '../../src/decode/decoder.js';
import { flatFields } from '../../src/pipeline/index.js';
import { wln } from '../../src/protocols/index.js';

/** An MT700 TCP capture, an AT log carrying MT700 frames, H02 reports of several devices, H02 commands. */
export const CAPTURES = [
  'captures/pcap/mt700-ipv4-ns-be.pcap',
  'captures/fibocom/mt700-tcp-session.log',
  'captures/h02/v1.txt',
  'captures/h02/commands.txt',
];

const GOLDEN_DIR = 'test/golden/export';

/**
 * Compares `actual` with the golden file; `UPDATE_GOLDEN=1 npx vitest run test/export` rewrites the
 * golden files instead (then review the diff).
 */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  } else if (!existsSync(path)) throw new Error(`${path} is missing: run with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

export interface WlnBack {
  readonly ok: boolean;
  readonly normalized: Readonly<Record<string, unknown>>;
  /** Parameters by group, by name, as the decoder read them (strings). */
  readonly groups: Readonly<Record<string, Record<string, string>>>;
}

const list = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** Named entries the WLN schema decodes under a path of their own. */
const SPECIAL: Readonly<Record<string, readonly [string, string]>> = {
  ALT: ['doubles', 'altitude'],
  hdop: ['doubles', 'hdop'],
  SATS: ['ints', 'satellites'],
};

/** Decodes one WLN line with the `wln` protocol. */
export function readWln(line: string): WlnBack {
  const frame = decodeFrame(wln, wln.frames[0]!, fromLatin1(line));
  const { fields } = flatFields(frame);
  const groups: Record<string, Record<string, string>> = {};
  for (const g of ['doubles', 'ints', 'texts', 'longs', 'booleans']) {
    const names = list(fields[`wln.reg.${g}.param.name`]);
    const values = list(fields[`wln.reg.${g}.param.value`]);
    groups[g] = Object.fromEntries(names.map((n, i) => [n, values[i]!]));
  }
  for (const [name, [group, path]] of Object.entries(SPECIAL)) {
    const v = fields[`wln.reg.${group}.${path}.value`];
    if (v !== undefined) groups[group]![name] = String(v);
  }
  return { ok: frame.ok && frame.issues.length === 0, normalized: frame.normalized, groups };
}
