// Test helpers shared by the capture tests.
import { Buffer } from 'node:buffer';

export const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
export const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/[\s:]/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const join = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** 2024-01-10 12:33:18 UTC, the stamp of the examples in shared/specs/real-world-variants.md. */
export const EXAMPLE_UNIX = 1704889998;
/** 12:33:18 as seconds since midnight. */
export const EXAMPLE_TIME_OF_DAY = 12 * 3600 + 33 * 60 + 18;
