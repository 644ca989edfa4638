// `trackshark decode` on pcap/pcapng captures, run as the real binary: directories decoded on worker
// threads in a deterministic order, --decode-as, damaged files, link types nobody can decode.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINKTYPE, PcapWriter, TcpConversationWriter } from '../../src/capture/index.js';
import { ndjson, trackshark } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'trackshark-cli-'));

describe('trackshark decode <directory>', () => {
  it('decodes every capture in the folder on worker threads, printing what one thread prints', () => {
    const parallel = trackshark(['decode', '--json', '--jobs', '2', 'captures/pcap']);
    const sequential = trackshark(['decode', '--json', '--jobs', '1', 'captures/pcap']);
    expect(parallel.status).toBe(0);
    expect(parallel.stdout).toBe(sequential.stdout);
    expect(parallel.stderr).toBe(sequential.stderr);
    const files = new Set(ndjson(parallel.stdout).map((r) => (r.source as { file: string }).file));
    expect([...files]).toEqual([...files].sort());
    expect(files.size).toBe(12); // the 12 captures; the README beside them is not an input
    expect([...files].some((f) => f.endsWith('.md'))).toBe(false);
  });

  it('reads a Markdown file that is named, not found in a folder', () => {
    const named = trackshark(['decode', '--json', '--quiet', 'captures/pcap/README.md']);
    expect(named.status).toBe(0);
    expect(ndjson(named.stdout)[0]).toMatchObject({ kind: 'undecoded', reason: 'no known protocol' });
  });
});

describe('--decode-as', () => {
  const file = 'captures/pcap/h02-raw-us-le.pcap';

  it('overrides the protocol found by content for conversations on that port', () => {
    const detected = ndjson(trackshark(['decode', '--json', file]).stdout);
    expect(detected.filter((r) => r.protocol === 'h02')).toHaveLength(20);
    const forced = trackshark(['decode', '--json', '--decode-as', '5013=mt700', file]);
    expect(forced.status).toBe(0);
    const records = ndjson(forced.stdout);
    expect(records.length).toBeGreaterThan(0);
    expect(records.some((r) => r.protocol === 'h02')).toBe(false);
    expect(records.every((r) => r.kind === 'undecoded')).toBe(true);
  });

  it('rejects a malformed spec or an unknown protocol with exit status 2', () => {
    const bad = trackshark(['decode', '--decode-as', 'meiligao', file]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--decode-as wants PORT=PROTOCOL');
    const unknown = trackshark(['decode', '--decode-as', '5013=teltonika', file]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /teltonika: unknown protocol \(known: meiligao, mt700, h02, fibocom, wln\)/,
    );
  });
});

describe('damaged captures', () => {
  it('a truncated capture: every frame before the cut is decoded, then one error with the byte offset', () => {
    const whole = readFileSync('captures/pcap/vt600-ota-ethernet-us-le.pcap');
    const cut = join(tmp, 'truncated.pcap');
    writeFileSync(cut, whole.subarray(0, 2000));
    const r = trackshark(['decode', '--json', cut]);
    expect(r.status).toBe(2);
    const frames = ndjson(r.stdout).filter((x) => x.kind === 'frame');
    const before = ndjson(
      trackshark(['decode', '--json', 'captures/pcap/vt600-ota-ethernet-us-le.pcap']).stdout,
    )
      .filter((x) => x.kind === 'frame')
      .filter((x) => (x.source as { offset: number }).offset + (x.length as number) <= 2000);
    expect(frames.map((f) => f.hex)).toEqual(before.map((f) => f.hex));
    expect(frames.length).toBeGreaterThan(5);
    const error = r.stderr.split('\n').find((l) => l.includes('truncated.pcap (byte'));
    expect(error).toMatch(/truncated\.pcap \(byte \d+\): .*(cut short|truncated)/i);
    const offset = Number(/\(byte (\d+)\)/.exec(error!)![1]);
    expect(offset).toBeLessThan(2000);
    expect(offset).toBeGreaterThan(1800);
  });

  it('packets of a link type trackshark cannot decode are counted, not silently dropped', () => {
    const file = join(tmp, 'usb.pcap');
    const w = new PcapWriter({ linkType: 189 });
    const packets = [0, 1, 2].map((i) =>
      w.packet({ seconds: 1704889998 + i, nanos: 0, data: new Uint8Array(48) }),
    );
    writeFileSync(file, Buffer.concat([w.header(), ...packets]));
    const r = trackshark(['decode', file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/3 packets of unsupported link type .*189/);
    const json = ndjson(trackshark(['decode', '--json', file]).stdout);
    expect(json).toEqual([expect.objectContaining({ kind: 'notice', severity: 'warning' })]);
  });

  it('packets without TCP or UDP payload are summarised by reason', () => {
    const file = join(tmp, 'handshake-only.pcap');
    const w = new PcapWriter({ linkType: LINKTYPE.ETHERNET });
    const conv = new TcpConversationWriter({
      linkType: LINKTYPE.ETHERNET,
      client: { address: '10.0.0.2', port: 40000 },
      server: { address: '10.0.0.1', port: 5000 },
      startSeconds: 1704889998,
    });
    const arp = new Uint8Array(42);
    arp.set([0x08, 0x06], 12);
    writeFileSync(
      file,
      Buffer.concat([
        w.header(),
        ...conv.open().map((p) => w.packet(p)),
        w.packet({ seconds: 1, nanos: 0, data: arp }),
      ]),
    );
    const r = trackshark(['decode', file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/0 frames, 1 packet without TCP or UDP payload \(not-ip 1\)/);
  });
});
