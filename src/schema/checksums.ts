// Checksum algorithms named by schemas. Pure functions over byte ranges, shared by every TS backend.
import type { ChecksumAlgorithm } from './nodes.js';

const CRC_CCITT_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    table[i] = c;
  }
  return table;
})();

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR (VT600 §1). */
export function crc16CcittFalse(data: Uint8Array, start = 0, end = data.length, init = 0xffff): number {
  let crc = init;
  for (let i = start; i < end; i++)
    crc = ((crc << 8) & 0xff00) ^ CRC_CCITT_TABLE[((crc >> 8) ^ data[i]!) & 0xff]!;
  return crc;
}

/** XOR of all bytes: the NMEA 0183 sentence checksum (bytes between `$` and `*`). */
export function xor8(data: Uint8Array, start = 0, end = data.length, init = 0): number {
  let x = init;
  for (let i = start; i < end; i++) x ^= data[i]!;
  return x;
}

export interface ChecksumSpec {
  /** Width in bytes of a binary field holding it; text fields hold 2 × width hex digits. */
  readonly width: 1 | 2;
  readonly compute: (data: Uint8Array, start: number, end: number, init?: number) => number;
  /** Running value before any byte (so a seed text can be folded in first). */
  readonly init: number;
}

export const CHECKSUMS: Readonly<Record<ChecksumAlgorithm, ChecksumSpec>> = Object.freeze({
  'crc16-ccitt-false': { width: 2, compute: crc16CcittFalse, init: 0xffff },
  xor8: { width: 1, compute: xor8, init: 0 },
});
