// Numbers of the two capture file formats, shared by the reader and the writer. Link types are carried
// as plain numbers here; their names live in link-layer.ts.
//
// pcap: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
// pcapng: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html

/** pcap magic as a u32 in the file's own byte order: µs timestamps. */
export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
/** pcap magic of `tcpdump --time-stamp-precision=nano` files: ns timestamps. */
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;
export const PCAP_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;
/** libpcap and Wireshark read 2.0–2.4; before 2.3 a record header held origlen before caplen. */
export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
/**
 * The top 6 bits of the pcap header's link type carry FCS information (libpcap's LT_FCS_* macros);
 * the link type proper is the rest.
 */
export const PCAP_LINKTYPE_MASK = 0x03ffffff;

/**
 * Largest captured length accepted in one packet: Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD and
 * libpcap's MAXIMUM_SNAPLEN. tshark rejects larger pcap records as "bigger than maximum of 262144",
 * and a corrupt length beyond it would otherwise make a streaming reader buffer gigabytes.
 */
export const MAX_CAPTURED_LENGTH = 262144;

export const PCAPNG_VERSION_MAJOR = 1;
/** 1.2 was written by some tools and means the same as 1.0 (Wireshark reads both). */
export const PCAPNG_VERSION_MINORS: readonly number[] = [0, 2];
/** SHB byte-order magic, written as a u32 in the section's byte order. */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Type, total length, trailing total length. */
export const PCAPNG_BLOCK_OVERHEAD = 12;
/**
 * Largest block the reader assembles whole (section header, interface and packet blocks): Wireshark's
 * MAX_BLOCK_SIZE (the smallest EPB, plus the largest packet, plus 128 KiB of options). Other blocks are
 * passed over as they stream by, whatever their length (tshark 4.0 reads a 128 MiB custom block).
 */
export const MAX_BLOCK_LENGTH = 32 + MAX_CAPTURED_LENGTH + 131072;

export const BlockType = Object.freeze({
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  /** Obsolete Packet Block of pcapng drafts before EPB; libpcap and Wireshark still read it. */
  PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
  SYSTEMD_JOURNAL: 0x00000009,
  DECRYPTION_SECRETS: 0x0000000a,
  CUSTOM: 0x00000bad,
  /** Custom block that must not be copied into a new file. */
  CUSTOM_NO_COPY: 0x40000bad,
});

/** Smallest total length of each block type: the fixed fields plus type and both lengths. */
export const MIN_BLOCK_LENGTH = Object.freeze({
  /** Byte-order magic, version, section length. */
  SECTION_HEADER: 28,
  /** Link type, reserved, snap length. */
  INTERFACE_DESCRIPTION: 20,
  /** Interface id, drops, timestamp, caplen, origlen. */
  PACKET: 32,
  /** Original length. */
  SIMPLE_PACKET: 16,
  /** Interface id, timestamp, caplen, origlen. */
  ENHANCED_PACKET: 32,
});

export const Option = Object.freeze({
  END_OF_OPTIONS: 0,
  /** Every block: UTF-8 comment, may repeat. */
  COMMENT: 1,
  SHB_HARDWARE: 2,
  SHB_OS: 3,
  SHB_USER_APPLICATION: 4,
  IF_NAME: 2,
  IF_DESCRIPTION: 3,
  /** One byte: 10^-n seconds, or 2^-n when the top bit is set. Absent means 6 (µs). */
  IF_TSRESOL: 9,
  /** Signed 64-bit seconds added to every timestamp of the interface. */
  IF_TSOFFSET: 14,
  /** EPB and obsolete PB: u32 direction / reception type / FCS length / link-layer errors. */
  EPB_FLAGS: 2,
});

/** `if_tsresol` when the option is absent. */
export const DEFAULT_TSRESOL = 6;

/** Timestamp ticks per second of an `if_tsresol` byte: 10^n, or 2^n when the top bit is set. */
export function ticksPerSecond(tsresol: number): bigint {
  const exponent = BigInt(tsresol & 0x7f);
  return (tsresol & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
}

/** Rounds a length up to the 32-bit boundary that pcapng pads fields and options to. */
export function pad4(length: number): number {
  const rest = length % 4;
  return rest === 0 ? length : length + 4 - rest;
}
