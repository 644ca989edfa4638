// Parameter tokens shared by the Fibocom L610 commands and responses
// (shared/specs/fibocom-l610-tcpip-at-commands.md, "Defined Values" of each command), and the line
// shapes every command and response is built from.
//
// Every variant of a form choice is a whole `line(...)`: a token never fails, so only the line end can
// reject a variant that matched a prefix of the line (`+MIPCALL: 1` must not swallow the `1` of
// `+MIPCALL: 10.1.2.3`). Frames are lines without their line end, so the decoder records '' there; an
// encoder given no layout writes CRLF, the line end of AT responses on the wire.
import { digits, line, lit, oneOf, optional, struct, text, type Node } from '../../schema/index.js';
import { DNS_SOCKET } from './values.js';

/** <Socket_ID>: "Valid socket numbers 1-6" (§1.1.2.4 and every command using it). */
export const socketId = () => digits({ title: 'Socket ID', range: [1, 6] });

/** A port in decimal digits; `[0, 65535]` for source ports, `[1, 65535]` for remote ones. */
export const port = (title: string, range: readonly [number, number] = [0, 65535]) =>
  digits({ title, range });

/**
 * An IP address or host name that the document calls "String type": quoted in commands (the module
 * accepts it bare as well). Host names may be 255 characters long (§1.1.2.4).
 */
export const host = (title: string) => text({ title, quoted: 'optional', length: [1, 255] });

/**
 * An IP address the module writes "without double quotes" (§1.1.1.4, §1.1.9.4, §1.1.21.4). The
 * shortest address text is `::`, the longest an IPv6 address with an embedded IPv4 one (45).
 */
export const address = (title: string) => text({ title, length: [2, 45] });

/**
 * <Socket_ID>,<Primary_DNS>,<Secondary_DNS>: +MSDNS (§1.1.16) and +MSV6DNS (§1.1.17) set them and
 * read them back in the same shape; `family` names the address kind in titles.
 */
export const dnsServers = (family: 'IPv4' | 'IPv6') => {
  const suffix = family === 'IPv6' ? ' (IPv6)' : '';
  return {
    socket_id: digits({ title: 'Socket ID', range: [1, 7], names: DNS_SOCKET }),
    primary_dns: optional(host(`Primary DNS server${suffix}`)),
    secondary_dns: optional(host(`Secondary DNS server${suffix}`)),
  };
};

/** The rest of a line in a shape the document does not give: kept as text, with a `.deviation` note. */
export const undocumented = (title: string, params?: Readonly<Record<string, string>>) =>
  line(text({ title, doc: 'Kept as raw text' }), {
    deviation: { severity: 'note', message: 'not a form or shape the document gives' },
    ...(params ? { params } : {}),
  });

/**
 * A test-command response: `(list),(list),...`, one parenthesised list of supported values per
 * parameter (e.g. `+MIPCALL: (0-3)`). Lists may contain commas, so the lists are not a `delimited`
 * struct (its separator would stop them) but text between literal `(`, `),(` and `)`.
 */
export function supportedLists(names: readonly string[], opts: { trailingComma?: boolean } = {}): Node {
  const fields: Record<string, Node> = { open: lit('(') };
  names.forEach((name, i) => {
    if (i > 0) fields[`sep${i}`] = lit('),(');
    fields[name] = text({ title: `Supported ${name.replace(/_/g, ' ')}` });
  });
  fields.close = lit(')');
  // The +MIPKEEPCONF test response is printed with a trailing comma (§1.1.13.2); accepted, not required.
  if (opts.trailingComma) fields.trailing_comma = optional(oneOf({ ',': 'trailing comma' }));
  return line(struct(fields), { title: 'Supported values (test command response)' });
}
