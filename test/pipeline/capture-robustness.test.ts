// Damaged captures never crash decoding: whatever the bytes, the pipeline yields records and at most
// one InputError naming the byte offset, after everything before the damage.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeInput, InputError, type TimelineRecord } from '../../src/pipeline/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'trackshark-robust-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FIXTURES = ['h02-tcp-reassembly-edge-cases.pcap', 'mixed-link-types.pcapng', 'vt600-sll2-us-le.pcap'];

async function decodeAll(file: string): Promise<{ records: TimelineRecord[]; error?: InputError }> {
  const records: TimelineRecord[] = [];
  try {
    for await (const r of decodeInput(file)) records.push(r);
  } catch (e) {
    if (e instanceof InputError) return { records, error: e };
    throw e;
  }
  return { records };
}

describe('damaged captures', () => {
  it.each(FIXTURES)(
    '%s: random byte changes and cuts never throw anything but an InputError',
    async (name) => {
      const original = new Uint8Array(readFileSync(join('captures/pcap', name)));
      let run = 0;
      let withFrames = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ at: fc.nat(original.length - 1), value: fc.integer({ min: 0, max: 255 }) }), {
            maxLength: 8,
          }),
          fc.option(fc.nat(original.length), { nil: undefined }),
          async (changes, cut) => {
            const bytes = original.slice(0, cut ?? original.length);
            for (const c of changes) if (c.at < bytes.length) bytes[c.at] = c.value;
            const file = join(tmp, `${run++}-${name}`);
            writeFileSync(file, bytes);
            const { records, error } = await decodeAll(file);
            if (error) expect(error.message).toMatch(/\(byte \d+\)/);
            for (const r of records) expect(r.source.offset).toBeLessThanOrEqual(bytes.length);
            if (records.some((r) => r.kind === 'frame')) withFrames++;
          },
        ),
        { numRuns: 60 },
      );
      // Most damage leaves frames to decode: the checks above saw records, not only empty results.
      expect(withFrames).toBeGreaterThan(0);
    },
  );

  it('a capture cut in the middle keeps every frame before the cut', async () => {
    const file = join('captures/pcap', 'vt600-sll2-us-le.pcap');
    const whole = (await decodeAll(file)).records.filter((r) => r.kind === 'frame');
    const bytes = readFileSync(file);
    const cutAt = 2400;
    writeFileSync(join(tmp, 'cut.pcap'), bytes.subarray(0, cutAt));
    const { records, error } = await decodeAll(join(tmp, 'cut.pcap'));
    const frames = records.filter((r) => r.kind === 'frame');
    expect(error?.offset).toBeLessThan(cutAt);
    expect(frames.length).toBeGreaterThan(8);
    expect(frames.map((r) => r.bytes)).toEqual(whole.slice(0, frames.length).map((r) => r.bytes));
    expect(whole.length - frames.length).toBeGreaterThan(0);
  });
});
