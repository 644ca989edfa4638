// The replay clock: every send is scheduled against the start of the replay (never the previous send,
// so errors do not pile up), scaled by a speed that can change mid-run, with pause and step mode.
// Wall time is performance.now() in milliseconds; script time is seconds.

export interface Release {
  /** When the send was due, in wall milliseconds (the wait's start if it was already due). */
  readonly scheduled: number;
}

interface Sleeper {
  readonly offset: number;
  readonly since: number;
  readonly resolve: (r: Release) => void;
  timer?: NodeJS.Timeout;
}

export class ReplayClock {
  private anchorWall = performance.now();
  private anchorOffset = 0;
  private pausedAt: number | undefined;
  private steps = 0;
  private readonly sleepers = new Set<Sleeper>();

  /** `speed` Infinity: top speed, every send as soon as it may go. */
  constructor(
    private speedFactor = 1,
    private stepMode = false,
  ) {}

  get speed(): number {
    return this.speedFactor;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  get stepping(): boolean {
    return this.stepMode;
  }

  /** Script seconds reached now. */
  now(): number {
    const wall = this.pausedAt ?? performance.now();
    if (!Number.isFinite(this.speedFactor)) return Infinity;
    return this.anchorOffset + ((wall - this.anchorWall) / 1000) * this.speedFactor;
  }

  /** Start again from script time 0 (a new loop). */
  restart(): void {
    this.anchorWall = performance.now();
    this.anchorOffset = 0;
    if (this.pausedAt !== undefined) this.pausedAt = this.anchorWall;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new RangeError(`speed must be above 0, got ${speed}`);
    this.reanchor();
    this.speedFactor = speed;
    this.rearm();
  }

  pause(): void {
    if (this.pausedAt === undefined) this.pausedAt = performance.now();
    this.rearm();
  }

  resume(): void {
    if (this.pausedAt === undefined) return;
    // Time spent paused does not count: the script resumes where it stopped.
    this.anchorWall += performance.now() - this.pausedAt;
    this.pausedAt = undefined;
    this.rearm();
  }

  setStepMode(on: boolean): void {
    this.stepMode = on;
    if (!on) this.reanchor();
    this.rearm();
  }

  /** Step mode: let the earliest waiting send go. */
  step(): void {
    this.steps++;
    this.rearm();
  }

  /** Resolves when script time reaches `offset` (or, in step mode, on the next step). */
  waitUntil(offset: number): Promise<Release> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = { offset, since: performance.now(), resolve };
      this.sleepers.add(sleeper);
      this.arm(sleeper);
    });
  }

  /** Wake every waiter now (the replay is stopping). */
  releaseAll(): void {
    for (const s of this.sleepers) this.fire(s);
  }

  private reanchor(): void {
    const wall = this.pausedAt ?? performance.now();
    const offset = this.now();
    this.anchorOffset = Number.isFinite(offset) ? offset : 0;
    this.anchorWall = wall;
  }

  private fire(s: Sleeper): void {
    clearTimeout(s.timer);
    this.sleepers.delete(s);
    const due =
      Number.isFinite(this.speedFactor) && !this.stepMode
        ? this.anchorWall + ((s.offset - this.anchorOffset) * 1000) / this.speedFactor
        : performance.now();
    s.resolve({ scheduled: Math.max(due, s.since) });
  }

  private rearm(): void {
    for (const s of [...this.sleepers].sort((a, b) => a.offset - b.offset)) {
      clearTimeout(s.timer);
      this.arm(s);
    }
  }

  private arm(s: Sleeper): void {
    if (this.pausedAt !== undefined) return;
    if (this.stepMode) {
      if (this.steps > 0) {
        this.steps--;
        this.fire(s);
      }
      return;
    }
    const delay = ((s.offset - this.now()) * 1000) / this.speedFactor;
    if (!(delay > 0)) this.fire(s);
    else s.timer = setTimeout(() => this.fire(s), delay);
  }
}
