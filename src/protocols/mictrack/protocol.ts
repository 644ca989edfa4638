// The Mictrack MT700 family protocol (mt700-protocol.md; real-world-variants.md "Mictrack"): frame
// types in the order they are tried at a stream position, most specific first, and their framing.
import { expert, frameType, pattern, protocol, run, type Pattern } from '../../schema/index.js';
import { command } from './commands.js';
import { other } from './other.js';
import { reply } from './reply.js';
import { report } from './report.js';
import { COMMAND_KEYWORDS } from './tables.js';

const IMEI = run('digit', 10, 17);

export const replyFrame = frameType({
  name: 'reply',
  segment: 'reply',
  title: 'Mictrack command reply',
  node: reply,
  direction: 'uplink',
  framing: {
    kind: 'delimited',
    start: [pattern('#', IMEI, '#REPLY#')],
    end: ['##'],
    endMustBeFollowed: true,
    endsBeforeNextStart: true,
    swallowLineEnd: true,
    max: 1024,
  },
});

export const reportFrame = frameType({
  name: 'report',
  segment: '',
  title: 'Mictrack report',
  node: report,
  direction: 'uplink',
  framing: {
    kind: 'delimited',
    start: [pattern('#', IMEI, '#')],
    // The empty-model head `#IMEI##0000#...` and an empty voltage with LBS on (`##460,...`) contain
    // `##` too; only one followed by a line end, the end of data or a new frame ends the frame.
    end: ['##'],
    endMustBeFollowed: true,
    // Some devices and logs omit `##`: the next `#IMEI#` head line then ends the frame.
    endsBeforeNextStart: true,
    swallowLineEnd: true,
    max: 16384,
  },
});

export const otherFrame = frameType({
  name: 'other',
  segment: 'other',
  title: 'Mictrack-other (newer firmware formats)',
  node: other,
  direction: 'uplink',
  framing: {
    kind: 'line',
    start: [pattern('MT;', run('digit', 1, 3), ';'), pattern(IMEI, ' ')],
    max: 2048,
  },
});

/** `803,` … `RCONF,` and `REBOOT`, plus `MODE:` as printed in §3.3.9. */
const COMMAND_STARTS: readonly Pattern[] = [
  ...Object.keys(COMMAND_KEYWORDS).map((k) => pattern(k === 'REBOOT' ? k : `${k},`)),
  pattern('MODE:'),
];

export const commandFrame = frameType({
  name: 'command',
  segment: 'cmd',
  title: 'Mictrack server command',
  node: command,
  direction: 'downlink',
  framing: { kind: 'line', start: COMMAND_STARTS, max: 512 },
});

export const mt700 = protocol({
  name: 'mt700',
  title: 'Mictrack MT700 family',
  ref: 'shared/specs/mt700-protocol.md',
  frames: [replyFrame, reportFrame, otherFrame, commandFrame],
  experts: [
    expert('mt700.records.sentence.checksum.bad', 'checksum', 'error', 'NMEA XOR checksum mismatch'),
    expert('mt700.head.count.bad', 'malformed', 'warn', 'Record count disagrees with the record lines'),
    expert('mt700.head.status.unknown', 'undecoded', 'note', 'Report status not described by the documents'),
    expert('mt700.cmd.keyword.unknown', 'undecoded', 'note', 'Command keyword not described by the document'),
    expert(
      'mt700.reply.command.unknown',
      'undecoded',
      'note',
      'Reply to a command the document does not list',
    ),
    expert('mt700.malformed', 'malformed', 'error', 'Frame does not follow the grammar'),
  ],
  transport: { tcp: { ports: [], heuristic: true }, udp: { ports: [], heuristic: true } },
});
