// MT700 report frame: message head (mt700-protocol.md §2.1) and record lines (§2.2.1 GPS data,
// §2.2.2 WiFi data), with the variants of real-world-variants.md ("Mictrack"): any or no model name,
// the MT600 head's five extra fields, N batched records, 2- or 4-digit or empty voltages, and an
// optional `##` end line.
import {
  computed,
  countOf,
  decimal,
  delimited,
  digits,
  hex,
  line,
  oneOf,
  optional,
  picklist,
  repeat,
  struct,
  text,
} from '../../schema/index.js';
import { sentence } from './sentence.js';
import { MODELS, REPORT_STATUS } from './tables.js';

/** MT600 only: five numeric fields between password and status (real-world-variants.md). */
const mt600Fields = delimited(
  '#',
  {
    door: digits({ title: 'Door (0/1)', range: [0, 1] }),
    fuel_voltage: decimal({ title: 'Fuel / ADC voltage' }),
    external_power: decimal({ title: 'External power' }),
    battery: decimal({ title: 'Battery' }),
    temperature: decimal({ title: 'Temperature' }),
  },
  { title: 'MT600 fields' },
);

export const head = line(
  delimited(
    '#',
    {
      imei: digits({ title: 'IMEI', length: [15, 15], param: 'ident' }),
      model: picklist(MODELS, {
        title: 'GPRS user name (model)',
        doc: 'MT700 in the document; may be empty',
      }),
      password: text({ title: 'GPRS password', examples: ['0000'] }),
      mt600: optional(mt600Fields),
      status: picklist(REPORT_STATUS, { title: 'Report event status' }),
      count: digits({
        title: 'Number of record lines',
        doc: 'The document fixes it to 1; devices batch several records after being offline',
        derive: countOf('records'),
      }),
    },
    { lead: '#', title: 'Message head' },
  ),
);

const cell = delimited(
  ',',
  {
    mcc: digits({ title: 'MCC', param: 'gsm.mcc', paramAs: 'number' }),
    mnc: digits({ title: 'MNC', param: 'gsm.mnc', paramAs: 'number' }),
    lac: hex({ title: 'LAC / TAC (hex)', param: 'gsm.lac', paramAs: 'hex' }),
    cell_id: hex({ title: 'Cell ID (hex)', param: 'gsm.cellid', paramAs: 'hex' }),
  },
  { title: 'Cell info' },
);

/** One record line: `#<voltage>[#[MCC,MNC,LAC,CELL]]$...*CS`. */
export const record = line(
  struct(
    {
      voltage: digits({
        title: 'Backup battery voltage',
        doc: '3815 is 3.815 V; a value of 100 or less is tenths of a volt; may be empty',
        length: [2, 4],
      }),
      // The second `#` is written when LBS is on; the cell info after it only when the device has it.
      lbs: optional(struct({ cell: optional(cell) }, { lead: '#', title: 'LBS' })),
      sentence,
      battery_voltage: computed('mictrackVoltage', ['voltage'], {
        title: 'Backup battery voltage',
        unit: 'V',
        param: 'battery.voltage',
      }),
    },
    { lead: '#', title: 'Record' },
  ),
);

export const report = struct(
  {
    head,
    records: repeat(record, { min: 1, title: 'Records' }),
    end: optional(line(oneOf({ '##': 'end of message package' }, { title: 'End' }))),
  },
  { title: 'Report' },
);
