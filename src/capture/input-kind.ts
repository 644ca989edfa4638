// What kind of file the user gave us, from its first bytes, so that one `decode <file>` works on a
// pcap, a support engineer's server log, a serial AT transcript, a WLN export, a pasted hex dump or a
// raw byte stream without a format flag.
//
// 1. Magic numbers: pcap (a1b2c3d4 µs, a1b23c4d ns; either byte order), pcapng (0a0d0d0a followed by
//    its byte-order magic 1a2b3c4d in either order, when the sample is long enough to hold it).
// 2. Otherwise a vote over the first non-blank lines (see `classifyLine`). Lines that fit several
//    formats (comments, Java stack traces) abstain. The winner (ties go to the earlier kind in
//    `VOTING_KINDS`) must hold at least `majority` of the voting lines AND `minSupport` of all the
//    non-blank lines looked at, so that one hex-looking line among a hundred abstaining ones does
//    not decide.
// 3. Otherwise raw bytes: a text stream (MT700, H02 `*HQ` frames) when at most `maxNonText` of the
//    sample's bytes are outside printable ASCII/tab/CR/LF, else a binary stream (Meiligao: every frame
//    carries a 0x00 length byte, BCD ID bytes, a 0x99-style command and a CRC, several per cent of it
//    even in position frames with a long ASCII body).
import { isAtLikeBody, parseAtLogLine } from './at-log.js';
import { parseHexLine } from './hex-lines.js';
import { bomLength } from './latin1.js';
import { splitLines } from './lines.js';
import { isServerLogHeader, parseServerLogLine } from './server-log.js';

export type InputKind =
  'pcap' | 'pcapng' | 'at-log' | 'server-log' | 'wln' | 'hex-lines' | 'text-stream' | 'binary-stream';

export type LineVote = 'server-log' | 'wln' | 'at-log' | 'hex-lines';
export type LineClass = LineVote | 'abstain' | 'other';

/** In order of precedence, both within one line and between tied votes. */
export const VOTING_KINDS: readonly LineVote[] = ['server-log', 'wln', 'at-log', 'hex-lines'];

export const INPUT_KIND_THRESHOLDS = Object.freeze({
  /** Bytes of the sample looked at; callers need not read more than this. */
  sampleBytes: 64 * 1024,
  /** Non-blank lines classified. */
  maxLines: 64,
  /** Lines longer than this are classified on their first piece only. */
  maxLineLength: 4096,
  /** Share of voting lines the winning kind needs (at least). */
  majority: 0.5,
  /** Share of all non-blank lines looked at that the winning kind needs (at least). */
  minSupport: 0.2,
  /** Largest share of non-text bytes a text stream may have. */
  maxNonText: 0.02,
});

export interface InputKindReport {
  kind: InputKind;
  /** Why, in words, for `--verbose` output and for tests. */
  reason: string;
  votes: Record<LineClass, number>;
  /** Non-blank lines classified. */
  nonBlankLines: number;
  /** Share of bytes outside printable ASCII, tab, CR and LF (0 for pcap/pcapng). */
  nonTextRatio: number;
}

export function detectInputKind(sample: Uint8Array): InputKind {
  return explainInputKind(sample).kind;
}

export function explainInputKind(sample: Uint8Array): InputKindReport {
  const votes: Record<LineClass, number> = {
    'server-log': 0,
    wln: 0,
    'at-log': 0,
    'hex-lines': 0,
    abstain: 0,
    other: 0,
  };
  const report = (kind: InputKind, reason: string, nonBlankLines = 0, nonTextRatio = 0): InputKindReport => ({
    kind,
    reason,
    votes,
    nonBlankLines,
    nonTextRatio,
  });
  const magic = captureMagic(sample);
  if (magic) return report(magic, `${magic} magic number`);

  const bytes = sample.subarray(0, INPUT_KIND_THRESHOLDS.sampleBytes);
  const lines = splitLines(bytes, { maxLineLength: INPUT_KIND_THRESHOLDS.maxLineLength });
  // A sample usually ends mid-line, and a cut line would vote on a fragment; a whole file that lacks
  // its last line end loses one vote of many.
  if (lines.length > 1 && lines[lines.length - 1]!.lineEnd === '') lines.pop();
  let nonBlank = 0;
  let continuation = false;
  for (const line of lines) {
    if (nonBlank === INPUT_KIND_THRESHOLDS.maxLines) break;
    const piece = continuation;
    continuation = line.overlong === true;
    if (piece || line.text.trim() === '') continue;
    nonBlank++;
    votes[classifyLine(line.text)]++;
  }
  const nonText = nonTextRatio(bytes);
  const voting = nonBlank - votes.abstain;
  let winner: LineVote | undefined;
  for (const kind of VOTING_KINDS) if (votes[kind] > (winner ? votes[winner] : 0)) winner = kind;
  if (winner) {
    const n = votes[winner];
    const summary = `${n} of ${voting} voting lines (${nonBlank} non-blank)`;
    if (n >= INPUT_KIND_THRESHOLDS.majority * voting && n >= INPUT_KIND_THRESHOLDS.minSupport * nonBlank) {
      return report(winner, `${summary} look like ${winner}`, nonBlank, nonText);
    }
  }
  if (bytes.length === 0) return report('binary-stream', 'empty sample', nonBlank, nonText);
  const percent = `${(nonText * 100).toFixed(1)}% non-text bytes`;
  return nonText <= INPUT_KIND_THRESHOLDS.maxNonText
    ? report('text-stream', `no line format won; ${percent}`, nonBlank, nonText)
    : report('binary-stream', `no line format won; ${percent}`, nonBlank, nonText);
}

/**
 * One line's vote. Precedence: a server-log line (packet or any other line of such a log) over a WLN
 * `REG;` line over an AT-transcript line (AT-like body, or any body behind a direction marker) over a
 * hex frame. Comment-only lines abstain, because an MT700 stream's lines (`#862…#MT700#…`) read as
 * comments in a hex file; so do Java stack-trace lines, which fill server logs.
 */
export function classifyLine(text: string): LineClass {
  if (parseServerLogLine(text) || isServerLogHeader(text)) return 'server-log';
  if (text.startsWith('REG;', bomLength(text))) return 'wln';
  if (JAVA_TRACE.test(text)) return 'abstain';
  const at = parseAtLogLine(text);
  if (isAtLikeBody(at.body) || (at.directionSource === 'marker' && at.body.trim() !== '')) return 'at-log';
  const hex = parseHexLine(text);
  if (hex?.kind === 'frame') return 'hex-lines';
  if (hex?.kind === 'skip') return 'abstain';
  return 'other';
}

const JAVA_TRACE = /^(?:\s+at [\w$.<>/]+\(|\s*\.\.\. \d+ more\b|Caused by: )/;

function captureMagic(sample: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (sample.length < 4) return undefined;
  const magic = ((sample[0]! << 24) | (sample[1]! << 16) | (sample[2]! << 8) | sample[3]!) >>> 0;
  if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magic)) return 'pcap';
  if (magic !== 0x0a0d0d0a) return undefined;
  if (sample.length < 12) return 'pcapng';
  const order = ((sample[8]! << 24) | (sample[9]! << 16) | (sample[10]! << 8) | sample[11]!) >>> 0;
  return order === 0x1a2b3c4d || order === 0x4d3c2b1a ? 'pcapng' : undefined;
}

function nonTextRatio(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let nonText = 0;
  for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b >= 0x7f) nonText++;
  return nonText / bytes.length;
}
