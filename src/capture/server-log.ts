// Packet lines of tracking-server logs (Traccar and servers that copy its format), which support
// engineers are usually sent instead of a capture. Each line is one message with its boundaries already
// cut; lines sharing a session id form one conversation. See shared/specs/real-world-variants.md
// ("Tracking-server logs") and shared/notes/capture-replay-fuzz.md A.1.
//
//   2024-01-10 12:33:18  INFO: [T1a2b3c4d: meiligao < 192.0.2.5] 2424001112345678901fff50006f350d0a
//   2024-01-10 12:33:18  INFO: [T1a2b3c4d: h02 > 192.0.2.5:5013] HEX: 2a48512c...
//   2024-01-10 12:33:18  INFO: [U0badf00d: mictrack < 192.0.2.5] #862...#MT700#0000#AUTO#1\r\n...
//
// Hex or text, when no `HEX:` says so: a payload is hex when it is a non-empty, even-length run of
// hex digits in one case (all lower, as Traccar writes, or all upper); anything else is escaped text.
// The decision is syntactic on purpose: an H02 or MT700 frame logged as hex decodes to printable text,
// and it is still hex. A text frame of our protocols starts with `#`, `*` or `$`, or holds a `,` or an
// escape, so it never passes as hex; what stays ambiguous is a short text made only of hex digits in
// one case (`cafe`), which is read as hex.
import { utcSeconds } from './timestamps.js';

export interface ServerLogIssue {
  message: string;
  /** Char offset in the line (a byte offset, as lines are latin1). */
  offset: number;
}

export interface ServerLogPacket {
  /** Unix seconds; server logs are read as UTC, as they carry no zone. */
  timestamp: number;
  /** As written, without its padding: `INFO`, `DEBUG`, `WARN`, … */
  level: string;
  /** `T1a2b3c4d`: the conversation key. */
  session: string;
  /** `unknown` for old Traccar session ids with no `T`/`U` in front of the 8 hex digits. */
  transport: 'tcp' | 'udp' | 'unknown';
  protocol: string;
  /** `uplink` = `<` = received from the device; `downlink` = `>` = sent to it. */
  direction: 'uplink' | 'downlink';
  /** The peer as written: `192.0.2.5`, `192.0.2.5:5013`, `[2001:db8::1]:5013`, `2001:db8::1`. */
  peer: string;
  peerAddress: string;
  peerPort?: number;
  payload: Uint8Array;
  payloadEncoding: 'hex' | 'text';
  /** Char offset in the line where the payload text starts (after `HEX: ` when present). */
  payloadOffset: number;
  /** Whether the line said `HEX:` (Traccar's form) rather than leaving the encoding to be inferred. */
  hexMarker: boolean;
  /** Deviations that did not stop the line from being read: odd hex digits, unknown escapes. */
  issues: ServerLogIssue[];
}

const STAMP = String.raw`(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?`;
// A leading UTF-8 BOM (read as latin1) is allowed so the first line of a re-saved log still parses.
const BOM = '(?:\u00ef\u00bb\u00bf)?';
const PACKET = new RegExp(
  String.raw`^${BOM}${STAMP}\s+([A-Za-z]+)\s*:\s*\[([TU]?)([0-9A-Fa-f]{8}):\s*([^\s<>\[\]]+)\s+([<>])\s+(\[[^\]\s]*\](?::\d+)?|[^\s\[\]]+)\]`,
);
const LOG_HEADER = new RegExp(
  String.raw`^${BOM}${STAMP}\s+(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)\s*:`,
  'i',
);
const HEX_MARKER = /^HEX:\s*/i;

/** A packet line, or undefined for every other line (start-up messages, connects, decoded positions). */
export function parseServerLogLine(text: string): ServerLogPacket | undefined {
  const m = PACKET.exec(text);
  if (!m) return undefined;
  const [head, y, mo, d, h, mi, s, frac, level, kind, id, protocol, arrow, peer] = m;
  const timestamp = utcSeconds(+y!, +mo!, +d!, +h!, +mi!, +s!, frac);
  if (timestamp === undefined) return undefined;
  // The format puts one space between `]` and the payload; more would belong to a text payload.
  let payloadOffset = head.length + (text[head.length] === ' ' ? 1 : 0);
  const marker = HEX_MARKER.exec(text.slice(payloadOffset));
  if (marker) payloadOffset += marker[0].length;
  const issues: ServerLogIssue[] = [];
  const decoded = decodePayload(text.slice(payloadOffset), payloadOffset, marker !== null, issues);
  const packet: ServerLogPacket = {
    timestamp,
    level: level!,
    session: kind! + id!,
    transport: kind === 'T' ? 'tcp' : kind === 'U' ? 'udp' : 'unknown',
    protocol: protocol!,
    direction: arrow === '<' ? 'uplink' : 'downlink',
    peer: peer!,
    ...splitPeer(peer!),
    payload: decoded.bytes,
    payloadEncoding: decoded.encoding,
    payloadOffset,
    hexMarker: marker !== null,
    issues,
  };
  return packet;
}

/**
 * Whether a line starts like any line of such a log (date, time, level, colon), packet or not; input
 * detection counts these so that a log's start-up and connection lines vote for it too.
 */
export function isServerLogHeader(text: string): boolean {
  return LOG_HEADER.test(text);
}

/** The hex-or-text rule of the file header, for payloads without `HEX:`. */
export function isHexPayload(payload: string): boolean {
  const digits = payload.trimEnd();
  return (
    digits.length > 0 &&
    digits.length % 2 === 0 &&
    /^[0-9a-fA-F]+$/.test(digits) &&
    !(/[a-f]/.test(digits) && /[A-F]/.test(digits))
  );
}

function decodePayload(
  payload: string,
  offset: number,
  forcedHex: boolean,
  issues: ServerLogIssue[],
): { bytes: Uint8Array; encoding: 'hex' | 'text' } {
  if (forcedHex) {
    const bad = /[^0-9a-fA-F\s]/.exec(payload);
    if (!bad) return { bytes: hexToBytes(payload, offset, issues), encoding: 'hex' };
    issues.push({
      message: 'HEX: payload holds a non-hex character; read as text',
      offset: offset + bad.index,
    });
  } else if (isHexPayload(payload)) {
    return { bytes: hexToBytes(payload, offset, issues), encoding: 'hex' };
  }
  return { bytes: unescapeText(payload, offset, issues), encoding: 'text' };
}

/** Whitespace between digits is allowed (some servers group bytes); an odd last digit is dropped. */
function hexToBytes(payload: string, offset: number, issues: ServerLogIssue[]): Uint8Array {
  const digits = payload.replace(/\s+/g, '');
  if (digits.length % 2 !== 0) {
    const last = payload.search(/[0-9a-fA-F]\s*$/);
    issues.push({ message: 'odd number of hex digits; the last digit is dropped', offset: offset + last });
  }
  const bytes = new Uint8Array(digits.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  r: 0x0d,
  n: 0x0a,
  t: 0x09,
  '0': 0x00,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  e: 0x1b,
  '\\': 0x5c,
  '"': 0x22,
  "'": 0x27,
};

/** `\r`, `\n`, `\t`, `\\`, `\xNN` and the other C escapes; an unknown escape is kept as written. */
export function unescapeText(text: string, offset = 0, issues: ServerLogIssue[] = []): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i) & 0xff;
    if (ch !== 0x5c) {
      out.push(ch);
      continue;
    }
    const next = text[i + 1];
    const simple = next === undefined ? undefined : SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out.push(simple);
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      out.push(ch);
      const what = next === undefined ? 'backslash at the end of the payload' : `unknown escape \\${next}`;
      issues.push({ message: `${what}; kept as written`, offset: offset + i });
    }
  }
  return Uint8Array.from(out);
}

function splitPeer(peer: string): { peerAddress: string; peerPort?: number } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(peer);
  if (bracketed) return withPort(bracketed[1]!, bracketed[2]);
  const hostPort = /^([^:]+):(\d+)$/.exec(peer);
  if (hostPort) return withPort(hostPort[1]!, hostPort[2]);
  return { peerAddress: peer };
}

function withPort(address: string, port: string | undefined): { peerAddress: string; peerPort?: number } {
  const n = port === undefined ? NaN : Number(port);
  return n >= 0 && n <= 65535 ? { peerAddress: address, peerPort: n } : { peerAddress: address };
}
