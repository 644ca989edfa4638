// Link layers, IPv4/IPv6 and TCP/UDP headers: hand-written frames (so the parser is checked against the
// formats, not against our own builder), every skip reason, address text, and never-throws properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPacket,
  decodePacket,
  formatIpAddress,
  internetChecksum,
  isSupportedLinkType,
  LINKTYPE,
  linkTypeName,
  parseIpAddress,
  type PacketDecode,
} from '../../src/capture/index.js';
import { bytes, hex, join } from './helpers.js';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** The fields a test compares, with the payload as text. */
const fields = (d: PacketDecode) => (d.kind === 'skip' ? d : { ...d, payload: latin1(d.payload) });

// IPv4 + TCP, written by hand: 10.0.0.2:40000 -> 192.0.2.10:5013, seq 0xfffffff0, ack 0x01020304,
// PSH|ACK, window 64240, payload "*HQ#". Checksums are not looked at by the parser.
const IPV4_TCP = hex(`
  45 00 00 2c 1c 46 40 00 40 06 00 00 0a 00 00 02 c0 00 02 0a
  9c 40 13 95 ff ff ff f0 01 02 03 04 50 18 fa f0 00 00 00 00
  2a 48 51 23`);
const IPV4_TCP_FIELDS = {
  kind: 'tcp',
  src: '10.0.0.2',
  dst: '192.0.2.10',
  srcPort: 40000,
  dstPort: 5013,
  seq: 0xfffffff0,
  ack: 0x01020304,
  flags: 0x18,
  window: 64240,
  payload: '*HQ#',
  clipped: 0,
};

// IPv6 + TCP: 2001:db8::1:40000 -> 2001:db8::2:5013, with hop-by-hop, destination options, routing and
// an atomic fragment header in front of TCP (RFC 8200 §4.1 order), payload "hi".
const IPV6_EXT_TCP = hex(`
  60 00 00 00 00 36 00 40
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
  3c 00 01 04 00 00 00 00
  2b 00 01 04 00 00 00 00
  2c 00 00 00 00 00 00 00
  06 00 00 00 de ad be ef
  9c 40 13 95 00 00 00 01 00 00 00 02 50 10 ff ff 00 00 00 00
  68 69`);

describe('hand-written frames', () => {
  it('Ethernet with an 802.1Q tag', () => {
    const frame = join(hex('00 1b 21 3a 4f 5e 00 0c 29 aa bb cc 81 00 00 64 08 00'), IPV4_TCP);
    expect(fields(decodePacket(LINKTYPE.ETHERNET, frame))).toEqual(IPV4_TCP_FIELDS);
  });

  it('Ethernet with QinQ (0x88a8 then 0x8100) and with the old 0x9100 outer tag', () => {
    for (const outer of ['88 a8', '91 00']) {
      const frame = join(
        hex(`02 00 00 00 00 01 02 00 00 00 00 02 ${outer} 00 0a 81 00 00 14 08 00`),
        IPV4_TCP,
      );
      expect(fields(decodePacket(LINKTYPE.ETHERNET, frame))).toEqual(IPV4_TCP_FIELDS);
    }
  });

  it('Linux cooked v1 (113): outgoing packet, ARPHRD_ETHER, protocol at byte 14', () => {
    const frame = join(hex('00 04 00 01 00 06 00 0c 29 aa bb cc 00 00 08 00'), IPV4_TCP);
    expect(fields(decodePacket(LINKTYPE.LINUX_SLL, frame))).toEqual(IPV4_TCP_FIELDS);
  });

  it('Linux cooked v2 (276) as tcpdump -i any writes it: protocol first, ifindex, hatype, pkttype', () => {
    const frame = join(hex('08 00 00 00 00 00 00 03 00 01 04 06 00 0c 29 aa bb cc 00 00'), IPV4_TCP);
    expect(fields(decodePacket(LINKTYPE.LINUX_SLL2, frame))).toEqual(IPV4_TCP_FIELDS);
    const v6 = join(hex('86 dd 00 00 00 00 00 03 00 01 00 06 00 0c 29 aa bb cc 00 00'), IPV6_EXT_TCP);
    expect(decodePacket(LINKTYPE.LINUX_SLL2, v6)).toMatchObject({ kind: 'tcp', src: '2001:db8::1' });
  });

  it('cooked captures with a VLAN tag libpcap put back after the header', () => {
    const frame = join(
      hex('81 00 00 00 00 00 00 03 00 01 00 06 00 0c 29 aa bb cc 00 00 00 64 08 00'),
      IPV4_TCP,
    );
    expect(fields(decodePacket(LINKTYPE.LINUX_SLL2, frame))).toEqual(IPV4_TCP_FIELDS);
  });

  it('raw IP (101) picks the version from the first nibble; 228 and 229 are one version each', () => {
    expect(fields(decodePacket(LINKTYPE.RAW, IPV4_TCP))).toEqual(IPV4_TCP_FIELDS);
    expect(decodePacket(LINKTYPE.RAW, IPV6_EXT_TCP)).toMatchObject({ kind: 'tcp', dst: '2001:db8::2' });
    expect(fields(decodePacket(LINKTYPE.IPV4, IPV4_TCP))).toEqual(IPV4_TCP_FIELDS);
    expect(decodePacket(LINKTYPE.IPV6, IPV6_EXT_TCP)).toMatchObject({ kind: 'tcp', srcPort: 40000 });
    expect(decodePacket(LINKTYPE.IPV4, IPV6_EXT_TCP)).toMatchObject({ kind: 'skip', reason: 'malformed' });
    expect(decodePacket(LINKTYPE.RAW, hex('50 00'))).toMatchObject({ kind: 'skip', reason: 'not-ip' });
  });

  it('NULL loopback: the family in either byte order, every BSD value of AF_INET6', () => {
    expect(fields(decodePacket(LINKTYPE.NULL, join(hex('02 00 00 00'), IPV4_TCP)))).toEqual(IPV4_TCP_FIELDS);
    expect(fields(decodePacket(LINKTYPE.NULL, join(hex('00 00 00 02'), IPV4_TCP)))).toEqual(IPV4_TCP_FIELDS);
    for (const family of [10, 23, 24, 26, 28, 30]) {
      for (const header of [Uint8Array.of(family, 0, 0, 0), Uint8Array.of(0, 0, 0, family)]) {
        expect(decodePacket(LINKTYPE.NULL, join(header, IPV6_EXT_TCP))).toMatchObject({ kind: 'tcp' });
      }
    }
    expect(decodePacket(LINKTYPE.NULL, join(hex('07 00 00 00'), IPV4_TCP))).toEqual({
      kind: 'skip',
      reason: 'not-ip',
      detail: 'loopback address family 7',
    });
  });

  it('LOOP (108) holds the family in network byte order only', () => {
    expect(fields(decodePacket(LINKTYPE.LOOP, join(hex('00 00 00 02'), IPV4_TCP)))).toEqual(IPV4_TCP_FIELDS);
    expect(decodePacket(LINKTYPE.LOOP, join(hex('00 00 00 18'), IPV6_EXT_TCP))).toMatchObject({
      kind: 'tcp',
    });
    expect(decodePacket(LINKTYPE.LOOP, join(hex('02 00 00 00'), IPV4_TCP))).toMatchObject({
      reason: 'not-ip',
    });
  });

  it('IPv6 extension headers are walked to TCP', () => {
    expect(fields(decodePacket(LINKTYPE.IPV6, IPV6_EXT_TCP))).toEqual({
      kind: 'tcp',
      src: '2001:db8::1',
      dst: '2001:db8::2',
      srcPort: 40000,
      dstPort: 5013,
      seq: 1,
      ack: 2,
      flags: 0x10,
      window: 0xffff,
      payload: 'hi',
      clipped: 0,
    });
  });

  it('the IPv4 header of the Wikipedia checksum example, with UDP behind it', () => {
    const header = hex('45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7');
    expect(internetChecksum(header)).toBe(0);
    const udp = join(hex('d4 31 00 35 00 5f 00 00'), bytes('x'.repeat(87)));
    expect(fields(decodePacket(LINKTYPE.RAW, join(header, udp)))).toEqual({
      kind: 'udp',
      src: '192.168.0.1',
      dst: '192.168.0.199',
      srcPort: 54321,
      dstPort: 53,
      payload: 'x'.repeat(87),
      clipped: 0,
    });
  });
});

describe('lengths', () => {
  const ipv4 = (total: number, rest: Uint8Array) =>
    join(Uint8Array.of(0x45, 0, total >> 8, total & 255), rest);

  it('Ethernet padding after the IP total length is not payload', () => {
    const frame = join(hex('02 00 00 00 00 01 02 00 00 00 00 02 08 00'), IPV4_TCP, new Uint8Array(12));
    expect(fields(decodePacket(LINKTYPE.ETHERNET, frame))).toEqual(IPV4_TCP_FIELDS);
  });

  it('bytes the snap length cut off are counted, the rest is delivered', () => {
    expect(fields(decodePacket(LINKTYPE.RAW, IPV4_TCP.subarray(0, 42)))).toEqual({
      ...IPV4_TCP_FIELDS,
      payload: '*H',
      clipped: 2,
    });
  });

  it('total length 0 (segmentation offload) takes the captured length', () => {
    const frame = ipv4(0, IPV4_TCP.subarray(4));
    expect(fields(decodePacket(LINKTYPE.RAW, frame))).toEqual(IPV4_TCP_FIELDS);
  });

  it('headers cut short are truncated, headers that contradict themselves malformed', () => {
    const cases: [Uint8Array, string][] = [
      [IPV4_TCP.subarray(0, 19), 'truncated'],
      [IPV4_TCP.subarray(0, 30), 'truncated'],
      [join(hex('46'), IPV4_TCP.subarray(1, 22)), 'truncated'],
      [join(hex('44'), IPV4_TCP.subarray(1)), 'malformed'],
      [ipv4(19, IPV4_TCP.subarray(4)), 'malformed'],
      [ipv4(30, IPV4_TCP.subarray(4)), 'malformed'],
      [IPV6_EXT_TCP.subarray(0, 39), 'truncated'],
      [IPV6_EXT_TCP.subarray(0, 50), 'truncated'],
    ];
    for (const [frame, reason] of cases) {
      expect(decodePacket(LINKTYPE.RAW, frame), latin1(frame)).toMatchObject({ kind: 'skip', reason });
    }
    const badOffset = Uint8Array.from(IPV4_TCP);
    badOffset[32] = 0x40;
    expect(decodePacket(LINKTYPE.RAW, badOffset)).toMatchObject({ reason: 'malformed' });
    expect(decodePacket(LINKTYPE.ETHERNET, new Uint8Array(13))).toMatchObject({ reason: 'truncated' });
    expect(
      decodePacket(LINKTYPE.ETHERNET, hex('00 00 00 00 00 00 00 00 00 00 00 00 81 00 00')),
    ).toMatchObject({
      reason: 'truncated',
    });
  });

  it('a UDP length longer than the IP payload is malformed; 0 in IPv6 means the IP length', () => {
    const header = hex('45 00 00 24 00 00 40 00 40 11 00 00 c0 a8 00 01 c0 a8 00 c7');
    expect(
      decodePacket(LINKTYPE.RAW, join(header, hex('00 01 00 02 00 20 00 00'), bytes('abcd'))),
    ).toMatchObject({
      reason: 'malformed',
    });
    const v6 = Uint8Array.from(IPV6_EXT_TCP.subarray(0, 40));
    v6[5] = 12;
    v6[6] = 17;
    const udp = join(v6, hex('00 01 00 02 00 00 00 00'), bytes('abcd'));
    expect(fields(decodePacket(LINKTYPE.RAW, udp))).toMatchObject({ kind: 'udp', payload: 'abcd' });
  });
});

describe('skip reasons', () => {
  it('unknown link types are named, and the names cover every supported type', () => {
    expect(decodePacket(147, IPV4_TCP)).toEqual({
      kind: 'skip',
      reason: 'unknown-link-type',
      detail: 'link type 147 is not decoded',
    });
    for (const value of Object.values(LINKTYPE)) {
      expect(isSupportedLinkType(value)).toBe(true);
      expect(linkTypeName(value)).not.toMatch(/^link type/);
    }
    expect(linkTypeName(LINKTYPE.LINUX_SLL2)).toBe('LINUX_SLL2 (Linux cooked v2)');
    expect(isSupportedLinkType(147)).toBe(false);
  });

  it('non-IP frames say what they carry', () => {
    const arp = hex('ff ff ff ff ff ff 02 00 00 00 00 01 08 06 00 01 08 00 06 04 00 01');
    expect(decodePacket(LINKTYPE.ETHERNET, arp)).toEqual({
      kind: 'skip',
      reason: 'not-ip',
      detail: 'EtherType 0x0806 (ARP)',
    });
    const llc = hex('01 80 c2 00 00 00 02 00 00 00 00 01 00 26 42 42 03');
    expect(decodePacket(LINKTYPE.ETHERNET, llc)).toMatchObject({
      reason: 'not-ip',
      detail: expect.stringMatching(/802\.3/),
    });
  });

  it('IPv4 fragments are reported, not parsed; Don’t Fragment alone is a whole packet', () => {
    const withFlags = (hi: number, lo: number) => {
      const frame = Uint8Array.from(IPV4_TCP);
      frame[6] = hi;
      frame[7] = lo;
      return decodePacket(LINKTYPE.RAW, frame);
    };
    expect(withFlags(0x20, 0)).toEqual({
      kind: 'skip',
      reason: 'fragment',
      detail:
        'IPv4 fragment 10.0.0.2 -> 192.0.2.10 id 0x1c46 offset 0 more-fragments (TCP (IP protocol 6)): ' +
        'IP fragments are not reassembled',
    });
    expect(withFlags(0x00, 0xb9)).toMatchObject({
      reason: 'fragment',
      detail: expect.stringMatching(/offset 1480 \(/),
    });
    expect(withFlags(0x40, 0)).toMatchObject({ kind: 'tcp' });
  });

  it('IPv6 fragments (not atomic ones) are reported; no-next-header and other protocols are named', () => {
    const fragment = Uint8Array.from(IPV6_EXT_TCP);
    fragment[40 + 24 + 3] = 1; // M flag
    expect(decodePacket(LINKTYPE.IPV6, fragment)).toMatchObject({
      reason: 'fragment',
      detail: expect.stringMatching(/id 0xdeadbeef/),
    });
    const none = Uint8Array.from(IPV6_EXT_TCP);
    none[6] = 59;
    expect(decodePacket(LINKTYPE.IPV6, none)).toEqual({
      kind: 'skip',
      reason: 'other-transport',
      detail: 'IPv6 no next header (59)',
    });
    const icmp = Uint8Array.from(IPV4_TCP);
    icmp[9] = 1;
    expect(decodePacket(LINKTYPE.RAW, icmp)).toEqual({
      kind: 'skip',
      reason: 'other-transport',
      detail: 'ICMP (IP protocol 1)',
    });
  });
});

describe('address text', () => {
  const v6 = (text: string) => formatIpAddress(parseIpAddress(text)!);

  it('RFC 5952: lower case, no leading zeros, the longest zero run compressed, the first on a tie', () => {
    expect(v6('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(v6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(v6('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(v6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(v6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(v6('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(v6('1:0:0:0:0:0:0:0')).toBe('1::');
    expect(v6('::ffff:0a00:0001')).toBe('::ffff:10.0.0.1');
    expect(v6('64:ff9b::192.0.2.33')).toBe('64:ff9b::c000:221');
  });

  it('parses what people write and refuses the rest', () => {
    for (const good of ['0.0.0.0', '255.255.255.255', '::', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', 'A::b']) {
      expect(parseIpAddress(good), good).toBeInstanceOf(Uint8Array);
    }
    const bad = ['1.2.3', '256.1.1.1', '01.2.3.4', '1.2.3.4.', '1::2::3', 'fe80::1%eth0', ':::', '', 'x'];
    for (const text of [...bad, '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '1.2.3.4::', '12345::', '::1.2.3']) {
      expect(parseIpAddress(text), text).toBeUndefined();
    }
  });

  it('formats like the WHATWG URL parser and parses back (random addresses)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
          minLength: 8,
          maxLength: 8,
        }),
        (groups) => {
          const address = new Uint8Array(16);
          groups.forEach((g, i) => {
            address[2 * i] = g >> 8;
            address[2 * i + 1] = g & 255;
          });
          const text = formatIpAddress(address);
          expect(parseIpAddress(text)).toEqual(address);
          // URL writes IPv4-mapped addresses in hex; everything else must agree.
          if (!text.includes('.')) expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
        },
      ),
    );
  });

  it('dotted quads round-trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (address) => {
        const text = formatIpAddress(address);
        expect(text).toBe([...address].join('.'));
        expect(parseIpAddress(text)).toEqual(address);
      }),
    );
  });
});

describe('never throws', () => {
  const linkTypes = [...Object.values(LINKTYPE), 2, 147];

  it('on arbitrary bytes for any link type, and a skip always says why', () => {
    const reasons = ['unknown-link-type', 'not-ip', 'truncated', 'malformed', 'fragment', 'other-transport'];
    fc.assert(
      fc.property(fc.constantFrom(...linkTypes), fc.uint8Array({ maxLength: 200 }), (linkType, data) => {
        const d = decodePacket(linkType, data);
        expect(['tcp', 'udp', 'skip']).toContain(d.kind);
        if (d.kind === 'skip') {
          expect(reasons).toContain(d.reason);
          expect(d.detail).not.toBe('');
        }
      }),
    );
  });

  it('on valid frames with bytes changed and cut, and a decoded payload is always a captured run', () => {
    const specArb = fc.record({
      linkType: fc.constantFrom(...Object.values(LINKTYPE)),
      v6: fc.boolean(),
      transport: fc.constantFrom('tcp' as const, 'udp' as const),
      payload: fc.uint8Array({ maxLength: 40 }),
    });
    let decoded = 0;
    fc.assert(
      fc.property(
        specArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        ({ linkType, v6, transport, payload }, changes, cut) => {
          const family = linkType === LINKTYPE.IPV4 ? false : linkType === LINKTYPE.IPV6 ? true : v6;
          const frame = buildPacket({
            linkType,
            src: family ? 'fe80::1' : '10.1.2.3',
            dst: family ? '2001:db8::5013' : '10.3.2.1',
            srcPort: 1,
            dstPort: 2,
            transport,
            payload,
          });
          for (const [at, value] of changes) frame[at % frame.length] = value;
          const data = frame.subarray(0, cut % (frame.length + 1));
          const d = decodePacket(linkType, data);
          if (d.kind !== 'skip') {
            decoded++;
            // A view of the input, never bytes from elsewhere.
            expect(d.payload.buffer).toBe(frame.buffer);
            expect(d.payload.byteOffset + d.payload.length).toBeLessThanOrEqual(
              frame.byteOffset + data.length,
            );
            expect(d.clipped).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
    // The checks above ran, not only the skips.
    expect(decoded).toBeGreaterThan(0);
  });
});
