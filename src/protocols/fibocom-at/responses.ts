// Module-to-host `+NAME: values` lines of the Fibocom L610 TCP/UDP AT manual: the responses of every
// "Syntax" table in shared/specs/fibocom-l610-tcpip-at-commands.md chapter 1 (set, read and test
// forms) and the unsolicited results (+MIPRUDP, +MIPRTCP, +MIPSTAT, +MIPXOFF, +MIPXON, +MPING,
// +MPINGSTAT, +MIPDATA). Field variants from shared/specs/real-world-variants.md ("Fibocom AT modem
// logs"): `=` instead of `:` (`+MIPRTCP=1,5,...`), no space after the colon (`+MIPCALL:10.1.2.3`).
//
// One `+NAME:` line can be several forms of the same command (the set result and the read answer
// share a name, and the line alone does not say which command it answers). Each name is an ordered
// choice of whole lines, the most specific first; ties the line cannot settle are noted at the name.
import {
  choice,
  delimited,
  digits,
  line,
  lit,
  oneOf,
  optional,
  repeat,
  struct,
  switchOn,
  text,
  type Node,
} from '../../schema/index.js';
import { address, dnsServers, host, port, socketId, supportedLists, undocumented } from './params.js';
import {
  CLOSE_TYPE,
  ICMP_TYPE,
  KEEPALIVE_MODE,
  MIPCALL_STATUS,
  MIPSEND_STATUS,
  MIPSETS_STATUS,
  NACK_INDICATION,
  NTP_RESULT,
  PING_STATUS,
  PUSH_STATUS,
  SOCKET_STATE,
  SOCKET_STATUS,
} from './values.js';

/**
 * `: ` as documented (value under `separator`); `:` without the space and `=` as seen in the field
 * (`+MIPCALL:10.1.2.3`, `+MIPRTCP=1,...`; value under `variant_separator`, with a `.deviation` note).
 */
export const SEPARATOR = choice({
  separator: oneOf({ ': ': 'colon and space' }, { title: 'Separator' }),
  variant_separator: oneOf(
    { ':': 'colon without space', '= ': 'equals sign and space', '=': 'equals sign' },
    {
      title: 'Separator (field variant)',
      deviation: { severity: 'note', message: 'separator other than the documented ": "' },
    },
  ),
});

function response(name: string, label: string, title: string, variants: Record<string, Node>): Node {
  return struct(
    // The line alone cannot always tell the set result from the read answer (`+MIPODM: 1,1`).
    {
      form: choice(
        { ...variants, unrecognized: undocumented(`Undocumented ${name} values`) },
        { ambiguous: true },
      ),
    },
    { label, title, params: { 'message.type': name } },
  );
}

const fields = (f: Record<string, Node>) => line(delimited(',', f));

/** `+NAME: 0`: no socket in the asked state (read forms). */
const noSocket = () => line(oneOf({ '0': 'no socket' }, { title: 'No socket' }));

/** `+NAME: 1,2,3`: a list of socket ids (read forms). */
const socketList = (title: string) => line(repeat(socketId(), { sep: ',', min: 1, title }));

const ackedBytes = () => digits({ title: 'Acknowledged bytes', unit: 'bytes' });

/**
 * +MIPOPEN and +MIPODM answer alike (§1.1.2, §1.1.18): the set result (socket, state, and in listen mode
 * the remote address), `0` when no socket is free, or the read answer's list of free sockets. The set
 * result comes first; its 0/1 state literal keeps a sorted list of free sockets out of it.
 */
const SOCKET_OPENED = {
  result: fields({
    socket_id: socketId(),
    state: oneOf(SOCKET_STATE, { title: 'State' }),
    remote_ip: optional(host('Remote IP (listen mode)')),
    remote_port: optional(port('Remote port (listen mode)')),
  }),
  none: noSocket(),
  free: socketList('Free sockets'),
} as const;

const RESPONSES = {
  // `+MIPCALL: 1,10.1.2.3` (read: status and address) must be tried before `+MIPCALL: 1` (status
  // alone) and both before `+MIPCALL: 10.1.2.3` (set: address), whose text token would take anything.
  // The status is a literal so that the `1` of `10.1.2.3` cannot pass for it.
  '+MIPCALL': response('+MIPCALL', 'mipcall', 'Wireless link (§1.1.1)', {
    test: supportedLists(['operations']),
    status_address: fields({
      status: oneOf(MIPCALL_STATUS, { title: 'Status' }),
      ip: address('Local IP address'),
      ipv6: optional(address('Local IPv6 address')),
    }),
    status: line(oneOf(MIPCALL_STATUS, { title: 'Status' })),
    address: fields({ ip: address('Local IP address'), ipv6: optional(address('Local IPv6 address')) }),
  }),
  // `+MIPOPEN: 1,1` (set result: socket, state) before `+MIPOPEN: 2,3,4` (read: free sockets). The
  // state is a literal 0/1, which a sorted list of free sockets cannot hold in second place.
  '+MIPOPEN': response('+MIPOPEN', 'mipopen', 'Socket opened (§1.1.2)', {
    test: supportedLists(['socket_ids', 'source_ports', 'remote_ips', 'remote_ports', 'protocols']),
    ...SOCKET_OPENED,
  }),
  // `+MIPCLOSE: 1,2` is both "socket 1 closed, close type 2" and "sockets 1 and 2 active"; the close
  // result, which every session ends with, wins.
  '+MIPCLOSE': response('+MIPCLOSE', 'mipclose', 'Socket closed (§1.1.3)', {
    test: supportedLists(['socket_ids', 'close_types']),
    closed_with_ack: fields({
      socket_id: socketId(),
      acknowledged_bytes: ackedBytes(),
      close_type: oneOf(CLOSE_TYPE, { title: 'Close type' }),
    }),
    closed: fields({ socket_id: socketId(), close_type: oneOf(CLOSE_TYPE, { title: 'Close type' }) }),
    none: noSocket(),
    active: socketList('Active sockets'),
  }),
  // `+MIPSETS: 0` is the set result "Success" and also the read answer "no active socket".
  '+MIPSETS': response('+MIPSETS', 'mipsets', 'Automatic push settings (§1.1.4)', {
    test: supportedLists(['socket_ids', 'sizes', 'timeouts']),
    settings: fields({
      socket_id: socketId(),
      size: digits({ title: 'Watermark', unit: 'bytes', range: [1, 2048] }),
      timeout: digits({ title: 'Timeout', unit: 'ms', range: [0, 1000] }),
    }),
    status: line(digits({ title: 'Status', names: MIPSETS_STATUS })),
  }),
  // `+MIPDSETS: 0` is the set result and also the read answer "no active socket".
  '+MIPDSETS': response('+MIPDSETS', 'mipdsets', 'Output data settings (§1.1.5)', {
    test: supportedLists(['socket_ids', 'sizes', 'time_spans']),
    settings: fields({
      socket_id: socketId(),
      size: digits({ title: 'Maximum length', unit: 'bytes', range: [1, 2048] }),
      time_span: digits({ title: 'Time span', unit: 'ms', range: [0, 1000] }),
    }),
    status: line(digits({ title: 'Status', names: { 0: 'Success' } })),
  }),
  '+MIPSEND': response('+MIPSEND', 'mipsend', 'Data sent to the buffer (§1.1.6, §1.2)', {
    result: fields({
      socket_id: socketId(),
      status: digits({ title: 'Status', names: MIPSEND_STATUS }),
      free_size: digits({ title: 'Free buffer space', unit: 'bytes', range: [0, 2048] }),
    }),
    free_space: fields({
      socket_id: socketId(),
      free_size: digits({ title: 'Free buffer space', unit: 'bytes', range: [0, 2048] }),
    }),
    none: noSocket(),
  }),
  // `+MIPPUSH: 1,2` is both "socket 1: no data to send" and "sockets 1 and 2 active"; the push result
  // wins. The status is a literal 0/1/2, which keeps `+MIPPUSH: 2,3,4` a list.
  '+MIPPUSH': response('+MIPPUSH', 'mippush', 'Data pushed (§1.1.7, §1.2)', {
    test: supportedLists(['socket_ids', 'ips', 'destination_ports']),
    result: fields({
      socket_id: socketId(),
      status: oneOf(PUSH_STATUS, { title: 'Status' }),
      accumulated_sent_length: optional(digits({ title: 'Accumulated sent length', unit: 'bytes' })),
    }),
    none: noSocket(),
    active: socketList('Active sockets'),
  }),
  // `+MIPFLUSH: 1` is the set result (socket 1 flushed) and also a one-socket read answer; it reads as
  // the set result. Two or more sockets can only be the read answer, tried first because the single
  // socket token, outside a list, would take the commas as well.
  '+MIPFLUSH': response('+MIPFLUSH', 'mipflush', 'Buffers flushed (§1.1.8)', {
    test: supportedLists(['socket_ids']),
    none: noSocket(),
    active: line(repeat(socketId(), { sep: ',', min: 2, title: 'Active sockets' })),
    flushed: line(socketId()),
  }),
  '+MIPRUDP': response('+MIPRUDP', 'miprudp', 'UDP data received (§1.1.9)', {
    data: line(
      struct({
        source_ip: address('Source IP'),
        sep1: lit(','),
        source_port: port('Source port'),
        sep2: lit(','),
        socket_id: socketId(),
        sep3: lit(','),
        left: digits({
          title: 'Left / data length',
          unit: 'bytes',
          doc: 'Bytes still in the stack (IPRFMT 0) or length of this data (IPRFMT 2)',
        }),
        sep4: lit(','),
        data: receivedData(),
      }),
    ),
  }),
  '+MIPRTCP': response('+MIPRTCP', 'miprtcp', 'TCP data received (§1.1.10)', {
    data: line(
      struct({
        socket_id: socketId(),
        sep1: lit(','),
        left: digits({
          title: 'Left / data length',
          unit: 'bytes',
          doc: 'Bytes still in the stack (IPRFMT 0) or length of this data (IPRFMT 2)',
        }),
        sep2: lit(','),
        data: receivedData(),
      }),
    ),
  }),
  '+MIPSTAT': response('+MIPSTAT', 'mipstat', 'Socket status (§1.1.11)', {
    status: fields({
      socket_id: socketId(),
      status: digits({ title: 'Status', range: [0, 2], names: SOCKET_STATUS }),
      acknowledged_bytes: optional(ackedBytes()),
    }),
  }),
  '+MIPCONF': response('+MIPCONF', 'mipconf', 'TCP stack configuration (§1.1.12)', {
    test: supportedLists([
      'socket_ids',
      'retr_nums',
      'min_tos',
      'max_tos',
      'max_close_delays',
      'is_nack_ind_reqs',
    ]),
    settings: fields({
      socket_id: socketId(),
      retr_num: digits({ title: 'Re-transmissions', range: [1, 12] }),
      min_to: digits({ title: 'Minimum re-transmit timeout', unit: '100 ms', range: [1, 10] }),
      max_to: digits({ title: 'Maximum re-transmit timeout', unit: '100 ms', range: [10, 600] }),
      max_close_delay: digits({ title: 'Closing delay', unit: '100 ms', range: [1, 75] }),
      is_nack_ind_req: digits({ title: 'NACK/ACK indication', names: NACK_INDICATION }),
    }),
  }),
  '+MIPKEEPCONF': response('+MIPKEEPCONF', 'mipkeepconf', 'TCP keep alive (§1.1.13)', {
    test: supportedLists(['modes', 'keepidles', 'keepintvls', 'keepcnts'], { trailingComma: true }),
    settings: fields({
      mode: digits({ title: 'Keep alive', range: [0, 1], names: KEEPALIVE_MODE }),
      keepidle: optional(digits({ title: 'Idle time before probing', unit: 's', range: [1, 36000] })),
      keepintvl: optional(digits({ title: 'Probe interval', unit: 's', range: [1, 750] })),
      keepcnt: optional(digits({ title: 'Probe count', range: [1, 50] })),
    }),
  }),
  // The read answer has five fields, the unsolicited echo reply three or four.
  '+MPING': response('+MPING', 'mping', 'Ping settings or reply (§1.1.14)', {
    test: supportedLists(['counts', 'sizes', 'ttls', 'tos_values', 'timeouts']),
    settings: fields({
      count: digits({ title: 'Echo requests', range: [1, 255] }),
      size: digits({ title: 'Data size', unit: 'bytes', range: [0, 1372] }),
      ttl: digits({ title: 'TTL', range: [1, 255] }),
      tos: digits({ title: 'TOS', range: [0, 255] }),
      timeout: digits({ title: 'Reply timeout', unit: 'ms' }),
    }),
    reply: fields({
      destination_ip: host('Replying host'),
      type: digits({ title: 'ICMP type', names: ICMP_TYPE }),
      code: digits({ title: 'ICMP code' }),
      rtt: optional(digits({ title: 'Round trip time', unit: 'ms' })),
    }),
  }),
  '+MPINGSTAT': response('+MPINGSTAT', 'mpingstat', 'Ping status (§1.1.15)', {
    status: fields({
      status: digits({ title: 'Status', range: [0, 4], names: PING_STATUS }),
      destination_ip: optional(host('Destination')),
      sent: optional(digits({ title: 'Sent messages' })),
      received: optional(digits({ title: 'Received messages' })),
      average_rtt: optional(digits({ title: 'Average round trip time', unit: 'ms' })),
    }),
  }),
  '+MSDNS': response('+MSDNS', 'msdns', 'DNS servers (§1.1.16)', {
    test: supportedLists(['socket_ids', 'primary_ips', 'secondary_ips']),
    servers: fields(dnsServers('IPv4')),
  }),
  '+MSV6DNS': response('+MSV6DNS', 'msv6dns', 'DNS IPv6 servers (§1.1.17)', {
    test: supportedLists(['socket_ids', 'primary_ips', 'secondary_ips']),
    servers: fields(dnsServers('IPv6')),
  }),
  '+MIPODM': response('+MIPODM', 'mipodm', 'Online data mode socket (§1.1.18)', {
    test: supportedLists([
      'socket_ids',
      'source_ports',
      'remote_ips',
      'remote_ports',
      'protocols',
      'pseudo_command_modes',
    ]),
    ...SOCKET_OPENED,
  }),
  '+MIPXOFF': response('+MIPXOFF', 'mipxoff', 'Flow control off (§1.1.19)', {
    socket_id: line(socketId()),
  }),
  '+MIPXON': response('+MIPXON', 'mipxon', 'Flow control on (§1.1.20)', { socket_id: line(socketId()) }),
  '+MIPDNS': response('+MIPDNS', 'mipdns', 'Domain name resolved (§1.1.21)', {
    resolved: fields({ domain_name: host('Domain name'), ip: address('Resolved IP address') }),
  }),
  // The read answer (server, port) has two fields, the set result one.
  '+MIPNTP': response('+MIPNTP', 'mipntp', 'NTP synchronisation (§1.1.22)', {
    test: supportedLists(['remote_ips', 'remote_ports']),
    server: fields({ remote_ip: host('NTP server'), remote_port: port('NTP port', [1, 65535]) }),
    result: line(digits({ title: 'Result', range: [0, 1], names: NTP_RESULT })),
  }),
  '+MIPREAD': response('+MIPREAD', 'mipread', 'Buffered data (§1.1.23)', {
    pending: fields({
      socket_id: socketId(),
      length: digits({ title: 'Data length', unit: 'bytes', doc: '0 after a read: nothing buffered' }),
    }),
  }),
  // The unsolicited form has two fields; after +MIPREAD the data may follow on the same line.
  '+MIPDATA': response('+MIPDATA', 'mipdata', 'Data indication (§1.1.24, §1.1.23)', {
    data: line(
      struct({
        socket_id: socketId(),
        sep1: lit(','),
        length: digits({ title: 'Data length', unit: 'bytes' }),
        payload: optional(struct({ data: receivedData() }, { lead: ',' })),
      }),
    ),
  }),
} as const;

/** Received payload: hex digits (IPRFMT 0) or the raw bytes (IPRFMT 2), up to the end of the line. */
function receivedData() {
  return text({
    title: 'Data',
    doc: 'Hex digits in either case (IPRFMT 0) or raw bytes (IPRFMT 2)',
    carries: { stream: ['socket_id'] },
  });
}

/**
 * `+NAME<separator><values>`: the name selects the shapes; any other name keeps its values as text.
 * The separator is required so that the name stops at the first `:` or `=`.
 */
export const responseLine = struct({
  name: text({ title: 'Response name' }),
  separator: SEPARATOR,
  response: switchOn('name', RESPONSES, {
    default: line(text({ title: 'Values' }), { label: 'values' }),
  }),
});
