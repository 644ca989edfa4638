// Writes the pcap and pcapng fixtures of captures/pcap/ with trackshark's own capture writer and
// packet builder, from the vendor documents' examples already kept as raw frames under captures/.
// Deterministic (fixed times, sequence numbers and addresses): a test regenerates them and checks
// the committed files are byte for byte what this script writes.
//
//   npm run captures            (writes captures/pcap/)
//   npx tsx scripts/write-captures.ts OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LINKTYPE,
  parseHexLine,
  PcapngWriter,
  PcapWriter,
  TCP_FLAGS,
  TcpConversationWriter,
  UdpConversationWriter,
  type ConversationOptions,
  type SyntheticPacket,
} from '../src/capture/index.js';
import { decodeStream } from '../src/decode/index.js';
import { protocolByName } from '../src/protocols/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** 2024-01-10 12:33:18 UTC, the time of the MT700 document's first example. */
const START = 1704889998;

interface Example {
  readonly from: 'client' | 'server';
  readonly bytes: Uint8Array;
}

/** The frames of a raw capture file, cut by the protocol's own framing (line ends kept with them). */
function framesOf(protocolName: string, file: string, from: Example['from']): Example[] {
  const protocol = protocolByName(protocolName)!;
  const bytes = new Uint8Array(readFileSync(join(ROOT, 'captures', file)));
  return decodeStream(protocol, bytes, { fields: false })
    .filter((r) => r.kind === 'frame' && r.frame.ok)
    .map((r) => {
      const f = r as Extract<typeof r, { kind: 'frame' }>;
      return { from, bytes: bytes.slice(f.offset, f.offset + f.length + f.trailer) };
    });
}

/** The VT600 OTA procedure in the document's order: `@@` from the server, `$$` from the tracker. */
function vt600Procedure(): Example[] {
  const text = readFileSync(join(ROOT, 'captures/vt600/ota-procedure.hex'), 'latin1');
  const out: Example[] = [];
  for (const line of text.split('\n')) {
    const parsed = parseHexLine(line);
    if (parsed?.kind === 'frame')
      out.push({ from: parsed.bytes[0] === 0x40 ? 'server' : 'client', bytes: parsed.bytes });
  }
  return out;
}

const mt700Reports = () => framesOf('mt700', 'mt700/gps-examples.txt', 'client');
const mt700Replies = () => framesOf('mt700', 'mt700/replies.txt', 'client');
const h02Reports = () =>
  ['h02/v1.txt', 'h02/v4.txt', 'h02/v5.txt', 'h02/htbt.txt', 'h02/link.txt'].flatMap((f) =>
    framesOf('h02', f, 'client'),
  );
const h02Commands = () => framesOf('h02', 'h02/commands.txt', 'server');

const V4 = { device: '10.20.30.40', server: '192.0.2.10' };
const V6 = { device: '2001:db8::40', server: '2001:db8::10' };

function conversation(
  opts: Omit<ConversationOptions, 'startSeconds' | 'client' | 'server'> & {
    v6?: boolean;
    devicePort: number;
    serverPort: number;
    start?: number;
  },
): ConversationOptions {
  const a = opts.v6 ? V6 : V4;
  return {
    linkType: opts.linkType,
    client: { address: a.device, port: opts.devicePort },
    server: { address: a.server, port: opts.serverPort },
    startSeconds: opts.start ?? START,
    ...(opts.vlans ? { vlans: opts.vlans } : {}),
    ...(opts.loopbackByteOrder ? { loopbackByteOrder: opts.loopbackByteOrder } : {}),
  };
}

/** A whole TCP session: handshake, every example in order (each acknowledged), orderly close. */
function tcpSession(opts: ConversationOptions, examples: readonly Example[]): SyntheticPacket[] {
  const w = new TcpConversationWriter(opts);
  return [...w.open(), ...examples.flatMap((e) => w.send(e.from, e.bytes)), ...w.close('client')];
}

function pcapFile(
  packets: readonly SyntheticPacket[],
  opts: { linkType: number; nanos: boolean; byteOrder: 'le' | 'be' },
): Uint8Array {
  const w = new PcapWriter(opts);
  return concat([w.header(), ...packets.map((p) => w.packet(p))]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * The H02 session of the capture note's reassembly table, and more: client ISN 0xFFFFFFF0 (the
 * sequence numbers wrap), m3 before m2, an exact retransmission of m2, a retransmission of m3 with
 * different bytes, m4 lost, m5 after the gap, a frame split over three segments, three frames in one
 * segment, a keep-alive, then FIN; the same ports reused by a new connection that ends in RST; and a
 * conversation whose start was not captured.
 */
function reassemblyEdgeCases(): SyntheticPacket[] {
  const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  const m = [
    '*HQ,4209951296,V1,144418,A,2232.7178,N,11404.6773,E,000.21,000,080218,FFFFFBFF#',
    '*HQ,4209951296,V1,144428,A,2232.7180,N,11404.6775,E,000.00,000,080218,FFFFFBFF#',
    '*HQ,4209951296,V1,144438,A,2232.7182,N,11404.6777,E,000.00,000,080218,FFFFFBFF#',
    '*HQ,4209951296,V1,144448,A,2232.7184,N,11404.6779,E,000.00,000,080218,FFFFFBFF#',
    '*HQ,4209951296,V1,144458,A,2232.7186,N,11404.6781,E,000.00,000,080218,FFFFFBFF#',
  ].map(enc);
  const opts = conversation({ linkType: LINKTYPE.ETHERNET, devicePort: 40001, serverPort: 5013 });
  const w = new TcpConversationWriter(opts, { client: 0xfffffff0, server: 0x20000000 });
  const out: SyntheticPacket[] = [...w.open()];
  const base = w.seq.client;
  const at = (i: number) => (base + m.slice(0, i).reduce((n, x) => n + x.length, 0)) >>> 0;
  const data = TCP_FLAGS.ACK | TCP_FLAGS.PSH;
  const serverAck = (upTo: number) =>
    w.raw('server', { seq: w.seq.server, ack: at(upTo), flags: TCP_FLAGS.ACK });
  out.push(w.raw('client', { seq: at(0), flags: data, payload: m[0]! }), serverAck(1));
  out.push(w.raw('client', { seq: at(2), flags: data, payload: m[2]! }), serverAck(1));
  out.push(w.raw('client', { seq: at(1), flags: data, payload: m[1]! }), serverAck(3));
  out.push(w.raw('client', { seq: at(1), flags: data, payload: m[1]! }), serverAck(3));
  const altered = enc(Buffer.from(m[2]!).toString('latin1').replace('2232.7182', '2232.7999'));
  out.push(w.raw('client', { seq: at(2), flags: data, payload: altered }), serverAck(3));
  // m4 (at(3)) never reaches the capture; the server's ACK shows the device sent it.
  out.push(w.raw('client', { seq: at(4), flags: data, payload: m[4]! }), serverAck(5));
  w.seq.client = at(5);
  const split = enc('*HQ,4209951296,V1,144508,A,2232.7188,N,11404.6783,E,000.00,000,080218,FFFFFBFF#');
  for (const part of [split.subarray(0, 5), split.subarray(5, 40), split.subarray(40)])
    out.push(...w.send('client', part));
  const three = enc(
    '*HQ,4209951296,HTBT,100#*HQ,4209951296,V1,144518,A,2232.7190,N,11404.6785,E,000.00,000,080218,FFFFFBFF#*HQ,4209951296,HTBT,100#',
  );
  out.push(...w.send('client', three));
  out.push(w.raw('client', { seq: (w.seq.client - 1) >>> 0, flags: TCP_FLAGS.ACK, payload: enc('\0') }));
  out.push(...w.send('server', enc('*HQ,4209951296,S20,130305,1,1#')));
  out.push(...w.close('client'));

  const again = new TcpConversationWriter(
    { ...opts, startSeconds: START + 60 },
    { client: 0x7000, server: 0x9000 },
  );
  out.push(...again.open(), ...again.send('client', m[0]!), again.reset('client'));

  const late = new TcpConversationWriter(
    conversation({ linkType: LINKTYPE.ETHERNET, devicePort: 40002, serverPort: 5013, start: START + 120 }),
    { client: 0x31000, server: 0x52000 },
  );
  // Captured from the middle: no handshake, the first bytes are the tail of a frame.
  out.push(...late.send('client', enc('0.21,000,080218,FFFFFBFF#')), ...late.send('client', m[1]!));
  out.push(...late.close('server'));
  return out;
}

/** The pcapng of a merged capture: interfaces of different link types, two sections, every block kind. */
function mixedPcapng(): Uint8Array {
  const le = new PcapngWriter({ byteOrder: 'le' });
  const parts: Uint8Array[] = [le.section({ comment: 'trackshark fixture: section 1, little-endian' })];
  const eth = le.interface({ linkType: LINKTYPE.ETHERNET, name: 'eth0' });
  const sll = le.interface({ linkType: LINKTYPE.LINUX_SLL, tsresol: 9, name: 'any' });
  parts.push(eth.bytes, sll.bytes);
  parts.push(le.block(4, nameResolutionBody()));
  const mt700 = tcpSession(
    conversation({ linkType: LINKTYPE.ETHERNET, devicePort: 41000, serverPort: 7700 }),
    mt700Reports().slice(0, 2),
  );
  const vt600 = tcpSession(
    conversation({ linkType: LINKTYPE.LINUX_SLL, devicePort: 41001, serverPort: 5000, start: START + 1 }),
    vt600Procedure().slice(0, 4),
  );
  // Interleaved as a merge of the two interfaces would be, by time.
  const merged = [...mt700.map((p) => ({ p, id: eth.id })), ...vt600.map((p) => ({ p, id: sll.id }))].sort(
    (a, b) => a.p.seconds - b.p.seconds || a.p.nanos - b.p.nanos,
  );
  merged.forEach(({ p, id }, i) =>
    parts.push(
      le.packet({
        interfaceId: id,
        ...p,
        ...(i === 3 ? { comments: ['first MT700 report (MT700 document §2.2.1 example 1)'] } : {}),
        flags: 1,
      }),
    ),
  );
  parts.push(le.block(5, new Uint8Array(12)));
  parts.push(le.block(0x00000bad, new Uint8Array([0x00, 0x00, 0x7e, 0x7e, 1, 2, 3, 4])));

  const be = new PcapngWriter({ byteOrder: 'be' });
  parts.push(be.section({ comment: 'trackshark fixture: section 2, big-endian' }));
  const sll2 = be.interface({
    linkType: LINKTYPE.LINUX_SLL2,
    tsresol: 0x80 | 20,
    tsoffset: 3600,
    name: 'any',
  });
  parts.push(sll2.bytes);
  const h02 = new UdpConversationWriter(
    conversation({
      linkType: LINKTYPE.LINUX_SLL2,
      v6: true,
      devicePort: 41002,
      serverPort: 5013,
      start: START + 2,
    }),
  );
  const reports = h02Reports().slice(0, 3);
  parts.push(
    be.packet({
      interfaceId: sll2.id,
      ...h02.send('client', reports[0]!.bytes),
      comments: ['H02 over UDP, IPv6'],
    }),
  );
  parts.push(be.simplePacket({ data: h02.send('client', reports[1]!.bytes).data }));
  parts.push(be.obsoletePacket({ interfaceId: sll2.id, ...h02.send('client', reports[2]!.bytes) }));
  return concat(parts);
}

/** A name resolution block: one IPv4 record for the fixture server, then the end record. */
function nameResolutionBody(): Uint8Array {
  const name = Buffer.from('tracking.example\0', 'latin1');
  const value = Buffer.concat([Buffer.from([192, 0, 2, 10]), name]);
  const padded = Buffer.concat([value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  const record = Buffer.alloc(4);
  record.writeUInt16LE(1, 0);
  record.writeUInt16LE(value.length, 2);
  return new Uint8Array(Buffer.concat([record, padded, Buffer.alloc(4)]));
}

export interface Fixture {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export function captureFixtures(): Fixture[] {
  const pcap = (
    name: string,
    linkType: number,
    nanos: boolean,
    byteOrder: 'le' | 'be',
    packets: SyntheticPacket[],
  ): Fixture => ({ name, bytes: pcapFile(packets, { linkType, nanos, byteOrder }) });
  const c = (linkType: number, serverPort: number, extra: Partial<Parameters<typeof conversation>[0]> = {}) =>
    conversation({ linkType, devicePort: 40100 + (serverPort % 100), serverPort, ...extra });
  return [
    pcap(
      'vt600-ota-ethernet-us-le.pcap',
      LINKTYPE.ETHERNET,
      false,
      'le',
      tcpSession(c(LINKTYPE.ETHERNET, 5000), vt600Procedure()),
    ),
    pcap(
      'mt700-vlan-ns-be.pcap',
      LINKTYPE.ETHERNET,
      true,
      'be',
      tcpSession(c(LINKTYPE.ETHERNET, 7700, { vlans: [100] }), [
        ...mt700Reports(),
        ...mt700Replies().slice(0, 2),
      ]),
    ),
    pcap(
      'h02-qinq-us-be.pcap',
      LINKTYPE.ETHERNET,
      false,
      'be',
      tcpSession(c(LINKTYPE.ETHERNET, 5013, { vlans: [300, 100] }), [
        ...h02Reports(),
        ...h02Commands().slice(0, 2),
      ]),
    ),
    pcap(
      'mt700-sll-ns-le.pcap',
      LINKTYPE.LINUX_SLL,
      true,
      'le',
      tcpSession(c(LINKTYPE.LINUX_SLL, 7700), mt700Reports()),
    ),
    pcap(
      'vt600-sll2-us-le.pcap',
      LINKTYPE.LINUX_SLL2,
      false,
      'le',
      tcpSession(c(LINKTYPE.LINUX_SLL2, 5000), vt600Procedure()),
    ),
    pcap('h02-raw-us-le.pcap', LINKTYPE.RAW, false, 'le', tcpSession(c(LINKTYPE.RAW, 5013), h02Reports())),
    pcap(
      'mt700-ipv4-ns-be.pcap',
      LINKTYPE.IPV4,
      true,
      'be',
      tcpSession(c(LINKTYPE.IPV4, 7700), mt700Reports()),
    ),
    pcap(
      'vt600-ipv6-us-le.pcap',
      LINKTYPE.IPV6,
      false,
      'le',
      tcpSession(c(LINKTYPE.IPV6, 5000, { v6: true }), vt600Procedure()),
    ),
    pcap(
      'h02-null-us-le.pcap',
      LINKTYPE.NULL,
      false,
      'le',
      tcpSession(c(LINKTYPE.NULL, 5013, { loopbackByteOrder: 'le' }), h02Reports()),
    ),
    pcap(
      'mt700-loop-us-be.pcap',
      LINKTYPE.LOOP,
      false,
      'be',
      tcpSession(c(LINKTYPE.LOOP, 7700, { v6: true }), mt700Reports()),
    ),
    pcap('h02-tcp-reassembly-edge-cases.pcap', LINKTYPE.ETHERNET, false, 'le', reassemblyEdgeCases()),
    { name: 'mixed-link-types.pcapng', bytes: mixedPcapng() },
  ];
}

function main(): void {
  const dir = process.argv[2] ?? join(ROOT, 'captures/pcap');
  mkdirSync(dir, { recursive: true });
  for (const f of captureFixtures()) {
    writeFileSync(join(dir, f.name), f.bytes);
    console.log(`${join(dir, f.name)}: ${f.bytes.length} bytes`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
