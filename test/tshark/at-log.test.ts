// AT modem logs in tshark: fibocom.lua's file reader opens every fixture log (`tshark -r modem.log`)
// with one packet per line trackshark decodes, the line's stamp as the packet time, the AT frames
// equal to `decode --json`'s, and the tracker frames carried in +MIPSEND/+MIPRTCP/+MIPRUDP hex
// (joined across lines per socket and direction) equal to decode's nested frames, field by field.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_PROTOCOLS, fibocom } from '../../src/protocols/index.js';
import { ndjson, trackshark } from '../helpers/cli.js';
import { compareCapture } from './compare.js';
import { HAS_TSHARK, jsonPdus, tshark } from './tshark.js';

const DIR = 'captures/fibocom';
const LOGS = readdirSync(DIR)
  .filter((f) => /\.(log|txt)$/.test(f))
  .sort();

type Rec = Record<string, unknown> & { source: { file: string; line: number } };

interface Packet {
  readonly time?: number;
  readonly direction?: string;
}

/** Per packet: the frame time (when the record had one) and the log line's direction. */
function packets(json: string): Packet[] {
  const list = JSON.parse(json) as { _source: { layers: Record<string, Record<string, string>> } }[];
  return list.map(({ _source: { layers } }) => ({
    ...(layers.frame?.['frame.time_epoch'] !== undefined
      ? { time: Number(layers.frame['frame.time_epoch']) }
      : {}),
    ...(layers.fibocom_log?.['fibocom_log.direction'] !== undefined
      ? { direction: layers.fibocom_log['fibocom_log.direction'] }
      : {}),
  }));
}

describe.skipIf(!HAS_TSHARK)('tshark -r on AT modem logs (fibocom.lua file reader)', () => {
  const decoded = ndjson(trackshark(['decode', '--json', ...LOGS.map((f) => `${DIR}/${f}`)]).stdout) as Rec[];

  it.each(LOGS)('%s: one packet per line, same AT frames and nested frames as decode --json', (file) => {
    const path = `${DIR}/${file}`;
    const json = tshark(['-r', path, '-T', 'json', '--no-duplicate-keys']);
    const pdml = tshark(['-r', path, '-T', 'pdml']);
    expect(json.stderr).toBe('');
    expect(json.stdout).not.toMatch(/Lua Error|_ws\.malformed|_ws\.lua\.error/);
    // Top-level records are the lines; records of carried streams name their conversation.
    const lines = decoded.filter((r) => r.source.file === path && r.conversation === undefined);
    const pkts = packets(json.stdout);
    expect(pkts.length).toBe(new Set(lines.map((r) => r.source.line)).size);
    expect(pkts.length).toBeGreaterThan(10);
    // Dated stamps are the packet times, to the nanosecond tshark keeps.
    for (const r of lines.filter((x) => typeof x.timestamp === 'number')) {
      const n = [...new Set(lines.map((x) => x.source.line))].indexOf(r.source.line);
      expect(pkts[n]!.time, `line ${r.source.line}`).toBeCloseTo(r.timestamp as number, 6);
    }
    const at = compareCapture([fibocom], lines, json.stdout, pdml.stdout);
    expect(at.diffs).toEqual([]);
    expect(at.frames).toBe(lines.filter((r) => r.kind === 'frame').length);
    const nested = lines.flatMap((r) => (r.nested as Rec[] | undefined) ?? []);
    const inner = compareCapture(PAYLOAD_PROTOCOLS, nested, json.stdout, pdml.stdout);
    expect(inner.diffs).toEqual([]);
    expect(inner.frames).toBe(nested.filter((r) => r.kind === 'frame').length);
  });

  it('mt700-tcp-session.log: stamps, markers, and the report joined from two +MIPSEND lines', () => {
    const path = `${DIR}/mt700-tcp-session.log`;
    const json = tshark(['-r', path, '-T', 'json', '--no-duplicate-keys']);
    const pkts = packets(json.stdout);
    // 2024-01-10 12:33:18.260 >> AT
    expect(pkts[0]).toEqual({ time: 1704889998.26, direction: 'tx (host to module)' });
    expect(pkts[1]!.direction).toBe('rx (module to host)');
    const reports = jsonPdus(json.stdout, 'mt700');
    expect(reports.map((r) => r.get('mt700.head.imei')?.[0] ?? r.get('mt700.reply.imei')?.[0])).toEqual([
      '862255061947757',
      undefined,
      '862255061947757',
    ]);
    expect(reports[0]!.get('mt700.records.sentence.gprmc.latitude')).toEqual(['22.6482267']);
    expect(reports[0]!.get('mt700.records.sentence.checksum.status')).toEqual(['1']);
    expect(reports[1]!.get('mt700.cmd.keyword')).toEqual(['MODE']);
    // The first half waits in its line; the report shows on the line that completes it.
    const r = tshark([
      '-r',
      path,
      '-Y',
      'mt700',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      '_ws.col.Protocol',
    ]);
    expect(r.stdout.trim().split('\n')).toEqual(['25\tMT700', '31\tMT700', '32\tMT700']);
  });

  it('two passes and a tree (-2 -V) show the same nested frames as one pass', () => {
    const path = `${DIR}/vt600-ota-socket2.log`;
    const crcs = (extra: string[]) =>
      tshark([...extra, '-r', path, '-T', 'fields', '-E', 'occurrence=a', '-e', 'meiligao.crc.status'])
        .stdout;
    const once = crcs([]);
    expect(once.split(/[\n,]/).filter((v) => v === '1').length).toBe(15);
    expect(crcs(['-2'])).toBe(once);
    const tree = tshark(['-2', '-V', '-r', path]).stdout;
    expect(tree).toContain('Device ID: 101130923633');
    expect(tree).not.toMatch(/Lua Error/);
  });

  it('leaves pcap, pcapng and other text files to their own readers', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'trackshark-atlog-'));
    const notes = join(tmp, 'notes.txt');
    writeFileSync(notes, 'Shopping list\r\nAT the shop: bread\nmilk\n');
    const binary = join(tmp, 'binary.log');
    writeFileSync(binary, Buffer.concat([Buffer.from('AT\r\nOK\r\n'), Buffer.alloc(64, 0xff)]));
    for (const file of [notes, binary, 'captures/wln/README.md']) {
      const r = tshark(['-r', file, '-c', '1']);
      expect(r.stdout, file).toBe('');
      expect(r.stderr, file).toMatch(/isn't a capture file in a format TShark understands/);
    }
    for (const file of ['captures/pcap/mixed-link-types.pcapng', 'captures/pcap/mt700-vlan-ns-be.pcap']) {
      const r = tshark(['-r', file, '-T', 'fields', '-e', 'frame.protocols']);
      expect(r.stderr, file).toBe('');
      expect(r.stdout, file).not.toMatch(/fibocom_log/);
      expect(r.stdout, file).toMatch(/^(eth|sll|null|loop|raw|ip|ipv6)/m);
    }
  });
});
