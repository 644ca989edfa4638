// `npm run bench`: trackshark beside the reference tools, measured in the same run on the same
// inputs, printed as ratios against the issues' targets. Timings live here, never in unit tests.
//
//   npm run bench                       (1 GiB capture; kept in $TMPDIR/trackshark-bench between runs)
//   npm run bench -- --size 256         (MiB, for a quicker look)
//   npm run bench -- --devices 500      (replay devices; 2000 by default)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCheck, fmt, toolRow, type CheckRun as Run } from './check-bench.js';
import { writeMixedCapture, type MixedCaptureStats } from './mixed-capture.js';
import { benchReplay } from './replay-bench.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Bump when the generator changes, so a kept capture is rewritten. */
const GENERATOR_VERSION = 1;

function args(): { sizeMiB: number; dir: string; devices: number } {
  const argv = process.argv.slice(2);
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    sizeMiB: Number(get('--size') ?? 1024),
    dir: get('--dir') ?? join(tmpdir(), 'trackshark-bench'),
    devices: Number(get('--devices') ?? 2000) || 2000,
  };
}

/** Runs a command with stdout to /dev/null (or collected); node commands report their peak RSS through the probe. */
function run(
  command: string,
  argv: readonly string[],
  opts: { node?: boolean; stdout?: boolean } = {},
): Promise<Run> {
  const rssFile = join(tmpdir(), `trackshark-bench-rss-${process.pid}-${Date.now()}`);
  const env = { ...process.env };
  if (opts.node) {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'bench/rss-probe.cjs')}`.trim();
    env.TRACKSHARK_RSS_FILE = rssFile;
  }
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', opts.stdout ? 'pipe' : 'ignore', 'pipe'], env });
    let stderr = '';
    let stdout = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peak = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
      rmSync(rssFile, { force: true });
      resolve({ seconds, peakRssKiB: peak, stderr, stdout, status });
    });
  });
}

function capture(dir: string, sizeMiB: number): { path: string; stats: MixedCaptureStats } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `mixed-${sizeMiB}MiB.pcap`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const kept = JSON.parse(readFileSync(meta, 'utf8')) as MixedCaptureStats & { version: number };
    if (kept.version === GENERATOR_VERSION && statSync(path).size === kept.bytes) {
      console.log(`capture: ${path} (kept from an earlier run)`);
      return { path, stats: kept };
    }
  }
  const started = Date.now();
  const stats = writeMixedCapture(path, sizeMiB * 1024 * 1024);
  writeFileSync(meta, JSON.stringify({ ...stats, version: GENERATOR_VERSION }));
  console.log(`capture: wrote ${path} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { path, stats };
}

async function tsharkAvailable(): Promise<boolean> {
  try {
    const r = await run('tshark', ['--version']);
    return r.status === 0;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const { sizeMiB, dir } = args();
  const { path, stats } = capture(dir, sizeMiB);
  const mb = stats.bytes / 1e6;
  console.log(
    `capture: ${fmt(mb)} MB, ${fmt(stats.packets)} packets, ${fmt(stats.frames)} frames, ${fmt(stats.connections)} TCP connections (MT700, Meiligao, H02)\n`,
  );

  const rows: string[][] = [['tool', 'seconds', 'packets/s', 'frames/s', 'MB/s', 'peak RSS']];
  const ts = await run(process.execPath, [join(ROOT, 'bin/trackshark.js'), 'decode', '--json', path], {
    node: true,
  });
  if (ts.status !== 0) throw new Error(`trackshark decode failed (${ts.status}):\n${ts.stderr.slice(-2000)}`);
  const decoded = /: (\d+) frames?/.exec(ts.stderr.split('\n').filter(Boolean).at(-1) ?? '');
  const tsFrames = decoded ? Number(decoded[1]) : NaN;
  rows.push(toolRow('trackshark decode --json', { ...ts, frames: tsFrames }, stats));

  const checked = await benchCheck(
    (argv) => run(process.execPath, [join(ROOT, 'bin/trackshark.js'), ...argv], { node: true, stdout: true }),
    path,
  );
  rows.push(toolRow('trackshark check --json', checked, stats));

  // In-process fuzzing: schema-aware cases through every decoder (seeded, so the same cases each run).
  const fuzzed = await run(
    process.execPath,
    [join(ROOT, 'bin/trackshark.js'), 'fuzz', '--cases', '200000', '--out', join(dir, 'fuzz')],
    { stdout: true },
  );
  const fuzzRate = /\((\d+) cases\/s\)/.exec(fuzzed.stdout)?.[1];
  console.log(
    `trackshark fuzz (in-process): ${fuzzRate ? fmt(Number(fuzzRate)) : '?'} cases/s over 200,000 cases${fuzzed.status === 0 ? '' : ' (FINDINGS: see the output folder)'}\n`,
  );

  let ratio: number | undefined;
  let checkRatio: number | undefined;
  if (await tsharkAvailable()) {
    /** A tshark row: no frame count or RSS of its own. */
    const tsharkRow = (label: string, r: Run) => [
      label,
      r.seconds.toFixed(1),
      fmt(stats.packets / r.seconds),
      '',
      fmt(mb / r.seconds, 1),
      '',
    ];
    const sh = await run('tshark', ['-r', path]);
    rows.push(tsharkRow('tshark -r', sh));
    ratio = sh.seconds / ts.seconds;
    checkRatio = sh.seconds / checked.seconds;
    // The generated Lua dissectors over the same file, beside trackshark decode (heuristics first:
    // the synthetic conversations use ports other dissectors own).
    const lua = ['meiligao', 'mt700', 'h02'].map(
      (p) => `-Xlua_script:${join(ROOT, 'dissectors', `${p}.lua`)}`,
    );
    const dis = await run('tshark', ['-n', ...lua, '-o', 'tcp.try_heuristic_first:TRUE', '-r', path]);
    rows.push(tsharkRow('tshark -r + generated Lua', dis));
    console.log(
      `(generated dissectors: trackshark decode is ${(dis.seconds / ts.seconds).toFixed(1)}x faster)`,
    );
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('');
  if (tsFrames !== stats.frames)
    console.log(`WARNING: trackshark decoded ${tsFrames} frames, the capture holds ${stats.frames}`);
  const rssOk = (ts.peakRssKiB ?? Infinity) < 200 * 1024;
  if (ratio !== undefined)
    console.log(
      `packet rate vs tshark: ${ratio.toFixed(1)}x (target >= 20x) ${ratio >= 20 ? 'MET' : 'NOT MET'}`,
    );
  else console.log('tshark not installed: no comparison');
  if (checkRatio !== undefined) console.log(`check packet rate vs tshark: ${checkRatio.toFixed(1)}x`);
  if (checked.frames !== stats.frames)
    console.log(
      `WARNING: trackshark check counted ${checked.frames} frames, the capture holds ${stats.frames}`,
    );
  if (checked.failed > 0) console.log(`WARNING: trackshark check found ${checked.failed} failing findings`);
  console.log(
    `peak RSS: ${ts.peakRssKiB ? fmt(ts.peakRssKiB / 1024) : '?'} MB (target < 200 MB) ${rssOk ? 'MET' : 'NOT MET'}`,
  );
}

await main();
await benchReplay(ROOT, args().devices);
