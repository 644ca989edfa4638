// Newer Mictrack formats that real-world-variants.md ("Mictrack") says to recognise and label as
// Mictrack-other rather than mis-read as MT700 frames: the semicolon format `MT;5;IMEI;R0;...` and
// `IMEI cmd=Success!` result lines. Only their visible structure is decoded.
import {
  alnum,
  choice,
  delimited,
  digits,
  lit,
  oneOf,
  optional,
  picklist,
  repeat,
  struct,
  text,
} from '../../schema/index.js';
import { OTHER_RESULT } from './tables.js';

const OTHER = { 'message.type': 'Mictrack-other' } as const;

const semicolon = delimited(
  ';',
  {
    tag: lit('MT', { title: 'Format tag' }),
    format: digits({ title: 'Format number', examples: ['5'] }),
    imei: digits({ title: 'IMEI', length: [15, 15], param: 'ident' }),
    record_type: alnum({ title: 'Record type', examples: ['R0'] }),
    fields: optional(repeat(text({ title: 'Field' }), { sep: ';', title: 'Fields' })),
  },
  { title: 'Mictrack-other: semicolon format', params: OTHER },
);

const commandResult = struct(
  {
    imei: digits({ title: 'IMEI', length: [15, 15], param: 'ident' }),
    space: lit(' '),
    command: text({ title: 'Command', examples: ['cmd'] }),
    equals: lit('='),
    result: picklist(OTHER_RESULT, { title: 'Result' }),
    end: optional(oneOf({ '!': 'end of result' }, { title: 'End' })),
  },
  { title: 'Mictrack-other: command result line', params: OTHER },
);

export const other = choice({ semicolon, command_result: commandResult }, { title: 'Mictrack-other' });
