// The pcap/pcapng fixtures of captures/pcap: exactly what scripts/write-captures.ts writes, decoded
// to the documents' frames with their values, read the same by pcap-parser where it can, and
// reassembled into the same TCP streams as tshark's Follow TCP Stream.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureFixtures } from '../../scripts/write-captures.js';
import { decodePacket, parseCapture, TcpReassembler, type StreamEvent } from '../../src/capture/index.js';
import { decodeInput, type FrameRecord, type TimelineRecord } from '../../src/pipeline/index.js';
import { comparePcapParsers } from '../capture/pcap-parser-oracle.js';

const DIR = 'captures/pcap';
const FIXTURES = readdirSync(DIR).filter((f) => /\.pcapn?g?$/.test(f));
const hasTshark = spawnSync('tshark', ['--version']).status === 0;

async function timeline(file: string): Promise<TimelineRecord[]> {
  const out: TimelineRecord[] = [];
  for await (const r of decodeInput(join(DIR, file))) out.push(r);
  return out;
}

const frames = (records: TimelineRecord[]) => records.filter((r): r is FrameRecord => r.kind === 'frame');
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** The frames of the raw example file a fixture was written from (the documents' examples). */
async function exampleFrames(file: string, input?: 'hex-lines'): Promise<string[]> {
  const out: string[] = [];
  for await (const r of decodeInput(file, input ? { input } : {}))
    if (r.kind === 'frame') out.push(latin1(r.bytes));
  return out;
}

describe('captures/pcap fixtures', () => {
  it('are byte for byte what scripts/write-captures.ts writes', () => {
    const written = captureFixtures();
    expect(written.map((f) => f.name).sort()).toEqual([...FIXTURES].sort());
    for (const f of written)
      expect(Buffer.compare(Buffer.from(f.bytes), readFileSync(join(DIR, f.name)))).toBe(0);
  });

  it('cover every link type and pcap variant the issue names', () => {
    const seen = new Set<string>();
    for (const file of FIXTURES)
      for (const item of parseCapture(new Uint8Array(readFileSync(join(DIR, file))))) {
        if (item.kind === 'interface') seen.add(`link ${item.linkType}`);
        if (item.kind === 'section' && item.format === 'pcap')
          seen.add(`pcap ${item.nanos ? 'ns' : 'us'} ${item.byteOrder}`);
        if (item.kind === 'section' && item.format === 'pcapng') seen.add(`pcapng ${item.byteOrder}`);
      }
    for (const want of [0, 1, 101, 108, 113, 228, 229, 276]) expect(seen).toContain(`link ${want}`);
    for (const want of ['pcap us le', 'pcap us be', 'pcap ns le', 'pcap ns be', 'pcapng le', 'pcapng be'])
      expect(seen).toContain(want);
  });
});

describe('decoding the fixtures gives the documents frames', () => {
  const vt600 = FIXTURES.filter((f) => f.startsWith('vt600-'));
  const mt700 = FIXTURES.filter((f) => f.startsWith('mt700-'));
  const h02 = FIXTURES.filter((f) => f.startsWith('h02-') && !f.includes('edge'));

  it.each(vt600)('%s: the 15 frames of the VT600 OTA procedure, in order, with their CRCs', async (file) => {
    const got = frames(await timeline(file));
    expect(got.map((r) => latin1(r.bytes))).toEqual(
      await exampleFrames('captures/vt600/ota-procedure.hex', 'hex-lines'),
    );
    expect(got).toHaveLength(15);
    const first = got[0]!.frame;
    expect(first.normalized.ident).toBe('101130923633');
    expect(first.normalized['message.type']).toBe('ota_info_request');
    expect(first.checksums[0]).toMatchObject({ status: 'good', expected: 0x3f9c, actual: 0x3f9c });
    expect(got[0]!.direction).toBe('downlink');
    expect(got[1]!.direction).toBe('uplink');
    expect(got.every((r) => r.conversation?.startsWith('tcp:0 '))).toBe(true);
  });

  it.each(mt700)('%s: the MT700 §2.2.1 reports with their coordinates', async (file) => {
    const records = await timeline(file);
    const got = frames(records);
    const reports = await exampleFrames('captures/mt700/gps-examples.txt');
    expect(got.slice(0, 4).map((r) => latin1(r.bytes).trimEnd())).toEqual(reports.map((r) => r.trimEnd()));
    const n = got[0]!.frame.normalized;
    expect(n.ident).toBe('862255061947757');
    expect(n['position.latitude']).toBeCloseTo(22.6482433, 7);
    expect(n['position.longitude']).toBeCloseTo(114.0343917, 7);
    expect(n.timestamp).toBe(1704889998);
    expect(records.filter((r) => r.kind === 'undecoded')).toEqual([]);
  });

  it.each(h02)('%s: the H02 examples with their coordinates', async (file) => {
    const got = frames(await timeline(file));
    const first = got[0]!.frame;
    expect(first.normalized.ident).toBe('4209951296');
    expect(first.normalized['position.latitude']).toBeCloseTo(22.5452967, 7);
    expect(first.normalized['position.longitude']).toBeCloseTo(114.077955, 6);
    expect(got.every((r) => r.frame.ok)).toBe(true);
    expect(got.length).toBeGreaterThanOrEqual(19);
  });

  it('every frame points at its bytes in the file', async () => {
    for (const file of FIXTURES) {
      const bytes = readFileSync(join(DIR, file));
      for (const r of frames(await timeline(file))) {
        // A frame split over segments starts in its first packet's payload.
        const head = Math.min(r.bytes.length, 5);
        expect(latin1(bytes.subarray(r.source.offset, r.source.offset + head))).toBe(
          latin1(r.bytes.subarray(0, head)),
        );
        expect(r.source.packet).toBeGreaterThan(0);
      }
    }
  });
});

describe('the reassembly edge-case session', () => {
  it('gives the exact timeline: reordered, retransmissions dropped, conflict and gap reported', async () => {
    const records = await timeline('h02-tcp-reassembly-edge-cases.pcap');
    const summary = records.map((r) => {
      if (r.kind === 'frame')
        return `${r.conversation!.split(' ')[0]} ${r.direction} ${r.frame.frameType}:${latin1(r.bytes).slice(18, 24)}`;
      if (r.kind === 'gap') return `gap ${r.length} at ${r.streamOffset}`;
      if (r.kind === 'conflict')
        return `conflict at ${r.streamOffset}: kept ${latin1(r.kept).slice(27, 36)}, discarded ${latin1(r.bytes).slice(27, 36)}`;
      if (r.kind === 'undecoded') return `undecoded ${r.bytes.length}`;
      return r.kind;
    });
    expect(summary).toEqual([
      'tcp:0 uplink message:144418',
      'tcp:0 uplink message:144428',
      'conflict at 158: kept 2232.7182, discarded 2232.7999',
      'tcp:0 uplink message:144438',
      'gap 79 at 237',
      'tcp:0 uplink message:144458',
      'tcp:0 uplink message:144508',
      'tcp:0 uplink message:T,100#',
      'tcp:0 uplink message:144518',
      'tcp:0 uplink message:T,100#',
      'tcp:0 downlink command:,13030',
      'tcp:1 uplink message:144418',
      'undecoded 25',
      'tcp:2 uplink message:144428',
    ]);
  });
});

describe('the pcapng with mixed link types', () => {
  it('decodes every interface, both sections, and UDP over IPv6', async () => {
    const records = await timeline('mixed-link-types.pcapng');
    const got = frames(records);
    expect(got.map((r) => r.frame.protocol)).toEqual([
      'mt700',
      'mt700',
      'meiligao',
      'meiligao',
      'meiligao',
      'meiligao',
      'h02',
      'h02',
      'h02',
    ]);
    expect(got[0]!.timestamp).toBeCloseTo(1704889998.004, 6);
    expect(got[2]!.conversation).toBe('tcp:1 10.20.30.40:41001 > 192.0.2.10:5000');
    expect(got[6]!.conversation).toBe('udp:0 [2001:db8::40]:41002 > [2001:db8::10]:5013');
    // if_tsoffset 3600 applied; the simple packet block has no time at all.
    expect(got[6]!.timestamp).toBeCloseTo(1704890000.001, 3);
    expect(got[7]!.timestamp).toBeUndefined();
    expect(got[8]!.frame.normalized.ident).toBe('4106012736');
  });
});

describe('pcap-parser, an independent reader, agrees on every classic µs pcap fixture', () => {
  const classic = FIXTURES.filter((f) => f.endsWith('.pcap'));
  it.each(classic.filter((f) => f.includes('-us-')))('%s', async (file) => {
    expect(await comparePcapParsers(join(DIR, file))).toEqual([]);
  });
  it.each(classic.filter((f) => f.includes('-ns-')))(
    '%s: pcap-parser cannot read ns files at all',
    async (file) => {
      const differences = await comparePcapParsers(join(DIR, file));
      expect(differences.join('\n')).toMatch(/magic/i);
    },
  );
});

/** Each TCP stream's two directions as tshark's Follow shows them: chunks, with gaps as "[N missing]". */
function tsharkFollow(file: string, streams: number): Map<number, Record<'client' | 'server', string>> {
  const args = ['-r', file, '-q'];
  for (let s = 0; s < streams; s++) args.push('-z', `follow,tcp,raw,${s}`);
  const r = spawnSync('tshark', args, { encoding: 'latin1' });
  const out = new Map<number, Record<'client' | 'server', string>>();
  for (const block of r.stdout.split('===================================================================')) {
    const m = /Filter: tcp.stream eq (\d+)/.exec(block);
    if (!m) continue;
    const dirs = { client: '', server: '' };
    for (const line of block.split('\n')) {
      const hex = line.trim();
      if (!/^[0-9a-f]+$/.test(hex)) continue;
      const text = Buffer.from(hex, 'hex').toString('latin1');
      const missing = /^\[(\d+) bytes missing in capture file\]\0$/.exec(text);
      dirs[line.startsWith('\t') ? 'server' : 'client'] += missing ? `[${missing[1]} missing]` : text;
    }
    out.set(Number(m[1]), dirs);
  }
  return out;
}

/** Our reassembled streams, in the same notation. */
function ourStreams(file: string): Map<number, Record<'client' | 'server', string>> {
  const tcp = new TcpReassembler();
  const out = new Map<number, Record<'client' | 'server', string>>();
  const take = (e: StreamEvent) => {
    if (e.kind === 'open') out.set(e.stream, { client: '', server: '' });
    if (e.kind === 'data') out.get(e.stream)![e.from] += latin1(e.bytes);
    if (e.kind === 'gap') out.get(e.stream)![e.from] += `[${e.length} missing]`;
  };
  for (const item of parseCapture(new Uint8Array(readFileSync(file)))) {
    if (item.kind !== 'packet') continue;
    const d = decodePacket(item.linkType, item.data);
    if (d.kind !== 'tcp') continue;
    tcp.push({ ...d, packetIndex: item.index, seconds: item.seconds, nanos: item.nanos }).forEach(take);
  }
  tcp.end().forEach(take);
  return out;
}

describe.skipIf(!hasTshark)('reassembled streams equal tshark -z follow,tcp,raw', () => {
  it.each(FIXTURES)('%s', (file) => {
    const ours = ourStreams(join(DIR, file));
    const theirs = tsharkFollow(join(DIR, file), ours.size);
    expect(ours.size).toBeGreaterThan(0);
    expect([...theirs.keys()].sort()).toEqual([...ours.keys()].sort());
    for (const [stream, dirs] of ours) expect(theirs.get(stream), `stream ${stream}`).toEqual(dirs);
  });
});
