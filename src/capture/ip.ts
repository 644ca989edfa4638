// IPv4, IPv6, TCP and UDP headers, read straight from the captured bytes. This runs once per packet of
// captures of a gigabyte or more, so the IPv4 path allocates nothing but the result, the payload view and
// (on a cache miss) an address string; addresses come from small direct-mapped caches because a capture
// repeats the same few addresses millions of times, and a string that is reused keeps its hash, which
// makes the reassembler's map lookups cheap too. Checksums are not verified: checksum offload leaves
// outgoing packets with wrong ones in every capture taken on the sending host.

export type SkipReason =
  'unknown-link-type' | 'not-ip' | 'truncated' | 'malformed' | 'fragment' | 'other-transport';

/** Bits of the TCP flags field (TcpSegment.flags); NS, the ninth, is 0x100. */
export const TCP_FLAGS = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 } as const;

export interface TcpSegment {
  kind: 'tcp';
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** Unsigned 32-bit. */
  seq: number;
  /** Unsigned 32-bit; meaningful only when flags has ACK. */
  ack: number;
  flags: number;
  window: number;
  /** A view of the captured bytes, not a copy. */
  payload: Uint8Array;
  /** Payload bytes the IP header announces but the capture does not hold (snap length); usually 0. */
  clipped: number;
}

export interface UdpDatagram {
  kind: 'udp';
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  clipped: number;
}

export type PacketDecode = TcpSegment | UdpDatagram | { kind: 'skip'; reason: SkipReason; detail: string };

export type PacketSkip = Extract<PacketDecode, { kind: 'skip' }>;

export const skip = (reason: SkipReason, detail: string): PacketSkip => ({ kind: 'skip', reason, detail });

const u16 = (d: Uint8Array, at: number): number => (d[at]! << 8) | d[at + 1]!;
const u32 = (d: Uint8Array, at: number): number =>
  ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;

/** An IP packet whose version the link layer did not say: the version nibble decides. */
export function decodeIp(d: Uint8Array, at: number): PacketDecode {
  if (at >= d.length) return skip('truncated', 'no IP header captured');
  const version = d[at]! >> 4;
  if (version === 4) return decodeIpv4(d, at);
  if (version === 6) return decodeIpv6(d, at);
  return skip('not-ip', `IP version nibble ${version}`);
}

export function decodeIpv4(d: Uint8Array, at: number): PacketDecode {
  const avail = d.length - at;
  if (avail < 20) return skip('truncated', `IPv4 header needs 20 bytes, ${Math.max(0, avail)} captured`);
  const vihl = d[at]!;
  if (vihl >> 4 !== 4) return skip('malformed', `IP version ${vihl >> 4} where IPv4 was announced`);
  const headerLength = (vihl & 15) * 4;
  if (headerLength < 20) return skip('malformed', `IPv4 header length ${headerLength} is below 20`);
  if (avail < headerLength) return skip('truncated', `IPv4 header with options is cut at ${avail} bytes`);
  let total = u16(d, at + 2);
  // Linux captures of TCP segmentation offload show outgoing super-packets with total length 0
  // (Wireshark: "assuming TSO"); the captured length is the best guess.
  if (total === 0) total = avail;
  else if (total < headerLength) return skip('malformed', `IPv4 total length ${total} is below the header`);
  const protocol = d[at + 9]!;
  const fragment = u16(d, at + 6);
  if ((fragment & 0x3fff) !== 0) {
    return skip(
      'fragment',
      `IPv4 fragment ${ipv4String(d, at + 12)} -> ${ipv4String(d, at + 16)} id 0x${u16(d, at + 4).toString(16)} ` +
        `offset ${(fragment & 0x1fff) * 8}${fragment & 0x2000 ? ' more-fragments' : ''} ` +
        `(${protocolName(protocol)}): IP fragments are not reassembled`,
    );
  }
  // A total length below the captured length is Ethernet padding (frames are at least 60 bytes).
  return transport(
    d,
    protocol,
    at + headerLength,
    at + total,
    ipv4String(d, at + 12),
    ipv4String(d, at + 16),
  );
}

export function decodeIpv6(d: Uint8Array, at: number): PacketDecode {
  const avail = d.length - at;
  if (avail < 40) return skip('truncated', `IPv6 header needs 40 bytes, ${Math.max(0, avail)} captured`);
  if (d[at]! >> 4 !== 6) return skip('malformed', `IP version ${d[at]! >> 4} where IPv6 was announced`);
  const payloadLength = u16(d, at + 4);
  // 0 is a jumbogram or, in practice, a segmentation-offload packet: use what was captured.
  const end = payloadLength === 0 ? d.length : at + 40 + payloadLength;
  const limit = Math.min(end, d.length);
  let next = d[at + 6]!;
  let p = at + 40;
  // Every extension header is at least 8 bytes long, so this loop ends.
  for (;;) {
    switch (next) {
      case 6:
      case 17:
        return transport(d, next, p, end, ipv6String(d, at + 8), ipv6String(d, at + 24));
      case 0: // hop-by-hop options
      case 43: // routing
      case 60: // destination options
      case 51: {
        // 51 is the authentication header, whose length counts 4-byte units minus 2; the others count
        // 8-byte units minus 1.
        if (p + 8 > limit) return extensionCut(p, end, d.length, next);
        const length = next === 51 ? (d[p + 1]! + 2) * 4 : (d[p + 1]! + 1) * 8;
        next = d[p]!;
        p += length;
        continue;
      }
      case 44: {
        if (p + 8 > limit) return extensionCut(p, end, d.length, next);
        const field = u16(d, p + 2);
        if ((field & 0xfff9) !== 0) {
          return skip(
            'fragment',
            `IPv6 fragment ${ipv6String(d, at + 8)} -> ${ipv6String(d, at + 24)} id 0x${u32(d, p + 4).toString(16)} ` +
              `offset ${field & 0xfff8}${field & 1 ? ' more-fragments' : ''} (${protocolName(d[p]!)}): ` +
              'IP fragments are not reassembled',
          );
        }
        // An atomic fragment (offset 0, no more fragments) is a whole packet.
        next = d[p]!;
        p += 8;
        continue;
      }
      case 59:
        return skip('other-transport', 'IPv6 no next header (59)');
      default:
        return skip('other-transport', protocolName(next));
    }
  }
}

function extensionCut(p: number, end: number, captured: number, header: number): PacketSkip {
  return p + 8 > end
    ? skip('malformed', `IPv6 extension header ${header} runs past the payload length`)
    : skip('truncated', `IPv6 extension header ${header} is cut at ${captured} captured bytes`);
}

/** `start`..`end` is the IP payload as announced; the capture may hold less. */
function transport(
  d: Uint8Array,
  protocol: number,
  start: number,
  end: number,
  src: string,
  dst: string,
): PacketDecode {
  const captured = Math.min(end, d.length);
  if (protocol === 6) {
    if (start + 20 > end) return skip('malformed', `TCP header does not fit in the IP payload`);
    if (start + 20 > captured) return skip('truncated', `TCP header is cut at ${captured - start} bytes`);
    const headerLength = (d[start + 12]! >> 4) * 4;
    if (headerLength < 20) return skip('malformed', `TCP data offset ${headerLength} is below 20`);
    if (start + headerLength > end) return skip('malformed', `TCP options run past the IP payload`);
    if (start + headerLength > captured) return skip('truncated', `TCP options are cut`);
    return {
      kind: 'tcp',
      src,
      dst,
      srcPort: u16(d, start),
      dstPort: u16(d, start + 2),
      seq: u32(d, start + 4),
      ack: u32(d, start + 8),
      flags: d[start + 13]! | ((d[start + 12]! & 1) << 8),
      window: u16(d, start + 14),
      payload: d.subarray(start + headerLength, captured),
      clipped: end - captured,
    };
  }
  if (protocol === 17) {
    if (start + 8 > end) return skip('malformed', `UDP header does not fit in the IP payload`);
    if (start + 8 > captured) return skip('truncated', `UDP header is cut at ${captured - start} bytes`);
    const length = u16(d, start + 4);
    // Length 0 only occurs in IPv6 jumbograms; the IP length rules then.
    const udpEnd = length === 0 ? end : start + length;
    if (length !== 0 && length < 8) return skip('malformed', `UDP length ${length} is below 8`);
    if (udpEnd > end) return skip('malformed', `UDP length ${length} runs past the IP payload`);
    const payloadEnd = Math.min(udpEnd, captured);
    return {
      kind: 'udp',
      src,
      dst,
      srcPort: u16(d, start),
      dstPort: u16(d, start + 2),
      payload: d.subarray(start + 8, payloadEnd),
      clipped: udpEnd - payloadEnd,
    };
  }
  return skip('other-transport', protocolName(protocol));
}

const PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPv4-in-IP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6-in-IP',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
  132: 'SCTP',
};

function protocolName(protocol: number): string {
  const name = PROTOCOL_NAMES[protocol];
  return name === undefined ? `IP protocol ${protocol}` : `${name} (IP protocol ${protocol})`;
}

// Direct-mapped caches: a slot holds the last address that hashed to it, a miss just formats again.
// A tracker server sees tens of thousands of client addresses; 65536 IPv4 slots cost under 1 MB.
const V4_SLOTS = 1 << 16;
const V6_SLOTS = 1 << 14;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Strings: (string | undefined)[] = new Array<string | undefined>(V4_SLOTS).fill(undefined);
const v6Keys = new Int32Array(V6_SLOTS * 4);
const v6Strings: (string | undefined)[] = new Array<string | undefined>(V6_SLOTS).fill(undefined);

/** Dotted quad of the 4 bytes at `at`. */
function ipv4String(d: Uint8Array, at: number): string {
  const key = (d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!;
  const slot = Math.imul(key, 0x9e3779b1) >>> 16;
  const cached = v4Strings[slot];
  if (cached !== undefined && v4Keys[slot] === key) return cached;
  const text = `${d[at]!}.${d[at + 1]!}.${d[at + 2]!}.${d[at + 3]!}`;
  v4Keys[slot] = key;
  v4Strings[slot] = text;
  return text;
}

/** RFC 5952 text of the 16 bytes at `at`; `::ffff:a.b.c.d` for IPv4-mapped addresses (RFC 5952 §5). */
function ipv6String(d: Uint8Array, at: number): string {
  const w0 = (d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!;
  const w1 = (d[at + 4]! << 24) | (d[at + 5]! << 16) | (d[at + 6]! << 8) | d[at + 7]!;
  const w2 = (d[at + 8]! << 24) | (d[at + 9]! << 16) | (d[at + 10]! << 8) | d[at + 11]!;
  const w3 = (d[at + 12]! << 24) | (d[at + 13]! << 16) | (d[at + 14]! << 8) | d[at + 15]!;
  const slot = Math.imul(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ w3, 0x9e3779b1) >>> 18;
  const k = slot * 4;
  const cached = v6Strings[slot];
  if (cached !== undefined && v6Keys[k] === w0 && v6Keys[k + 1] === w1 && v6Keys[k + 2] === w2) {
    if (v6Keys[k + 3] === w3) return cached;
  }
  const text = formatIpv6(d, at);
  v6Keys[k] = w0;
  v6Keys[k + 1] = w1;
  v6Keys[k + 2] = w2;
  v6Keys[k + 3] = w3;
  v6Strings[slot] = text;
  return text;
}

function formatIpv6(d: Uint8Array, at: number): string {
  let mapped = u16(d, at + 10) === 0xffff;
  for (let i = 0; i < 10 && mapped; i++) if (d[at + i] !== 0) mapped = false;
  if (mapped) return `::ffff:${d[at + 12]!}.${d[at + 13]!}.${d[at + 14]!}.${d[at + 15]!}`;
  // The longest run of two or more zero groups becomes `::`; the first one wins a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (u16(d, at + 2 * i) !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && u16(d, at + 2 * j) === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += u16(d, at + 2 * i).toString(16);
  }
  return text;
}

/** The 16 bytes (IPv6) or 4 bytes (IPv4) as text. */
export function formatIpAddress(address: Uint8Array): string {
  if (address.length === 4) return ipv4String(address, 0);
  if (address.length === 16) return ipv6String(address, 0);
  throw new RangeError(`an IP address has 4 or 16 bytes, not ${address.length}`);
}

/**
 * 4 bytes for a dotted quad, 16 for IPv6 text (`::`, a trailing dotted quad, any case), undefined for
 * anything else. Zone ids (`fe80::1%eth0`) are not addresses on the wire and are refused.
 */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (text.includes(':')) return parseIpv6(text);
  return parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
      out.push(parseInt(piece, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // A dotted quad is only allowed at the very end.
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const all = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = all[i]! >> 8;
    out[2 * i + 1] = all[i]! & 0xff;
  }
  return out;
}

/**
 * The 16-bit one's-complement sum of RFC 1071, not yet inverted, so that a pseudo-header and a
 * payload can be summed in pieces: `~sum & 0xffff` finishes it.
 */
export function onesComplementSum(d: Uint8Array, start = 0, end = d.length, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (d[i]! << 8) | d[i + 1]!;
  if (i < end) sum += d[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** RFC 1071 Internet checksum of the bytes. */
export function internetChecksum(d: Uint8Array, start = 0, end = d.length): number {
  return ~onesComplementSum(d, start, end) & 0xffff;
}
