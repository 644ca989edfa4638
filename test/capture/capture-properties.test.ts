// Properties of the reader and writer together: whatever the writer writes reads back identically, in
// any chunking; no input makes the reader throw; damaged files keep every packet before the damage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCapture, PcapngWriter, PcapWriter, type CaptureItem } from '../../src/capture/index.js';
import { concat, invariantViolations, packetsOf, parseChunked } from './capture-helpers.js';

const MAX = 262144;
const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/\0+$/, ''));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const interfaceArb = fc.record({
  linkType: fc.integer({ min: 0, max: 0xffff }),
  snapLength: maybe(fc.constantFrom(0, 5, 16, 65535, MAX)),
  tsresol: maybe(fc.oneof(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0x80, max: 0x80 + 63 }))),
  tsoffset: maybe(fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
  name: maybe(text),
});

const packetArb = fc.record({
  block: fc.constantFrom('epb', 'epb', 'epb', 'spb', 'pb', 'skip'),
  iface: fc.nat(),
  /** Seconds after the interface's tsoffset. */
  relative: fc.oneof(fc.integer({ min: 0, max: 2 ** 33 }), fc.integer({ min: 0, max: 2 ** 52 })),
  nanos: fc.integer({ min: 0, max: 999999999 }),
  data: fc.uint8Array({ maxLength: 48 }),
  extra: fc.nat(100),
  comments: maybe(fc.array(text, { maxLength: 3 })),
  flags: maybe(fc.nat(0xffffffff)),
  skipType: fc.constantFrom(4, 5, 0x0a, 0xbad, 0x40000bad, 0x7fffffff),
});

const sectionArb = fc.record({
  byteOrder: fc.constantFrom('le', 'be') as fc.Arbitrary<'le' | 'be'>,
  comment: maybe(text),
  application: maybe(text),
  interfaces: fc.array(interfaceArb, { minLength: 1, maxLength: 3 }),
  packets: fc.array(packetArb, { maxLength: 8 }),
});

interface Written {
  file: Uint8Array;
  expected: CaptureItem[];
}

/** Writes a random pcapng and, alongside, the items a correct reader must return. */
const pcapngArb: fc.Arbitrary<Written> = fc
  .array(sectionArb, { minLength: 1, maxLength: 3 })
  .map((sections) => {
    const w = new PcapngWriter();
    const parts: Uint8Array[] = [];
    const expected: CaptureItem[] = [];
    let offset = 0;
    let index = 0;
    const emit = (bytes: Uint8Array) => {
      parts.push(bytes);
      const at = offset;
      offset += bytes.length;
      return at;
    };
    for (const s of sections) {
      const at = emit(w.section({ byteOrder: s.byteOrder, comment: s.comment, application: s.application }));
      expected.push({
        kind: 'section',
        offset: at,
        format: 'pcapng',
        byteOrder: s.byteOrder,
        versionMajor: 1,
        versionMinor: 0,
        ...(s.comment !== undefined ? { comments: [s.comment] } : {}),
        ...(s.application !== undefined ? { application: s.application } : {}),
      });
      const ifaces = s.interfaces.map((i) => {
        const { id, bytes } = w.interface(i);
        const exponent = BigInt((i.tsresol ?? 6) & 0x7f);
        const per = ((i.tsresol ?? 6) & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
        const snapLength = i.snapLength ?? MAX;
        expected.push({
          kind: 'interface',
          offset: emit(bytes),
          id,
          linkType: i.linkType,
          snapLength,
          tsresol: i.tsresol ?? 6,
          tsoffset: i.tsoffset ?? 0,
          ...(i.name !== undefined ? { name: i.name } : {}),
        });
        return { ...i, id, per, snapLength, tsoffset: i.tsoffset ?? 0 };
      });
      for (const p of s.packets) {
        if (p.block === 'skip') {
          const bytes = w.block(p.skipType, p.data);
          expected.push({
            kind: 'skipped-block',
            offset: emit(bytes),
            blockType: p.skipType,
            length: bytes.length,
          });
          continue;
        }
        const iface = p.block === 'spb' ? ifaces[0]! : ifaces[p.iface % ifaces.length]!;
        const limit = iface.snapLength === 0 ? MAX : iface.snapLength;
        const data = p.data.subarray(0, Math.min(p.data.length, limit));
        if (p.block === 'spb') {
          const at = emit(w.simplePacket({ data: p.data }));
          expected.push({
            kind: 'packet',
            index: index++,
            offset: at,
            dataOffset: at + 12,
            interfaceId: 0,
            linkType: iface.linkType,
            seconds: 0,
            nanos: 0,
            data,
            originalLength: p.data.length,
            block: 'spb',
          });
          continue;
        }
        // Seconds the interface's 64-bit tick count can hold.
        const maxRelative = Number((((1n << 64n) - 1n) / iface.per - 1n) as bigint);
        const seconds = iface.tsoffset + Math.min(p.relative, maxRelative);
        const fraction = (BigInt(p.nanos) * iface.per) / 1000000000n;
        const nanos = Number((fraction * 1000000000n) / iface.per);
        const comments = p.comments !== undefined && p.comments.length > 0 ? p.comments : undefined;
        const common = { interfaceId: iface.id, seconds, nanos: p.nanos, data: p.data, comments: p.comments };
        const at =
          p.block === 'epb'
            ? emit(w.packet({ ...common, originalLength: p.data.length + p.extra, flags: p.flags }))
            : emit(w.obsoletePacket(common));
        expected.push({
          kind: 'packet',
          index: index++,
          offset: at,
          dataOffset: at + 28,
          interfaceId: iface.id,
          linkType: iface.linkType,
          seconds,
          nanos,
          data,
          originalLength: p.data.length + (p.block === 'epb' ? p.extra : 0),
          block: p.block,
          ...(p.block === 'epb' && p.flags !== undefined ? { flags: p.flags } : {}),
          ...(comments !== undefined ? { comments } : {}),
        });
      }
    }
    return { file: concat(...parts), expected };
  });

const pcapArb: fc.Arbitrary<Written> = fc
  .record({
    byteOrder: fc.constantFrom('le', 'be') as fc.Arbitrary<'le' | 'be'>,
    nanos: fc.boolean(),
    linkType: fc.integer({ min: 0, max: 0x3ffffff }),
    snapLength: maybe(fc.constantFrom(16, 65535, MAX)),
    packets: fc.array(
      fc.record({
        seconds: fc.nat(0xffffffff),
        nanos: fc.integer({ min: 0, max: 999999999 }),
        data: fc.uint8Array({ maxLength: 48 }),
        extra: fc.nat(100),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ byteOrder, nanos, linkType, snapLength, packets }) => {
    const w = new PcapWriter({ linkType, byteOrder, nanos, snapLength });
    const snap = snapLength ?? MAX;
    const expected: CaptureItem[] = [
      {
        kind: 'section',
        offset: 0,
        format: 'pcap',
        byteOrder,
        versionMajor: 2,
        versionMinor: 4,
        linkType,
        snapLength: snap,
        nanos,
      },
      {
        kind: 'interface',
        offset: 0,
        id: 0,
        linkType,
        snapLength: snap,
        tsresol: nanos ? 9 : 6,
        tsoffset: 0,
      },
    ];
    const parts = [w.header()];
    let offset = 24;
    packets.forEach((p, index) => {
      const record = w.packet({ ...p, originalLength: p.data.length + p.extra });
      const data = p.data.subarray(0, Math.min(p.data.length, snap));
      expected.push({
        kind: 'packet',
        index,
        offset,
        dataOffset: offset + 16,
        interfaceId: 0,
        linkType,
        seconds: p.seconds,
        nanos: nanos ? p.nanos : Math.floor(p.nanos / 1000) * 1000,
        data,
        originalLength: p.data.length + p.extra,
        block: 'record',
      });
      parts.push(record);
      offset += record.length;
    });
    return { file: concat(...parts), expected };
  });

const writtenArb = fc.oneof(pcapngArb, pcapArb);
const cutsArb = fc.array(fc.nat(), { maxLength: 12 });

describe('round trip', () => {
  it('whatever the writer writes reads back identically, for every chunking', () => {
    fc.assert(
      fc.property(writtenArb, cutsArb, ({ file, expected }, cuts) => {
        const whole = parseCapture(file);
        expect(whole).toEqual(expected);
        expect(parseChunked(file, cuts)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('never throws, keeps its invariants', () => {
  const prefixes = [
    new Uint8Array(0),
    new PcapWriter({ linkType: 1 }).header(),
    new PcapWriter({ linkType: 1, nanos: true, byteOrder: 'be' }).header(),
    (() => {
      const w = new PcapngWriter();
      return concat(w.section(), w.interface({ linkType: 1 }).bytes);
    })(),
  ];

  it('on arbitrary bytes, alone or after a valid header', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...prefixes),
        fc.uint8Array({ maxLength: 400 }),
        cutsArb,
        (prefix, tail, cuts) => {
          const file = concat(prefix, tail);
          const items = parseCapture(file);
          expect(invariantViolations(file, items)).toEqual([]);
          expect(parseChunked(file, cuts)).toEqual(items);
        },
      ),
      { numRuns: 1000 },
    );
  });

  const damage = fc.record({
    writes: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
    insert: maybe(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) })),
    truncate: maybe(fc.nat()),
  });

  it('on arbitrary corruptions of valid files, in any chunking', () => {
    fc.assert(
      fc.property(writtenArb, damage, cutsArb, ({ file }, { writes, insert, truncate }, cuts) => {
        let bytes: Uint8Array = file.slice();
        for (const { at, value } of writes) if (bytes.length > 0) bytes[at % bytes.length] = value;
        if (insert) {
          const at = insert.at % (bytes.length + 1);
          bytes = concat(bytes.subarray(0, at), insert.bytes, bytes.subarray(at));
        }
        if (truncate !== undefined) bytes = bytes.subarray(0, truncate % (bytes.length + 1));
        const items = parseCapture(bytes);
        expect(invariantViolations(bytes, items)).toEqual([]);
        expect(parseChunked(bytes, cuts)).toEqual(items);
      }),
      { numRuns: 1000 },
    );
  });

  it('a file cut anywhere keeps every packet that ends before the cut, then reports where and how much', () => {
    fc.assert(
      fc.property(writtenArb, fc.nat(), ({ file, expected }, at) => {
        const cut = at % (file.length + 1);
        // Where each unit (header, record, block) ends: the next unit's offset, or the end of the file.
        const starts = [...new Set([...expected.map((i) => i.offset), file.length])].sort((a, b) => a - b);
        const endOf = (offset: number) => starts.find((s) => s > offset) ?? file.length;
        const items = parseCapture(file.subarray(0, cut));
        expect(packetsOf(items)).toEqual(packetsOf(expected).filter((p) => endOf(p.offset) <= cut));
        const last = items.at(-1);
        if (starts.includes(cut) && cut > 0) {
          expect(last?.kind).not.toBe('error');
        } else {
          const unit = cut === 0 ? 0 : starts.filter((s) => s < cut).at(-1)!;
          expect(last).toMatchObject({ kind: 'error', code: 'truncated', fatal: true, offset: unit });
          // Headers are read in stages (magic, fixed header, length), so a cut inside one may report
          // fewer missing bytes than the whole unit lacks, never more.
          const missing = last?.kind === 'error' ? (last.missing ?? 0) : 0;
          expect(missing).toBeGreaterThan(0);
          expect(missing).toBeLessThanOrEqual(endOf(unit) - cut);
        }
      }),
      { numRuns: 500 },
    );
  });
});
