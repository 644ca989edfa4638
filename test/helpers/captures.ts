// Reading the bundled capture files in tests.
import { readFileSync } from 'node:fs';
import { parseHexLine, splitLines } from '../../src/capture/index.js';

/** The frames of a hex-lines capture with their trailing comments. */
export function hexCapture(path: string): { bytes: Uint8Array; comment: string; line: number }[] {
  const out: { bytes: Uint8Array; comment: string; line: number }[] = [];
  for (const line of splitLines(new Uint8Array(readFileSync(path)))) {
    const parsed = parseHexLine(line.text);
    if (parsed?.kind === 'frame')
      out.push({ bytes: parsed.bytes, comment: parsed.comment ?? '', line: line.lineNumber });
  }
  return out;
}
