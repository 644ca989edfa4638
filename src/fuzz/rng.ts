// A small, fast, seedable PRNG (xorshift128, the family pure-rand offers) so that a run seed and a
// case index alone regenerate a case: every case gets its own generator, mixed from both numbers.

/** splitmix32 step: spreads nearby seeds (1, 2, 3...) into unrelated states. */
function mix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The generator of case `index` of a run started with `seed`. */
  constructor(seed: number, index = 0) {
    const s = mix(seed ^ mix(index) ^ Math.floor(index / 2 ** 32));
    this.a = mix(s);
    this.b = mix(this.a);
    this.c = mix(this.b);
    this.d = mix(this.c) | 1;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let t = this.d;
    const s = this.a;
    this.d = this.c;
    this.c = this.b;
    this.b = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.a = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.a;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.next() / 2 ** 32) * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}
