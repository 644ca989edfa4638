// Meiligao command codes and value tables. Sources: shared/specs/vt600-ota-protocol.md §2 (OTA) and
// shared/specs/real-world-variants.md ("Meiligao binary family").

export const COMMAND_NAMES = {
  0x0001: 'Heartbeat',
  0x0800: 'Photo upload start',
  0x0f80: 'Upload complete',
  0x4000: 'Login response',
  0x4101: 'Track on demand',
  0x4102: 'Track by interval',
  0x4106: 'Movement alarm',
  0x4114: 'Output control',
  0x4115: 'Output control',
  0x4132: 'Time zone',
  0x4151: 'Take photo',
  0x4902: 'Reboot',
  0x5000: 'Login',
  0x6688: 'Batch retransmission',
  0x8801: 'Photo upload response',
  0x9016: 'Logged position',
  0x9500: 'OTA get tracker info',
  0x9501: 'OTA authorization',
  0x9502: 'OTA data package',
  0x9503: 'OTA data check',
  0x9504: 'OTA upgrade',
  0x9505: 'OTA cancel',
  0x9901: 'OBD real-time data',
  0x9902: 'OBD aggregate data',
  0x9903: 'OBD fault codes',
  0x9955: 'Position report',
  0x9966: 'RFID',
  0x9977: 'Position with image',
  0x9988: 'Photo data',
  0x9999: 'Alarm',
} as const;

export const ALARM_CODES = {
  0x01: 'SOS',
  0x10: 'Low battery',
  0x11: 'Overspeed',
  0x12: 'Movement',
  0x13: 'Geofence',
  0x14: 'Accident',
  0x50: 'External power cut',
  0x53: 'GPS antenna cut',
  0x60: 'Fatigue driving',
  0x71: 'Harsh braking',
  0x72: 'Harsh acceleration',
  0x73: 'Accident',
  0x74: 'Idle',
} as const;

export const OTA_AUTH_FLAG = {
  0x00: 'Authorization failed, reauthorize',
  0x01: 'Authorization successful',
} as const;
export const OTA_DATA_FLAG = {
  0x00: 'Receive failed, resend this package',
  0x01: 'Received and stored, send the next package',
  0xff: 'OTA unauthorized',
} as const;
export const OTA_UPGRADE_FLAG = {
  0x01: 'Going to upgrade firmware',
  0x02: 'Firmware upgrade finished',
  0xff: 'OTA unauthorized',
} as const;
export const OTA_CANCEL_FLAG = { 0x01: 'OTA cancelled' } as const;
export const LOGIN_RESULT = { 0x01: 'Login accepted' } as const;
