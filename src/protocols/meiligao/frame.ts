// Meiligao / VT600 GPRS frame. Spec: shared/specs/vt600-ota-protocol.md §1 (framing, CRC) and §2 (OTA
// 0x9500-0x9505); other commands: shared/specs/real-world-variants.md ("Meiligao binary family").
import {
  bcd,
  byDirection,
  bytes,
  checksum,
  expert,
  frameType,
  lengthOf,
  lit,
  oneOf,
  protocol,
  span,
  struct,
  switchOn,
  text,
  u16,
  u32,
  u8,
} from '../../schema/index.js';
import {
  ALARM_CODES,
  COMMAND_NAMES,
  LOGIN_RESULT,
  OTA_AUTH_FLAG,
  OTA_CANCEL_FLAG,
  OTA_DATA_FLAG,
  OTA_UPGRADE_FLAG,
} from './commands.js';
import { position, positionFields } from './position.js';

/** A case's label doubles as the normalized `message.type`. */
const named = <L extends string>(label: L) => ({ label, params: { 'message.type': label } }) as const;
const empty = <L extends string>(label: L, title: string) => struct({}, { ...named(label), title });
const opaque = <L extends string>(label: L, title: string) => bytes('rest', { ...named(label), title });
const flag = (names: Readonly<Record<number, string>>) => u8({ title: 'Flag', display: 'hex', names });

export const meiligaoFrame = struct({
  start: oneOf({ $$: 'uplink', '@@': 'downlink' }, { role: 'direction', title: 'Header' }),
  length: u16({
    title: 'Length',
    unit: 'bytes',
    doc: 'Whole frame, header through CRLF',
    derive: lengthOf('$frame'),
  }),
  device_id: bcd(7, {
    title: 'Device ID',
    doc: 'High nibble first, F-padded: 12345678901 is 12 34 56 78 90 1F FF',
    param: 'ident',
  }),
  command: u16({ title: 'Command', display: 'hex', names: COMMAND_NAMES }),
  body: switchOn(
    'command',
    {
      0x0001: opaque('heartbeat', 'Heartbeat'),
      0x5000: opaque('login', 'Login'),
      0x4000: struct(
        { result: u8({ title: 'Result', display: 'hex', names: LOGIN_RESULT }) },
        { ...named('login_response'), title: 'Login response' },
      ),
      0x9955: position,
      0x9016: struct(positionFields, { ...named('logged_position'), title: 'Logged position' }),
      0x9966: struct(positionFields, { ...named('rfid_position'), title: 'RFID position' }),
      0x9999: struct(
        {
          alarm: u8({ title: 'Alarm', display: 'hex', names: ALARM_CODES, param: 'alarm.code' }),
          ...positionFields,
        },
        { ...named('alarm'), title: 'Alarm with position' },
      ),
      0x4132: struct(
        { minutes: text({ title: 'Time zone offset', unit: 'min' }) },
        { ...named('time_zone'), title: 'Time zone' },
      ),
      0x9500: byDirection({
        downlink: empty('ota_info_request', 'Get tracker info'),
        uplink: struct(
          {
            device_code: u16({
              title: 'Device code',
              display: 'hex',
              doc: 'Tracker type, e.g. VT310 is 0x0010',
            }),
            max_ota_length: u16({ title: 'Maximum OTA data length', unit: 'bytes' }),
            info: text({
              title: 'Firmware version, S/N, IMEI',
              doc: 'The document sample carries only the firmware version (V1.38)',
            }),
          },
          { ...named('ota_info'), title: 'Tracker info' },
        ),
      }),
      0x9501: byDirection({
        downlink: empty('ota_authorize', 'OTA authorization'),
        uplink: struct(
          { flag: flag(OTA_AUTH_FLAG) },
          { ...named('ota_authorize_ack'), title: 'OTA authorization result' },
        ),
      }),
      0x9502: byDirection({
        downlink: struct(
          {
            offset: u32({ title: 'OTA data address offset', display: 'hex' }),
            data_length: u16({ title: 'OTA length', unit: 'bytes', derive: lengthOf('data') }),
            data: bytes('rest', { title: 'OTA data package' }),
          },
          { ...named('ota_data'), title: 'OTA data package' },
        ),
        uplink: struct(
          { offset: u32({ title: 'OTA data address offset', display: 'hex' }), flag: flag(OTA_DATA_FLAG) },
          { ...named('ota_data_ack'), title: 'OTA data package result' },
        ),
      }),
      0x9503: byDirection({
        downlink: struct(
          {
            total_length: u16({
              title: 'OTA data length',
              unit: 'bytes',
              doc: 'All OTA data, without its 2-byte checksum',
            }),
          },
          { ...named('ota_check'), title: 'OTA data check' },
        ),
        uplink: struct(
          { ota_checksum: u16({ title: 'OTA data checksum', display: 'hex' }) },
          { ...named('ota_check_result'), title: 'OTA data checksum' },
        ),
      }),
      0x9504: byDirection({
        downlink: empty('ota_upgrade', 'Upgrade with OTA firmware'),
        uplink: struct(
          { flag: flag(OTA_UPGRADE_FLAG) },
          { ...named('ota_upgrade_ack'), title: 'OTA upgrade status' },
        ),
      }),
      0x9505: byDirection({
        downlink: empty('ota_cancel', 'Cancel OTA'),
        uplink: struct(
          { flag: flag(OTA_CANCEL_FLAG) },
          { ...named('ota_cancel_ack'), title: 'OTA cancel result' },
        ),
      }),
    },
    { default: bytes('rest', { title: 'Data', params: { 'message.type': 'data' } }) },
  ),
  crc: u16({
    title: 'Checksum',
    display: 'hex',
    derive: checksum('crc16-ccitt-false', span('start', 'body')),
  }),
  end: lit('\r\n', { title: 'End' }),
});

export const meiligao = protocol({
  name: 'meiligao',
  title: 'Meiligao / VT600 GPRS',
  ref: 'shared/specs/vt600-ota-protocol.md#1-data-format',
  frames: [
    frameType({
      name: 'frame',
      segment: '',
      title: 'Meiligao frame',
      node: meiligaoFrame,
      framing: { kind: 'length', lengthField: 'length', max: 2048, trailer: '\r\n' },
    }),
  ],
  experts: [
    expert('meiligao.crc.bad', 'checksum', 'error', 'CRC-CCITT mismatch'),
    expert('meiligao.length.bad', 'malformed', 'error', 'Length field disagrees with the bytes'),
  ],
  transport: { tcp: { ports: [], heuristic: true }, udp: { ports: [], heuristic: true } },
});
