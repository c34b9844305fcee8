/**
 * Seeded pseudo-random numbers. Every random function in gankit takes a seed and draws from a
 * {@link Random}, so runs are reproducible and a generator's state can be checkpointed.
 *
 * The core generator is sfc32 (Small Fast Chaotic, PractRand-clean, 128-bit state) seeded through
 * splitmix32; normals use Box–Muller with the spare value cached (and part of the state).
 */
export interface RandomState {
  s: [number, number, number, number];
  spare: number | null;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new Error(`Random: seed must be a finite number; got ${seed}`);
    let x = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [low, high) (high exclusive, as numpy's `randint`). */
  int(low: number, high: number): number {
    if (!(high > low)) throw new Error(`Random.int: need high > low; got [${low}, ${high})`);
    return low + Math.floor(this.next() * (high - low));
  }

  /** Standard normal N(0, 1) by Box–Muller. */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return mean + std * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Normal truncated to [−bound, bound] standard deviations by rejection. */
  truncatedNormal(bound = 2): number {
    if (!(bound > 0)) throw new Error(`Random.truncatedNormal: bound must be > 0; got ${bound}`);
    for (;;) {
      const v = this.normal();
      if (Math.abs(v) <= bound) return v;
    }
  }

  /** Fill a new Float32Array of `n` normals. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** Fill a new Float32Array of `n` uniforms in [low, high). */
  uniformArray(n: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(array: T[] | Int32Array | Uint32Array | Float32Array): typeof array {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /** A new 32-bit seed derived from this stream (for seeding tfjs ops or child generators). */
  seed(): number {
    return this.nextUint32() >>> 1;
  }

  /** Snapshot of the full state (for checkpoints). */
  getState(): RandomState {
    return { s: [this.a, this.b, this.c, this.d], spare: this.spare };
  }

  /** Restore a snapshot taken by {@link getState}. */
  setState(state: RandomState): void {
    [this.a, this.b, this.c, this.d] = state.s;
    this.spare = state.spare;
  }
}
