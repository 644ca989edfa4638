// Timeline records that are not frames but facts about the capture: missing bytes, retransmissions
// that disagree, and notices about the input. Shown in the tree and in NDJSON like frames are.
import { toHex } from '../decode/index.js';
import type { ConflictRecord, GapRecord, NoticeRecord, SourcePosition, TimelineRecord } from './records.js';

export type EventRecord = GapRecord | ConflictRecord | NoticeRecord;

export function isEvent(r: TimelineRecord): r is EventRecord {
  return r.kind === 'gap' || r.kind === 'conflict' || r.kind === 'notice';
}

type Json = string | number | boolean | Json[] | { [k: string]: Json };

function source(s: SourcePosition): Json {
  return {
    file: s.file,
    offset: s.offset,
    ...(s.line !== undefined ? { line: s.line } : {}),
    ...(s.packet !== undefined ? { packet: s.packet } : {}),
  };
}

export function eventToJson(r: EventRecord, index: number): Record<string, Json> {
  const base: Record<string, Json> = { index, kind: r.kind, source: source(r.source) };
  if (r.conversation !== undefined) base.conversation = r.conversation;
  if (r.direction !== undefined) base.direction = r.direction;
  if (r.timestamp !== undefined) base.timestamp = r.timestamp;
  switch (r.kind) {
    case 'gap':
      return { ...base, streamOffset: r.streamOffset, length: r.length };
    case 'conflict':
      return { ...base, streamOffset: r.streamOffset, kept: toHex(r.kept), discarded: toHex(r.bytes) };
    case 'notice':
      return { ...base, severity: r.severity, message: r.message };
  }
}

function where(r: EventRecord): string {
  const s = r.source;
  const at = s.packet !== undefined ? `packet ${s.packet}, byte ${s.offset}` : `byte ${s.offset}`;
  return [s.file, at, r.conversation, r.direction].filter((x) => x !== undefined).join(', ');
}

export function eventToTree(r: EventRecord, index: number): string {
  switch (r.kind) {
    case 'gap':
      return `Gap ${index}: ${r.length} byte${r.length === 1 ? '' : 's'} not captured at stream offset ${r.streamOffset} (${where(r)})`;
    case 'conflict':
      return [
        `Conflict ${index}: retransmission differs from the bytes delivered at stream offset ${r.streamOffset} (${where(r)})`,
        `    Kept (first copy): ${toHex(r.kept, ' ')}`,
        `    Discarded:         ${toHex(r.bytes, ' ')}`,
      ].join('\n');
    case 'notice':
      return `Notice ${index}: ${r.severity}: ${r.message} (${where(r)})`;
  }
}
