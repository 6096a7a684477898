/**
 * Per-connection figures for the connections panel: notifications per second (sliding window of one-second
 * buckets) and server→receive latency percentiles over recent values. Cheap enough for every notification:
 * a counter increment, and one latency kept out of every few values.
 */

const LATENCY_KEEP = 1024;
/** One latency in this many values is kept: percentiles need a sample, not every value. */
const LATENCY_STRIDE = 8;

export class TrafficStatistics {
  private readonly buckets: Float64Array;
  private bucketSecond = 0;
  private readonly latencies = new Float64Array(LATENCY_KEEP);
  private latencyCount = 0;
  private latencyNext = 0;
  private seen = 0;
  private firstAt: number | undefined;
  delivered = 0;

  constructor(private readonly windowS = 5) {
    this.buckets = new Float64Array(windowS);
  }

  /** `count` values delivered at `now`. */
  count(count: number, now: number): void {
    this.roll(now);
    this.buckets[this.bucketSecond % this.windowS]! += count;
    this.delivered += count;
  }

  /** A value's server time → receive time, ms (server clocks may be skewed: negative values are kept as they are). */
  latency(ms: number): void {
    if (this.seen++ % LATENCY_STRIDE !== 0) return;
    this.latencies[this.latencyNext] = ms;
    this.latencyNext = (this.latencyNext + 1) % LATENCY_KEEP;
    if (this.latencyCount < LATENCY_KEEP) this.latencyCount++;
  }

  /** Values per second over the window's complete seconds plus the current one, pro rata. */
  ratePerS(now: number): number {
    this.roll(now);
    let total = 0;
    for (const b of this.buckets) total += b;
    const window = this.windowS - 1 + (now % 1000) / 1000;
    const sinceFirst = this.firstAt === undefined ? 0 : (now - this.firstAt) / 1000;
    const span = Math.min(window, sinceFirst);
    return span > 0.05 ? total / span : 0;
  }

  latencyPercentile(p: number): number | null {
    if (this.latencyCount === 0) return null;
    const sorted = Array.from(this.latencies.subarray(0, this.latencyCount)).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  }

  private roll(now: number): void {
    this.firstAt ??= now;
    const second = Math.floor(now / 1000);
    if (this.bucketSecond === 0 || second - this.bucketSecond >= this.windowS) {
      this.buckets.fill(0);
      this.bucketSecond = second;
      return;
    }
    while (this.bucketSecond < second) {
      this.bucketSecond++;
      this.buckets[this.bucketSecond % this.windowS] = 0;
    }
  }
}
