// Timeline records that are not frames but facts about the capture: missing bytes, retransmissions
// that disagree, and notices about the input. Shown in the tree and in NDJSON like frames are.
import { toHex } from '../decode/index.js';
import { recordHead, type Json } from './format-json.js';
import { where } from './format-tree.js';
import type { ConflictRecord, GapRecord, NoticeRecord, TimelineRecord } from './records.js';

export type EventRecord = GapRecord | ConflictRecord | NoticeRecord;

export function isEvent(r: TimelineRecord): r is EventRecord {
  return r.kind === 'gap' || r.kind === 'conflict' || r.kind === 'notice';
}

export function eventToJson(r: EventRecord, index: number): Record<string, Json> {
  const head = recordHead(r, index);
  switch (r.kind) {
    case 'gap':
      return { ...head, streamOffset: r.streamOffset, length: r.length };
    case 'conflict':
      return { ...head, streamOffset: r.streamOffset, kept: toHex(r.kept), discarded: toHex(r.bytes) };
    case 'notice':
      return { ...head, severity: r.severity, message: r.message };
  }
}

function context(r: EventRecord): string {
  return [where(r.source), r.conversation, r.direction].filter((x) => x !== undefined).join(', ');
}

export function eventToTree(r: EventRecord, index: number): string {
  switch (r.kind) {
    case 'gap':
      return `Gap ${index}: ${r.length} byte${r.length === 1 ? '' : 's'} not captured at stream offset ${r.streamOffset} (${context(r)})`;
    case 'conflict':
      return [
        `Conflict ${index}: retransmission differs from the bytes delivered at stream offset ${r.streamOffset} (${context(r)})`,
        `    Kept (first copy): ${toHex(r.kept, ' ')}`,
        `    Discarded:         ${toHex(r.bytes, ' ')}`,
      ].join('\n');
    case 'notice':
      return `Notice ${index}: ${r.severity}: ${r.message} (${context(r)})`;
  }
}
