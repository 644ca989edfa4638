// The pcap/pcapng writers: exact bytes, refusals, and files that tshark 4.0 reads back as written.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCapture, PcapngWriter, PcapWriter } from '../../src/capture/index.js';
import { concat, packetsOf, pattern, referenceTime } from './capture-helpers.js';
import { toHex } from './helpers.js';

describe('PcapWriter', () => {
  it('writes the header in either byte order, µs or ns magic', () => {
    expect(toHex(new PcapWriter({ linkType: 1 }).header())).toBe(
      'd4c3b2a1' + '02000400' + '00000000' + '00000000' + '00000400' + '01000000',
    );
    expect(
      toHex(new PcapWriter({ linkType: 276, nanos: true, byteOrder: 'be', snapLength: 96 }).header()),
    ).toBe('a1b23c4d' + '00020004' + '00000000' + '00000000' + '00000060' + '00000114');
  });

  it('writes records: µs rounded down, cut to the snap length, original length kept', () => {
    const w = new PcapWriter({ linkType: 1, snapLength: 4 });
    expect(
      toHex(w.packet({ seconds: 0x01020304, nanos: 999999999, data: pattern(6), originalLength: 10 })),
    ).toBe('04030201' + '3f420f00' + '04000000' + '0a000000' + '00010203');
    const ns = new PcapWriter({ linkType: 1, nanos: true, byteOrder: 'be' });
    expect(toHex(ns.packet({ seconds: 1, nanos: 999999999, data: pattern(1) }))).toBe(
      '00000001' + '3b9ac9ff' + '00000001' + '00000001' + '00',
    );
  });

  it('refuses what readers would reject', () => {
    const w = new PcapWriter({ linkType: 1 });
    expect(() => w.packet({ seconds: -1, nanos: 0, data: pattern(1) })).toThrow(RangeError);
    expect(() => w.packet({ seconds: 2 ** 32, nanos: 0, data: pattern(1) })).toThrow(RangeError);
    expect(() => w.packet({ seconds: 1, nanos: 1e9, data: pattern(1) })).toThrow(RangeError);
    expect(() => w.packet({ seconds: 1, nanos: 0.5, data: pattern(1) })).toThrow(RangeError);
    expect(() => w.packet({ seconds: 1, nanos: 0, data: pattern(5), originalLength: 4 })).toThrow(
      'originalLength 4 is less than the 5 bytes of data',
    );
    expect(() => new PcapWriter({ linkType: -1 })).toThrow(RangeError);
  });
});

describe('PcapngWriter', () => {
  it('writes a section header: byte-order magic, version 1.0, unspecified length, options', () => {
    const w = new PcapngWriter();
    expect(toHex(w.section())).toBe(
      '0a0d0d0a' + '1c000000' + '4d3c2b1a' + '01000000' + 'ffffffffffffffff' + '1c000000',
    );
    // comment "ab" (padded to 4), then opt_endofopt.
    expect(toHex(w.section({ byteOrder: 'be', comment: 'ab' }))).toBe(
      '0a0d0d0a' +
        '00000028' +
        '1a2b3c4d' +
        '00010000' +
        'ffffffffffffffff' +
        '0001000261620000' +
        '00000000' +
        '00000028',
    );
  });

  it('writes interfaces with if_name, if_tsresol and if_tsoffset, numbered per section', () => {
    const w = new PcapngWriter();
    w.section();
    const a = w.interface({ linkType: 113, snapLength: 0, name: 'any', tsresol: 9, tsoffset: -2 });
    expect(a.id).toBe(0);
    expect(toHex(a.bytes)).toBe(
      '01000000' +
        '34000000' +
        '7100' +
        '0000' +
        '00000000' +
        '0200' +
        '0300' +
        '616e7900' +
        '0900' +
        '0100' +
        '09000000' +
        '0e00' +
        '0800' +
        'feffffffffffffff' +
        '00000000' +
        '34000000',
    );
    expect(w.interface({ linkType: 1 }).id).toBe(1);
    w.section();
    expect(w.interface({ linkType: 1 }).id).toBe(0);
  });

  it('converts timestamps into the interface resolution, tsoffset subtracted', () => {
    const w = new PcapngWriter();
    w.section();
    w.interface({ linkType: 1 });
    w.interface({ linkType: 1, tsresol: 9, tsoffset: 100 });
    w.interface({ linkType: 1, tsresol: 0x80 | 20 });
    const ticks = (id: number) => {
      const b = w.packet({ interfaceId: id, seconds: 1704889998, nanos: 123456789, data: pattern(1) });
      const dv = new DataView(b.buffer, b.byteOffset);
      return (BigInt(dv.getUint32(12, true)) << 32n) | BigInt(dv.getUint32(16, true));
    };
    expect(ticks(0)).toBe(1704889998123456n);
    expect(ticks(1)).toBe(1704889898123456789n);
    expect(ticks(2)).toBe((1704889998n << 20n) + (123456789n << 20n) / 1000000000n);
  });

  it('writes EPB options: comments and flags, padded, closed by opt_endofopt', () => {
    const w = new PcapngWriter();
    w.section();
    w.interface({ linkType: 1 });
    const epb = w.packet({
      interfaceId: 0,
      seconds: 0,
      nanos: 0,
      data: pattern(3),
      comments: ['hello'],
      flags: 1,
    });
    expect(toHex(epb.subarray(28))).toBe(
      '00010200' +
        '0100' +
        '0500' +
        '68656c6c6f000000' +
        '0200' +
        '0400' +
        '01000000' +
        '00000000' +
        '3c000000',
    );
    expect(epb.length).toBe(0x3c);
  });

  it('refuses packets without a section or interface, and SPBs that readers would misread', () => {
    const w = new PcapngWriter();
    expect(() => w.interface({ linkType: 1 })).toThrow('call section() before');
    w.section();
    expect(() => w.simplePacket({ data: pattern(4) })).toThrow('interface 0 is not defined');
    w.interface({ linkType: 1, snapLength: 0 });
    expect(() => w.packet({ interfaceId: 1, seconds: 0, nanos: 0, data: pattern(1) })).toThrow(RangeError);
    expect(() => w.simplePacket({ data: pattern(4), originalLength: 9 })).toThrow(
      'a simple packet block cannot hold 4 of 9 bytes: readers would take 9',
    );
    expect(() => w.packet({ interfaceId: 0, seconds: -1, nanos: 0, data: pattern(1) })).toThrow(
      "does not fit the interface's 64-bit tick count",
    );
  });

  it("a section without a byte order takes the writer's, not the previous section's", () => {
    const w = new PcapngWriter({ byteOrder: 'be' });
    w.section({ byteOrder: 'le' });
    expect(toHex(w.section().subarray(8, 12))).toBe('1a2b3c4d');
  });

  it('frames any other block padded to 32 bits', () => {
    const w = new PcapngWriter({ byteOrder: 'be' });
    w.section();
    expect(toHex(w.block(0xbad, pattern(5)))).toBe('00000bad' + '00000014' + '0001020304000000' + '00000014');
  });
});

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

describe('files tshark 4.0 reads as written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trackshark-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** One row per packet: time_epoch, comments, cap_len, len, first protocol, section, flags. */
  const tshark = (name: string, bytes: Uint8Array): string[][] => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const fields = ['frame.time_epoch', 'frame.comment', 'frame.cap_len', 'frame.len', 'frame.protocols'];
    const extra = ['frame.section_number', 'frame.packet_flags'];
    const args = [
      '-r',
      path,
      '-T',
      'fields',
      '-E',
      'separator=|',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=,',
    ];
    const out = execFileSync('tshark', [...args, ...[...fields, ...extra].flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('|'));
  };
  const epoch = (seconds: number, nanos: number) => `${seconds}.${String(nanos).padStart(9, '0')}`;
  const linkName: Record<number, string> = { 1: 'eth', 113: 'sll', 101: 'raw', 276: 'sll2' };
  /** An Ethernet/SLL/raw frame that dissects cleanly enough: zero headers, then a pattern. */
  const frame = (n: number, seed: number) => concat(new Uint8Array(20), pattern(n, seed));

  it.skipIf(!hasTshark).each([
    ['le', false],
    ['be', false],
    ['le', true],
    ['be', true],
  ] as const)('pcap %s (ns: %s): count, times, lengths', (byteOrder, nanos) => {
    const w = new PcapWriter({ linkType: 1, byteOrder, nanos });
    const packets = Array.from({ length: 5 }, (_, i) => ({
      seconds: 1704889998 + i * 1000,
      nanos: (i * 987654321 + 1) % 1e9,
      data: frame(i * 13, i),
      originalLength: 20 + i * 13 + i,
    }));
    const rows = tshark(
      `w-${byteOrder}-${nanos}.pcap`,
      concat(w.header(), ...packets.map((p) => w.packet(p))),
    );
    expect(rows.map((r) => [r[0], r[2], r[3], r[4]?.split(':')[0]])).toEqual(
      packets.map((p) => [
        epoch(p.seconds, nanos ? p.nanos : Math.floor(p.nanos / 1000) * 1000),
        String(p.data.length),
        String(p.originalLength),
        'eth',
      ]),
    );
  });

  it.skipIf(!hasTshark)(
    'pcapng: two sections of different byte orders, mixed link types, tsresol 9 and 2^-20, tsoffset, EPB/SPB/PB, comments',
    () => {
      const w = new PcapngWriter({ byteOrder: 'le' });
      const parts: Uint8Array[] = [w.section({ comment: 'section one', application: 'trackshark' })];
      const eth = w.interface({ linkType: 1, name: 'eth0' });
      const sll = w.interface({ linkType: 113, tsresol: 9, tsoffset: 3600, name: 'any' });
      parts.push(eth.bytes, sll.bytes);
      const expected: { tsresol: number; link: number; seconds: number; nanos: number; data: Uint8Array }[] =
        [];
      const rows: { comments: string[]; section: number; flags?: number; spb?: boolean; original: number }[] =
        [];
      const add = (
        section: number,
        tsresol: number,
        link: number,
        p: { seconds: number; nanos: number; data: Uint8Array; comments?: string[]; flags?: number },
        spb = false,
      ) => {
        expected.push({ tsresol, link, seconds: p.seconds, nanos: p.nanos, data: p.data });
        rows.push({ comments: p.comments ?? [], section, flags: p.flags, spb, original: p.data.length });
      };
      const p1 = {
        seconds: 1704889998,
        nanos: 123456789,
        data: frame(40, 1),
        comments: ['first packet', 'über zwei'],
        flags: 1,
      };
      parts.push(w.packet({ interfaceId: eth.id, ...p1 }));
      add(1, 6, 1, p1);
      const p2 = { seconds: 1704889999, nanos: 987654321, data: frame(30, 2), flags: 2 };
      parts.push(w.packet({ interfaceId: sll.id, ...p2 }));
      add(1, 9, 113, p2);
      const isb = new Uint8Array(12);
      parts.push(w.block(5, isb), w.block(4, new Uint8Array(4)));
      const p3 = { seconds: 0, nanos: 0, data: frame(10, 3) };
      parts.push(w.simplePacket({ data: p3.data }));
      add(1, 6, 1, p3, true);
      parts.push(w.section({ byteOrder: 'be', comment: 'section two' }));
      const raw = w.interface({ linkType: 101, tsresol: 0x80 | 20, tsoffset: -3600 });
      parts.push(raw.bytes);
      const p4 = { seconds: 1704890000, nanos: 999999999, data: frame(25, 4), comments: ['big-endian'] };
      parts.push(w.packet({ interfaceId: raw.id, ...p4 }));
      add(2, 0x80 | 20, 101, p4);
      const p5 = { seconds: 1704890001, nanos: 500000000, data: frame(8, 5), comments: ['obsolete block'] };
      parts.push(w.obsoletePacket({ interfaceId: raw.id, ...p5 }));
      add(2, 0x80 | 20, 101, p5);
      const file = concat(...parts);

      const got = tshark('mixed.pcapng', file);
      expect(got).toHaveLength(expected.length);
      got.forEach((r, i) => {
        const e = expected[i]!;
        const row = rows[i]!;
        const exponent = BigInt(e.tsresol & 0x7f);
        const per = (e.tsresol & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
        const t = referenceTime((BigInt(e.nanos) * per) / 1000000000n, e.tsresol);
        expect({
          time: r[0],
          comment: r[1],
          capLen: r[2],
          len: r[3],
          link: r[4]?.split(':')[0],
          section: r[5],
          flags: r[6],
        }).toEqual({
          time: row.spb ? '' : epoch(e.seconds, t.nanos),
          comment: row.comments.join(','),
          capLen: String(e.data.length),
          len: String(row.original),
          link: linkName[e.link],
          section: String(row.section),
          flags: row.flags === undefined ? '' : `0x${row.flags.toString(16).padStart(8, '0')}`,
        });
      });
      // Our reader agrees with tshark on the same file.
      const ours = packetsOf(parseCapture(file));
      expect(ours.map((p) => (p.block === 'spb' ? '' : epoch(p.seconds, p.nanos)))).toEqual(
        got.map((r) => r[0]),
      );
    },
  );
});
