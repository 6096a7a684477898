/**
 * Timing of a fixed-period plant loop: the deadlines it aims at and the periods it achieved.
 *
 * Deadlines are start + k·period, not "now + period", so small delays do not accumulate into drift. A loop
 * that fell more than a few periods behind (a debugger pause, a suspended laptop) re-anchors instead of
 * running a burst of catch-up cycles.
 */

/** How far behind (in periods) the loop may fall before it re-anchors. */
const MAX_LAG_PERIODS = 5;

export class CycleSchedule {
  private anchor: number;
  private k = 0;

  constructor(
    readonly periodMs: number,
    now: number,
  ) {
    if (!(periodMs > 0 && Number.isFinite(periodMs))) throw new RangeError(`cycle period must be a positive number of ms, got ${periodMs}`);
    this.anchor = now;
  }

  /** When the next cycle should start. */
  get nextDeadline(): number {
    return this.anchor + (this.k + 1) * this.periodMs;
  }

  /** Marks the start of a cycle at `now`; returns true if the loop had fallen behind and re-anchored. */
  begin(now: number): boolean {
    this.k++;
    if (now - (this.anchor + this.k * this.periodMs) > MAX_LAG_PERIODS * this.periodMs) {
      this.anchor = now;
      this.k = 0;
      return true;
    }
    return false;
  }
}

export interface JitterSummary {
  /** Periods measured. */
  cycles: number;
  periodP50Ms: number;
  /** Jitter = |period − nominal period|. */
  jitterP50Ms: number;
  jitterP99Ms: number;
  jitterMaxMs: number;
}

/** Ring of the latest cycle periods, in a buffer the serving thread can read while the clock writes. */
export class CycleStats {
  static readonly CAPACITY = 16384;
  readonly buffer: SharedArrayBuffer;
  private readonly ring: Float64Array;

  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(8 * (CycleStats.CAPACITY + 1));
    this.ring = new Float64Array(this.buffer);
  }

  record(periodMs: number): void {
    const count = this.ring[0]!;
    this.ring[1 + (count % CycleStats.CAPACITY)] = periodMs;
    this.ring[0] = count + 1;
  }

  /** Forgets the periods so far (e.g. once a benchmark reached its steady state). */
  reset(): void {
    this.ring[0] = 0;
  }

  periods(): number[] {
    const count = Math.min(this.ring[0]!, CycleStats.CAPACITY);
    return Array.from(this.ring.subarray(1, 1 + count));
  }

  summary(nominalMs: number): JitterSummary {
    const periods = this.periods();
    const jitter = periods.map((p) => Math.abs(p - nominalMs)).sort((a, b) => a - b);
    return {
      cycles: periods.length,
      periodP50Ms: percentile([...periods].sort((a, b) => a - b), 0.5),
      jitterP50Ms: percentile(jitter, 0.5),
      jitterP99Ms: percentile(jitter, 0.99),
      jitterMaxMs: jitter.length ? jitter[jitter.length - 1]! : Number.NaN,
    };
  }
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
