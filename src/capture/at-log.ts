// One line of an AT modem transcript captured from a serial line (Fibocom L610 and relatives).
// Capture tools put a timestamp, a direction marker, or both (in either order) in front of each line;
// this strips that prefix and keeps the AT body for the protocol layer. See
// shared/specs/real-world-variants.md, "Fibocom AT modem logs".
import { bomLength } from './latin1.js';
import { fraction, utcSeconds } from './timestamps.js';

export type AtDirection = 'tx' | 'rx';

/**
 * - `unix`: the stamp had a date; seconds since 1970-01-01 UTC (a stamp without a zone is read as UTC,
 *   since a serial log does not say which zone its clock was in).
 * - `time-of-day`: seconds since midnight; the caller supplies the date if it knows one.
 * - `relative`: seconds since the capture tool started (`[   12.345]`, dmesg style).
 */
export type AtTimestampKind = 'unix' | 'time-of-day' | 'relative';

export interface AtLogLine {
  /** The line without its prefix and without the whitespace that separated prefix and body. */
  body: string;
  /** Char offset of `body` in the line (a byte offset too, as lines are latin1). */
  bodyOffset: number;
  timestamp?: number;
  timestampKind?: AtTimestampKind;
  /** The stamp exactly as written, brackets included. */
  timestampText?: string;
  /** `tx` = host to module, `rx` = module to host. */
  direction?: AtDirection;
  /** `marker` when the prefix said so; `inferred` when guessed from the body alone. */
  directionSource?: 'marker' | 'inferred';
  /** The direction marker exactly as written. */
  marker?: string;
}

interface Timestamp {
  value: number;
  kind: AtTimestampKind;
  text: string;
  end: number;
}

interface Marker {
  direction: AtDirection;
  text: string;
  end: number;
}

// Sticky regexes: each matches at one position only, and none can backtrack more than linearly.
// Fractions: `.123`, `,123` (European locales), or `:123` (some terminal programs, exactly 3 digits).
const FRACTION = String.raw`(?:[.,](\d{1,9})|:(\d{3})(?!\d))?`;
const DATE_TIME = new RegExp(
  String.raw`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[T ](\d{1,2}):(\d{2}):(\d{2})${FRACTION}(Z|[+-]\d{2}:?\d{2})?`,
  'y',
);
const TIME_OF_DAY = new RegExp(String.raw`(\d{1,2}):(\d{2}):(\d{2})${FRACTION}`, 'y');
const RELATIVE = /\d+\.\d+/y;

const TX_WORDS = ['TX', 'SEND', 'SENT', 'SND'];
const RX_WORDS = ['RX', 'RECV', 'RCVD', 'RCV'];
const WORD_MARKER = new RegExp(
  `(?:\\[\\s*(${[...TX_WORDS, ...RX_WORDS].join('|')})\\s*\\]|(${[...TX_WORDS, ...RX_WORDS].join('|')})\\s*:)`,
  'iy',
);
/**
 * `AT` alone, or followed by a non-letter (`AT+…`, `AT&F`) or by one or two letters and then a
 * non-letter (`ATE0`, `ATI`, `ATDT123`); so `at org.traccar…` (a Java stack trace in a server log) and
 * `ATTENTION` are not commands. `A/` repeats the last command.
 */
const AT_COMMAND = /^(?:a\/|at(?:$|[^\sa-z]|[a-z]{1,2}(?:[^a-z]|$)))/i;

/** Longest first, so `-->` is not read as `-` + `->`. */
const ARROWS: readonly [string, AtDirection][] = [
  ['-->', 'tx'],
  ['<--', 'rx'],
  ['>>', 'tx'],
  ['<<', 'rx'],
  ['->', 'tx'],
  ['<-', 'rx'],
];

export function parseAtLogLine(text: string): AtLogLine {
  let pos = bomLength(text);
  const bom = pos;
  let timestamp: Timestamp | undefined;
  let marker: Marker | undefined;
  let prefixEnd: number | undefined;
  for (;;) {
    const start = skipSpaces(text, pos);
    const stamp = timestamp ? undefined : readTimestamp(text, start);
    const mark = stamp || marker ? undefined : readMarker(text, start);
    if (stamp) timestamp = stamp;
    else if (mark) marker = mark;
    else break;
    pos = skipSeparator(text, (stamp ?? mark)!.end);
    prefixEnd = pos;
  }
  const bodyOffset = prefixEnd === undefined ? bom : skipSpaces(text, prefixEnd);
  const body = text.slice(bodyOffset);
  const line: AtLogLine = { body, bodyOffset };
  if (timestamp) {
    line.timestamp = timestamp.value;
    line.timestampKind = timestamp.kind;
    line.timestampText = timestamp.text;
  }
  if (marker) {
    line.direction = marker.direction;
    line.directionSource = 'marker';
    line.marker = marker.text;
  } else {
    const inferred = inferAtDirection(body);
    if (inferred) {
      line.direction = inferred;
      line.directionSource = 'inferred';
    }
  }
  return line;
}

/**
 * Direction from the body alone: commands (`AT…`, and `A/`) come from the host; everything else (`OK`, `+URC`, the `>` prompt, data) from the
 * module. Data typed after a `>` prompt in Ctrl-Z send mode also comes from the host: only a reader that
 * follows the conversation can tell, so this per-line guess calls it `rx`.
 */
export function inferAtDirection(body: string): AtDirection | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  return AT_COMMAND.test(trimmed) ? 'tx' : 'rx';
}

const RESULT_CODES =
  /^(?:OK|ERROR|CONNECT|NO CARRIER|RING|BUSY|NO ANSWER|NO DIALTONE|SEND OK|SEND FAIL|RDY|CLOSED)\b/i;

/**
 * Whether a body is something a modem conversation is made of: a command, a `+NAME`/`^NAME` response or
 * URC, a final result code, the `>` prompt, or a numeric code (`0`, TCP/IP errors 2000-2033).
 * Payload data lines are not counted: they can be anything.
 */
export function isAtLikeBody(body: string): boolean {
  const trimmed = body.trim();
  return (
    AT_COMMAND.test(trimmed) ||
    /^[+^][A-Za-z][A-Za-z0-9]*/.test(trimmed) ||
    RESULT_CODES.test(trimmed) ||
    trimmed.startsWith('>') ||
    /^\d{1,4}$/.test(trimmed)
  );
}

export interface AtLogScore {
  /** atLike / considered, 0 when no line was considered. */
  score: number;
  atLike: number;
  /** Non-blank lines looked at. */
  considered: number;
}

/** How much of a text looks like an AT transcript: the share of non-blank lines with AT-like bodies. */
export function looksLikeAtLog(lines: Iterable<string>): AtLogScore {
  let atLike = 0;
  let considered = 0;
  for (const text of lines) {
    if (text.trim() === '') continue;
    considered++;
    if (isAtLikeBody(parseAtLogLine(text).body)) atLike++;
  }
  return { score: considered === 0 ? 0 : atLike / considered, atLike, considered };
}

function readTimestamp(text: string, start: number): Timestamp | undefined {
  const open = text[start];
  const close = open === '[' ? ']' : open === '(' ? ')' : undefined;
  if (close) {
    const inner = skipSpaces(text, start + 1);
    const parsed = readBareTimestamp(text, inner, true);
    if (!parsed) return undefined;
    const end = skipSpaces(text, parsed.end);
    if (text[end] !== close) return undefined;
    return { ...parsed, text: text.slice(start, end + 1), end: end + 1 };
  }
  const parsed = readBareTimestamp(text, start, false);
  // A bare stamp must end at a word boundary, or `12:33:18abc` would lose its first eight characters.
  if (!parsed || /[A-Za-z0-9]/.test(text[parsed.end] ?? '')) return undefined;
  return parsed;
}

function readBareTimestamp(text: string, start: number, bracketed: boolean): Timestamp | undefined {
  DATE_TIME.lastIndex = start;
  const dated = DATE_TIME.exec(text);
  if (dated) {
    const [, y, mo, d, h, mi, s, frac, msColon, zone] = dated;
    const value = utcSeconds(+y!, +mo!, +d!, +h!, +mi!, +s!, frac ?? msColon, zone);
    if (value !== undefined) return { value, kind: 'unix', text: dated[0], end: start + dated[0].length };
  }
  TIME_OF_DAY.lastIndex = start;
  const timed = TIME_OF_DAY.exec(text);
  if (timed) {
    const [, h, mi, s, frac, msColon] = timed;
    if (+h! <= 23 && +mi! <= 59 && +s! <= 60) {
      const value = +h! * 3600 + +mi! * 60 + +s! + fraction(frac ?? msColon);
      return { value, kind: 'time-of-day', text: timed[0], end: start + timed[0].length };
    }
  }
  // Bare `12.345` at the start of a line could be data, so relative stamps need their brackets.
  if (bracketed) {
    RELATIVE.lastIndex = start;
    const relative = RELATIVE.exec(text);
    if (relative) {
      const end = start + relative[0].length;
      return { value: +relative[0], kind: 'relative', text: relative[0], end };
    }
  }
  return undefined;
}

function readMarker(text: string, start: number): Marker | undefined {
  WORD_MARKER.lastIndex = start;
  const word = WORD_MARKER.exec(text);
  if (word) {
    const name = (word[1] ?? word[2]!).toUpperCase();
    return {
      direction: TX_WORDS.includes(name) ? 'tx' : 'rx',
      text: word[0],
      end: start + word[0].length,
    };
  }
  for (const [arrow, direction] of ARROWS) {
    if (text.startsWith(arrow, start)) return { direction, text: arrow, end: start + arrow.length };
  }
  // A lone `>` is the module's data prompt and stays a body (`>` or `> 2424…`); it is a marker only
  // when an AT command follows it. No AT body starts with `<` and a space, so that is always a marker.
  if (
    text[start] === '>' &&
    /\s/.test(text[start + 1] ?? '') &&
    AT_COMMAND.test(text.slice(start + 1).trim())
  ) {
    return { direction: 'tx', text: '>', end: start + 1 };
  }
  if (text[start] === '<' && /\s/.test(text[start + 1] ?? '')) {
    return { direction: 'rx', text: '<', end: start + 1 };
  }
  return undefined;
}

/** After a prefix part: spaces, then an optional `|`, `-` or `:` separator followed by a space. */
function skipSeparator(text: string, pos: number): number {
  if (text[pos] === ':' || text[pos] === '|') pos++;
  const afterSpaces = skipSpaces(text, pos);
  const sep = text[afterSpaces];
  if ((sep === '|' || sep === '-' || sep === ':') && /\s/.test(text[afterSpaces + 1] ?? '')) {
    return afterSpaces + 1;
  }
  return pos;
}

function skipSpaces(text: string, pos: number): number {
  while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  return pos;
}
