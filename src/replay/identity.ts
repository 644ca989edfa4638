// Device identity per replayed session: the id field of each frame (the one a protocol maps to the
// normalized `ident`) is changed in the decoded value and the frame encoded again, so lengths and
// checksums (Meiligao CRC-CCITT, H02 binary BCD, MT700 NMEA XOR) are recomputed by the encoder.
import {
  concat,
  decodeStream,
  encodeFrame,
  EncodeError,
  type DecodedFrame,
  type FieldRecord,
} from '../decode/index.js';
import { protocolByName } from '../protocols/index.js';
import { rootPath } from '../schema/index.js';

/** The field holding the device id, if the frame has one. */
export function identField(frame: DecodedFrame): FieldRecord | undefined {
  return frame.fields.find((f) => (f.node as { param?: string }).param === 'ident');
}

/** The device id a frame carries, as text. */
export function deviceIdOf(frame: DecodedFrame | undefined): string | undefined {
  const field = frame ? identField(frame) : undefined;
  return field?.value === undefined ? undefined : String(field.value);
}

/**
 * Id of fanned-out device `index` (0-based) from a base id: digits are counted up from the base and
 * keep its width (wrapping round), so device 0 keeps the base and every id is distinct and stable.
 */
export function derivedId(base: string, index: number): string {
  if (index === 0) return base;
  if (/^\d+$/.test(base)) {
    const modulus = 10n ** BigInt(base.length);
    return ((BigInt(base) + BigInt(index)) % modulus).toString().padStart(base.length, '0');
  }
  return `${base}${index}`;
}

export class IdentityError extends Error {}

/** Set the value at a field's path (relative to the frame root) in a decoded value tree. */
function setAt(value: unknown, path: readonly string[], id: string): boolean {
  let holder = value as Record<string, unknown> | undefined;
  for (const key of path.slice(0, -1)) {
    const next = holder?.[key];
    if (next === null || typeof next !== 'object') return false;
    holder = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (!holder || last === undefined || !(last in holder)) return false;
  holder[last] = id;
  return true;
}

export interface Rewritten {
  readonly bytes: Uint8Array;
  readonly frame: DecodedFrame;
}

/**
 * The frame with its device id replaced, encoded again with derived fields recomputed. `trailer`
 * (the line end sent after the frame) is kept. Throws IdentityError when the id cannot be written.
 */
export function rewriteIdentity(frame: DecodedFrame, trailer: Uint8Array, id: string): Rewritten {
  const protocol = protocolByName(frame.protocol);
  const frameType = protocol?.frames.find((t) => t.name === frame.frameType);
  const field = identField(frame);
  if (!protocol || !frameType || !field)
    throw new IdentityError(`${frame.protocol} ${frame.frameType} has no device id`);
  const root = rootPath(protocol, frameType);
  const relative = field.path
    .slice(root.length)
    .split('.')
    .filter((s) => s !== '');
  const value = structuredClone(frame.value);
  if (!setAt(value, relative, id)) throw new IdentityError(`cannot find ${field.path} in the decoded value`);
  let body: Uint8Array;
  try {
    body = encodeFrame(protocol, frameType, value, { direction: frame.direction, layout: frame.layout });
  } catch (e) {
    if (e instanceof EncodeError) throw new IdentityError(`device id ${JSON.stringify(id)}: ${e.message}`);
    throw e;
  }
  const again = decodeStream(protocol, body, frame.direction ? { direction: frame.direction } : {}).find(
    (r) => r.kind === 'frame',
  );
  if (!again || again.kind !== 'frame')
    throw new IdentityError(`re-encoded ${frame.frameType} does not decode`);
  return { bytes: concat(body, trailer), frame: again.frame };
}
