// H02 / Cantrack protocol: `*XX,ID,TYPE,...#` text frames and `$`/`X` binary frames.
// Spec: shared/specs/real-world-variants.md (section "Cantrack: the H02 *XX,...# text family");
// normalized parameter names and which message carries them: shared/specs/cantrack-parameters.md.
//
// Device messages and server commands share `*XX,ID,`; they are told apart by TYPE. Devices send V1..V19,
// VP1 (all starting with `V`), HTBT, NBR, LINK and SMS: the `message` frame type (uplink) starts only
// with those. Every other TYPE is a command from the platform (S20, SCF, S2, CMD, `MD...`): the
// `command` frame type (downlink), tried after `message`. A device's answer to a command is its own
// message type, V4, which echoes the command name.
import {
  digits,
  expert,
  frameType,
  lit,
  pattern,
  picklist,
  protocol,
  run,
  struct,
  type Fields,
} from '../../schema/index.js';
import { binaryPosition, binaryX } from './binary.js';
import { instruction } from './commands.js';
import { messageBody } from './messages.js';
import { DEVICE_MESSAGES, MAKER_CODES } from './names.js';

const header = {
  start: lit('*'),
  maker: picklist(MAKER_CODES, {
    title: 'Maker code',
    length: [2, 2],
    param: 'vendor.code',
    examples: ['HQ', 'TH'],
  }),
  maker_end: lit(','),
  id: digits({
    title: 'Device ID',
    doc: '10 or 15 digits, occasionally empty',
    length: [10, 15],
    param: 'ident',
    examples: ['4209951296', '355488020930796'],
  }),
  id_end: lit(','),
} as const;

const end = lit('#');

const textFrame = <const F extends Fields>(fields: F) => struct({ ...header, ...fields, end });

export const h02Message = textFrame({
  type: picklist(DEVICE_MESSAGES, { title: 'Message type', param: 'message.type' }),
  body: messageBody,
});

export const h02Command = textFrame({ instruction });

/** `*`, a maker code of up to two letters, `,`, an ID of up to 15 digits, `,`, then `rest`. */
const textStart = (rest: string) =>
  pattern('*', run('alpha', 0, 2), ',', run('digit', 0, 15), ',', ...(rest ? [rest] : []));

const TEXT_MAX = 1024;

// `#` ends a frame only where a line end, the end of data or another frame start follows (frames are
// concatenated without separators, an SMS text may hold `#`); a frame that lost its `#` ends at a line
// end followed by a new frame.
const textEnd = { end: ['#'], endMustBeFollowed: true, endsBeforeNextStart: true, swallowLineEnd: true };

export const h02 = protocol({
  name: 'h02',
  title: 'H02 / Cantrack',
  ref: 'shared/specs/real-world-variants.md#cantrack-the-h02-xx-text-family',
  frames: [
    frameType({
      name: 'message',
      segment: '',
      title: 'Device message',
      direction: 'uplink',
      node: h02Message,
      framing: {
        kind: 'delimited',
        start: [textStart('V'), textStart('HTBT'), textStart('NBR,'), textStart('LINK,'), textStart('SMS,')],
        ...textEnd,
        max: TEXT_MAX,
      },
    }),
    frameType({
      name: 'command',
      segment: '',
      title: 'Server command',
      direction: 'downlink',
      node: h02Command,
      framing: {
        kind: 'delimited',
        start: [textStart('')],
        ...textEnd,
        max: TEXT_MAX,
      },
    }),
    frameType({
      name: 'binary',
      segment: 'bin',
      title: 'Binary position',
      direction: 'uplink',
      node: binaryPosition,
      framing: { kind: 'fixed', start: [pattern('$')], sizes: [32, 42, 45] },
    }),
    frameType({
      name: 'binary_x',
      segment: 'x',
      title: 'Binary X frame',
      direction: 'uplink',
      node: binaryX,
      framing: { kind: 'fixed', start: [pattern('X')], sizes: [32] },
    }),
  ],
  experts: [
    expert('h02.malformed', 'malformed', 'error', 'Frame does not follow the H02 layout'),
    expert('h02.type.unknown', 'undecoded', 'note', 'Message type not described by the documents'),
    expert('h02.command.name.unknown', 'undecoded', 'note', 'Command not described by the documents'),
    expert('h02.lbs.cell_count.bad', 'malformed', 'warn', 'V3 cell count disagrees with the cells'),
    expert('h02.neighbours.cell_count.bad', 'malformed', 'warn', 'NBR cell count disagrees with the cells'),
    expert(
      'h02.position.tail.cell.extra.deviation',
      'protocol',
      'note',
      'Values after the serving cell (not documented)',
    ),
    expert(
      'h02.position.tail.values.deviation',
      'protocol',
      'note',
      'Values after STATUS other than a serving cell (not documented)',
    ),
  ],
  transport: { tcp: { ports: [], heuristic: true }, udp: { ports: [], heuristic: true } },
});
