// Protocol-agnostic capture input: only node: built-ins, nothing else from src/.
export { LineSplitter, splitLines, DEFAULT_MAX_LINE_LENGTH } from './lines.js';
export type { Line, LineEnd, LineSplitterOptions } from './lines.js';
export { parseAtLogLine, inferAtDirection, isAtLikeBody, looksLikeAtLog } from './at-log.js';
export type { AtLogLine, AtDirection, AtTimestampKind, AtLogScore } from './at-log.js';
export { parseServerLogLine, isServerLogHeader, isHexPayload, unescapeText } from './server-log.js';
export type { ServerLogPacket, ServerLogIssue } from './server-log.js';
export { parseHexLine } from './hex-lines.js';
export type { HexLine } from './hex-lines.js';
export {
  detectInputKind,
  explainInputKind,
  classifyLine,
  INPUT_KIND_THRESHOLDS,
  VOTING_KINDS,
} from './input-kind.js';
export type { InputKind, InputKindReport, LineClass, LineVote } from './input-kind.js';
export { bytesToLatin1, latin1ToBytes } from './latin1.js';
