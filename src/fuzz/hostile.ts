// Hostile replacements for one field's bytes, chosen by what the schema says the field is: boundary
// numbers, coordinates and dates out of range, injected separators, long and empty text, values the
// enum does not name, and the field deleted or duplicated.
import { fromLatin1 as text } from '../decode/index.js';
import type { Node } from '../schema/index.js';
import { joinBytes, splice } from './delivery.js';
import { writeUint } from './fixup.js';
import type { Rng } from './rng.js';
import type { SeedField } from './seeds.js';

export interface Replacement {
  /** Relative to the field: [start - before, end) is replaced. */
  readonly before: number;
  readonly bytes: Uint8Array;
  readonly how: string;
}

const BOUNDARY_NUMBERS = [
  '0',
  '-0',
  '-1',
  '00000000000000000000',
  '2147483647',
  '2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740993',
  '99999999999999999999',
  '1e308',
  '-1e-308',
  'NaN',
  'Infinity',
  '0x1F',
  '1.',
  '.5',
  '1.2.3',
  '-',
  '+7',
];
const COORDINATES = [
  '9000.0001',
  '-9000.0000',
  '18000.0001',
  '99999.9999',
  '0000.0000',
  '9959.9999',
  '2238.894612345678901234',
  '22.38.89',
  '-23-3.3408',
];
const DATES = ['000000', '999999', '320299', '311399', '290223', '240000', '235960', '010170', '1231235959'];
const SEPARATORS = [',', '|', '#', '*', ';', '$', '\r\n', '\n', '\r', '"', '@@', '$$', '##', ':', '=', ' '];
const LONG_LENGTHS = [64, 255, 256, 1024, 4096];
const CONTROL = ['\x00', '\xff', '\x80', '\x7f', '\x1b', '%s%n'];

const isCoordinate = (path: string) => /(^|\.)(lat|lon|latitude|longitude)$/.test(path);
const isDate = (path: string) => /(date|time)/.test(path);

function uintBytes(value: number, size: number, endian: 'be' | 'le'): Uint8Array {
  const out = new Uint8Array(size);
  writeUint(out, 0, size, endian, value);
  return out;
}

/** A name the enum does not list: a listed one altered, or a plain unknown word. */
function unknownName(names: Readonly<Record<string, string>>, rng: Rng): string {
  const keys = Object.keys(names);
  const key = rng.pick(keys);
  const forms = [`${key}X`, key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase(), key.slice(1)];
  return rng.pick([...forms.filter((f) => !(f in names)), 'ZZZZ']);
}

function tokenValue(field: SeedField, node: Extract<Node, { kind: 'token' }>, rng: Rng): Replacement {
  const current = field.end - field.start;
  const pool: [string, () => string][] = [
    ['empty', () => ''],
    ['boundary number', () => rng.pick(BOUNDARY_NUMBERS)],
    ['long text', () => (node.syntax === 'text' ? 'A' : '9').repeat(rng.pick(LONG_LENGTHS))],
    ['control bytes', () => rng.pick(CONTROL)],
  ];
  if (isCoordinate(field.path)) pool.push(['coordinate out of range', () => rng.pick(COORDINATES)]);
  if (isDate(field.path)) pool.push(['date out of range', () => rng.pick(DATES)]);
  if (node.names && Object.keys(node.names).length > 0)
    pool.push(['wrong enum value', () => unknownName(node.names!, rng)]);
  if (node.length) pool.push(['one character too long', () => '9'.repeat(node.length![1] + 1)]);
  const [how, make] = rng.pick(pool);
  const value = make();
  return {
    before: 0,
    bytes: text(value),
    how: `${how} ${JSON.stringify(value.length > 16 ? `${value.slice(0, 8)}…(${value.length})` : value)} (was ${current} chars)`,
  };
}

function uintValue(node: Extract<Node, { kind: 'uint' }>, rng: Rng): Replacement {
  const max = 2 ** (8 * node.size) - 1;
  const half = 2 ** (8 * node.size - 1);
  const values = [0, 1, max, max - 1, half, half - 1];
  let value = rng.pick(values);
  let how = 'boundary number';
  if (node.names && rng.chance(0.4)) {
    const named = new Set(Object.keys(node.names).map(Number));
    do value = rng.int(max + 1);
    while (named.has(value));
    how = 'wrong enum value';
  } else if (node.range && rng.chance(0.4)) {
    value = Math.min(max, node.range[1] + 1);
    how = 'out of range';
  }
  return { before: 0, bytes: uintBytes(value, node.size, node.endian), how: `${how} ${value}` };
}

function opaqueValue(field: SeedField, rng: Rng): Replacement {
  const size = field.end - field.start;
  const choices: [string, () => Uint8Array][] = [
    ['random bytes', () => rng.bytes(size)],
    ['all 0xFF', () => new Uint8Array(size).fill(0xff)],
    ['all zero', () => new Uint8Array(size)],
  ];
  if (field.node.kind === 'bytes' || field.node.kind === 'bcd')
    choices.push(['long bytes', () => rng.bytes(rng.pick(LONG_LENGTHS))], ['empty', () => new Uint8Array(0)]);
  if (field.node.kind === 'oneOf') {
    const others = Object.keys(field.node.values);
    choices.push(['other literal', () => text(rng.pick(others))]);
  }
  const [how, make] = rng.pick(choices);
  const bytes = make();
  return { before: 0, bytes, how: `${how} (${bytes.length} bytes)` };
}

/** A separator pushed into the field, at a random place in it. */
function injectSeparator(field: SeedField, bytes: Uint8Array, rng: Rng): Replacement {
  const sep = field.sep && rng.chance(0.5) ? field.sep : rng.pick(SEPARATORS);
  const own = bytes.subarray(field.start, field.end);
  const at = rng.int(own.length + 1);
  return {
    before: 0,
    bytes: splice(own, at, 0, text(sep)),
    how: `separator ${JSON.stringify(sep)} injected at ${at}`,
  };
}

/** The field removed, with the separator before it so the fields after it move up. */
function deleteField(field: SeedField, bytes: Uint8Array): Replacement {
  const sep = field.sep ?? '';
  const hasSep = sep !== '' && field.start >= sep.length && textAt(bytes, field.start - sep.length, sep);
  return { before: hasSep ? sep.length : 0, bytes: new Uint8Array(0), how: 'field deleted' };
}

function duplicateField(field: SeedField, bytes: Uint8Array): Replacement {
  const own = bytes.subarray(field.start, field.end);
  return { before: 0, bytes: joinBytes([own, text(field.sep ?? ''), own]), how: 'field duplicated' };
}

function textAt(bytes: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (bytes[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** One hostile replacement for a field of a seed frame. */
export function hostileReplacement(field: SeedField, bytes: Uint8Array, rng: Rng): Replacement {
  const roll = rng.int(10);
  if (roll === 0) return deleteField(field, bytes);
  if (roll === 1) return duplicateField(field, bytes);
  const n = field.node;
  if (roll <= 3 && (n.kind === 'token' || n.kind === 'struct' || n.kind === 'repeat'))
    return injectSeparator(field, bytes, rng);
  switch (n.kind) {
    case 'token':
      return tokenValue(field, n, rng);
    case 'uint':
      return uintValue(n, rng);
    case 'struct':
    case 'repeat':
      return rng.chance(0.5) ? deleteField(field, bytes) : duplicateField(field, bytes);
    default:
      return opaqueValue(field, rng);
  }
}
