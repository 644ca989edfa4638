// Server to terminal commands (mt700-protocol.md §3.1-§3.17): a keyword, then the parameters of that
// command, each with the range or value names the document gives. Two document oddities stay
// decodable: `MODE:10,1,01:00` (§3.3.9, ':' for ',') and `LOCK,10,1` (§3.3.10, no password).
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
import {
  AGPS_SETTING,
  COMMAND_KEYWORDS,
  EDRX_NETWORK,
  EDRX_STATE,
  FIXED_ZERO,
  GPS_WAKE,
  GSM_BAND,
  LAST_KNOWN_POSITION,
  LBS_SETTING,
  LIGHT_SENSOR,
  NETWORK_MODES,
  POSITIONING_PRIORITY,
  TCP_WAKE,
  TRANSPORT,
  WORKING_MODES,
} from './tables.js';

/** The parameters after a keyword: `,a,b,c`. */
const params = <const F extends Fields>(label: string, title: string, fields: F, deviation?: string) =>
  delimited(',', fields, {
    lead: ',',
    label,
    title,
    ...(deviation ? { deviation: { severity: 'warn' as const, message: deviation } } : {}),
  });

const seconds = (title: string, range: readonly [number, number]) => digits({ title, unit: 's', range });
const minutes = (title: string, range: readonly [number, number]) => digits({ title, unit: 'min', range });
const hours = (title: string, range: readonly [number, number]) => digits({ title, unit: 'h', range });

/** MODE 10's T2: a UTC time of day written HH:MM, documented range [00:00, 23:59]. */
const clockTime = struct(
  {
    hour: digits({ title: 'Hour (UTC)', length: [2, 2], range: [0, 23] }),
    colon: lit(':'),
    minute: digits({ title: 'Minute', length: [2, 2], range: [0, 59] }),
  },
  { title: 'T2: first report time (HH:MM, UTC)' },
);
const clockFields = {
  interval: hours('T1: sub-alarm interval (0: one report a day)', [0, 24]),
  time: clockTime,
} as const;

const workingMode = delimited(
  ',',
  {
    mode: digits({ title: 'Working mode', names: WORKING_MODES }),
    settings: switchOn(
      'mode',
      {
        '0': delimited(
          ',',
          {
            moving_interval: seconds('T1: report interval while vibrating', [10, 600]),
            still_interval: hours('T2: report interval while still', [1, 24]),
          },
          { label: 'auto', title: 'MODE 0 (AUTO mode, §3.3.8)' },
        ),
        '1': delimited(
          ',',
          { interval: seconds('T: report interval', [10, 600]) },
          { label: 'real_time', title: 'MODE 1 (real time mode, §3.3.1)' },
        ),
        '2': delimited(
          ',',
          {
            interval: minutes('T: report interval', [10, 60]),
            gps: digits({ title: 'X: GPS wake-up', names: GPS_WAKE }),
            tcp: digits({ title: 'Y: TCP wake-up', names: TCP_WAKE }),
          },
          { label: 'gps_auto', title: 'MODE 2 (GPS auto mode, §3.3.2)' },
        ),
        '3': delimited(
          ',',
          { interval: hours('T: wake-up and report interval', [1, 24]) },
          { label: 'deep_sleep', title: 'MODE 3 (deep sleep mode, §3.3.3)' },
        ),
        '4': delimited(
          ',',
          { interval: seconds('T: report interval while vibrating', [10, 600]) },
          { label: 'vibrate', title: 'MODE 4 (vibrate mode, §3.3.4)' },
        ),
        '5': delimited(
          ',',
          {
            interval: minutes('T: report interval', [1, 60]),
            gps: digits({ title: 'X: fixed to 0', names: FIXED_ZERO }),
            tcp: digits({ title: 'Y: TCP wake-up', names: TCP_WAKE }),
          },
          { label: 'wifi_only', title: 'MODE 5 (WiFi only mode, §3.3.5)' },
        ),
        '6': struct({}, { label: 'sms_only', title: 'MODE 6 (SMS only mode, §3.3.6)' }),
        '7': delimited(
          ',',
          {
            moving_interval: minutes('T1: report interval while vibrating', [10, 1440]),
            still_interval: hours('T2: report interval while still', [1, 24]),
          },
          { label: 'smart', title: 'MODE 7 (smart mode, §3.3.7)' },
        ),
        '10': delimited(',', clockFields, { label: 'clock', title: 'MODE 10 (clock mode, §3.3.9)' }),
      },
      { default: repeat(text({ title: 'Parameter' }), { sep: ',', label: 'parameters' }) },
    ),
  },
  { lead: ',', label: 'mode', title: 'Working mode (§3.3)' },
);

export const command = struct(
  {
    keyword: picklist(COMMAND_KEYWORDS, { title: 'Command' }),
    args: switchOn(
      'keyword',
      {
        '803': params('apn', 'Set APN (§3.1)', {
          apn: text({ title: 'APN' }),
          username: optional(text({ title: 'APN user name' })),
          password: optional(text({ title: 'APN password' })),
        }),
        '804': params('server', 'Set IP and port (§3.2)', {
          host: text({ title: 'Server IP or domain' }),
          port: digits({ title: 'Server port', range: [1, 65535] }),
        }),
        MODE: workingMode,
        // §3.3.9 prints its example with ':' after MODE. The keyword then reads `MODE:10`, which the
        // keyword table does not name (a note), and this case still decodes T1 and T2.
        'MODE:10': params(
          'mode10_colon',
          'MODE:10 as printed in §3.3.9 (":" where the format has ",")',
          clockFields,
          'MODE:10 is written with ":" after MODE (as §3.3.9 prints it); the format is MODE,10,T1,T2',
        ),
        // §3.3.10 gives `LOCK,password,T1,T2` but prints `LOCK,10,1`; both decode, under their own labels,
        // and the password-less form is reported.
        LOCK: choice({
          lock: params('lock', 'Lock mode (§3.3.10)', {
            password: text({ title: 'Password' }),
            interval: seconds('T1: report interval', [10, 60]),
            return_after: minutes('T2: time before returning to the previous mode', [1, 60]),
          }),
          lock_without_password: params(
            'lock_without_password',
            'Lock mode without password, as printed in §3.3.10',
            {
              interval: seconds('T1: report interval', [10, 60]),
              return_after: minutes('T2: time before returning to the previous mode', [1, 60]),
            },
            'LOCK without the password of LOCK,password,T1,T2 (as §3.3.10 prints its example)',
          ),
        }),
        NWM: struct(
          { setting: picklist(NETWORK_MODES, { title: 'Network mode setting' }) },
          { lead: ',', label: 'network_mode', title: 'Network mode (§3.4)' },
        ),
        BAND: params('band', 'Lock the band (§3.5)', {
          cat_m1_band: digits({ title: 'X: Cat M1 band' }),
          nb_iot_band: digits({ title: 'Y: NB-IoT band' }),
          gsm_band: picklist(GSM_BAND, { title: 'f: GSM band' }),
        }),
        EDRX: params('edrx', 'Set eDRX (§3.6)', {
          state: digits({ title: 'eDRX on/off', names: EDRX_STATE }),
          network: digits({ title: 'Network', names: EDRX_NETWORK }),
          value: digits({ title: 'eDRX value', length: [4, 4], examples: ['0010'] }),
        }),
        PRIOR: params('priority', 'Positioning priority (§3.7)', {
          priority: digits({ title: 'X: priority', names: POSITIONING_PRIORITY }),
        }),
        LEP: params('last_known_position', 'Last known position (§3.8)', {
          setting: digits({ title: 'X: last known position', names: LAST_KNOWN_POSITION }),
        }),
        LBS: params('lbs', 'Set LBS (§3.9)', { setting: digits({ title: 'X: LBS', names: LBS_SETTING }) }),
        HBC: params('heartbeat', 'Heartbeat report (§3.10)', {
          interval: minutes('T: heartbeat interval', [5, 60]),
        }),
        DUR: params('gps_duration', 'GPS duration (§3.11)', {
          duration: minutes('T: GPS search time after wake-up', [1, 10]),
        }),
        RWT: params('keep_alive', 'TCP keep alive time (§3.12)', {
          interval: seconds('X: keep alive interval', [60, 600]),
        }),
        AGPS: params('agps', 'Assisted WiFi location (§3.13)', {
          setting: digits({ title: 'X: WiFi positioning', names: AGPS_SETTING }),
        }),
        LTP: params('light_sensor', 'Light sensor (§3.14)', {
          setting: digits({ title: 'X: light sensor', names: LIGHT_SENSOR }),
        }),
        '800': params('transport', 'Set protocol (§3.15)', {
          transport: picklist(TRANSPORT, { title: 'X: protocol' }),
        }),
        RCONF: params('read_config', 'Read config (§3.16)', {
          index: digits({ title: 'X: config part', range: [1, 4] }),
        }),
        REBOOT: struct({}, { label: 'reboot', title: 'Reboot (§3.17)' }),
      },
      {
        // Unknown keywords keep their comma-separated parameters (or have none).
        default: choice({
          unrecognised: struct(
            { parameters: repeat(text({ title: 'Parameter' }), { sep: ',', title: 'Parameters' }) },
            { lead: ',', title: 'Parameters of an unknown command' },
          ),
          no_parameters: struct({}, { title: 'Unknown command without parameters' }),
        }),
      },
    ),
  },
  { title: 'Command' },
);
