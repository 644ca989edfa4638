// Mictrack value tables. Sources: shared/specs/mt700-protocol.md §2.1 (head), §2.2.3 (report event
// status), §3 (server commands and their parameters) and shared/specs/real-world-variants.md
// ("Mictrack" section: models, extra status words, MT600 head).

/** Report event status words: §2.2.3, then the words the variants note has seen in the field. */
export const REPORT_STATUS = {
  AUTO: 'MODE 1 (real time) report',
  AUTOLOW: 'MODE 2 (GPS auto) report',
  HT: 'MODE 0 (AUTO, still), MODE 3 (deep sleep) or MODE 10 (clock) report',
  TOWED: 'MODE 0 (AUTO, moving), MODE 4 (vibrate) or MODE 7 (smart) report',
  WIFI: 'MODE 5 (WiFi only) report',
  SMS: 'MODE 6 (SMS only) report',
  SHAKE: 'First report after a vibration wake-up (MODE 0, 4 or 7); later reports say TOWED',
  LOCK: 'LOCK mode report',
  DEF: 'Device removal alert (light sensor alarm)',
  BLP: 'Backup battery low voltage',
  CALL: 'Heartbeat report (MODE 2 and MODE 5 only)',
  STILL: 'MODE 7 (smart) report while still',
  AUTOSTART: 'Motion start report (seen in the field)',
  AUTOSTOP: 'Motion stop report (seen in the field)',
  SOS: 'SOS alarm (seen in the field)',
  CLP: 'Low external power (seen in the field)',
  OS: 'Geofence exit (seen in the field)',
  RS: 'Geofence enter (seen in the field)',
  OVERSPEED: 'Overspeed (seen in the field)',
} as const;

/** Model names the family writes in the head's user-name field (it may also be empty). */
export const MODELS = {
  MT700: 'MT700',
  MT700W: 'MT700W (WiFi)',
  MT710: 'MT710',
  MT600: 'MT600 (head carries five extra fields)',
  MT500: 'MT500',
  MP90: 'MP90',
} as const;

/** NMEA 0183 mode indicator; the document calls the RMC one a fixed `A`. */
export const NMEA_MODE = {
  A: 'autonomous',
  D: 'differential',
  E: 'estimated',
  N: 'not valid',
} as const;

/** Command keywords of §3 (also the CMD of `#IMEI#REPLY#CMD,OK##`). */
export const COMMAND_KEYWORDS = {
  '803': 'Set APN',
  '804': 'Set IP and port',
  MODE: 'Working mode',
  LOCK: 'Lock mode',
  NWM: 'Network mode',
  BAND: 'Lock the band',
  EDRX: 'Set eDRX',
  PRIOR: 'Positioning priority',
  LEP: 'Last known position',
  LBS: 'Set LBS',
  HBC: 'Heartbeat report',
  DUR: 'GPS duration',
  RWT: 'TCP keep alive time',
  AGPS: 'Assisted WiFi location',
  LTP: 'Light sensor',
  '800': 'Set protocol',
  RCONF: 'Read config',
  REBOOT: 'Reboot',
} as const;

/** Result word of a reply. */
export const REPLY_RESULT = { OK: 'accepted', FS: 'failed' } as const;

/** `MODE,<n>,...` working modes (§3.3). */
export const WORKING_MODES = {
  '0': 'AUTO mode',
  '1': 'Real time mode',
  '2': 'GPS auto mode',
  '3': 'Deep sleep mode',
  '4': 'Vibrate mode',
  '5': 'WiFi only mode',
  '6': 'SMS only mode',
  '7': 'Smart mode',
  '10': 'Clock mode',
} as const;

export const GPS_WAKE = {
  '0': 'GPS wakes up only when the report interval arrives',
  '1': 'GPS always on',
} as const;
export const TCP_WAKE = {
  '0': 'TCP wakes up only when the report interval arrives',
  '1': 'TCP always connected',
} as const;
export const FIXED_ZERO = { '0': 'fixed to 0' } as const;

/** `NWM,...` settings: the document gives three combinations and does not explain the digits. */
export const NETWORK_MODES = {
  '3,0,2': 'Cat M1 only',
  '3,1,3': 'NB-IoT only',
  '1,2,1': 'GSM only',
} as const;

export const GSM_BAND = { f: 'all GSM bands (quad band); fixed to f' } as const;
export const EDRX_STATE = { '0': 'disable eDRX', '1': 'enable eDRX' } as const;
export const EDRX_NETWORK = { '4': 'Cat M1', '5': 'NB-IoT' } as const;
export const POSITIONING_PRIORITY = { '0': 'GPS priority', '1': 'WiFi priority' } as const;
export const LAST_KNOWN_POSITION = {
  '0': 'disabled: invalid GPS data is reported when GPS is unavailable',
  '1': 'enabled: the last known position is reported when GPS is unavailable',
} as const;
export const LBS_SETTING = {
  '0': 'LBS off: reports carry no LBS data',
  '1': 'LBS on when both GPS and WiFi are unavailable',
  '2': 'LBS on when fewer than 4 WiFi MAC addresses are found',
  '3': 'LBS always included when GPS is unavailable',
} as const;
export const AGPS_SETTING = { '0': 'WiFi positioning disabled', '1': 'WiFi positioning enabled' } as const;
export const LIGHT_SENSOR = { '0': 'light sensor disabled', '1': 'light sensor enabled' } as const;
export const TRANSPORT = { TCP: 'report over TCP', UDP: 'report over UDP' } as const;

/** Newer-firmware result word of `IMEI cmd=Success!` lines. */
export const OTHER_RESULT = { Success: 'command accepted' } as const;
