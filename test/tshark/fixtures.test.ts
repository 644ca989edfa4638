// The two oracles agree: on every fixture capture, tshark with the generated dissectors shows the
// same frames, field values (-T json) and byte ranges (PDML pos/size) as `trackshark decode --json`,
// with no Lua error and no malformed item.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_PROTOCOLS } from '../../src/protocols/index.js';
import { ndjson, trackshark } from '../helpers/cli.js';
import { compareCapture } from './compare.js';
import { HAS_TSHARK, tshark } from './tshark.js';

const DIR = 'captures/pcap';
const CAPTURES = readdirSync(DIR)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();
/**
 * Frames the decoder's own TCP reassembly recovers and Wireshark 4.0's does not: m2 of the edge-case
 * capture arrives after m3 (out of order), and tshark does not reassemble out-of-order segments by
 * default. A TCP-layer difference, not a dissector one; every other frame of that capture is compared.
 * Turning on `tcp.reassemble_out_of_order` does not help: Wireshark 4.0 then holds back everything
 * after the capture's unfilled gap (6 frames shown of 11).
 */
const TCP_LAYER_DIFFERENCES: Readonly<Record<string, readonly number[]>> = {
  'h02-tcp-reassembly-edge-cases.pcap': [8],
};
/** Claim conversations by content (the fixtures use ports other dissectors own, such as RSL's 5000). */
const HEURISTICS_FIRST = ['-o', 'tcp.try_heuristic_first:TRUE', '-o', 'udp.try_heuristic_first:TRUE'];

describe.skipIf(!HAS_TSHARK)('tshark with the generated dissectors on the fixture captures', () => {
  const decoded = ndjson(trackshark(['decode', '--json', ...CAPTURES.map((f) => `${DIR}/${f}`)]).stdout);

  it.each(CAPTURES)('%s: same frames, values and byte ranges as decode --json', (file) => {
    const path = `${DIR}/${file}`;
    const json = tshark([...HEURISTICS_FIRST, '-r', path, '-T', 'json', '--no-duplicate-keys']);
    const pdml = tshark([...HEURISTICS_FIRST, '-r', path, '-T', 'pdml']);
    expect(json.stderr).toBe('');
    expect(json.stdout).not.toMatch(/Lua Error|_ws\.malformed|_ws\.lua\.error/);
    const records = decoded.filter((r) => (r.source as { file: string }).file === path);
    const { frames, diffs } = compareCapture(
      PAYLOAD_PROTOCOLS,
      records,
      json.stdout,
      pdml.stdout,
      TCP_LAYER_DIFFERENCES[file],
    );
    expect(diffs).toEqual([]);
    expect(frames).toBeGreaterThan(0);
  });
});
