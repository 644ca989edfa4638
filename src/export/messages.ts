// The unit every export works on: one telematics message, taken from a decoded frame's normalized
// (flespi-style) object plus what the timeline record knows (capture time, conversation, direction).
// Frames carried inside others (tracker frames in AT `+MIPSEND` hex) are messages too; the AT lines
// themselves are modem chatter, not messages. A frame holding a batch of records (MT700 reports with
// several positions, where the normalized values become lists) is one message per record.
import type { Normalized, Scalar } from '../decode/index.js';
import type { FrameRecord, TimelineRecord } from '../pipeline/index.js';
import type { Direction } from '../schema/index.js';

export interface Fix {
  readonly lat: number;
  readonly lon: number;
  /** A frame that does not say (WLN) is taken as valid: it only carries positions. */
  readonly valid: boolean;
}

export interface ExportMessage {
  /** `ident` when the frame carries one; otherwise the input file (a WLN file holds one unit). */
  readonly device: string;
  readonly ident: string | undefined;
  readonly protocol: string;
  readonly direction: Direction | undefined;
  /** Unix seconds: the device's own time, else when the capture saw the frame. */
  readonly time: number | undefined;
  /** Unix seconds when the capture (or log) recorded the frame. */
  readonly serverTime: number | undefined;
  readonly conversation: string | undefined;
  /** Scalars only: batched records are split, other lists (cells, access points) stay lists. */
  readonly params: Normalized;
  readonly fix: Fix | undefined;
  readonly record: FrameRecord;
}

export function num(params: Normalized, key: string): number | undefined {
  const v = params[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(params: Normalized, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * The records of a batch: how many there are is the length of the timestamp (or latitude) list;
 * every list of that length is per record, other lists belong to the frame as a whole.
 */
function splitBatch(n: Normalized): Normalized[] {
  const driver = n['timestamp'] ?? n['position.latitude'];
  if (!Array.isArray(driver) || driver.length < 2) return [n];
  const count = driver.length;
  const out: Normalized[] = [];
  for (let i = 0; i < count; i++) {
    const one: Record<string, Scalar | readonly Scalar[]> = {};
    for (const [k, v] of Object.entries(n)) {
      if (Array.isArray(v)) one[k] = v.length === count ? (v[i] as Scalar) : v;
      else one[k] = v as Scalar;
    }
    out.push(one);
  }
  return out;
}

function fixOf(params: Normalized): Fix | undefined {
  const lat = num(params, 'position.latitude');
  const lon = num(params, 'position.longitude');
  if (lat === undefined || lon === undefined) return undefined;
  return { lat, lon, valid: params['position.valid'] !== false };
}

/** A frame is a message when it names a device or a position; AT lines, for one, do neither. */
function isMessage(n: Normalized): boolean {
  return n['ident'] !== undefined || n['position.latitude'] !== undefined;
}

function messagesOfFrame(r: FrameRecord): ExportMessage[] {
  const n = r.frame.normalized;
  if (!isMessage(n)) return [];
  return splitBatch(n).map((params) => {
    const ident = str(params, 'ident');
    return {
      // A frame without an id (H02's `*HQ,,V1,...`) belongs to whoever holds its connection.
      device: ident ?? `(no id) ${r.conversation ?? r.source.file}`,
      ident,
      protocol: r.frame.protocol,
      direction: r.direction ?? r.frame.direction,
      time: num(params, 'timestamp') ?? r.timestamp,
      serverTime: r.timestamp,
      conversation: r.conversation,
      params,
      fix: fixOf(params),
      record: r,
    };
  });
}

/** The messages of a record and of the frames nested in it, in input order. */
export function* messagesOf(r: TimelineRecord): Generator<ExportMessage> {
  if (r.kind !== 'frame') return;
  yield* messagesOfFrame(r);
  for (const c of r.nested ?? []) yield* messagesOf(c);
}

/** Device-to-server messages (and those whose direction nobody knows). */
export function isUplink(m: ExportMessage): boolean {
  return m.direction !== 'downlink';
}

/** `tcp:3 10.20.30.40:40001 > 192.0.2.10:5013` -> its client side, flespi's `peer`. */
export function peerOf(conversation: string | undefined): string | undefined {
  const m = conversation && /^(?:tcp|udp):\d+ (\S+) > /.exec(conversation);
  return m ? m[1] : undefined;
}

/** `tcp` or `udp` for captured conversations, as Wialon names link types. */
export function transportOf(conversation: string | undefined): string | undefined {
  const m = conversation && /^(tcp|udp):/.exec(conversation);
  return m ? m[1] : undefined;
}

export function isoTime(t: number | undefined): string {
  return t === undefined ? '' : new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}
