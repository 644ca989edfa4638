// Frames for test fixtures, the benchmark capture, fuzz findings and replay recordings. They must open
// cleanly in Wireshark, so every checksum is right and the link headers look like what the systems that
// write those link types put there. The builder throws on a spec it cannot honour (a bad address, an
// IPv6 address on an IPv4-only link type): specs come from our own code, not from captures.
import { ETHERTYPE, LINKTYPE, linkTypeName } from './link-layer.js';
import { onesComplementSum, parseIpAddress, TCP_FLAGS } from './ip.js';

export interface PacketSpec {
  linkType: number;
  /** Dotted quad or IPv6 text; both addresses must be the same family, which picks IPv4 or IPv6. */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  transport: 'tcp' | 'udp';
  seq?: number;
  ack?: number;
  /** TCP flag bits (TCP_FLAGS); default ACK|PSH with a payload, ACK without. */
  flags?: number;
  /** Default 65535. */
  window?: number;
  payload?: Uint8Array;
  /** Ethernet only: VLAN ids, outermost first; two or more are QinQ with a 0x88a8 outer tag. */
  vlans?: readonly number[];
  /** IPv4 TTL or IPv6 hop limit; default 64, what Linux sends. */
  ttl?: number;
  /** NULL link type: the byte order of the capturing host; default 'le' (every macOS machine today). */
  loopbackByteOrder?: 'le' | 'be';
}

const EMPTY = new Uint8Array(0);

/** One frame of the given link type carrying one TCP segment or UDP datagram. */
export function buildPacket(spec: PacketSpec): Uint8Array {
  const src = address(spec.src, 'src');
  const dst = address(spec.dst, 'dst');
  if (src.length !== dst.length)
    throw new RangeError(`src ${spec.src} and dst ${spec.dst} mix IPv4 and IPv6`);
  const v6 = src.length === 16;
  const payload = spec.payload ?? EMPTY;
  port(spec.srcPort, 'srcPort');
  port(spec.dstPort, 'dstPort');
  const transportLength = (spec.transport === 'tcp' ? 20 : 8) + payload.length;
  const ipHeaderLength = v6 ? 40 : 20;
  if (ipHeaderLength + transportLength > 0xffff + (v6 ? 40 : 0)) {
    throw new RangeError(`payload of ${payload.length} bytes does not fit in one IP packet`);
  }
  const link = linkHeader(spec, v6);
  const frame = new Uint8Array(link.length + ipHeaderLength + transportLength);
  frame.set(link, 0);
  const ip = link.length;
  const l4 = ip + ipHeaderLength;
  const protocol = spec.transport === 'tcp' ? 6 : 17;
  const ttl = spec.ttl ?? 64;
  byteField(ttl, 'ttl');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (v6) {
    view.setUint32(ip, 0x60000000); // version 6, traffic class 0, flow label 0
    view.setUint16(ip + 4, transportLength);
    frame[ip + 6] = protocol;
    frame[ip + 7] = ttl;
    frame.set(src, ip + 8);
    frame.set(dst, ip + 24);
  } else {
    frame[ip] = 0x45;
    view.setUint16(ip + 2, ipHeaderLength + transportLength);
    // Identification 0 with Don't Fragment, as Linux sends TCP and connected UDP.
    view.setUint16(ip + 6, 0x4000);
    frame[ip + 8] = ttl;
    frame[ip + 9] = protocol;
    frame.set(src, ip + 12);
    frame.set(dst, ip + 16);
    view.setUint16(ip + 10, ~onesComplementSum(frame, ip, ip + 20) & 0xffff);
  }
  view.setUint16(l4, spec.srcPort);
  view.setUint16(l4 + 2, spec.dstPort);
  let checksumAt: number;
  if (spec.transport === 'tcp') {
    view.setUint32(l4 + 4, uint32(spec.seq ?? 0, 'seq'));
    view.setUint32(l4 + 8, uint32(spec.ack ?? 0, 'ack'));
    const flags = spec.flags ?? (payload.length > 0 ? TCP_FLAGS.ACK | TCP_FLAGS.PSH : TCP_FLAGS.ACK);
    if (!Number.isInteger(flags) || flags < 0 || flags > 0x1ff) throw new RangeError(`TCP flags ${flags}`);
    view.setUint16(l4 + 12, (5 << 12) | flags); // data offset 5: no options
    const window = spec.window ?? 65535;
    if (!Number.isInteger(window) || window < 0 || window > 0xffff)
      throw new RangeError(`TCP window ${window}`);
    view.setUint16(l4 + 14, window);
    frame.set(payload, l4 + 20);
    checksumAt = l4 + 16;
  } else {
    view.setUint16(l4 + 4, transportLength);
    frame.set(payload, l4 + 8);
    checksumAt = l4 + 6;
  }
  // Pseudo-header: addresses, protocol and the transport length (RFC 793, RFC 768, RFC 8200 §8.1).
  let sum = onesComplementSum(src) + onesComplementSum(dst) + protocol + transportLength;
  sum = onesComplementSum(frame, l4, frame.length, sum);
  let checksum = ~sum & 0xffff;
  // A UDP checksum of 0 means "none" (and is not allowed over IPv6): a computed 0 is sent as 0xffff.
  if (checksum === 0 && spec.transport === 'udp') checksum = 0xffff;
  view.setUint16(checksumAt, checksum);
  return frame;
}

function linkHeader(spec: PacketSpec, v6: boolean): Uint8Array {
  const etherType = v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4;
  const vlans = spec.vlans ?? [];
  if (vlans.length > 0 && spec.linkType !== LINKTYPE.ETHERNET) {
    throw new RangeError(`VLAN tags are only built for Ethernet, not ${linkTypeName(spec.linkType)}`);
  }
  switch (spec.linkType) {
    case LINKTYPE.ETHERNET: {
      const h = new Uint8Array(14 + 4 * vlans.length);
      h.set(mac(spec.dst), 0);
      h.set(mac(spec.src), 6);
      let at = 12;
      vlans.forEach((id, i) => {
        if (!Number.isInteger(id) || id < 0 || id > 0xfff) throw new RangeError(`VLAN id ${id}`);
        const tpid = vlans.length >= 2 && i === 0 ? ETHERTYPE.QINQ : ETHERTYPE.VLAN;
        put16(h, at, tpid);
        put16(h, at + 2, id);
        at += 4;
      });
      put16(h, at, etherType);
      return h;
    }
    case LINKTYPE.LINUX_SLL: {
      // What Linux reports for a packet received on an Ethernet interface: PACKET_HOST, ARPHRD_ETHER,
      // the sender's 6-byte MAC padded to 8.
      const h = new Uint8Array(16);
      put16(h, 0, 0); // packet type PACKET_HOST
      put16(h, 2, 1); // ARPHRD_ETHER
      put16(h, 4, 6);
      h.set(mac(spec.src), 6);
      put16(h, 14, etherType);
      return h;
    }
    case LINKTYPE.LINUX_SLL2: {
      const h = new Uint8Array(20);
      put16(h, 0, etherType);
      // 2 reserved bytes stay 0; interface index 2 is the first Ethernet interface on most hosts.
      put16(h, 6, 2);
      put16(h, 8, 1); // ARPHRD_ETHER
      h[10] = 0; // PACKET_HOST
      h[11] = 6;
      h.set(mac(spec.src), 12);
      return h;
    }
    case LINKTYPE.RAW:
      return EMPTY;
    case LINKTYPE.IPV4:
      if (v6) throw new RangeError(`link type IPV4 cannot carry IPv6 (${spec.src})`);
      return EMPTY;
    case LINKTYPE.IPV6:
      if (!v6) throw new RangeError(`link type IPV6 cannot carry IPv4 (${spec.src})`);
      return EMPTY;
    case LINKTYPE.NULL: {
      // macOS writes AF_INET6 as 30; the reader accepts every BSD value.
      const family = v6 ? 30 : 2;
      const h = new Uint8Array(4);
      new DataView(h.buffer).setUint32(0, family, spec.loopbackByteOrder !== 'be');
      return h;
    }
    case LINKTYPE.LOOP: {
      // OpenBSD, the system that writes LOOP, has AF_INET6 24.
      const h = new Uint8Array(4);
      new DataView(h.buffer).setUint32(0, v6 ? 24 : 2);
      return h;
    }
    default:
      throw new RangeError(`cannot build frames of ${linkTypeName(spec.linkType)}`);
  }
}

/**
 * A locally administered unicast MAC made from the IP address (02:00 + its last 4 bytes), so both
 * directions of a conversation agree and Wireshark shows one MAC per host.
 */
function mac(ip: string): Uint8Array {
  const bytes = address(ip, 'address');
  const out = new Uint8Array(6);
  out[0] = 0x02;
  out.set(bytes.subarray(bytes.length - 4), 2);
  return out;
}

function address(text: string, what: string): Uint8Array {
  const bytes = parseIpAddress(text);
  if (!bytes) throw new RangeError(`${what} ${JSON.stringify(text)} is not an IPv4 or IPv6 address`);
  return bytes;
}

function put16(d: Uint8Array, at: number, value: number): void {
  d[at] = value >> 8;
  d[at + 1] = value & 0xff;
}

function port(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} ${value}`);
}

function byteField(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${what} ${value}`);
}

/** Sequence numbers wrap, so any integer is taken modulo 2^32. */
function uint32(value: number, what: string): number {
  if (!Number.isInteger(value)) throw new RangeError(`${what} ${value}`);
  return value >>> 0;
}
