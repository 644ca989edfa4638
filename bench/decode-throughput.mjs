// Decoder and NDJSON throughput, in process: frames/s and MB/s of one input file, best of a few runs.
// Build first (`npm run build`): this runs against dist/.
//
//   node bench/decode-throughput.mjs <protocol> <file> [runs]
//
// decodeStream: the whole file as one buffer, every record kept (as the brief's first figures were
// taken). stream: 64 KiB chunks as the CLI reads, records dropped once counted. JSON: each frame
// written as `decode --json` writes it (recordToJsonLine), or as an object then JSON.stringify.
// CPU time is printed next to wall time: on a shared machine it is the steadier of the two.
import { readFileSync } from 'node:fs';
import { decodeStream, protocolByName, StreamDecoder } from '../dist/index.js';
import { recordToJson, recordToJsonLine } from '../dist/pipeline/format-json.js';

const [name, file, runsArg] = process.argv.slice(2);
const protocol = protocolByName(name ?? '');
if (!protocol || !file) {
  console.error('usage: node bench/decode-throughput.mjs <protocol> <file> [runs]');
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(file));
const runs = Number(runsArg ?? 3);
const mb = bytes.length / 1e6;
const source = { file, offset: 0 };
const CHUNK = 1 << 16;

function measure(label, run) {
  let wall = Infinity;
  let cpu = Infinity;
  let frames = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    frames = run();
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  const rate = (s) =>
    `${String(Math.round(frames / s)).padStart(7)} frames/s ${(mb / s).toFixed(1).padStart(5)} MB/s`;
  console.log(
    `${label.padEnd(24)} ${frames} frames  wall ${wall.toFixed(2)} s ${rate(wall)}  cpu ${cpu.toFixed(2)} s ${rate(cpu)}`,
  );
}

const frameRecord = (r) => ({ kind: 'frame', source, frame: r.frame, bytes: r.bytes });

/** The file through a StreamDecoder in chunks; `each` sees every frame once, then it is dropped. */
function streamed(opts, each = () => {}) {
  const d = new StreamDecoder(protocol, opts);
  let frames = 0;
  const take = (records) => {
    for (const r of records) if (r.kind === 'frame') each(r, ++frames);
  };
  for (let at = 0; at < bytes.length; at += CHUNK) take(d.push(bytes.subarray(at, at + CHUNK)));
  take(d.end());
  return frames;
}

const countFrames = (records) => records.filter((r) => r.kind === 'frame').length;

measure('decodeStream fields', () => countFrames(decodeStream(protocol, bytes)));
measure('decodeStream no fields', () => countFrames(decodeStream(protocol, bytes, { fields: false })));
measure('stream fields', () => streamed({}));
measure('stream no fields', () => streamed({ fields: false }));
measure('stream + JSON line', () => streamed({}, (r, i) => recordToJsonLine(frameRecord(r), i)));
measure('stream + JSON object', () =>
  streamed({}, (r, i) => JSON.stringify(recordToJson(frameRecord(r), i))),
);
