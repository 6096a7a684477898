/**
 * Small seeded pseudo-random numbers for simulations: the same seed gives the same sequence on every
 * platform, so a simulated plant (its noise and disturbances) is reproducible in tests and demos.
 */

/** mulberry32 uniform generator with Gaussian draws by Box–Muller. Not for cryptography. */
export class Random {
  private state: number;
  /** Box–Muller yields two normals per draw; the second is kept for the next call. */
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Random: seed must be a finite number, got ${seed}`);
    // Fold fractional and large seeds into 32 bits so any finite number is a usable seed.
    this.state = (Math.trunc(seed) ^ Math.round((seed % 1) * 0x7fffffff)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Normal draw with the given mean and standard deviation. */
  gaussian(mean = 0, sd = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + sd * this.spare;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const u1 = 1 - this.next();
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return mean + sd * r * Math.cos(theta);
  }
}

/** Derives an independent-looking seed for a sub-stream (e.g. sensor noise vs. process disturbances). */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
