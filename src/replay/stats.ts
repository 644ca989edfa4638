// Percentiles of send lateness, kept in a fixed histogram so millions of sends cost no memory.

const BUCKETS_PER_MS = 100;
const MAX_MS = 60_000;

export class LatenessHistogram {
  private readonly counts = new Uint32Array(MAX_MS * BUCKETS_PER_MS + 1);
  private n = 0;
  private maxMs = 0;

  add(ms: number): void {
    const clamped = Math.min(Math.max(ms, 0), MAX_MS);
    this.counts[Math.round(clamped * BUCKETS_PER_MS)]!++;
    this.n++;
    this.maxMs = Math.max(this.maxMs, clamped);
  }

  get max(): number {
    return this.maxMs;
  }

  /** The q-quantile (0..1) in ms, to 0.01 ms; 0 when nothing was added. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i / BUCKETS_PER_MS;
    }
    return this.maxMs;
  }
}
