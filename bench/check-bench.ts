// The `trackshark check` row of `npm run bench`: the same capture as decode, validated with the JSON
// report (one object at the end) so that the frames it counted can be compared with the capture's.
// The row format here is shared with the `trackshark decode` row.
import type { MixedCaptureStats } from './mixed-capture.js';

/** A finished command of the bench: wall time, peak RSS (node commands) and its output. */
export interface CheckRun {
  readonly seconds: number;
  readonly peakRssKiB: number | undefined;
  readonly stderr: string;
  /** Collected only when asked for; otherwise it goes to /dev/null. */
  readonly stdout: string;
  readonly status: number | null;
}

export interface CheckBench {
  readonly seconds: number;
  readonly frames: number;
  readonly peakRssKiB: number | undefined;
  /** Findings that failed; the generated capture should have none. */
  readonly failed: number;
}

/** Runs `trackshark check --json` on the capture through `run` (which measures time and peak RSS). */
export async function benchCheck(
  run: (argv: readonly string[]) => Promise<CheckRun>,
  capture: string,
): Promise<CheckBench> {
  const r = await run(['check', '--json', capture]);
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`trackshark check failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const report = JSON.parse(r.stdout) as { totals: { frames: number }; files: { failed: number }[] };
  return {
    seconds: r.seconds,
    frames: report.totals.frames,
    peakRssKiB: r.peakRssKiB,
    failed: report.files.reduce((n, f) => n + f.failed, 0),
  };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** A trackshark row of the table: tool, seconds, packets/s, frames/s, MB/s, peak RSS. */
export function toolRow(
  tool: string,
  c: Pick<CheckBench, 'seconds' | 'frames' | 'peakRssKiB'>,
  stats: MixedCaptureStats,
): string[] {
  const mb = stats.bytes / 1e6;
  return [
    tool,
    c.seconds.toFixed(1),
    fmt(stats.packets / c.seconds),
    fmt(c.frames / c.seconds),
    fmt(mb / c.seconds, 1),
    c.peakRssKiB ? `${fmt(c.peakRssKiB / 1024)} MB` : '?',
  ];
}
