// An independent reader to check ours against: pcap-parser 0.2.1 (classic µs pcap only, either byte
// order; see the capture note C.1). No vitest import here, so that any test can run the comparison over
// its own pcap files: `expect(await comparePcapParsers(path)).toEqual([])`.
import { createRequire } from 'node:module';
import { readCapture, type CaptureItem } from '../../src/capture/index.js';
import { packetsOf } from './capture-helpers.js';

interface PcapParserGlobalHeader {
  magicNumber: number;
  majorVersion: number;
  minorVersion: number;
  snapshotLength: number;
  linkLayerType: number;
}

interface PcapParserPacket {
  header: {
    timestampSeconds: number;
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  };
  data: Uint8Array;
}

/** The part of pcap-parser's EventEmitter used here (the package ships no types). */
interface PcapParserSession {
  on(event: 'globalHeader', listener: (header: PcapParserGlobalHeader) => void): this;
  on(event: 'packet', listener: (packet: PcapParserPacket) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'end', listener: () => void): this;
}

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as { parse(input: string): PcapParserSession };

/** Differences reported per file past this many are summarised in one line. */
const MAX_REPORTED = 20;

interface TheirResult {
  header: PcapParserGlobalHeader | undefined;
  packets: PcapParserPacket[];
  error: string | undefined;
}

function readWithPcapParser(path: string): Promise<TheirResult> {
  return new Promise((resolve) => {
    const result: TheirResult = { header: undefined, packets: [], error: undefined };
    let settled = false;
    const finish = () => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    pcapParser
      .parse(path)
      .on('globalHeader', (h) => (result.header = h))
      .on('packet', (p) => result.packets.push(p))
      // It emits 'end' right after a header error, and also when the stream fails.
      .on('error', (err) => (result.error ??= err.message))
      .on('end', finish);
  });
}

async function readWithTrackshark(path: string): Promise<CaptureItem[]> {
  const items: CaptureItem[] = [];
  for await (const batch of readCapture(path)) for (const item of batch) items.push(item);
  return items;
}

/**
 * Reads a classic µs pcap with both readers and lists how they disagree: packet count, timestamps,
 * lengths, bytes, link type, and any error either one reports. An empty list means they agree. (Files
 * pcap-parser cannot read, ns pcap or pcapng, come back as differences too.)
 */
export async function comparePcapParsers(path: string): Promise<string[]> {
  const [ours, theirs] = await Promise.all([readWithTrackshark(path), readWithPcapParser(path)]);
  const out: string[] = [];
  let extra = 0;
  const report = (line: string) => {
    if (out.length < MAX_REPORTED) out.push(line);
    else extra++;
  };

  const section = ours.find((i) => i.kind === 'section');
  if (section === undefined || section.format !== 'pcap' || section.nanos === true) {
    const what = section === undefined ? 'no file header' : section.format === 'pcap' ? 'ns pcap' : 'pcapng';
    report(`trackshark: not a classic µs pcap (${what})`);
  }
  for (const item of ours) {
    if (item.kind === 'error')
      report(`trackshark error (${item.code}, offset ${item.offset}): ${item.message}`);
  }
  if (theirs.error !== undefined) report(`pcap-parser error: ${theirs.error}`);
  if (section !== undefined && theirs.header !== undefined) {
    if (section.linkType !== (theirs.header.linkLayerType & 0x03ffffff)) {
      report(`link type: trackshark ${section.linkType}, pcap-parser ${theirs.header.linkLayerType}`);
    }
  }

  const packets = packetsOf(ours);
  if (packets.length !== theirs.packets.length) {
    report(`packet count: trackshark ${packets.length}, pcap-parser ${theirs.packets.length}`);
  }
  const n = Math.min(packets.length, theirs.packets.length);
  for (let i = 0; i < n; i++) {
    const a = packets[i]!;
    const b = theirs.packets[i]!;
    const h = b.header;
    // pcap-parser keeps the raw µs field; ours carries an out-of-range one into the seconds.
    const theirSeconds = h.timestampSeconds + Math.floor(h.timestampMicroseconds / 1e6);
    const theirNanos = (h.timestampMicroseconds % 1e6) * 1000;
    if (a.seconds !== theirSeconds || a.nanos !== theirNanos) {
      report(
        `packet ${i}: time trackshark ${a.seconds}.${a.nanos}, pcap-parser ${h.timestampSeconds} s ${h.timestampMicroseconds} µs`,
      );
    }
    if (a.data.length !== h.capturedLength || a.originalLength !== h.originalLength) {
      report(
        `packet ${i}: lengths trackshark ${a.data.length}/${a.originalLength}, pcap-parser ${h.capturedLength}/${h.originalLength}`,
      );
    }
    const first = firstDifference(a.data, b.data);
    if (first >= 0) report(`packet ${i}: bytes differ from byte ${first}`);
  }
  if (extra > 0) out.push(`… and ${extra} more differences`);
  return out;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
