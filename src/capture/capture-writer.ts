// Writers for pcap and pcapng, for fixtures, replay recordings and fuzz findings. Each call returns
// the bytes of one header, record or block, to be written in call order; nothing is buffered here.
//
// What the readers (ours, tshark, libpcap) would reject is refused with a RangeError instead of being
// written: timestamps out of range, an original length below the captured one, packets on an
// interface the section does not define. Data longer than the snap length (0 or absent meaning
// MAX_CAPTURED_LENGTH) is cut to it, as a capture would have cut it.
import {
  BlockType,
  DEFAULT_TSRESOL,
  MAX_CAPTURED_LENGTH,
  Option,
  PCAP_HEADER_LENGTH,
  PCAP_MAGIC_MICROS,
  PCAP_MAGIC_NANOS,
  PCAP_RECORD_HEADER_LENGTH,
  PCAP_VERSION_MAJOR,
  PCAP_VERSION_MINOR,
  PCAPNG_BYTE_ORDER_MAGIC,
  PCAPNG_VERSION_MAJOR,
  pad4,
  ticksPerSecond,
} from './capture-format.js';

export type ByteOrder = 'le' | 'be';

export interface PcapWriterOptions {
  linkType: number;
  /** ns timestamps (magic a1b23c4d) instead of µs. */
  nanos?: boolean;
  /** Default 'le'. */
  byteOrder?: ByteOrder;
  /** Default 262144. */
  snapLength?: number;
}

export interface WrittenPacket {
  seconds: number;
  /** 0..999999999; rounded down to the file's resolution. */
  nanos: number;
  data: Uint8Array;
  /** Default: data.length. */
  originalLength?: number;
}

export class PcapWriter {
  private readonly le: boolean;
  private readonly nanos: boolean;
  private readonly snapLength: number;
  private readonly linkType: number;

  constructor(opts: PcapWriterOptions) {
    this.le = (opts.byteOrder ?? 'le') === 'le';
    this.nanos = opts.nanos ?? false;
    this.snapLength = opts.snapLength ?? MAX_CAPTURED_LENGTH;
    this.linkType = opts.linkType;
    checkUint('linkType', opts.linkType, 0xffffffff);
    checkUint('snapLength', this.snapLength, 0xffffffff);
  }

  header(): Uint8Array {
    const out = new Uint8Array(PCAP_HEADER_LENGTH);
    const dv = view(out);
    dv.setUint32(0, this.nanos ? PCAP_MAGIC_NANOS : PCAP_MAGIC_MICROS, this.le);
    dv.setUint16(4, PCAP_VERSION_MAJOR, this.le);
    dv.setUint16(6, PCAP_VERSION_MINOR, this.le);
    // thiszone and sigfigs: always 0 in practice, and ignored by every reader.
    dv.setUint32(16, this.snapLength, this.le);
    dv.setUint32(20, this.linkType, this.le);
    return out;
  }

  packet(p: WrittenPacket): Uint8Array {
    checkUint('seconds', p.seconds, 0xffffffff);
    checkNanos(p.nanos);
    const data = cut(p.data, this.snapLength);
    const originalLength = originalLengthOf(p);
    const out = new Uint8Array(PCAP_RECORD_HEADER_LENGTH + data.length);
    const dv = view(out);
    dv.setUint32(0, p.seconds, this.le);
    dv.setUint32(4, this.nanos ? p.nanos : Math.floor(p.nanos / 1000), this.le);
    dv.setUint32(8, data.length, this.le);
    dv.setUint32(12, originalLength, this.le);
    out.set(data, PCAP_RECORD_HEADER_LENGTH);
    return out;
  }
}

export interface PcapngInterfaceOptions {
  linkType: number;
  /** 0 = no limit. Default 262144, as dumpcap writes. */
  snapLength?: number;
  /** Raw if_tsresol byte: 6 = µs, 9 = ns, 0x80|n = 2^-n s. Omitted: 6, and no option is written. */
  tsresol?: number;
  /** if_tsoffset seconds; packet() subtracts it so that readers get back the seconds given. */
  tsoffset?: number;
  name?: string;
}

export interface PcapngPacket extends WrittenPacket {
  interfaceId: number;
  comments?: readonly string[];
  /** epb_flags. */
  flags?: number;
}

interface WriterInterface {
  linkType: number;
  snapLength: number;
  tsoffset: number;
  ticksPerSecond: bigint;
}

const NANOS_PER_SECOND = 1000000000n;
const encoder = new TextEncoder();

export class PcapngWriter {
  /** Byte order of sections that do not name one. */
  private readonly defaultLe: boolean;
  private le: boolean;
  private interfaces: WriterInterface[] = [];
  private inSection = false;

  constructor(opts: { byteOrder?: ByteOrder } = {}) {
    this.defaultLe = (opts.byteOrder ?? 'le') === 'le';
    this.le = this.defaultLe;
  }

  /**
   * A Section Header Block, in `byteOrder` or else the writer's; the blocks after it follow it.
   * Interfaces are per section: a new section starts with none.
   */
  section(opts: { byteOrder?: ByteOrder; comment?: string; application?: string } = {}): Uint8Array {
    this.le = opts.byteOrder === undefined ? this.defaultLe : opts.byteOrder === 'le';
    this.interfaces = [];
    this.inSection = true;
    const options = new Options(this.le);
    if (opts.comment !== undefined) options.text(Option.COMMENT, opts.comment);
    if (opts.application !== undefined) options.text(Option.SHB_USER_APPLICATION, opts.application);
    const body = new Uint8Array(16);
    const dv = view(body);
    dv.setUint32(0, PCAPNG_BYTE_ORDER_MAGIC, this.le);
    dv.setUint16(4, PCAPNG_VERSION_MAJOR, this.le);
    dv.setUint16(6, 0, this.le);
    // Section length -1: not specified, so the file can be streamed.
    dv.setBigInt64(8, -1n, this.le);
    return this.frame(BlockType.SECTION_HEADER, body, options.bytes());
  }

  /** An Interface Description Block; its id is the count of interfaces before it in the section. */
  interface(opts: PcapngInterfaceOptions): { id: number; bytes: Uint8Array } {
    this.requireSection();
    checkUint('linkType', opts.linkType, 0xffff);
    const snapLength = opts.snapLength ?? MAX_CAPTURED_LENGTH;
    checkUint('snapLength', snapLength, 0xffffffff);
    const tsresol = opts.tsresol ?? DEFAULT_TSRESOL;
    checkUint('tsresol', tsresol, 0xff);
    const tsoffset = opts.tsoffset ?? 0;
    if (!Number.isSafeInteger(tsoffset)) throw new RangeError(`tsoffset ${tsoffset} is not a safe integer`);
    const options = new Options(this.le);
    if (opts.name !== undefined) options.text(Option.IF_NAME, opts.name);
    if (opts.tsresol !== undefined) options.add(Option.IF_TSRESOL, new Uint8Array([tsresol]));
    if (opts.tsoffset !== undefined) {
      const value = new Uint8Array(8);
      view(value).setBigInt64(0, BigInt(tsoffset), this.le);
      options.add(Option.IF_TSOFFSET, value);
    }
    const body = new Uint8Array(8);
    const dv = view(body);
    dv.setUint16(0, opts.linkType, this.le);
    dv.setUint32(4, snapLength, this.le);
    this.interfaces.push({
      linkType: opts.linkType,
      snapLength,
      tsoffset,
      ticksPerSecond: ticksPerSecond(tsresol),
    });
    return {
      id: this.interfaces.length - 1,
      bytes: this.frame(BlockType.INTERFACE_DESCRIPTION, body, options.bytes()),
    };
  }

  /** An Enhanced Packet Block, its timestamp in the interface's resolution (rounded down). */
  packet(p: PcapngPacket): Uint8Array {
    const iface = this.interfaceFor(p.interfaceId);
    const data = cut(p.data, iface.snapLength);
    const originalLength = originalLengthOf(p);
    const options = this.packetOptions(p.comments, p.flags);
    const body = new Uint8Array(20 + pad4(data.length));
    const dv = view(body);
    dv.setUint32(0, p.interfaceId, this.le);
    this.setTimestamp(dv, 4, iface, p);
    dv.setUint32(12, data.length, this.le);
    dv.setUint32(16, originalLength, this.le);
    body.set(data, 20);
    return this.frame(BlockType.ENHANCED_PACKET, body, options);
  }

  /**
   * A Simple Packet Block: interface 0, no timestamp, no captured length (readers take the original
   * length cut to the snap length), so `data` must be exactly that.
   */
  simplePacket(p: { data: Uint8Array; originalLength?: number }): Uint8Array {
    const iface = this.interfaceFor(0);
    const data = cut(p.data, iface.snapLength);
    const originalLength = originalLengthOf(p);
    const expected = iface.snapLength === 0 ? originalLength : Math.min(originalLength, iface.snapLength);
    if (expected !== data.length) {
      throw new RangeError(
        `a simple packet block cannot hold ${data.length} of ${originalLength} bytes: readers would take ${expected}`,
      );
    }
    const body = new Uint8Array(4 + pad4(data.length));
    view(body).setUint32(0, originalLength, this.le);
    body.set(data, 4);
    return this.frame(BlockType.SIMPLE_PACKET, body, new Uint8Array(0));
  }

  /** The obsolete Packet Block (type 2) that EPB replaced; for reader tests. Drop count 0. */
  obsoletePacket(p: {
    interfaceId: number;
    seconds: number;
    nanos: number;
    data: Uint8Array;
    comments?: readonly string[];
  }): Uint8Array {
    checkUint('interfaceId', p.interfaceId, 0xffff);
    const iface = this.interfaceFor(p.interfaceId);
    const data = cut(p.data, iface.snapLength);
    const options = this.packetOptions(p.comments, undefined);
    const body = new Uint8Array(20 + pad4(data.length));
    const dv = view(body);
    dv.setUint16(0, p.interfaceId, this.le);
    this.setTimestamp(dv, 4, iface, p);
    dv.setUint32(12, data.length, this.le);
    dv.setUint32(16, p.data.length, this.le);
    body.set(data, 20);
    return this.frame(BlockType.PACKET, body, options);
  }

  /** Any other block (ISB, NRB, DSB, custom…): `body` is padded to 32 bits and framed as is. */
  block(blockType: number, body: Uint8Array): Uint8Array {
    checkUint('blockType', blockType, 0xffffffff);
    const padded = new Uint8Array(pad4(body.length));
    padded.set(body);
    return this.frame(blockType, padded, new Uint8Array(0));
  }

  private packetOptions(comments: readonly string[] | undefined, flags: number | undefined): Uint8Array {
    if (comments === undefined && flags === undefined) return new Uint8Array(0);
    const options = new Options(this.le);
    for (const comment of comments ?? []) options.text(Option.COMMENT, comment);
    if (flags !== undefined) {
      checkUint('flags', flags, 0xffffffff);
      const value = new Uint8Array(4);
      view(value).setUint32(0, flags, this.le);
      options.add(Option.EPB_FLAGS, value);
    }
    return options.bytes();
  }

  private setTimestamp(
    dv: DataView,
    at: number,
    iface: WriterInterface,
    p: { seconds: number; nanos: number },
  ): void {
    if (!Number.isSafeInteger(p.seconds)) throw new RangeError(`seconds ${p.seconds} is not a safe integer`);
    checkNanos(p.nanos);
    const seconds = BigInt(p.seconds - iface.tsoffset);
    const per = iface.ticksPerSecond;
    const ticks = seconds * per + (BigInt(p.nanos) * per) / NANOS_PER_SECOND;
    if (ticks < 0n || ticks >= 1n << 64n) {
      throw new RangeError(
        `timestamp ${p.seconds}.${p.nanos} does not fit the interface's 64-bit tick count`,
      );
    }
    dv.setUint32(at, Number(ticks >> 32n), this.le);
    dv.setUint32(at + 4, Number(ticks & 0xffffffffn), this.le);
  }

  private interfaceFor(id: number): WriterInterface {
    this.requireSection();
    const iface = this.interfaces[id];
    if (iface === undefined) {
      throw new RangeError(
        `interface ${id} is not defined in this section (${this.interfaces.length} defined)`,
      );
    }
    return iface;
  }

  private requireSection(): void {
    if (!this.inSection) throw new Error('PcapngWriter: call section() before writing interfaces or packets');
  }

  /** type, total length, body, options, total length. */
  private frame(type: number, body: Uint8Array, options: Uint8Array): Uint8Array {
    const length = 12 + body.length + options.length;
    const out = new Uint8Array(length);
    const dv = view(out);
    dv.setUint32(0, type, this.le);
    dv.setUint32(4, length, this.le);
    out.set(body, 8);
    out.set(options, 8 + body.length);
    dv.setUint32(length - 4, length, this.le);
    return out;
  }
}

/** Options padded to 32 bits, closed by opt_endofopt. */
class Options {
  private readonly parts: Uint8Array[] = [];

  constructor(private readonly le: boolean) {}

  text(code: number, value: string): void {
    this.add(code, encoder.encode(value));
  }

  add(code: number, value: Uint8Array): void {
    if (value.length > 0xffff) throw new RangeError(`option ${code} of ${value.length} bytes exceeds 65535`);
    const out = new Uint8Array(4 + pad4(value.length));
    const dv = view(out);
    dv.setUint16(0, code, this.le);
    dv.setUint16(2, value.length, this.le);
    out.set(value, 4);
    this.parts.push(out);
  }

  bytes(): Uint8Array {
    if (this.parts.length === 0) return new Uint8Array(0);
    const length = this.parts.reduce((n, p) => n + p.length, 0) + 4;
    const out = new Uint8Array(length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    // The last 4 bytes stay zero: opt_endofopt, length 0.
    return out;
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function cut(data: Uint8Array, snapLength: number): Uint8Array {
  const limit = Math.min(snapLength === 0 ? MAX_CAPTURED_LENGTH : snapLength, MAX_CAPTURED_LENGTH);
  return data.length > limit ? data.subarray(0, limit) : data;
}

/** The packet's original length (default: all of its data), checked. */
function originalLengthOf(p: { data: Uint8Array; originalLength?: number }): number {
  const originalLength = p.originalLength ?? p.data.length;
  if (originalLength < p.data.length) {
    throw new RangeError(`originalLength ${originalLength} is less than the ${p.data.length} bytes of data`);
  }
  checkUint('originalLength', originalLength, 0xffffffff);
  return originalLength;
}

function checkUint(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} ${value} is not an integer in 0..${max}`);
  }
}

function checkNanos(nanos: number): void {
  checkUint('nanos', nanos, 999999999);
}
