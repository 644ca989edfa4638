// Link layers found in tracker-server captures (see shared/notes/capture-replay-fuzz.md C.2): `tcpdump -i
// any` writes Linux cooked v2, dumpcap -i any cooked v1, `-i eth0` Ethernet (maybe VLAN-tagged), tun and
// WireGuard raw IP, BSD and macOS loopback NULL/LOOP. decodePacket is the per-packet entry point of the
// pipeline: it never throws, and says why it skipped a packet so the caller can count and report it.
import { decodeIp, decodeIpv4, decodeIpv6, skip, type PacketDecode } from './ip.js';

/** Values of the pcap/pcapng link-type field (tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export type LinkType = (typeof LINKTYPE)[keyof typeof LINKTYPE];

const LINKTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL (BSD loopback)',
  1: 'ETHERNET',
  101: 'RAW (IP)',
  108: 'LOOP (OpenBSD loopback)',
  113: 'LINUX_SLL (Linux cooked v1)',
  228: 'IPV4',
  229: 'IPV6',
  276: 'LINUX_SLL2 (Linux cooked v2)',
};

/** A name for messages: `LINUX_SLL2 (Linux cooked v2)`, or `link type 147` for one we do not decode. */
export function linkTypeName(linkType: number): string {
  return LINKTYPE_NAMES[linkType] ?? `link type ${linkType}`;
}

/** True for the link types decodePacket understands. */
export function isSupportedLinkType(linkType: number): boolean {
  return LINKTYPE_NAMES[linkType] !== undefined;
}

export const ETHERTYPE = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
} as const;

/**
 * Address families in NULL/LOOP headers. AF_INET is 2 everywhere; AF_INET6 differs per system: 10 Linux,
 * 23 Windows (Npcap loopback), 24 NetBSD/OpenBSD, 26 Solaris, 28 FreeBSD/DragonFly, 30 macOS.
 */
const AF_INET = 2;
const isInet6Family = (family: number): boolean =>
  family === 10 || family === 23 || family === 24 || family === 26 || family === 28 || family === 30;

/** TCP or UDP fields of one captured frame, or why the frame was skipped. Never throws. */
export function decodePacket(linkType: number, data: Uint8Array): PacketDecode {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return byEtherType(data, 12, 14);
    case LINKTYPE.LINUX_SLL2:
      // protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) address(8)
      return byEtherType(data, 0, 20);
    case LINKTYPE.LINUX_SLL:
      // pkttype(2) hatype(2) halen(2) address(8) protocol(2)
      return byEtherType(data, 14, 16);
    case LINKTYPE.RAW:
      return decodeIp(data, 0);
    case LINKTYPE.IPV4:
      return decodeIpv4(data, 0);
    case LINKTYPE.IPV6:
      return decodeIpv6(data, 0);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return loopback(linkType, data);
    default:
      return skip('unknown-link-type', `${linkTypeName(linkType)} is not decoded`);
  }
}

/**
 * Ethernet and both Linux cooked headers end in an EtherType. libpcap re-inserts stripped VLAN tags after
 * it for cooked captures too, so tags are peeled here for all three.
 */
function byEtherType(d: Uint8Array, typeAt: number, payloadAt: number): PacketDecode {
  if (d.length < payloadAt)
    return skip('truncated', `link header needs ${payloadAt} bytes, ${d.length} captured`);
  let type = (d[typeAt]! << 8) | d[typeAt + 1]!;
  let at = payloadAt;
  while (type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ || type === ETHERTYPE.QINQ_OLD) {
    if (d.length < at + 4) return skip('truncated', `VLAN tag cut at ${d.length} bytes`);
    type = (d[at + 2]! << 8) | d[at + 3]!;
    at += 4;
  }
  if (type === ETHERTYPE.IPV4) return decodeIpv4(d, at);
  if (type === ETHERTYPE.IPV6) return decodeIpv6(d, at);
  return skip('not-ip', etherTypeName(type));
}

const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0806: 'ARP',
  0x8035: 'RARP',
  0x8847: 'MPLS',
  0x8848: 'MPLS multicast',
  0x8863: 'PPPoE discovery',
  0x8864: 'PPPoE session',
  0x888e: 'EAPOL',
  0x88cc: 'LLDP',
  0x88f7: 'PTP',
  0x8809: 'slow protocols (LACP)',
};

function etherTypeName(type: number): string {
  const hex = `0x${type.toString(16).padStart(4, '0')}`;
  // Below 0x0600 the field of an Ethernet frame is an 802.3 length; in a cooked header it is a
  // Linux protocol number for non-Ethernet framing (802.2 LLC, CAN, ...).
  if (type < 0x0600) return `EtherType field ${hex} is a length or non-IP protocol (802.2/802.3 frame)`;
  const name = ETHERTYPE_NAMES[type];
  return name === undefined ? `EtherType ${hex}` : `EtherType ${hex} (${name})`;
}

/**
 * NULL holds the sender's address family in *its* byte order, which a reader cannot know; a family is a
 * small number, so whichever reading is small is the right one. LOOP holds it in network byte order.
 */
function loopback(linkType: number, d: Uint8Array): PacketDecode {
  if (d.length < 4) return skip('truncated', `loopback header needs 4 bytes, ${d.length} captured`);
  const big = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
  const little = ((d[3]! << 24) | (d[2]! << 16) | (d[1]! << 8) | d[0]!) >>> 0;
  const family = linkType === LINKTYPE.LOOP || big <= 0xffff ? big : little;
  if (family === AF_INET) return decodeIpv4(d, 4);
  if (isInet6Family(family)) return decodeIpv6(d, 4);
  return skip('not-ip', `loopback address family ${family}`);
}
