// Byte streams to decoded records: a framer feeding the decoder, and, for streams whose protocol is
// not known in advance, detection by content (the protocol whose frames explain the most bytes).
import type { Direction, Protocol } from '../schema/index.js';
import { decodeFrame, type DecodeOptions } from './decoder.js';
import { Framer, type FramerItem } from './framer.js';
import type { DecodedFrame } from './types.js';

export type StreamRecord =
  | {
      readonly kind: 'frame';
      readonly offset: number;
      readonly length: number;
      /** Line-end bytes after the frame, accounted to it. */
      readonly trailer: number;
      readonly frame: DecodedFrame;
      readonly bytes: Uint8Array;
    }
  | {
      readonly kind: 'undecoded';
      readonly offset: number;
      readonly bytes: Uint8Array;
      readonly reason: string;
    }
  | { readonly kind: 'separator'; readonly offset: number; readonly bytes: Uint8Array };

export interface StreamOptions {
  readonly direction?: Direction;
  /** Build field lists with spans (default true). */
  readonly fields?: boolean;
}

export class StreamDecoder {
  private readonly framer: Framer;
  private readonly decodeOptions: DecodeOptions;

  constructor(
    readonly protocol: Protocol,
    opts: StreamOptions = {},
  ) {
    this.framer = new Framer(protocol, opts.direction ? { direction: opts.direction } : {});
    this.decodeOptions = {
      ...(opts.direction ? { direction: opts.direction } : {}),
      fields: opts.fields !== false,
    };
  }

  /** `boundary`: the chunk is a whole message (see Framer.push). */
  push(chunk: Uint8Array, boundary = false): StreamRecord[] {
    return this.framer.push(chunk, boundary).map((i) => this.toRecord(i));
  }

  end(): StreamRecord[] {
    return this.framer.end().map((i) => this.toRecord(i));
  }

  private toRecord(item: FramerItem): StreamRecord {
    if (item.kind !== 'frame') return item;
    const frame = decodeFrame(this.protocol, item.frameType, item.bytes, this.decodeOptions);
    return {
      kind: 'frame',
      offset: item.offset,
      length: item.bytes.length,
      trailer: item.trailer,
      frame,
      bytes: item.bytes,
    };
  }
}

/** Decode a whole buffer as one stream of the given protocol. */
export function decodeStream(
  protocol: Protocol,
  bytes: Uint8Array,
  opts: StreamOptions = {},
): StreamRecord[] {
  const d = new StreamDecoder(protocol, opts);
  return [...d.push(bytes), ...d.end()];
}

/**
 * How well a protocol explains a sample: bytes in frames that parsed, more for clean ones, minus
 * bytes nobody could frame. Checksum-verified frames are the strongest evidence.
 */
export function scoreProtocol(protocol: Protocol, sample: Uint8Array, direction?: Direction): number {
  let score = 0;
  for (const r of decodeStream(protocol, sample, { fields: false, ...(direction ? { direction } : {}) })) {
    if (r.kind === 'undecoded') score -= r.bytes.length;
    if (r.kind !== 'frame') continue;
    const f = r.frame;
    const verified = f.checksums.some((c) => c.status === 'good');
    if (!f.ok) {
      // A checksum that holds over a frame that goes wrong later (a bad terminator) still says whose it is.
      score += verified ? r.length : -r.length / 2;
      continue;
    }
    const errors = f.issues.filter((i) => i.severity === 'error').length;
    score += r.length * (errors === 0 ? 2 : 1) + (verified ? r.length : 0);
  }
  return score;
}

/** The protocol that best explains the sample, or undefined when none explains any of it. */
export function detectProtocol(
  protocols: readonly Protocol[],
  sample: Uint8Array,
  direction?: Direction,
): Protocol | undefined {
  let best: Protocol | undefined;
  let bestScore = 0;
  for (const p of protocols) {
    const s = scoreProtocol(p, sample, direction);
    if (s > bestScore) [best, bestScore] = [p, s];
  }
  return best;
}

/**
 * A stream whose protocol is chosen by content: bytes are held until a protocol explains them (or
 * the stream ends, or enough is buffered to decide), then replayed into that protocol's decoder.
 */
export class AutoStreamDecoder {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Stream offset where the chosen decoder's offset 0 lies (bytes given up on before deciding). */
  private shift = 0;
  private decoder: StreamDecoder | undefined;

  constructor(
    private readonly protocols: readonly Protocol[],
    private readonly opts: StreamOptions & { readonly decideAfter?: number } = {},
  ) {}

  get protocol(): Protocol | undefined {
    return this.decoder?.protocol;
  }

  push(chunk: Uint8Array, boundary = false): StreamRecord[] {
    if (this.decoder) return this.shifted(this.decoder.push(chunk, boundary));
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    return this.tryDecide(false, boundary);
  }

  end(): StreamRecord[] {
    if (this.decoder) return this.shifted(this.decoder.end());
    const out = this.tryDecide(true);
    return this.decoder ? [...out, ...this.shifted((this.decoder as StreamDecoder).end())] : out;
  }

  private shifted(records: StreamRecord[]): StreamRecord[] {
    return this.shift === 0 ? records : records.map((r) => ({ ...r, offset: r.offset + this.shift }));
  }

  private tryDecide(eof: boolean, boundary = false): StreamRecord[] {
    const sample = new Uint8Array(Buffer.concat(this.held));
    const protocol = detectProtocol(this.protocols, sample, this.opts.direction);
    const enough = this.heldBytes >= (this.opts.decideAfter ?? 4096);
    if (!protocol && !eof && !enough) return [];
    this.held = [];
    this.heldBytes = 0;
    if (!protocol) {
      const offset = this.shift;
      this.shift += sample.length;
      return sample.length === 0
        ? []
        : [{ kind: 'undecoded', offset, bytes: sample, reason: 'no known protocol' }];
    }
    this.decoder = new StreamDecoder(protocol, this.opts);
    return this.shifted(this.decoder.push(sample, boundary));
  }
}
