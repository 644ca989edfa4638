// H02 / Cantrack value tables. Sources: shared/specs/cantrack-parameters.md (message names *V1..*V5,
// *HTBT; custom-command payload examples) and shared/specs/real-world-variants.md (section "Cantrack:
// the H02 *XX,...# text family"); meanings marked "open-source servers" are how widely used tracking
// servers send or read them.

/** Maker codes seen in the `*XX,` prefix; anything else decodes with a note. */
export const MAKER_CODES = {
  HQ: 'HQ (most H02 devices)',
  TH: 'TH',
  hq: 'hq (lowercase, VP1 devices)',
} as const;

/** Message types sent by the device (uplink). */
export const DEVICE_MESSAGES = {
  V1: 'Position',
  V2: 'Position (V2)',
  V3: 'Multi-cell LBS',
  V4: 'Command acknowledgement with position',
  V5: 'WiFi access points with position',
  V19: 'Position with SIM information',
  VP1: 'Position or LBS without time',
  HTBT: 'Heartbeat',
  NBR: 'Neighbour cells',
  LINK: 'Link report (signal, satellites, battery, steps)',
  SMS: 'SMS',
} as const;

/** Commands the platform sends (downlink), also echoed by the device in V4 acknowledgements. */
export const COMMAND_NAMES = {
  S20: 'Engine (fuel/power) cut or restore',
  SCF: 'Arm or disarm the alarm',
  S2: 'Set centre number',
  CMD: 'Custom instruction with password',
  S71: 'Set upload interval (open-source servers)',
} as const;

/** GPS validity; NMEA letters plus the H02 variants. */
export const VALIDITY = {
  A: 'valid fix',
  V: 'no valid fix',
  B: 'B (seen on some devices; meaning not documented, not treated as valid)',
  '0': '0 (seen in V2 frames; no valid fix)',
} as const;

export const ENGINE_ACTIONS = {
  '1': 'cut fuel/power (stop the vehicle)',
  '0': 'restore fuel/power',
} as const;

/** SCF as sent by open-source servers: `0,0` arms, `1,1` disarms. */
export const ARM_ACTIONS = { '0': 'arm', '1': 'disarm' } as const;

/** S71 sub-command as sent by open-source servers (`S71,22,<seconds>` sets the upload interval). */
export const S71_MODES = { '22': 'upload interval' } as const;
