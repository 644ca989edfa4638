// Bodies of the H02 / Cantrack device messages (`*XX,ID,TYPE,...#`, TYPE = V1, V2, V3, V4, V5, V19,
// VP1, HTBT, NBR, LINK, SMS). Spec: shared/specs/real-world-variants.md (section "Cantrack: the H02
// *XX,...# text family"); which message carries which parameter: shared/specs/cantrack-parameters.md.
// Where the documents give only a description (V3 cell entries, V5, V19, VP1, NBR, LINK), the layout
// follows how widely used open-source tracking servers decode these frames; the titles say which
// values are not documented.
//
// Every body starts with the `,` after TYPE (its `lead`), so a TYPE with no body (`HTBT#`) parses too.
import {
  alnum,
  choice,
  computed,
  countOf,
  delimited,
  digits,
  hex,
  integer,
  lit,
  optional,
  picklist,
  repeat,
  switchOn,
  text,
  struct,
  type Fields,
} from '../../schema/index.js';
import { rmcComputed } from '../shared/nmea.js';
import { COMMAND_NAMES } from './names.js';
import {
  anchoredPositionFields,
  cellFields,
  course,
  date,
  extraValue,
  fixFields,
  ignition,
  latitudeFields,
  positionComputed,
  positionFields,
  speed,
  state,
  time,
  validity,
} from './position.js';

/** The cell identity fields, as the V1 serving cell declares them. */
const { mcc, mnc, lac, cid } = cellFields;

const body = <const F extends Fields>(label: string, title: string, fields: F) =>
  delimited(',', fields, { lead: ',', label, title });

const extraList = (deviation?: string, max?: number) =>
  repeat(extraValue, {
    sep: ',',
    min: 1,
    ...(max ? { max } : {}),
    title: 'Additional values (meaning not documented)',
    ...(deviation ? { deviation: { severity: 'note' as const, message: deviation } } : {}),
  });

const extraValues = optional(extraList());

/**
 * After STATUS some V1 devices send the serving cell, others the cell and more values, or other values.
 * One optional choice, not two optionals: separated fields are positional, so values standing where
 * the cell would be are a variant of their own.
 */
const afterStatus = optional(
  choice({
    cell: delimited(
      ',',
      {
        ...cellFields,
        extra: optional(extraList('values after the serving cell are not documented')),
      },
      { title: 'Serving cell' },
    ),
    // Four values or more are read as a cell: only one to three can stand here.
    values: extraList('values after STATUS other than the serving cell are not documented', 3),
  }),
  { title: 'After STATUS' },
);

/** V1 and V2: position, STATUS, then optionally the serving cell and further values. */
export const position = body('position', 'Position', {
  ...positionFields,
  tail: afterStatus,
  ...positionComputed,
});

// ---- V3: multi-cell LBS -------------------------------------------------------------------------

const lbsCell = delimited(
  ',',
  {
    lac,
    cid,
    rssi: integer({ title: 'Signal' }),
    value4: text({ title: 'Fourth cell value (not documented)' }),
  },
  { title: 'Cell' },
);

/** Most cells a V3 frame is decoded with (GSM modules report the serving cell and up to six more). */
export const V3_MAX_CELLS = 10;

const mcc_mnc = digits({
  title: 'MCC and MNC (3-digit MCC followed by the MNC)',
  length: [4, 6],
  examples: ['46000', '65501'],
});
const cell_count = digits({ title: 'Cell count', derive: countOf('cells') });
const battery = hex({ title: 'Battery (hex; scale not documented)', length: [4, 4] });
const x = lit('X', { title: 'X marker' });
const battery_value = computed('hexNumber', ['battery'], { title: 'Battery (raw value)' });

/**
 * V3 with at most `n` cells. The cell count cannot drive a repeat in the DSL, and a greedy repeat of
 * 4-value cells would also take `battery,X,date,status` for one more cell. So V3 is a choice of one
 * variant per maximum count, tried from the largest down: a variant allowing more cells than the frame
 * has takes the tail for cells and runs out of values (or misses the X), the first that fits is exact.
 * All variants share the label `lbs` and their nodes; the first one encodes any number of cells.
 */
function lbs(n: number) {
  return body('lbs', 'Multi-cell LBS', {
    time,
    mcc_mnc,
    cell_count,
    cells: repeat(lbsCell, { sep: ',', min: 1, max: n, title: 'Cells' }),
    battery,
    x,
    date,
    state,
    battery_value,
    timestamp: rmcComputed.timestamp,
    ignition,
  });
}

export const lbsMessage = choice(
  Object.fromEntries(
    Array.from({ length: V3_MAX_CELLS }, (_, i) => V3_MAX_CELLS - i).map((n) => [`cells_${n}`, lbs(n)]),
  ),
);

// ---- V4: acknowledgement of a server command ----------------------------------------------------

/** Most echoed command parameters a V4 frame is decoded with (S20 carries up to 12, plus its time). */
export const V4_MAX_PARAMS = 16;

const echoedParam = text({ title: 'Echoed command parameter' });
const acknowledged = picklist(COMMAND_NAMES, { title: 'Acknowledged command', examples: ['S20', 'SCF'] });

/**
 * V4 with at most `k` echoed parameters before the device's time. Their number depends on the command,
 * so V4 is a choice of one variant per maximum count, tried from the largest down: a variant allowing
 * more parameters than the frame has takes position values for parameters and runs out of values for
 * its ten position fields (or misses the validity literal), the first that fits is exact. The variant
 * without parameters comes last; all share the label `reply` and their nodes, and the first one
 * encodes any number of parameters.
 */
function reply(k: number) {
  return body('reply', 'Command acknowledgement', {
    command: acknowledged,
    ...(k > 0
      ? {
          params: optional(repeat(echoedParam, { sep: ',', min: 1, max: k, title: 'Echoed parameters' })),
        }
      : {}),
    ...anchoredPositionFields,
    ...positionComputed,
  });
}

export const replyMessage = choice(
  Object.fromEntries([
    ...Array.from({ length: V4_MAX_PARAMS }, (_, i) => V4_MAX_PARAMS - i).map(
      (k) => [`params_${k}`, reply(k)] as const,
    ),
    ['no_params', reply(0)] as const,
  ]),
);

// ---- V5: WiFi access points ---------------------------------------------------------------------

export const wifi = body('wifi', 'WiFi access points with position', {
  ...positionFields,
  access_points: optional(
    repeat(
      delimited(
        ',',
        {
          mac: text({
            title: 'MAC address',
            param: 'wifi.mac.address',
            examples: ['68:77:24:8F:A3:1A', '6877248FA31A'],
          }),
          rssi: integer({ title: 'RSSI', unit: 'dBm', param: 'wifi.signal.strength', paramAs: 'number' }),
        },
        { title: 'Access point' },
      ),
      { sep: ',', min: 1, title: 'Access points' },
    ),
  ),
  ...positionComputed,
});

// ---- V19: position with SIM information ---------------------------------------------------------

export const positionSim = body('position_sim', 'Position with SIM information', {
  ...fixFields,
  sim_value: text({ title: 'SIM field (empty in known frames; not documented)' }),
  phone: text({ title: 'SIM phone number' }),
  iccid: alnum({ title: 'SIM ICCID' }),
  state,
  extra: extraValues,
  ...positionComputed,
});

// ---- VP1: position or LBS, without time ---------------------------------------------------------

const vp1Cell = delimited(
  ',',
  {
    lac,
    cid,
    value3: text({ title: 'Third cell value (not documented)' }),
    value4: text({ title: 'Fourth cell value (not documented)' }),
    rssi: integer({ title: 'Signal', unit: 'dBm' }),
  },
  { title: 'Cell' },
);

const { timestamp: _noTime, ...vp1Computed } = rmcComputed;

export const vp1 = body('vp1', 'Position or LBS (VP1)', {
  status: validity,
  data: switchOn(
    'status',
    {
      V: delimited(
        ',',
        {
          mcc,
          mnc,
          cells: repeat(vp1Cell, { sep: ',', min: 1, title: 'Cells' }),
        },
        { label: 'lbs', title: 'Cells (no fix)' },
      ),
    },
    {
      default: delimited(
        ',',
        { ...latitudeFields, speed, course, date, ...vp1Computed },
        { label: 'fix', title: 'Position' },
      ),
    },
  ),
});

// ---- HTBT, NBR, LINK, SMS, others ---------------------------------------------------------------

export const heartbeat = struct(
  {
    battery: optional(
      delimited(
        ',',
        {
          level: digits({
            title: 'Battery level',
            unit: '%',
            range: [0, 100],
            param: 'battery.level',
            paramAs: 'number',
          }),
        },
        { lead: ',' },
      ),
    ),
  },
  { label: 'heartbeat', title: 'Heartbeat' },
);

export const neighbours = body('neighbours', 'Neighbour cells', {
  time,
  mcc,
  mnc,
  gsm_delay: digits({ title: 'GSM delay time' }),
  ta: digits({ title: 'Timing advance' }),
  cell_count: digits({ title: 'Cell count', derive: countOf('cells') }),
  // Greedy, yet it stops right: one more cell would need three values, only `date,status` follow.
  cells: repeat(
    delimited(
      ',',
      {
        lac: digits({ title: 'LAC' }),
        cid: digits({ title: 'Cell ID' }),
        rssi: integer({ title: 'Signal' }),
      },
      { title: 'Cell' },
    ),
    { sep: ',', min: 1, title: 'Neighbour cells' },
  ),
  date,
  state,
  timestamp: rmcComputed.timestamp,
  ignition,
});

export const link = body('link', 'Link report', {
  time,
  signal: digits({ title: 'GSM signal' }),
  satellites: digits({ title: 'Satellites', param: 'position.satellites', paramAs: 'number' }),
  battery: digits({
    title: 'Battery level',
    unit: '%',
    range: [0, 100],
    param: 'battery.level',
    paramAs: 'number',
  }),
  steps: digits({ title: 'Steps' }),
  turnovers: digits({ title: 'Turnovers (as named by open-source decoders)' }),
  date,
  state,
  extra: extraValues,
  timestamp: rmcComputed.timestamp,
  ignition,
});

/** SMS and message types without a known layout: every value kept as labelled text. */
export const textFields = (label: string, title: string) =>
  repeat(delimited(',', { value: text({ title: 'Value' }) }, { lead: ',' }), { label, title });

export const sms = textFields('sms', 'SMS (fields not documented)');

/** TYPE selects the body; types not listed decode as a list of values (and TYPE gets a note). */
export const messageBody = switchOn(
  'type',
  {
    V1: position,
    V2: position,
    V3: lbsMessage,
    V4: replyMessage,
    V5: wifi,
    V19: positionSim,
    VP1: vp1,
    HTBT: heartbeat,
    NBR: neighbours,
    LINK: link,
    SMS: sms,
  },
  { default: textFields('fields', 'Values of an undocumented message type') },
);
