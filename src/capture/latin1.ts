// Inputs are bytes of unknown encoding. Reading them as latin1 maps each byte to exactly one UTF-16
// unit, so every string offset in src/capture is also a byte offset in the original file.
import { Buffer } from 'node:buffer';

export function bytesToLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString('latin1');
}

/** Characters above U+00FF cannot come from a latin1 read; Buffer keeps their low byte. */
export function latin1ToBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** A UTF-8 byte-order mark read as latin1; editors on Windows put it in front of saved logs. */
export const UTF8_BOM_LATIN1 = '\u00ef\u00bb\u00bf';

/** Length of a leading UTF-8 BOM (0 or 3), so parsers can skip it and still report line offsets. */
export function bomLength(text: string): number {
  return text.startsWith(UTF8_BOM_LATIN1) ? UTF8_BOM_LATIN1.length : 0;
}
