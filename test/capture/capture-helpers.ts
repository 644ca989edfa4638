// Helpers for the capture reader/writer tests: building files, parsing them in chunks, and the
// invariants every parse must keep whatever the input.
import { Buffer } from 'node:buffer';
import { CaptureParser, PcapWriter, type CapturedPacket, type CaptureItem } from '../../src/capture/index.js';
import { join as concat } from './helpers.js';

/** Files built from parts (the shared `join`, under the name these tests read better with). */
export { concat };

export const packetsOf = (items: readonly CaptureItem[]): CapturedPacket[] =>
  items.filter((i): i is CapturedPacket => i.kind === 'packet');

export const errorsOf = (items: readonly CaptureItem[]) => items.filter((i) => i.kind === 'error');

/** Bytes 0, 1, 2, … (mod 256) from `seed`: every packet recognisable by its content. */
export function pattern(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed + i) & 0xff;
  return out;
}

/** Parses `bytes` pushed in pieces cut at `cuts` (any numbers: taken modulo the length, sorted). */
export function parseChunked(bytes: Uint8Array, cuts: readonly number[]): CaptureItem[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort(
    (a, b) => a - b,
  );
  const parser = new CaptureParser();
  const out: CaptureItem[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    // A copy per piece, as a file reader would hand over fresh buffers.
    out.push(...parser.push(bytes.slice(at, p)));
    at = p;
  }
  out.push(...parser.end());
  return out;
}

export interface SimplePacket {
  seconds: number;
  nanos: number;
  data: Uint8Array;
  originalLength?: number;
}

export function pcapFile(
  opts: { linkType?: number; nanos?: boolean; byteOrder?: 'le' | 'be'; snapLength?: number },
  packets: readonly SimplePacket[],
): Uint8Array {
  const w = new PcapWriter({ linkType: 1, ...opts });
  return concat(w.header(), ...packets.map((p) => w.packet(p)));
}

/** `count` packets of lengths 1.. and distinct timestamps. */
export function somePackets(count: number, base = 1704889998): SimplePacket[] {
  return Array.from({ length: count }, (_, i) => ({
    seconds: base + i,
    nanos: (i * 123457000) % 1000000000,
    data: pattern(20 + ((i * 37) % 90), i),
  }));
}

/** Reference conversion of a 64-bit tick count: what every reader path must agree with. */
export function referenceTime(
  ticks: bigint,
  tsresol: number,
  tsoffset = 0,
): { seconds: number; nanos: number } {
  const exponent = BigInt(tsresol & 0x7f);
  const per = (tsresol & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
  return {
    seconds: Number(ticks / per) + tsoffset,
    nanos: Number(((ticks % per) * 1000000000n) / per),
  };
}

/**
 * What must hold for any input, valid or not: at most one fatal error and only as the last item; packet
 * data are exactly the file's bytes at dataOffset; times and counters in range. Returns the violations.
 */
export function invariantViolations(file: Uint8Array, items: readonly CaptureItem[]): string[] {
  const out: string[] = [];
  let index = 0;
  let lastOffset = -1;
  items.forEach((item, i) => {
    if (item.offset < lastOffset && item.kind !== 'error') out.push(`item ${i}: offset goes back`);
    lastOffset = Math.max(lastOffset, item.offset);
    if (item.kind === 'error') {
      if (item.fatal && i !== items.length - 1) out.push(`item ${i}: fatal error is not the last item`);
      if (item.message.includes('\n')) out.push(`item ${i}: message spans lines`);
      return;
    }
    if (item.kind !== 'packet') return;
    if (item.index !== index++) out.push(`item ${i}: packet index ${item.index}`);
    if (!Number.isInteger(item.nanos) || item.nanos < 0 || item.nanos > 999999999) {
      out.push(`item ${i}: nanos ${item.nanos}`);
    }
    if (!Number.isInteger(item.seconds)) out.push(`item ${i}: seconds ${item.seconds}`);
    if (item.data.length > 262144) out.push(`item ${i}: ${item.data.length} bytes`);
    const expected = file.subarray(item.dataOffset, item.dataOffset + item.data.length);
    if (item.dataOffset + item.data.length > file.length || Buffer.compare(expected, item.data) !== 0) {
      out.push(`item ${i}: data is not the file's bytes at ${item.dataOffset}`);
    }
  });
  return out;
}
