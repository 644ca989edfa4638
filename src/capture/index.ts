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
export { CaptureParser, parseCapture, readCapture, DEFAULT_CHUNK_SIZE } from './capture-reader.js';
export type {
  CaptureItem,
  CapturedPacket,
  CaptureInterfaceItem,
  CaptureSectionItem,
  CaptureSkippedBlock,
  CaptureErrorItem,
  CaptureErrorCode,
  ReadCaptureOptions,
} from './capture-reader.js';
export { PcapWriter, PcapngWriter } from './capture-writer.js';
export type {
  ByteOrder,
  PcapWriterOptions,
  PcapngInterfaceOptions,
  PcapngPacket,
  WrittenPacket,
} from './capture-writer.js';
export {
  BlockType,
  MAX_BLOCK_LENGTH,
  MAX_CAPTURED_LENGTH,
  PCAP_MAGIC_MICROS,
  PCAP_MAGIC_NANOS,
} from './capture-format.js';
export { decodePacket, LINKTYPE, ETHERTYPE, linkTypeName, isSupportedLinkType } from './link-layer.js';
export type { LinkType } from './link-layer.js';
export { formatIpAddress, parseIpAddress, internetChecksum, onesComplementSum, TCP_FLAGS } from './ip.js';
export type { PacketDecode, PacketSkip, SkipReason } from './ip.js';
export { buildPacket } from './packet-builder.js';
export type { PacketSpec } from './packet-builder.js';
export { TcpReassembler } from './tcp-reassembly.js';
export type {
  SegmentInput,
  StreamEvent,
  EventStamp,
  TcpReassemblerOptions,
  TcpReassemblyStats,
} from './tcp-reassembly.js';
export { UdpConversations, FlowTable } from './conversations.js';
export type { Endpoint, Side, UdpDatagramInfo } from './conversations.js';
export { TcpConversationWriter, UdpConversationWriter } from './synthetic-session.js';
export type { SyntheticPacket, ConversationOptions } from './synthetic-session.js';
