/**
 * A fixed-size ring of (time, value) samples in typed arrays: the trend history of one tag.
 * Times ascend; a NaN value is a gap (bad quality or no numeric value). No allocation after construction.
 */
export class SampleRing {
  readonly t: Float64Array;
  readonly v: Float64Array;
  private head = 0; // next slot to write
  private n = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  get count(): number {
    return this.n;
  }

  /** Physical slot of the i-th oldest sample. */
  slot(i: number): number {
    return (this.head - this.n + i + this.capacity) % this.capacity;
  }

  lastTime(): number {
    return this.n === 0 ? -Infinity : (this.t[this.slot(this.n - 1)] ?? -Infinity);
  }

  firstTime(): number {
    return this.n === 0 ? Infinity : (this.t[this.slot(0)] ?? Infinity);
  }

  push(time: number, value: number): void {
    // Receive times come from one host clock; a sample older than the last one can only be a replay.
    if (this.n > 0 && time < this.lastTime()) return;
    this.t[this.head] = time;
    this.v[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.n < this.capacity) this.n += 1;
  }

  /** Logical index of the first sample with time >= `time` (count when none). */
  lowerBound(time: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.t[this.slot(mid)] ?? 0) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Merges host history into what we have: our samples older than the history, then the history, then our
   * samples newer than it. Used after (re)connecting, when the host knows what we missed.
   */
  mergeHistory(times: readonly number[], values: readonly (number | null)[]): void {
    if (times.length === 0) return;
    const histFirst = times[0] ?? 0;
    const histLast = times[times.length - 1] ?? 0;
    const keepT: number[] = [];
    const keepV: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const s = this.slot(i);
      const t = this.t[s] ?? 0;
      if (t < histFirst) {
        keepT.push(t);
        keepV.push(this.v[s] ?? NaN);
      } else if (t > histLast) after.push(s);
    }
    const afterT = after.map((s) => this.t[s] ?? 0);
    const afterV = after.map((s) => this.v[s] ?? NaN);
    this.head = 0;
    this.n = 0;
    for (let i = 0; i < keepT.length; i++) this.push(keepT[i] ?? 0, keepV[i] ?? NaN);
    for (let i = 0; i < times.length; i++) this.push(times[i] ?? 0, values[i] ?? NaN);
    for (let i = 0; i < afterT.length; i++) this.push(afterT[i] ?? 0, afterV[i] ?? NaN);
  }
}
