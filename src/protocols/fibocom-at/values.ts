// Value names of the Fibocom L610 TCP/UDP AT manual, "Defined Values" subsections of chapter 1:
// shared/specs/fibocom-l610-tcpip-at-commands.md (section numbers below). Keys are the decimal text
// the module writes, so a token's exact text looks them up.

/** §1.1.1.4 <operation>. */
export const MIPCALL_OPERATION = {
  0: 'disconnect a link',
  1: 'establish GPRS link of IPV4',
  2: 'establish GPRS link of IPV6',
  3: 'establish GPRS link of IPV4 and IPV6',
} as const;

/** §1.1.1.4 <status> of `+MIPCALL?`. */
export const MIPCALL_STATUS = { 0: 'Disconnected', 1: 'Connected', 2: 'Busy' } as const;

/**
 * §1.1.1.4 <auth>. The document says "range 0-2" and then lists 3 as well ("PAP and CHAP"); the
 * listed values are kept.
 */
export const MIPCALL_AUTH = { 0: "Don't need authentic", 1: 'PAP', 2: 'CHAP', 3: 'PAP and CHAP' } as const;

/** §1.1.2.4 and §1.1.18.4 <protocol>. */
export const SOCKET_PROTOCOL = {
  0: 'TCP of IPV4',
  1: 'UDP of IPV4',
  2: 'SSL of IPV4',
  60: 'TCP of IPV6',
  61: 'UDP of IPV6',
  62: 'SSL of IPV6',
} as const;

/** §1.1.2.4 and §1.1.18.4 <state>. */
export const SOCKET_STATE = { 0: 'inactive', 1: 'active' } as const;

/** §1.1.2.4, §1.1.11.4 and §1.1.18.4 <status> of `+MIPSTAT`. */
export const SOCKET_STATUS = {
  0: 'ACK indication',
  1: 'Broken protocol stack',
  2: 'Connection closed automatically due to non fatal alert',
} as const;

/** §1.1.3.4 <mode> of `+MIPCLOSE` (TCP only). */
export const CLOSE_MODE = {
  0: 'Wait FIN ack from Server',
  1: 'Do not wait FIN response from server',
  2: 'Wait 2MSL',
} as const;

/** §1.1.3.4 <close_type>. */
export const CLOSE_TYPE = {
  0: 'Connection was closed correctly',
  1: "The remote side didn't reply, so connection closed by close timeout",
  2: 'Other (The remote side replied with RST, Re-transmission timeout occurred, etc.)',
} as const;

/** §1.1.4.4 <status> of `+MIPSETS`. */
export const MIPSETS_STATUS = { 0: 'Success', 3: 'Operation not allowed' } as const;

/**
 * §1.1.6.4 <status> of `+MIPSEND` (0-1); the HEX mode forms (§1.2.1.4 to §1.2.3.4) answer with the
 * same line and add 2.
 */
export const MIPSEND_STATUS = {
  0: 'Send data to socket buffer OK',
  1: 'MIPXOFF received before, send failed',
  2: 'there is no data in socket to send (HEX mode)',
} as const;

/** §1.1.7.4 <status> of `+MIPPUSH`, also §1.2.1.4 to §1.2.3.4 (HEX mode `+MIPSEND`). */
export const PUSH_STATUS = {
  0: 'Success',
  1: 'socket is flowed off',
  2: 'there is no data in socket to send',
} as const;

/** §1.1.12.4 <is_nack_ind_req>. */
export const NACK_INDICATION = {
  0: 'feature inactive',
  1: 'NACK indication active',
  2: 'ACK indication active',
} as const;

/** §1.1.13.4 <mode> of `+MIPKEEPCONF`. */
export const KEEPALIVE_MODE = { 0: 'switch off', 1: 'switch on' } as const;

/** §1.1.14.4 <mode> of `+MPING`. */
export const PING_MODE = {
  0: 'Abort current ping request execution',
  1: 'Launch new IPV4 ping request',
  2: 'Launch new IPV6 ping request',
} as const;

/** ICMP message types (IETF RFC 792), which §1.1.14.4 refers to for the `+MPING` <type>. */
export const ICMP_TYPE = {
  0: 'Echo Reply',
  3: 'Destination Unreachable',
  4: 'Source Quench',
  5: 'Redirect',
  8: 'Echo',
  11: 'Time Exceeded',
  12: 'Parameter Problem',
  13: 'Timestamp',
  14: 'Timestamp Reply',
  15: 'Information Request',
  16: 'Information Reply',
} as const;

/** §1.1.15.4 <status> of `+MPINGSTAT`. */
export const PING_STATUS = {
  0: 'ping request completed',
  1: 'no ICMP reply message received within timeout',
  2: 'socket connection terminated, ping request aborted',
  3: 'Flow Control OFF',
  4: 'Flow Control ON',
} as const;

/** §1.1.16.4 and §1.1.17.4 <Socket_ID> of `+MSDNS`/`+MSV6DNS`. */
export const DNS_SOCKET = {
  1: 'socket 1',
  2: 'socket 2',
  3: 'socket 3',
  4: 'socket 4',
  5: 'socket 5',
  6: 'socket 6',
  7: 'dedicated to +MPING, +MIPDNS, +MIPNTP',
} as const;

/** §1.1.18.4 <Pseudo-Command Mode On/Off>. */
export const PSEUDO_COMMAND_MODE = { 0: 'Enable', 1: 'Disable' } as const;

/** §1.1.21.4 <address type> of `+MIPDNS`. */
export const DNS_ADDRESS_TYPE = { 0: 'IPV4 address', 1: 'IPV6 address', 2: 'IPV4/IPV6 address' } as const;

/** §1.1.22.4 <address type> of `+MIPNTP`. */
export const NTP_ADDRESS_TYPE = { 0: 'IPV4', 1: 'IPV6' } as const;

/** §1.1.22.4 <Result> of `+MIPNTP`. */
export const NTP_RESULT = {
  0: 'Fail to synchronize to local time',
  1: 'Successfully synchronize the local time',
} as const;

/** §1.2.4.4 <future> (the document's spelling of "feature") of `+GTSET`. */
export const GTSET_FEATURE = {
  SENDTIME: 'Set the auto push timeout',
  IPRFMT: 'The format of received data',
} as const;

/** §1.2.4.4 <value> of `+GTSET="IPRFMT"`. */
export const IPRFMT = {
  0: 'Received data with "+MIPRTCP:" or "+MIPRUDP:" and the data is encoded',
  1: 'Received data only and the data are without encoded',
  2: 'Received data with "+MIPRTCP:" or "+MIPRUDP:" and the data is without encoded',
  5: 'Data read mode',
} as const;
