// The interpreter backends: decode, encode, streaming framers. Protocols are passed in as arguments.
export * from './types.js';
export { decodeFrame, type DecodeOptions } from './decoder.js';
export {
  encodeFrame,
  encodeFrameDetailed,
  EncodeError,
  type EncodeOptions,
  type EncodedFrame,
} from './encoder.js';
export { latin1, fromLatin1, toHex, fromHex, concat } from './bytes.js';
export type { Normalized, Scalar } from './normalize.js';
export {
  Framer,
  matchPattern,
  type FramerItem,
  type FramedBytes,
  type UndecodedBytes,
  type SeparatorBytes,
} from './framer.js';
export {
  StreamDecoder,
  AutoStreamDecoder,
  decodeStream,
  detectProtocol,
  scoreProtocol,
  type StreamRecord,
  type StreamOptions,
} from './stream.js';
