// H02 / Cantrack server commands (downlink): `*HQ,ID,CMD,hhmmss,params#`, and the flespi custom-command
// scheme `*<vendor>,<ident>,<payload>#` (rendered "*,,#" in shared/specs/cantrack-parameters.md, whose
// angle-bracket placeholders were lost), whose payload examples are `CMD,130305,stop654321`,
// `MD123456 1 3 8 1` and `S2,130305,13812341234`. S20 and SCF: shared/specs/real-world-variants.md;
// their parameters and S71 as sent by widely used open-source servers.
import {
  choice,
  delimited,
  digits,
  lit,
  optional,
  picklist,
  repeat,
  struct,
  switchOn,
  text,
  type Fields,
} from '../../schema/index.js';
import { ARM_ACTIONS, COMMAND_NAMES, ENGINE_ACTIONS, S71_MODES } from './names.js';

const param = text({ title: 'Parameter' });
const time = digits({ title: 'Time (hhmmss)', length: [6, 6], examples: ['130305'] });

/** A command's parameters: always the time first (`S20,130305,1,1`); a command without one is malformed. */
const params = <const F extends Fields>(label: string, title: string, fields: F) =>
  delimited(',', { time, ...fields }, { label, title });

const commandParams = switchOn(
  'name',
  {
    S20: params('engine', 'Engine control', {
      action: picklist(ENGINE_ACTIONS, { title: 'Action' }),
      timing: optional(
        repeat(digits({ title: 'Value' }), {
          sep: ',',
          min: 1,
          title: 'Cut-off timing values (not documented)',
        }),
      ),
    }),
    SCF: params('alarm', 'Arm / disarm', {
      action: picklist(ARM_ACTIONS, { title: 'Action' }),
      repeat_action: digits({ title: 'Second value (repeats the action in known commands)' }),
    }),
    S2: params('center_number', 'Centre number', {
      phone: digits({ title: 'Centre number', examples: ['13812341234'] }),
    }),
    CMD: params('custom', 'Custom instruction', {
      instruction: text({ title: 'Instruction followed by the device password', examples: ['stop654321'] }),
    }),
    S71: params('interval', 'Upload interval', {
      mode: picklist(S71_MODES, { title: 'Sub-command' }),
      interval: digits({ title: 'Interval', unit: 's' }),
    }),
  },
  {
    default: params('args', 'Time and parameters', {
      params: optional(repeat(param, { sep: ',', min: 1, title: 'Parameters' })),
    }),
  },
);

/**
 * `NAME,hhmmss[,params]`: the usual command form. The parameter switch sits beside `name`, so a value
 * holding one of the known parameter sets encodes without naming the command.
 */
const command = delimited(
  ',',
  {
    name: picklist(COMMAND_NAMES, { title: 'Command', param: 'message.type', examples: ['S20', 'SCF'] }),
    params: commandParams,
  },
  { title: 'Command' },
);

/** `MD<password> <mode> <values...>`: working-mode payload (GF40, GF50, GF60, GF70L). */
const workingMode = struct(
  {
    prefix: lit('MD', { title: 'Set working mode' }),
    password: digits({ title: 'Password' }),
    args: delimited(
      ' ',
      {
        mode: digits({ title: 'Working mode' }),
        values: optional(
          repeat(digits({ title: 'Value' }), { sep: ' ', min: 1, title: 'Mode settings (not documented)' }),
        ),
      },
      { lead: ' ' },
    ),
  },
  { title: 'Set working mode', params: { 'message.type': 'MD' } },
);

export const instruction = choice({ working_mode: workingMode, command });
