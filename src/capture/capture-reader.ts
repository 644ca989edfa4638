// Streaming reader for pcap (µs and ns, either byte order) and pcapng (several sections of either byte
// order, per-interface link types and timestamp resolutions, EPB, SPB and the obsolete PB).
//
// Design:
// - A sync push parser. A record or block that lies whole inside a pushed chunk is parsed in place and
//   its packet data is a view of that chunk; only a record cut by a chunk boundary is copied, into a
//   buffer of exactly its size. Memory is therefore bounded by the largest block (and every length is
//   checked against MAX_CAPTURED_LENGTH / MAX_BLOCK_LENGTH before any buffering), not by the file.
// - It never throws on input. Damage that breaks the framing (bad magic, bad lengths, truncation) is a
//   fatal error item, always the last item; everything read before it has been returned. Damage inside
//   a well-framed pcapng block (a packet on an undefined interface, a caplen beyond the block) is a
//   non-fatal error item and the block is skipped, as its length still says where the next one starts.
// - readCapture pulls one chunk per batch the consumer asks for, so a slow consumer slows the reads.
import { Buffer } from 'node:buffer';
import { open } from 'node:fs/promises';
import {
  BlockType,
  DEFAULT_TSRESOL,
  MAX_BLOCK_LENGTH,
  MAX_CAPTURED_LENGTH,
  MIN_BLOCK_LENGTH,
  Option,
  PCAP_HEADER_LENGTH,
  PCAP_LINKTYPE_MASK,
  PCAP_MAGIC_MICROS,
  PCAP_MAGIC_NANOS,
  PCAP_RECORD_HEADER_LENGTH,
  PCAP_VERSION_MAJOR,
  PCAP_VERSION_MINOR,
  PCAPNG_BLOCK_OVERHEAD,
  PCAPNG_BYTE_ORDER_MAGIC,
  PCAPNG_VERSION_MAJOR,
  PCAPNG_VERSION_MINORS,
  pad4,
  ticksPerSecond,
} from './capture-format.js';

export type CaptureItem =
  CapturedPacket | CaptureInterfaceItem | CaptureSectionItem | CaptureSkippedBlock | CaptureErrorItem;

export interface CapturedPacket {
  kind: 'packet';
  /** 0-based count of the packets returned before this one in the file. */
  index: number;
  /** File offset of the pcap record header or of the pcapng block. */
  offset: number;
  /** File offset of data[0]. */
  dataOffset: number;
  /** Section-local interface id; 0 for pcap and SPB. */
  interfaceId: number;
  linkType: number;
  /** Unix seconds, if_tsoffset applied. 0 for an SPB, which has no timestamp. */
  seconds: number;
  /** 0..999999999; finer resolutions are rounded down. */
  nanos: number;
  /**
   * The captured bytes: a view of the pushed chunk (or of the buffer a record cut by a chunk boundary
   * was assembled in). Do not mutate it; it keeps that chunk alive, so copy what you keep for long.
   */
  data: Uint8Array;
  originalLength: number;
  /** pcap record, pcapng Enhanced / Simple / obsolete Packet Block. */
  block: 'record' | 'epb' | 'spb' | 'pb';
  /** epb_flags / pack_flags (bits 0-1: direction, 1 inbound, 2 outbound). */
  flags?: number;
  /** opt_comment options, in file order. */
  comments?: readonly string[];
}

export interface CaptureInterfaceItem {
  kind: 'interface';
  /** File offset of the IDB; 0 for the interface a pcap header describes. */
  offset: number;
  /** Section-local: the n-th IDB of its section. */
  id: number;
  linkType: number;
  /** 0 means no limit. */
  snapLength: number;
  /** if_name. */
  name?: string;
  /** The raw if_tsresol byte: 6 = µs (also when absent), 9 = ns, 0x80|n = 2^-n seconds. */
  tsresol: number;
  /** if_tsoffset seconds, already added to every packet's `seconds`. */
  tsoffset: number;
}

export interface CaptureSectionItem {
  kind: 'section';
  offset: number;
  format: 'pcap' | 'pcapng';
  byteOrder: 'le' | 'be';
  versionMajor: number;
  versionMinor: number;
  /** pcap: the header's link type (FCS bits masked off); an interface item with id 0 follows. */
  linkType?: number;
  /** pcap: the header's snap length. */
  snapLength?: number;
  /** pcap: ns timestamps (magic a1b23c4d). */
  nanos?: boolean;
  /** pcapng: shb_comment options. */
  comments?: readonly string[];
  hardware?: string;
  os?: string;
  application?: string;
}

/** A pcapng block passed over by its length: ISB, NRB, DSB, custom and unknown blocks. */
export interface CaptureSkippedBlock {
  kind: 'skipped-block';
  offset: number;
  blockType: number;
  length: number;
}

export type CaptureErrorCode =
  | 'bad-magic'
  | 'bad-version'
  | 'truncated'
  | 'bad-length'
  | 'too-large'
  | 'unknown-interface'
  | 'bad-option'
  | 'io';

export interface CaptureErrorItem {
  kind: 'error';
  /** File offset of the header, record or block at fault. */
  offset: number;
  code: CaptureErrorCode;
  /** One line naming the problem and the values involved. */
  message: string;
  /** A fatal error is the last item: nothing after it is read. */
  fatal: boolean;
  /** 'truncated': bytes the cut record still needed. */
  missing?: number;
}

interface Interface {
  linkType: number;
  snapLength: number;
  tsoffset: number;
  /** 10^k when the resolution is 10^-k with k ≤ 9 (plain number math), else 0. */
  divisor: number;
  /** 10^(9-k) for the divisor path. */
  nanosPerTick: number;
  /** n of a 2^-n resolution when n ≤ 32 (plain number math), else -1. */
  shift: number;
  /** Ticks per second for the BigInt path. */
  ticksPerSecond: bigint;
}

const enum Mode {
  Start,
  Pcap,
  Pcapng,
  /** Inside a pcapng block that is passed over as it streams by (see `skip`). */
  Skip,
  Done,
}

const TWO_32 = 4294967296;
const TWO_21 = 2097152;
const TWO_31 = 2147483648;
/** 5^9: 10^9 = 5^9 · 2^9, so frac · 10^9 / 2^n = frac · 5^9 / 2^(n-9) stays below 2^53 for n ≤ 32. */
const FIVE_9 = 1953125;
const utf8 = new TextDecoder('utf-8');

export class CaptureParser {
  private mode = Mode.Start;
  private ended = false;
  private out: CaptureItem[] = [];
  /** File offset of the first byte not yet consumed (the start of the record in progress). */
  private base = 0;
  private received = 0;
  /** A record or header cut by a chunk boundary, being assembled; `need` is its full size so far known. */
  private pend: Uint8Array | undefined;
  private pendLen = 0;
  private need = 0;
  private packets = 0;
  private fileFormat: 'pcap' | 'pcapng' | undefined;
  private le = true;
  // pcap
  private nanosPcap = false;
  /** Version 2.0–2.2 records hold origlen before caplen; 2.3 files may (libpcap's SWAPPED / MAYBE_SWAPPED). */
  private swap: 0 | 1 | 2 = 0;
  private pcapLinkType = 0;
  // pcapng: the current section's interfaces, null for an IDB too short to describe one.
  private interfaces: (Interface | null)[] = [];
  // The block being skipped in Mode.Skip: offset, type, total length, body bytes still to come.
  private skipAt = 0;
  private skipType = 0;
  private skipLength = 0;
  private skipLeft = 0;
  // Results of the timestamp conversion and the option walk, kept in fields to avoid allocations.
  private tsSeconds = 0;
  private tsNanos = 0;
  private optComments: string[] | undefined;
  private optFlags: number | undefined;
  private optName: string | undefined;
  private optTsresol = DEFAULT_TSRESOL;
  private optTsoffset = 0;
  private optHardware: string | undefined;
  private optOs: string | undefined;
  private optApplication: string | undefined;
  private optError = '';

  /** Known once the first 4 bytes have arrived (undefined if they are neither). */
  get format(): 'pcap' | 'pcapng' | undefined {
    return this.fileFormat;
  }

  /**
   * Bytes consumed: the file offset of the record in progress (inside a large skipped block, of the
   * next byte of it to pass over).
   */
  get offset(): number {
    return this.base;
  }

  /** Bytes held for a record cut by a chunk boundary (bounded by the largest block). */
  get buffered(): number {
    return this.pendLen;
  }

  /** After a fatal error or end(): further input is ignored. */
  get finished(): boolean {
    return this.mode === Mode.Done || this.ended;
  }

  /**
   * Items completed by this chunk. The chunk is kept by reference (packet data are views of it), so the
   * caller must not reuse its memory for the next read.
   */
  push(chunk: Uint8Array): CaptureItem[] {
    const out: CaptureItem[] = (this.out = []);
    if (this.finished) return out;
    const b =
      chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const end = b.length;
    this.received += end;
    let p = 0;
    // Finish the record cut by the previous chunk boundary first.
    while (this.pend !== undefined) {
      const take = Math.min(this.need - this.pendLen, end - p);
      this.pend.set(b.subarray(p, p + take), this.pendLen);
      this.pendLen += take;
      p += take;
      if (this.pendLen < this.need) return out;
      const pend = this.pend;
      const r = this.unit(new DataView(pend.buffer, pend.byteOffset, this.pendLen), pend, 0, this.pendLen);
      if (r === 0) return out;
      if (r > 0) {
        // A unit asks for exactly what it then consumes, so nothing of `pend` is left over.
        this.base += r;
        this.pend = undefined;
        this.pendLen = 0;
      } else {
        // Its header told the full size: grow to it (a fresh buffer, as packet views may point in it).
        this.need = -r;
        const grown = new Uint8Array(this.need);
        grown.set(pend.subarray(0, this.pendLen));
        this.pend = grown;
      }
    }
    const dv = new DataView(b.buffer, b.byteOffset, end);
    while (p < end) {
      const r = this.unit(dv, b, p, end - p);
      if (r > 0) {
        p += r;
        this.base += r;
      } else {
        if (r < 0) {
          this.need = -r;
          this.pend = new Uint8Array(this.need);
          this.pend.set(b.subarray(p, end));
          this.pendLen = end - p;
        }
        break;
      }
    }
    return out;
  }

  /** The end of input: a record still incomplete is a fatal 'truncated' error. */
  end(): CaptureItem[] {
    const out: CaptureItem[] = (this.out = []);
    if (this.finished) return out;
    this.ended = true;
    if (this.pend !== undefined || this.received === 0 || this.mode === Mode.Skip) this.truncated();
    this.mode = Mode.Done;
    return out;
  }

  private truncated(): void {
    let at = this.base;
    let have = this.pendLen;
    let need = this.pend === undefined ? 4 : this.need;
    let what: string;
    if (this.mode === Mode.Skip) {
      at = this.skipAt;
      have = this.base - at + this.pendLen;
      need = this.skipLength;
      what = `pcapng block (type ${hex32(this.skipType)})`;
    } else if (this.mode === Mode.Start) {
      what = this.received === 0 ? 'empty input: file header' : 'file header';
    } else if (this.mode === Mode.Pcap) {
      what = need === PCAP_RECORD_HEADER_LENGTH ? 'pcap record header' : 'pcap record';
    } else {
      const pend = this.pend;
      const header = need <= 12 ? ' header' : '';
      what =
        pend !== undefined && have >= 4
          ? `pcapng block${header} (type ${hex32(new DataView(pend.buffer, pend.byteOffset).getUint32(0, this.le))})`
          : `pcapng block${header}`;
    }
    const counts = `${have} of ${need} bytes (${need - have} missing)`;
    this.fatal('truncated', `${what} at offset ${at} cut short: ${counts}`, at, need - have);
  }

  /** Bytes consumed (> 0), or -(bytes needed) when `avail` is short, or 0 after a fatal error. */
  private unit(dv: DataView, b: Uint8Array, p: number, avail: number): number {
    if (this.mode === Mode.Pcap) return this.pcapRecord(dv, b, p, avail);
    if (this.mode === Mode.Pcapng) return this.block(dv, b, p, avail);
    if (this.mode === Mode.Skip) return this.skip(dv, p, avail);
    if (this.mode === Mode.Start) return this.start(dv, b, p, avail);
    return 0;
  }

  private start(dv: DataView, b: Uint8Array, p: number, avail: number): number {
    if (avail < 4) return -4;
    const magic = dv.getUint32(p, false);
    if (magic === BlockType.SECTION_HEADER) {
      this.fileFormat = 'pcapng';
      this.mode = Mode.Pcapng;
      return this.block(dv, b, p, avail);
    }
    const swapped = dv.getUint32(p, true);
    if (
      magic !== PCAP_MAGIC_MICROS &&
      magic !== PCAP_MAGIC_NANOS &&
      swapped !== PCAP_MAGIC_MICROS &&
      swapped !== PCAP_MAGIC_NANOS
    ) {
      return this.fatal('bad-magic', `not a pcap or pcapng file: magic ${hex32(magic)} at offset 0`, 0);
    }
    this.fileFormat = 'pcap';
    if (avail < PCAP_HEADER_LENGTH) return -PCAP_HEADER_LENGTH;
    const le = swapped === PCAP_MAGIC_MICROS || swapped === PCAP_MAGIC_NANOS;
    const nanos = (le ? swapped : magic) === PCAP_MAGIC_NANOS;
    const major = dv.getUint16(p + 4, le);
    const minor = dv.getUint16(p + 6, le);
    if (major !== PCAP_VERSION_MAJOR || minor > PCAP_VERSION_MINOR) {
      return this.fatal(
        'bad-version',
        `pcap version ${major}.${minor} at offset 0 is not supported (readable: 2.0 to 2.4)`,
        0,
      );
    }
    // Snap length is not validated: libpcap itself replaces 0 or an oversize value with its maximum,
    // and what protects the reader is the bound on each record's caplen.
    const snapLength = dv.getUint32(p + 16, le);
    const linkType = dv.getUint32(p + 20, le) & PCAP_LINKTYPE_MASK;
    this.le = le;
    this.nanosPcap = nanos;
    this.swap = minor < 3 ? 1 : minor === 3 ? 2 : 0;
    this.pcapLinkType = linkType;
    this.mode = Mode.Pcap;
    const byteOrder = le ? 'le' : 'be';
    this.out.push(
      {
        kind: 'section',
        offset: 0,
        format: 'pcap',
        byteOrder,
        versionMajor: major,
        versionMinor: minor,
        linkType,
        snapLength,
        nanos,
      },
      { kind: 'interface', offset: 0, id: 0, linkType, snapLength, tsresol: nanos ? 9 : 6, tsoffset: 0 },
    );
    return PCAP_HEADER_LENGTH;
  }

  private pcapRecord(dv: DataView, b: Uint8Array, p: number, avail: number): number {
    if (avail < PCAP_RECORD_HEADER_LENGTH) return -PCAP_RECORD_HEADER_LENGTH;
    const le = this.le;
    let capLength = dv.getUint32(p + 8, le);
    let origLength = dv.getUint32(p + 12, le);
    if (this.swap !== 0 && (this.swap === 1 || capLength > origLength)) {
      const t = capLength;
      capLength = origLength;
      origLength = t;
    }
    // A caplen above the header's snap length is accepted up to the absolute bound: real files do
    // that (a snap length changed mid-capture, editcap), and tshark reads them.
    if (capLength > MAX_CAPTURED_LENGTH) {
      return this.fatal(
        'too-large',
        `pcap record at offset ${this.base}: captured length ${capLength} bigger than maximum of ${MAX_CAPTURED_LENGTH}`,
        this.base,
      );
    }
    if (origLength < capLength) {
      return this.fatal(
        'bad-length',
        `pcap record at offset ${this.base}: captured length ${capLength} exceeds original length ${origLength}`,
        this.base,
      );
    }
    const total = PCAP_RECORD_HEADER_LENGTH + capLength;
    if (avail < total) return -total;
    let seconds = dv.getUint32(p, le);
    let fraction = dv.getUint32(p + 4, le);
    // Fractions of a second or more (some writers' rounding) carry into the seconds.
    const perSecond = this.nanosPcap ? 1e9 : 1e6;
    if (fraction >= perSecond) {
      seconds += Math.floor(fraction / perSecond);
      fraction %= perSecond;
    }
    const start = p + PCAP_RECORD_HEADER_LENGTH;
    this.out.push({
      kind: 'packet',
      index: this.packets++,
      offset: this.base,
      dataOffset: this.base + PCAP_RECORD_HEADER_LENGTH,
      interfaceId: 0,
      linkType: this.pcapLinkType,
      seconds,
      nanos: this.nanosPcap ? fraction : fraction * 1000,
      data: b.subarray(start, start + capLength),
      originalLength: origLength,
      block: 'record',
      flags: undefined,
      comments: undefined,
    });
    return total;
  }

  private block(dv: DataView, b: Uint8Array, p: number, avail: number): number {
    if (avail < 8) return -8;
    const at = this.base;
    let le = this.le;
    const isSection = dv.getUint32(p, false) === BlockType.SECTION_HEADER;
    if (isSection) {
      // The section's byte order is known only from its magic, after the type and the length.
      if (avail < 12) return -12;
      const magic = dv.getUint32(p + 8, true);
      if (magic === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(p + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
      else {
        return this.fatal(
          'bad-magic',
          `pcapng section header at offset ${at}: unknown byte-order magic ${hex32(dv.getUint32(p + 8, false))}`,
          at,
        );
      }
    }
    const type = dv.getUint32(p, le);
    const length = dv.getUint32(p + 4, le);
    if (length < PCAPNG_BLOCK_OVERHEAD || length % 4 !== 0) {
      const why = length < PCAPNG_BLOCK_OVERHEAD ? 'less than 12' : 'not a multiple of 4';
      return this.fatal('bad-length', `${blockName(at, type)}: total length ${length} is ${why}`, at);
    }
    // Blocks with nothing to return but their type and length are passed over as they stream by,
    // whatever their size (decryption secrets or systemd journal blocks can run to megabytes, and
    // tshark reads them); only blocks parsed whole are held to the bound.
    const parsed =
      isSection ||
      type === BlockType.ENHANCED_PACKET ||
      type === BlockType.INTERFACE_DESCRIPTION ||
      type === BlockType.SIMPLE_PACKET ||
      type === BlockType.PACKET;
    if (parsed && length > MAX_BLOCK_LENGTH) {
      return this.fatal(
        'too-large',
        `${blockName(at, type)}: total length ${length} is too large (> ${MAX_BLOCK_LENGTH})`,
        at,
      );
    }
    if (isSection && length < MIN_BLOCK_LENGTH.SECTION_HEADER) {
      return this.fatal(
        'bad-length',
        `${blockName(at, type)}: total length ${length} is less than the minimum section header size ${MIN_BLOCK_LENGTH.SECTION_HEADER}`,
        at,
      );
    }
    if (avail < length) {
      if (parsed) return -length;
      this.mode = Mode.Skip;
      this.skipAt = at;
      this.skipType = type;
      this.skipLength = length;
      const consumed = Math.min(avail, length - 4);
      this.skipLeft = length - 4 - consumed;
      return consumed;
    }
    const trailer = dv.getUint32(p + length - 4, le);
    if (trailer !== length) {
      return this.fatal(
        'bad-length',
        `${blockName(at, type)}: total length ${length} does not match trailing length ${trailer}`,
        at,
      );
    }
    switch (type) {
      case BlockType.SECTION_HEADER:
        return this.section(dv, b, p, length, le);
      case BlockType.INTERFACE_DESCRIPTION:
        this.interfaceBlock(dv, b, p, length);
        return length;
      case BlockType.ENHANCED_PACKET:
      case BlockType.PACKET:
        this.packetBlock(dv, b, p, length, type);
        return length;
      case BlockType.SIMPLE_PACKET:
        this.simplePacket(dv, b, p, length);
        return length;
      default:
        this.out.push({ kind: 'skipped-block', offset: at, blockType: type, length });
        return length;
    }
  }

  /** Passes over the body of a large skipped block, then checks its trailing length. */
  private skip(dv: DataView, p: number, avail: number): number {
    if (this.skipLeft > 0) {
      const consumed = Math.min(avail, this.skipLeft);
      this.skipLeft -= consumed;
      return consumed;
    }
    if (avail < 4) return -4;
    const at = this.skipAt;
    const trailer = dv.getUint32(p, this.le);
    if (trailer !== this.skipLength) {
      return this.fatal(
        'bad-length',
        `${blockName(at, this.skipType)}: total length ${this.skipLength} does not match trailing length ${trailer}`,
        at,
      );
    }
    this.mode = Mode.Pcapng;
    this.out.push({ kind: 'skipped-block', offset: at, blockType: this.skipType, length: this.skipLength });
    return 4;
  }

  private section(dv: DataView, b: Uint8Array, p: number, length: number, le: boolean): number {
    const at = this.base;
    const major = dv.getUint16(p + 12, le);
    const minor = dv.getUint16(p + 14, le);
    if (major !== PCAPNG_VERSION_MAJOR || !PCAPNG_VERSION_MINORS.includes(minor)) {
      return this.fatal(
        'bad-version',
        `pcapng section header at offset ${at}: version ${major}.${minor} is not supported (readable: 1.0, 1.2)`,
        at,
      );
    }
    this.le = le;
    this.interfaces = [];
    const ok = this.options(dv, b, p + 24, p + length - 4, 0);
    const item: CaptureSectionItem = {
      kind: 'section',
      offset: at,
      format: 'pcapng',
      byteOrder: le ? 'le' : 'be',
      versionMajor: major,
      versionMinor: minor,
    };
    if (this.optComments) item.comments = this.optComments;
    if (this.optHardware !== undefined) item.hardware = this.optHardware;
    if (this.optOs !== undefined) item.os = this.optOs;
    if (this.optApplication !== undefined) item.application = this.optApplication;
    if (!ok) this.optionError('section header');
    this.out.push(item);
    return length;
  }

  private interfaceBlock(dv: DataView, b: Uint8Array, p: number, length: number): void {
    const at = this.base;
    const id = this.interfaces.length;
    if (length < MIN_BLOCK_LENGTH.INTERFACE_DESCRIPTION) {
      // Keep the numbering: packets on this id then report an unknown interface.
      this.interfaces.push(null);
      this.nonFatal(
        'bad-length',
        `interface description block ${id} at offset ${at}: total length ${length} is less than the minimum ${MIN_BLOCK_LENGTH.INTERFACE_DESCRIPTION}`,
      );
      return;
    }
    const le = this.le;
    const linkType = dv.getUint16(p + 8, le);
    const snapLength = dv.getUint32(p + 12, le);
    const ok = this.options(dv, b, p + 16, p + length - 4, 1);
    const tsresol = this.optTsresol;
    const exponent = tsresol & 0x7f;
    const base2 = (tsresol & 0x80) !== 0;
    const divisor = !base2 && exponent <= 9 ? 10 ** exponent : 0;
    this.interfaces.push({
      linkType,
      snapLength,
      tsoffset: this.optTsoffset,
      divisor,
      nanosPerTick: divisor === 0 ? 0 : 10 ** (9 - exponent),
      shift: base2 && exponent <= 32 ? exponent : -1,
      ticksPerSecond: ticksPerSecond(tsresol),
    });
    if (!ok) this.optionError(`interface description block ${id}`);
    const item: CaptureInterfaceItem = {
      kind: 'interface',
      offset: at,
      id,
      linkType,
      snapLength,
      tsresol,
      tsoffset: this.optTsoffset,
    };
    if (this.optName !== undefined) item.name = this.optName;
    this.out.push(item);
  }

  /** EPB, or the obsolete PB (u16 interface id + u16 drop count where the EPB has a u32 id). */
  private packetBlock(dv: DataView, b: Uint8Array, p: number, length: number, type: number): void {
    const at = this.base;
    const enhanced = type === BlockType.ENHANCED_PACKET;
    const kind = enhanced ? 'enhanced packet block' : 'packet block';
    if (length < MIN_BLOCK_LENGTH.ENHANCED_PACKET) {
      this.nonFatal(
        'bad-length',
        `${kind} at offset ${at}: total length ${length} is less than the minimum 32`,
      );
      return;
    }
    const le = this.le;
    const interfaceId = enhanced ? dv.getUint32(p + 8, le) : dv.getUint16(p + 8, le);
    const capLength = dv.getUint32(p + 20, le);
    const room = length - MIN_BLOCK_LENGTH.ENHANCED_PACKET;
    if (capLength > room) {
      this.nonFatal(
        'bad-length',
        `${kind} at offset ${at}: total length ${length} is too small for ${capLength} bytes of packet data`,
      );
      return;
    }
    if (capLength > MAX_CAPTURED_LENGTH) {
      this.nonFatal(
        'too-large',
        `${kind} at offset ${at}: captured length ${capLength} bigger than maximum of ${MAX_CAPTURED_LENGTH}`,
      );
      return;
    }
    const iface = this.interfaces[interfaceId];
    if (iface === undefined || iface === null) {
      this.unknownInterface(kind, interfaceId);
      return;
    }
    const start = p + 28;
    const optionsStart = start + pad4(capLength);
    let comments: string[] | undefined;
    let flags: number | undefined;
    if (optionsStart < p + length - 4) {
      const ok = this.options(dv, b, optionsStart, p + length - 4, 2);
      comments = this.optComments;
      flags = this.optFlags;
      if (!ok) this.optionError(`${kind} at offset ${at}`);
    }
    this.timestamp(iface, dv.getUint32(p + 12, le), dv.getUint32(p + 16, le));
    this.out.push({
      kind: 'packet',
      index: this.packets++,
      offset: at,
      dataOffset: at + 28,
      interfaceId,
      linkType: iface.linkType,
      seconds: this.tsSeconds,
      nanos: this.tsNanos,
      data: b.subarray(start, start + capLength),
      originalLength: dv.getUint32(p + 24, le),
      block: enhanced ? 'epb' : 'pb',
      flags,
      comments,
    });
  }

  private simplePacket(dv: DataView, b: Uint8Array, p: number, length: number): void {
    const at = this.base;
    if (length < MIN_BLOCK_LENGTH.SIMPLE_PACKET) {
      this.nonFatal(
        'bad-length',
        `simple packet block at offset ${at}: total length ${length} is less than 16`,
      );
      return;
    }
    const iface = this.interfaces[0];
    if (iface === undefined || iface === null) {
      this.unknownInterface('simple packet block', 0);
      return;
    }
    const originalLength = dv.getUint32(p + 8, this.le);
    // The SPB has no captured length: it is the original length cut to the snap length (0 = none), and
    // can be no more than the block holds.
    let capLength = Math.min(originalLength, length - MIN_BLOCK_LENGTH.SIMPLE_PACKET);
    if (iface.snapLength !== 0 && iface.snapLength < capLength) capLength = iface.snapLength;
    if (capLength > MAX_CAPTURED_LENGTH) {
      this.nonFatal(
        'too-large',
        `simple packet block at offset ${at}: captured length ${capLength} bigger than maximum of ${MAX_CAPTURED_LENGTH}`,
      );
      return;
    }
    this.out.push({
      kind: 'packet',
      index: this.packets++,
      offset: at,
      dataOffset: at + 12,
      interfaceId: 0,
      linkType: iface.linkType,
      seconds: 0,
      nanos: 0,
      data: b.subarray(p + 12, p + 12 + capLength),
      originalLength,
      block: 'spb',
      flags: undefined,
      comments: undefined,
    });
  }

  private unknownInterface(kind: string, id: number): void {
    const count = this.interfaces.length;
    const why = id < count ? 'whose description block was unreadable' : `but the section defines ${count}`;
    this.nonFatal(
      'unknown-interface',
      `${kind} at offset ${this.base}: interface ${id} ${why}; block skipped`,
    );
  }

  /**
   * Walks the options in [p, end). `block`: 0 section header, 1 interface description, 2 packet.
   * Results go to the opt* fields. False when an option overruns the block (those before it are kept).
   */
  private options(dv: DataView, b: Uint8Array, p: number, end: number, block: 0 | 1 | 2): boolean {
    const le = this.le;
    this.optComments = undefined;
    this.optFlags = undefined;
    this.optName = undefined;
    this.optTsresol = DEFAULT_TSRESOL;
    this.optTsoffset = 0;
    this.optHardware = undefined;
    this.optOs = undefined;
    this.optApplication = undefined;
    while (p + 4 <= end) {
      const code = dv.getUint16(p, le);
      const length = dv.getUint16(p + 2, le);
      if (code === Option.END_OF_OPTIONS) return true;
      const value = p + 4;
      if (value + length > end) {
        this.optError = `option ${code} of ${length} bytes overruns the block by ${value + length - end}`;
        return false;
      }
      if (code === Option.COMMENT) {
        (this.optComments ??= []).push(text(b, value, length));
      } else if (block === 2) {
        if (code === Option.EPB_FLAGS && length === 4) this.optFlags = dv.getUint32(value, le);
      } else if (block === 1) {
        if (code === Option.IF_NAME) this.optName = text(b, value, length);
        else if (code === Option.IF_TSRESOL && length >= 1) this.optTsresol = b[value]!;
        else if (code === Option.IF_TSOFFSET && length === 8) {
          const hi = dv.getInt32(value + (le ? 4 : 0), le);
          const lo = dv.getUint32(value + (le ? 0 : 4), le);
          this.optTsoffset = hi * TWO_32 + lo;
        }
      } else if (code === Option.SHB_HARDWARE) this.optHardware = text(b, value, length);
      else if (code === Option.SHB_OS) this.optOs = text(b, value, length);
      else if (code === Option.SHB_USER_APPLICATION) this.optApplication = text(b, value, length);
      p = value + pad4(length);
    }
    return true;
  }

  /** Sets tsSeconds/tsNanos from a 64-bit tick count (hi, lo) in the interface's resolution. */
  private timestamp(iface: Interface, hi: number, lo: number): void {
    const d = iface.divisor;
    if (d !== 0 && (hi < TWO_21 || d >= 4096)) {
      let seconds: number;
      let rest: number;
      if (hi < TWO_21) {
        // The tick count is below 2^53 (µs stamps until the year 2255): exact as one number.
        const ticks = hi * TWO_32 + lo;
        seconds = quotient(ticks, d);
        rest = ticks - seconds * d;
      } else {
        // ns and other fine resolutions. The float tick count is within 2^11 of the true one, so for
        // d ≥ 4096 the float quotient is at most one off; the true remainder then lies in (-d, 2d),
        // and its low 32 bits (exact with Math.imul) tell which.
        seconds = Math.floor((hi * TWO_32 + lo) / d);
        rest = (lo - Math.imul(seconds >>> 0, d)) >>> 0;
        if (rest >= TWO_31) {
          seconds -= 1;
          rest = rest - TWO_32 + d;
        } else if (rest >= d) {
          seconds += 1;
          rest -= d;
        }
      }
      this.tsSeconds = seconds + iface.tsoffset;
      this.tsNanos = rest * iface.nanosPerTick;
      return;
    }
    const n = iface.shift;
    if (n >= 0 && hi < TWO_21) {
      const ticks = hi * TWO_32 + lo;
      const unit = 2 ** n;
      const seconds = Math.floor(ticks / unit);
      const frac = ticks - seconds * unit;
      this.tsSeconds = seconds + iface.tsoffset;
      this.tsNanos = n <= 9 ? Math.floor((frac * 1e9) / unit) : Math.floor((frac * FIVE_9) / 2 ** (n - 9));
      return;
    }
    // Rare resolutions (finer than ns, or 2^-33 and below) and tick counts whose seconds pass 2^53.
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    const per = iface.ticksPerSecond;
    this.tsSeconds = Number(ticks / per) + iface.tsoffset;
    this.tsNanos = Number(((ticks % per) * 1000000000n) / per);
  }

  private optionError(where: string): void {
    this.nonFatal('bad-option', `${where} at offset ${this.base}: ${this.optError}; later options ignored`);
  }

  private nonFatal(code: CaptureErrorCode, message: string): void {
    this.out.push({ kind: 'error', offset: this.base, code, message, fatal: false });
  }

  private fatal(code: CaptureErrorCode, message: string, offset: number, missing?: number): 0 {
    const item: CaptureErrorItem = { kind: 'error', offset, code, message, fatal: true };
    if (missing !== undefined) item.missing = missing;
    this.out.push(item);
    this.mode = Mode.Done;
    this.pend = undefined;
    this.pendLen = 0;
    return 0;
  }
}

/** floor(n / d) for integers below 2^53: the float quotient may be one off near an integer. */
function quotient(n: number, d: number): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
}

function text(b: Uint8Array, start: number, length: number): string {
  let end = start + length;
  // Some writers NUL-terminate option strings; the terminator is not part of the text.
  while (end > start && b[end - 1] === 0) end--;
  return utf8.decode(b.subarray(start, end));
}

function blockName(offset: number, type: number): string {
  return `pcapng block at offset ${offset} (type ${hex32(type)})`;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** Every item of a capture held in memory, the end-of-input check included. */
export function parseCapture(bytes: Uint8Array): CaptureItem[] {
  const parser = new CaptureParser();
  return parser.push(bytes).concat(parser.end());
}

export interface ReadCaptureOptions {
  /** Bytes per read from a file path (default 1 MiB). */
  chunkSize?: number;
}

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/**
 * Items of a capture file (a path) or of any byte source, one batch per chunk read that completed
 * something. The next chunk is read only when the consumer asks for the next batch. Never throws: an
 * unreadable file or a failing source ends with a fatal 'io' error item.
 */
export async function* readCapture(
  source: string | AsyncIterable<Uint8Array>,
  opts: ReadCaptureOptions = {},
): AsyncGenerator<CaptureItem[], void, undefined> {
  const size = opts.chunkSize;
  const chunkSize =
    size !== undefined && Number.isFinite(size) && size >= 1 ? Math.floor(size) : DEFAULT_CHUNK_SIZE;
  const parser = new CaptureParser();
  let iterator: AsyncIterator<Uint8Array> | undefined;
  try {
    iterator = (typeof source === 'string' ? fileChunks(source, chunkSize) : source)[Symbol.asyncIterator]();
    while (true) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (err) {
        yield [ioError(parser.offset + parser.buffered, err)];
        return;
      }
      if (next.done === true) break;
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) {
        const what = typeof chunk === 'string' ? 'a string' : typeof chunk;
        yield [ioError(parser.offset + parser.buffered, new Error(`the source yielded ${what}, not bytes`))];
        return;
      }
      const items = parser.push(chunk);
      if (items.length > 0) yield items;
      if (parser.finished) return;
    }
    const tail = parser.end();
    if (tail.length > 0) yield tail;
  } finally {
    // Stops the source (closes the file) also when the consumer leaves early.
    try {
      await iterator?.return?.();
    } catch {
      // The source failing to close changes nothing already read.
    }
  }
}

async function* fileChunks(path: string, chunkSize: number): AsyncGenerator<Uint8Array, void, undefined> {
  const file = await open(path, 'r');
  try {
    while (true) {
      // A fresh buffer per read: packet data returned earlier are views of the previous ones.
      const buffer = Buffer.allocUnsafeSlow(chunkSize);
      const { bytesRead } = await file.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) return;
      yield new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
    }
  } finally {
    await file.close();
  }
}

function ioError(offset: number, err: unknown): CaptureErrorItem {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
  return {
    kind: 'error',
    offset,
    code: 'io',
    message: `read failed at offset ${offset}: ${message}`,
    fatal: true,
  };
}
