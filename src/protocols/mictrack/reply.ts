// Replies to server commands: `#IMEI#REPLY#CMD,OK##` or `...,FS##` (mt700-protocol.md §3.1-§3.17),
// and the Read Config replies `#IMEI#REPLY#RCONF,1#info1##` (§3.16).
import { choice, digits, lit, picklist, struct, switchOn, text } from '../../schema/index.js';
import { COMMAND_KEYWORDS, REPLY_RESULT } from './tables.js';

const result = struct(
  {
    status: picklist(REPLY_RESULT, { title: 'Result' }),
    end: lit('##', { title: 'End' }),
  },
  { label: 'result', title: 'Command result' },
);

// The `##` belongs to each alternative so that an RCONF reply that failed (`RCONF,FS##`) falls
// through to the plain result instead of being misread as configuration index "FS".
const config = struct(
  {
    index: digits({ title: 'Config part (X of RCONF,X)', range: [1, 4] }),
    separator: lit('#'),
    info: text({ title: 'Config info' }),
    end: lit('##', { title: 'End' }),
  },
  { label: 'config', title: 'Config info' },
);

export const reply = struct(
  {
    imei: digits({ title: 'IMEI', length: [15, 15], param: 'ident' }),
    tag: lit('#REPLY#', { title: 'Reply tag' }),
    command: picklist(COMMAND_KEYWORDS, { title: 'Command' }),
    comma: lit(','),
    outcome: switchOn('command', { RCONF: choice({ config, result }) }, { default: result }),
  },
  { lead: '#', title: 'Command reply' },
);
