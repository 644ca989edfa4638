// Line splitting for text inputs (AT modem transcripts, server logs, hex dumps, WLN exports).
// Serial-terminal logs mix `\r\n`, `\n` and bare `\r` in one file, and files arrive in chunks whose
// boundaries can fall between the `\r` and the `\n` of one line end, so the splitter holds a trailing
// `\r` back until it sees the next byte.
import { bytesToLatin1 } from './latin1.js';

export type LineEnd = '\r\n' | '\n' | '\r' | '';

export interface Line {
  /** The line's bytes as latin1 (one char per byte), without its line end. */
  text: string;
  /** Byte offset of the first byte of the line in the whole stream. */
  offset: number;
  /** Bytes the line occupies, line end included; consecutive lines tile the stream exactly. */
  length: number;
  /** 1-based. Pieces of one over-long line share its number. */
  lineNumber: number;
  /** '' for the last line of a stream without a final line end, and for over-long pieces. */
  lineEnd: LineEnd;
  /** Set on a piece cut from a line longer than `maxLineLength`; the line continues in the next piece. */
  overlong?: true;
}

export interface LineSplitterOptions {
  /**
   * Longest text kept in one Line. A binary file with no line ends would otherwise build one string of
   * the whole file (V8 strings stop at about 512 MiB), so longer lines are emitted in pieces of exactly
   * this many bytes. The cut does not depend on chunk boundaries.
   */
  maxLineLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private readonly maxLineLength: number;
  /** Text of the current line seen in earlier chunks. */
  private pending = '';
  private pendingLength = 0;
  /** The current line's text ended with `\r` in an earlier chunk; the next byte decides `\r` or `\r\n`. */
  private pendingCR = false;
  private lineStart = 0;
  /** Stream offset of the next byte to arrive. */
  private position = 0;
  private lineNumber = 1;

  constructor(options: LineSplitterOptions = {}) {
    const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.maxLineLength = Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_LINE_LENGTH;
  }

  /** Lines completed by this chunk. A line still open at the chunk's end is held until more bytes come. */
  push(chunk: Uint8Array): Line[] {
    const out: Line[] = [];
    const base = this.position;
    let segmentStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (byte === LF) {
          this.emit(out, this.pending, base + i + 1, '\r\n');
          segmentStart = i + 1;
          continue;
        }
        this.emit(out, this.pending, base + i, '\r');
        segmentStart = i;
      }
      if (byte === LF || byte === CR) {
        const text = this.pending + bytesToLatin1(chunk, segmentStart, i);
        if (byte === LF) {
          this.emit(out, text, base + i + 1, '\n');
        } else {
          this.pending = text;
          this.pendingLength = text.length;
          this.pendingCR = true;
        }
        segmentStart = i + 1;
        continue;
      }
      if (this.pendingLength + (i - segmentStart) === this.maxLineLength) {
        const text = this.pending + bytesToLatin1(chunk, segmentStart, i);
        this.emit(out, text, base + i, '', true);
        segmentStart = i;
      }
    }
    if (!this.pendingCR && segmentStart < chunk.length) {
      this.pending += bytesToLatin1(chunk, segmentStart, chunk.length);
      this.pendingLength = this.pending.length;
    }
    this.position = base + chunk.length;
    return out;
  }

  /** The last line, if the stream did not end with a line end (or ended with a held-back `\r`). */
  end(): Line[] {
    const out: Line[] = [];
    if (this.pendingCR) {
      this.pendingCR = false;
      this.emit(out, this.pending, this.position, '\r');
    } else if (this.position > this.lineStart) {
      this.emit(out, this.pending, this.position, '');
    }
    return out;
  }

  private emit(out: Line[], text: string, endOffset: number, lineEnd: LineEnd, overlong = false): void {
    const line: Line = {
      text,
      offset: this.lineStart,
      length: endOffset - this.lineStart,
      lineNumber: this.lineNumber,
      lineEnd,
    };
    if (overlong) line.overlong = true;
    else this.lineNumber++;
    out.push(line);
    this.lineStart = endOffset;
    this.pending = '';
    this.pendingLength = 0;
  }
}

/** All lines of a complete buffer; the same result as one `push` followed by `end`. */
export function splitLines(bytes: Uint8Array, options?: LineSplitterOptions): Line[] {
  const splitter = new LineSplitter(options);
  const lines = splitter.push(bytes);
  for (const line of splitter.end()) lines.push(line);
  return lines;
}
