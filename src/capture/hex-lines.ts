// Files of hex frames, one frame per line, as people paste them from logs, specs and chat:
//   24 24 00 11 12 34 56 78 90 1F FF 50 00 6F 35 0D 0A   # heartbeat
//   24:24:00:11:...        0x24 0x24 0x00 ...        0x2424001112...        0x24, 0x24, ...   // C array
//   \x24\x24\x00\x11...

export type HexLine =
  | { kind: 'frame'; bytes: Uint8Array; comment?: string }
  /** Nothing to decode on this line: the caller skips it (and may count it). */
  | { kind: 'skip'; reason: 'blank' | 'comment'; comment?: string };

/** A frame, a line to skip, or undefined when the line is not hex (so the file is probably not hex lines). */
export function parseHexLine(text: string): HexLine | undefined {
  const { content, comment } = splitComment(text);
  const trimmed = content.trim();
  if (trimmed === '') {
    if (comment === undefined) return { kind: 'skip', reason: 'blank' };
    return { kind: 'skip', reason: 'comment', comment };
  }
  const bytes = /^(?:\\x[0-9a-fA-F]{2})+$/.test(trimmed) ? escapedBytes(trimmed) : tokenBytes(trimmed);
  if (!bytes) return undefined;
  return comment === undefined ? { kind: 'frame', bytes } : { kind: 'frame', bytes, comment };
}

function splitComment(text: string): { content: string; comment?: string } {
  const hash = text.indexOf('#');
  const slashes = text.indexOf('//');
  const cut = hash < 0 ? slashes : slashes < 0 ? hash : Math.min(hash, slashes);
  if (cut < 0) return { content: text };
  const markerLength = cut === slashes ? 2 : 1;
  return { content: text.slice(0, cut), comment: text.slice(cut + markerLength).trim() };
}

/**
 * Tokens between separators (whitespace, `:`, `,`, `-`) are runs of whole bytes (`24`, `2424`), with an
 * optional `0x`; a lone digit is a byte only when written `0x4`, since `24 4 0` is more likely a typo
 * than three bytes.
 */
function tokenBytes(content: string): Uint8Array | undefined {
  const out: number[] = [];
  for (const raw of content.split(/[\s:,-]+/)) {
    if (raw === '') continue;
    const prefixed = /^0x/i.test(raw);
    const digits = prefixed ? raw.slice(2) : raw;
    if (!/^[0-9a-fA-F]+$/.test(digits)) return undefined;
    if (digits.length === 1 && prefixed) {
      out.push(parseInt(digits, 16));
      continue;
    }
    if (digits.length % 2 !== 0) return undefined;
    for (let i = 0; i < digits.length; i += 2) out.push(parseInt(digits.slice(i, i + 2), 16));
  }
  return out.length === 0 ? undefined : Uint8Array.from(out);
}

function escapedBytes(content: string): Uint8Array {
  const out = new Uint8Array(content.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(content.slice(4 * i + 2, 4 * i + 4), 16);
  return out;
}
