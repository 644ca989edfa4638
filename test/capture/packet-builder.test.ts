// The frame builder: round trips through decodePacket for every link type, checksums checked by a
// separate implementation, header bytes as the writing systems lay them out, and tshark's verdict.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPacket,
  decodePacket,
  formatIpAddress,
  internetChecksum,
  LINKTYPE,
  TCP_FLAGS,
  type PacketSpec,
} from '../../src/capture/index.js';
import { bytes, hex, toHex } from './helpers.js';

const base: PacketSpec = {
  linkType: LINKTYPE.RAW,
  src: '10.0.0.2',
  dst: '192.0.2.10',
  srcPort: 40000,
  dstPort: 5013,
  transport: 'tcp',
};

/** RFC 1071 written out plainly, to check the builder with something that is not its own code. */
function plainSum(...parts: Uint8Array[]): number {
  const all = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += all[i]! * 256 + (all[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/** IP header length and transport checksums of a raw IP frame are right when every sum is 0xffff. */
function checksumsHold(ip: Uint8Array): boolean {
  const v6 = ip[0]! >> 4 === 6;
  const headerLength = v6 ? 40 : (ip[0]! & 15) * 4;
  const segment = ip.subarray(headerLength);
  const protocol = v6 ? ip[6]! : ip[9]!;
  const addresses = v6 ? ip.subarray(8, 40) : ip.subarray(12, 20);
  const pseudo = Uint8Array.of(0, protocol, segment.length >> 8, segment.length & 255);
  const header = v6 || plainSum(ip.subarray(0, headerLength)) === 0xffff;
  return header && plainSum(addresses, pseudo, segment) === 0xffff;
}

describe('buildPacket', () => {
  it('makes the IPv4 header of the Wikipedia checksum example byte for byte', () => {
    const frame = buildPacket({
      ...base,
      src: '192.168.0.1',
      dst: '192.168.0.199',
      transport: 'udp',
      payload: new Uint8Array(87),
    });
    expect(toHex(frame.subarray(0, 20))).toBe('45000073000040004011b861c0a80001c0a800c7');
  });

  it('computes the RFC 1071 example sum', () => {
    expect(internetChecksum(hex('00 01 f2 03 f4 f5 f6 f7'))).toBe(0x220d);
    expect(internetChecksum(hex('00 01 f2 03 f4 f5 f6'))).toBe(0x2304);
  });

  it('defaults: ACK|PSH with a payload, ACK without, window 65535, TTL 64, no options', () => {
    const data = buildPacket({ ...base, payload: bytes('x') });
    expect(data[33]).toBe(TCP_FLAGS.ACK | TCP_FLAGS.PSH);
    expect(data[32]).toBe(0x50);
    expect(data[8]).toBe(64);
    expect(toHex(data.subarray(34, 36))).toBe('ffff');
    expect(buildPacket(base)[33]).toBe(TCP_FLAGS.ACK);
    expect(buildPacket({ ...base, flags: TCP_FLAGS.SYN })[33]).toBe(TCP_FLAGS.SYN);
  });

  it('Ethernet: MACs from the addresses, one tag 0x8100, two or more QinQ with 0x88a8 outside', () => {
    const plain = buildPacket({ ...base, linkType: LINKTYPE.ETHERNET });
    expect(toHex(plain.subarray(0, 14))).toBe('0200c000020a' + '02000a000002' + '0800');
    const one = buildPacket({ ...base, linkType: LINKTYPE.ETHERNET, vlans: [100] });
    expect(toHex(one.subarray(12, 18))).toBe('810000640800');
    const three = buildPacket({ ...base, linkType: LINKTYPE.ETHERNET, vlans: [10, 20, 4095] });
    expect(toHex(three.subarray(12, 26))).toBe('88a8000a' + '81000014' + '81000fff' + '0800');
    const v6 = buildPacket({ ...base, linkType: LINKTYPE.ETHERNET, src: '2001:db8::1:2', dst: 'fe80::9' });
    expect(toHex(v6.subarray(0, 14))).toBe('02000000000902000001000286dd');
  });

  it('Linux cooked headers as Linux fills them: PACKET_HOST, ARPHRD_ETHER, 6-byte address', () => {
    const v1 = buildPacket({ ...base, linkType: LINKTYPE.LINUX_SLL });
    expect(toHex(v1.subarray(0, 16))).toBe('0000' + '0001' + '0006' + '02000a000002' + '0000' + '0800');
    const v2 = buildPacket({ ...base, linkType: LINKTYPE.LINUX_SLL2, src: '::1', dst: '::2' });
    expect(toHex(v2.subarray(0, 20))).toBe(
      '86dd' + '0000' + '00000002' + '0001' + '00' + '06' + '020000000001' + '0000',
    );
  });

  it('loopback headers: NULL in either byte order (macOS AF_INET6 30), LOOP big-endian (OpenBSD 24)', () => {
    expect(toHex(buildPacket({ ...base, linkType: LINKTYPE.NULL }).subarray(0, 4))).toBe('02000000');
    const be = buildPacket({ ...base, linkType: LINKTYPE.NULL, loopbackByteOrder: 'be' });
    expect(toHex(be.subarray(0, 4))).toBe('00000002');
    expect(
      toHex(buildPacket({ ...base, linkType: LINKTYPE.NULL, src: '::1', dst: '::1' }).subarray(0, 4)),
    ).toBe('1e000000');
    expect(
      toHex(buildPacket({ ...base, linkType: LINKTYPE.LOOP, src: '::1', dst: '::1' }).subarray(0, 4)),
    ).toBe('00000018');
  });

  it('refuses specs it cannot honour', () => {
    const bad: Partial<PacketSpec>[] = [
      { src: '10.0.0.300' },
      { dst: '2001:db8::1' },
      { linkType: LINKTYPE.IPV6 },
      { linkType: LINKTYPE.IPV4, src: '::1', dst: '::2' },
      { vlans: [1] },
      { linkType: LINKTYPE.ETHERNET, vlans: [4096] },
      { srcPort: 65536 },
      { dstPort: -1 },
      { linkType: 147 },
      { ttl: 256 },
      { window: 70000 },
      { flags: 0x200 },
      { seq: 1.5 },
      { payload: new Uint8Array(65496) },
    ];
    for (const change of bad)
      expect(() => buildPacket({ ...base, ...change }), JSON.stringify(change)).toThrow(RangeError);
    expect(buildPacket({ ...base, payload: new Uint8Array(65495) }).length).toBe(65535);
  });

  it('takes sequence numbers modulo 2^32', () => {
    expect(decodePacket(LINKTYPE.RAW, buildPacket({ ...base, seq: 2 ** 32 + 5, ack: -1 }))).toMatchObject({
      seq: 5,
      ack: 0xffffffff,
    });
  });
});

const addressArb = (v6: boolean) =>
  fc
    .uint8Array({ minLength: v6 ? 16 : 4, maxLength: v6 ? 16 : 4 })
    .map((b) => (v6 ? b.map((x, i) => (i % 3 === 0 ? 0 : x)) : b))
    .map((b) => formatIpAddress(b));

const specArb: fc.Arbitrary<PacketSpec> = fc
  .record({
    linkType: fc.constantFrom(...Object.values(LINKTYPE)),
    v6: fc.boolean(),
    transport: fc.constantFrom('tcp' as const, 'udp' as const),
    srcPort: fc.integer({ min: 0, max: 0xffff }),
    dstPort: fc.integer({ min: 0, max: 0xffff }),
    seq: fc.oneof(fc.integer({ min: 0xfffffff0, max: 0xffffffff }), fc.nat({ max: 0xffffffff })),
    ack: fc.nat({ max: 0xffffffff }),
    flags: fc.option(fc.nat({ max: 0x1ff }), { nil: undefined }),
    window: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
    payload: fc.uint8Array({ maxLength: 1500 }),
    vlans: fc.array(fc.integer({ min: 0, max: 4095 }), { maxLength: 3 }),
    ttl: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    loopbackByteOrder: fc.constantFrom('le' as const, 'be' as const),
  })
  .chain((r) => {
    const v6 = r.linkType === LINKTYPE.IPV6 || (r.linkType !== LINKTYPE.IPV4 && r.v6);
    return fc.tuple(addressArb(v6), addressArb(v6)).map(([src, dst]) => {
      const { v6: _v6, vlans, ...rest } = r;
      return { ...rest, src, dst, ...(r.linkType === LINKTYPE.ETHERNET ? { vlans } : {}) };
    });
  });

describe('round trips', () => {
  it('decodePacket(buildPacket(spec)) gives back the spec, for every link type, IPv4 and IPv6', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const d = decodePacket(spec.linkType, buildPacket(spec));
        const payload = spec.payload ?? new Uint8Array(0);
        const common = {
          src: spec.src,
          dst: spec.dst,
          srcPort: spec.srcPort,
          dstPort: spec.dstPort,
          payload,
          clipped: 0,
        };
        if (spec.transport === 'udp') expect(d).toEqual({ kind: 'udp', ...common });
        else {
          const flags = spec.flags ?? (payload.length > 0 ? TCP_FLAGS.ACK | TCP_FLAGS.PSH : TCP_FLAGS.ACK);
          expect(d).toEqual({
            kind: 'tcp',
            ...common,
            seq: spec.seq,
            ack: spec.ack,
            flags,
            window: spec.window ?? 65535,
          });
        }
      }),
    );
  });

  it('every checksum is right, as a plain RFC 1071 sum sees it', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const raw = buildPacket({ ...spec, linkType: LINKTYPE.RAW, vlans: undefined });
        expect(checksumsHold(raw)).toBe(true);
        // The link header is in front of the same IP packet.
        const framed = buildPacket(spec);
        expect(toHex(framed.subarray(framed.length - raw.length))).toBe(toHex(raw));
      }),
    );
  });
});

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasTshark)('tshark reads the frames', () => {
  const dir = mkdtempSync(joinPath(tmpdir(), 'trackshark-packets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A little-endian µs pcap: 24-byte global header, then a 16-byte header per record. */
  const pcap = (linkType: number, frames: readonly Uint8Array[]): Buffer => {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(262144, 16);
    header.writeUInt32LE(linkType, 20);
    const records = frames.map((frame, i) => {
      const record = Buffer.alloc(16);
      record.writeUInt32LE(1704889998 + i, 0);
      record.writeUInt32LE(frame.length, 8);
      record.writeUInt32LE(frame.length, 12);
      return Buffer.concat([record, frame]);
    });
    return Buffer.concat([header, ...records]);
  };

  const fields = [
    'ip.src',
    'ipv6.src',
    'tcp.srcport',
    'udp.srcport',
    'ip.checksum.status',
    'tcp.checksum.status',
    'udp.checksum.status',
    'ieee8021ad.id',
    'vlan.id',
    'tcp.len',
    '_ws.malformed',
  ];

  it('with the same addresses and ports and good checksums, for every link type', async () => {
    const cases = Object.values(LINKTYPE).map((linkType) => {
      const specs: PacketSpec[] = [];
      for (const [src, dst] of [
        ['10.0.0.2', '192.0.2.10'],
        ['2001:db8::2', '2001:db8::5013'],
      ] as const) {
        if (
          (linkType === LINKTYPE.IPV4 && src.includes(':')) ||
          (linkType === LINKTYPE.IPV6 && !src.includes(':'))
        )
          continue;
        const common = { linkType, src, dst, srcPort: 40000, dstPort: 5013 };
        specs.push({ ...common, transport: 'tcp', seq: 0xfffffff0, ack: 7, payload: bytes('*HQ,1234#') });
        specs.push({ ...common, transport: 'udp', payload: bytes('#L#imei;password\r\n') });
        specs.push({ ...common, transport: 'tcp', flags: TCP_FLAGS.SYN });
        if (linkType === LINKTYPE.ETHERNET) {
          specs.push({ ...common, transport: 'tcp', payload: bytes('v'), vlans: [100] });
          specs.push({ ...common, transport: 'udp', payload: bytes('qinq'), vlans: [10, 20] });
        }
      }
      return { linkType, specs };
    });
    const run = promisify(execFile);
    const outputs = await Promise.all(
      cases.map(async ({ linkType, specs }) => {
        const path = joinPath(dir, `link-${linkType}.pcap`);
        writeFileSync(path, pcap(linkType, specs.map(buildPacket)));
        const args = ['-r', path, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])];
        const checks = ['ip', 'tcp', 'udp'].flatMap((p) => ['-o', `${p}.check_checksum:TRUE`]);
        const { stdout } = await run('tshark', [...args, ...checks]);
        return stdout.split('\n').filter((line) => line !== '');
      }),
    );
    cases.forEach(({ linkType, specs }, i) => {
      const expected = specs.map((spec) => {
        const v6 = spec.src.includes(':');
        const tcp = spec.transport === 'tcp';
        return [
          v6 ? '' : spec.src,
          v6 ? spec.src : '',
          tcp ? '40000' : '',
          tcp ? '' : '40000',
          v6 ? '' : '1', // 1 = Good
          tcp ? '1' : '',
          tcp ? '' : '1',
          // tshark 4.0 shows a 0x88a8 tag as 802.1ad and the rest as 802.1Q.
          (spec.vlans ?? []).length >= 2 ? String(spec.vlans![0]) : '',
          (spec.vlans ?? []).slice((spec.vlans ?? []).length >= 2 ? 1 : 0).join(','),
          tcp ? String(spec.payload?.length ?? 0) : '',
          '',
        ].join('|');
      });
      expect(outputs[i], `link type ${linkType}`).toEqual(expected);
    });
  });
});
