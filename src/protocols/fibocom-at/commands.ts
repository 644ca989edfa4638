// Host-to-module AT command lines of the Fibocom L610 TCP/UDP AT manual: every "Syntax" table of
// shared/specs/fibocom-l610-tcpip-at-commands.md chapter 1 (§1.1.1 to §1.1.23 basic mode, §1.2.1 to
// §1.2.4 HEX mode), with the parameters of each "Defined Values" subsection. Any other command
// (`AT+CSQ`, `ATE0`, `AT&W`, ...) decodes as `other`: its name and raw parameter text.
import {
  choice,
  delimited,
  digits,
  hex,
  line,
  lit,
  oneOf,
  optional,
  picklist,
  struct,
  switchOn,
  text,
  type Fields,
  type Node,
  type StructNode,
} from '../../schema/index.js';
import { dnsServers, host, port, socketId, undocumented } from './params.js';
import {
  CLOSE_MODE,
  DNS_ADDRESS_TYPE,
  GTSET_FEATURE,
  IPRFMT,
  KEEPALIVE_MODE,
  MIPCALL_AUTH,
  MIPCALL_OPERATION,
  NACK_INDICATION,
  NTP_ADDRESS_TYPE,
  PING_MODE,
  PSEUDO_COMMAND_MODE,
  SOCKET_PROTOCOL,
} from './values.js';

interface CommandForms {
  /**
   * Set forms `=<params>`, by label; several when one command has several parameter lists (+MIPSEND).
   * Fields are comma-separated; a struct node is taken as it is (its lead must be `=`).
   */
  readonly set: Readonly<Record<string, Fields | StructNode>>;
  /** The document gives a read form `?`. */
  readonly read?: boolean;
  /** The document gives a test form `=?`. */
  readonly test?: boolean;
}

/**
 * One command: its documented forms, tried test (`=?`) before set (`=`), then read (`?`), and last the
 * raw text of a form the document does not give (an undocumented `AT+MIPDNS?`, extra parameters),
 * which decodes with a `.deviation` note instead of failing the line.
 */
function command(name: string, label: string, title: string, forms: CommandForms): Node {
  const type = (suffix: string) => ({ 'message.type': `AT${name}${suffix}` });
  const variants: Record<string, Node> = {};
  if (forms.test)
    variants.test = line(oneOf({ '=?': 'test command' }), { title: 'Test command', params: type('=?') });
  for (const [key, params] of Object.entries(forms.set))
    variants[key] = line(isStruct(params) ? params : delimited(',', params, { lead: '=' }), {
      title: 'Set command',
      params: type('='),
    });
  if (forms.read)
    variants.read = line(oneOf({ '?': 'read command' }), { title: 'Read command', params: type('?') });
  variants.unrecognized = undocumented('Undocumented form', type(''));
  // `=?` (test) and a set form whose parameters start with `?` share a text: the test form wins.
  return struct({ form: choice(variants, { ambiguous: true }) }, { label, title });
}

const isStruct = (x: Fields | StructNode): x is StructNode => x.kind === 'struct' && 'fields' in x;

/**
 * `="<feature>",<value>`, the value typed by the feature. The comma is a literal rather than a
 * separator so that an empty value keeps its comma when encoded.
 */
const GTSET_PARAMS = struct(
  {
    feature: picklist(GTSET_FEATURE, { title: 'Feature', quoted: 'always' }),
    comma: lit(','),
    value: switchOn(
      'feature',
      {
        SENDTIME: digits({ label: 'seconds', title: 'Auto push timeout', unit: 's', range: [1, 30] }),
        IPRFMT: digits({ label: 'format', title: 'Received data format', names: IPRFMT }),
      },
      { default: text({ label: 'value', title: 'Value' }) },
    ),
  },
  { lead: '=' },
);

const COMMANDS = {
  '+MIPCALL': command('+MIPCALL', 'mipcall', 'Create a wireless link (§1.1.1)', {
    test: true,
    read: true,
    set: {
      set: {
        operation: digits({ title: 'Operation', range: [0, 3], names: MIPCALL_OPERATION }),
        context: optional(
          choice({
            apn: text({ title: 'APN', quoted: 'always', length: [1, 99] }),
            cid: digits({ title: 'PDP context (+CGDCONT cid)' }),
          }),
        ),
        // `[,<user name>,<password>,[<auth>]]` is one group: user name and password come together
        // (a lone unquoted one fails the group, and with it the line, instead of shifting into auth).
        login: optional(
          delimited(',', {
            user_name: text({ title: 'User name', quoted: 'always', length: [1, 64] }),
            password: text({ title: 'Password', quoted: 'always', length: [1, 64] }),
            auth: optional(digits({ title: 'Authentication', range: [0, 3], names: MIPCALL_AUTH })),
          }),
        ),
      },
    },
  }),
  '+MIPOPEN': command('+MIPOPEN', 'mipopen', 'Open a socket (§1.1.2)', {
    test: true,
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        source_port: port('Source port'),
        remote_ip: host('Remote IP or host name'),
        remote_port: port('Remote port', [0, 65535]),
        protocol: digits({ title: 'Protocol', names: SOCKET_PROTOCOL }),
      },
    },
  }),
  '+MIPCLOSE': command('+MIPCLOSE', 'mipclose', 'Close a socket (§1.1.3)', {
    test: true,
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        mode: optional(digits({ title: 'Close mode', range: [0, 2], names: CLOSE_MODE })),
      },
    },
  }),
  '+MIPSETS': command('+MIPSETS', 'mipsets', 'Set size and timeout for automatic push (§1.1.4)', {
    test: true,
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        size: digits({ title: 'Watermark', unit: 'bytes', range: [1, 2048] }),
        timeout: optional(digits({ title: 'Timeout', unit: 'ms', range: [0, 1000] })),
      },
    },
  }),
  '+MIPDSETS': command('+MIPDSETS', 'mipdsets', 'Set size and timeout for output data (§1.1.5)', {
    test: true,
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        size: digits({ title: 'Maximum length', unit: 'bytes', range: [1, 2048] }),
        time_span: optional(digits({ title: 'Time span', unit: 'ms', range: [0, 1000] })),
      },
    },
  }),
  // Three set forms told apart by their parameters: quoted hex data (§1.1.6), a data length (§1.2.3),
  // the socket alone (§1.2.1 and §1.2.2: data follows the `>` prompt).
  '+MIPSEND': command('+MIPSEND', 'mipsend', 'Send data (§1.1.6, §1.2.1 to §1.2.3)', {
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        data: hex({
          title: 'Data',
          doc: 'Payload in hex digits (either case); 1024 bytes at most, 2048 characters coded',
          quoted: 'always',
          length: [2, 2048],
          carries: { stream: ['socket_id'] },
        }),
      },
      set_length: {
        socket_id: socketId(),
        data_len: digits({ title: 'Data length (HEX mode)', unit: 'bytes', range: [0, 2048] }),
      },
      set_prompt: { socket_id: socketId() },
    },
  }),
  '+MIPPUSH': command('+MIPPUSH', 'mippush', 'Push data into protocol stack (§1.1.7)', {
    test: true,
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        destination_ip: optional(host('Destination IP (UDP)')),
        destination_port: optional(port('Destination port (UDP)')),
      },
    },
  }),
  '+MIPFLUSH': command('+MIPFLUSH', 'mipflush', 'Flush data from buffers (§1.1.8)', {
    test: true,
    read: true,
    set: { set: { socket_id: socketId() } },
  }),
  '+MIPCONF': command('+MIPCONF', 'mipconf', 'Configure internal TCP/IP stack (§1.1.12)', {
    test: true,
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        retr_num: optional(digits({ title: 'Re-transmissions', range: [1, 12] })),
        min_to: optional(digits({ title: 'Minimum re-transmit timeout', unit: '100 ms', range: [1, 10] })),
        max_to: optional(digits({ title: 'Maximum re-transmit timeout', unit: '100 ms', range: [10, 600] })),
        max_close_delay: optional(digits({ title: 'Closing delay', unit: '100 ms', range: [1, 75] })),
        is_nack_ind_req: optional(digits({ title: 'NACK/ACK indication', names: NACK_INDICATION })),
      },
    },
  }),
  '+MIPKEEPCONF': command('+MIPKEEPCONF', 'mipkeepconf', 'Set TCP keep alive time (§1.1.13)', {
    test: true,
    read: true,
    set: {
      set: {
        mode: digits({ title: 'Keep alive', range: [0, 1], names: KEEPALIVE_MODE }),
        keepidle: optional(digits({ title: 'Idle time before probing', unit: 's', range: [1, 36000] })),
        keepintvl: optional(digits({ title: 'Probe interval', unit: 's', range: [1, 750] })),
        keepcnt: optional(digits({ title: 'Probe count', range: [1, 50] })),
      },
    },
  }),
  '+MPING': command('+MPING', 'mping', 'Start ping (§1.1.14)', {
    test: true,
    read: true,
    set: {
      set: {
        mode: digits({ title: 'Mode', range: [0, 2], names: PING_MODE }),
        destination: optional(host('Destination IP or host name')),
        count: optional(digits({ title: 'Echo requests', range: [1, 255] })),
        size: optional(digits({ title: 'Data size', unit: 'bytes', range: [0, 1372] })),
        ttl: optional(digits({ title: 'TTL', range: [1, 255] })),
        tos: optional(digits({ title: 'TOS', range: [0, 255] })),
        timeout: optional(digits({ title: 'Reply timeout', unit: 'ms' })),
      },
    },
  }),
  '+MSDNS': command('+MSDNS', 'msdns', 'Set DNS IP address (§1.1.16)', {
    test: true,
    read: true,
    set: {
      set: dnsServers('IPv4'),
    },
  }),
  '+MSV6DNS': command('+MSV6DNS', 'msv6dns', 'Set DNS IPv6 address (§1.1.17)', {
    test: true,
    read: true,
    set: {
      set: dnsServers('IPv6'),
    },
  }),
  '+MIPODM': command('+MIPODM', 'mipodm', 'Open a socket in online data mode (§1.1.18)', {
    test: true,
    read: true,
    set: {
      set: {
        socket_id: socketId(),
        source_port: port('Source port'),
        remote_ip: host('Remote IP or host name'),
        remote_port: port('Remote port', [1, 65535]),
        protocol: digits({ title: 'Protocol', names: SOCKET_PROTOCOL }),
        pseudo_command_mode: optional(
          digits({ title: 'Pseudo-command mode', range: [0, 1], names: PSEUDO_COMMAND_MODE }),
        ),
      },
    },
  }),
  '+MIPDNS': command('+MIPDNS', 'mipdns', 'Resolve domain name (§1.1.21)', {
    set: {
      set: {
        domain_name: host('Domain name'),
        address_type: optional(digits({ title: 'Address type', range: [0, 2], names: DNS_ADDRESS_TYPE })),
      },
    },
  }),
  '+MIPNTP': command('+MIPNTP', 'mipntp', 'Synchronize the local time via NTP (§1.1.22)', {
    test: true,
    read: true,
    set: {
      set: {
        remote_ip: host('NTP server'),
        remote_port: port('NTP port', [1, 65535]),
        address_type: optional(digits({ title: 'Address type', range: [0, 1], names: NTP_ADDRESS_TYPE })),
      },
    },
  }),
  '+MIPREAD': command('+MIPREAD', 'mipread', 'Receive data from buffer (§1.1.23)', {
    read: true,
    set: {
      set: { socket_id: socketId(), read_length: digits({ title: 'Data length to read', unit: 'bytes' }) },
    },
  }),
  '+GTSET': command('+GTSET', 'gtset', 'HEX mode configuration (§1.2.4)', {
    set: { set: GTSET_PARAMS },
  }),
} as const;

/** Any other command: its forms with the raw parameter text. */
const OTHER_COMMAND = struct(
  {
    // `=?` is the test form, not a set form with the parameters `?`.
    form: choice(
      {
        test: line(oneOf({ '=?': 'test command' }), { title: 'Test command' }),
        set: line(struct({ params: text({ title: 'Parameters' }) }, { lead: '=' }), { title: 'Set command' }),
        read: line(oneOf({ '?': 'read command' }), { title: 'Read command' }),
        execute: line(struct({}), { title: 'Execute command' }),
      },
      { ambiguous: true },
    ),
  },
  { label: 'other', title: 'Other command' },
);

/**
 * `AT<name><form>`: the name runs up to `=`, `?` or the end of the line and selects the command
 * (`+MIPCALL`; for basic commands the whole text, e.g. `E0`, `&W`, `D*99#`).
 */
export const commandLine = struct({
  prefix: oneOf({ AT: 'AT', at: 'at (lower case)' }, { title: 'Attention prefix' }),
  name: text({ title: 'Command name' }),
  command: switchOn('name', COMMANDS, { default: OTHER_COMMAND }),
});
