/**
 * The synchronizer turns asynchronous tag updates into the model's tick: at each tick time T every input
 * gets a value (sample-and-hold, or linear interpolation between the values around T), the age of the
 * newest value it rests on (T − its source time), and a valid flag. Bad and quarantined values are skipped,
 * so a rejected value makes the input older instead of wrong. Output goes into typed arrays reused every tick.
 *
 * Determinism: tick T uses only values with source time ≤ T (hold) or ≤ T + delayMs (the value after T,
 * for interpolation). Ticks come out of `advance(now)` once now ≥ T + delayMs, so whenever every value up to
 * `now` has been pushed before `advance(now)`, the ticks depend on the values only, not on how they were
 * batched or paced. That is why a replay gives the same ticks as the live run. Pure TypeScript.
 */
import { isUsable, scalarOf, type HistorianSample } from "./sample";

export interface SyncInput {
  tagId: string;
  /** hold (default): the newest value at or before T. linear: interpolated to T when the next value is known. */
  mode?: "hold" | "linear";
  /** An input older than this (ms) is marked not valid (its value is still given). Default: no limit. */
  maxAgeMs?: number;
}

/** One tick. The arrays are indexed like the inputs and reused: copy what you keep. */
export interface TickFrame {
  /** Tick time, Unix ms (the samples' source clock). */
  t: number;
  /** NaN before an input's first value. */
  values: Float64Array;
  /** T − source time of the newest value used, ms; Infinity before the first value. */
  ages: Float64Array;
  /** 1 when the input has a value no older than its maxAgeMs. */
  valid: Uint8Array;
}

export interface SynchronizerOptions {
  inputs: readonly SyncInput[];
  /** Tick period, ms (1000 / the model's rate in Hz). */
  periodMs: number;
  /** How far ticks lag `now`, ms: the wait for the value after T that interpolation needs. Default 0. */
  delayMs?: number;
  /** First tick time. Default: the first multiple of periodMs at or after the first `advance(now)` − delayMs. */
  startTs?: number;
  /** Values kept per input before the oldest are dropped (only reached if `advance` is never called). */
  maxHistory?: number;
}

/** Values of one input in source-time order (a growable deque on typed arrays). */
class History {
  ts = new Float64Array(16);
  v = new Float64Array(16);
  start = 0;
  end = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.end - this.start;
  }

  insert(ts: number, value: number): void {
    if (this.size >= this.max) this.start++;
    if (this.end === this.ts.length) this.makeRoom();
    let k = this.end++;
    // Usually appends; a value older than the newest is moved into place.
    while (k > this.start && this.ts[k - 1]! > ts) {
      this.ts[k] = this.ts[k - 1]!;
      this.v[k] = this.v[k - 1]!;
      k--;
    }
    this.ts[k] = ts;
    this.v[k] = value;
  }

  /** Index of the newest value with source time ≤ t, or -1. */
  atOrBefore(t: number): number {
    if (this.size === 0 || this.ts[this.start]! > t) return -1;
    let k = this.start;
    while (k + 1 < this.end && this.ts[k + 1]! <= t) k++;
    return k;
  }

  /** Forgets values older than the newest one at or before t (later ticks never need them). */
  dropBefore(t: number): void {
    const k = this.atOrBefore(t);
    if (k > this.start) this.start = k;
  }

  private makeRoom(): void {
    const size = this.size;
    if (this.start > 0 && size <= this.ts.length / 2) {
      this.ts.copyWithin(0, this.start, this.end);
      this.v.copyWithin(0, this.start, this.end);
    } else {
      const ts = new Float64Array(this.ts.length * 2);
      const v = new Float64Array(this.ts.length * 2);
      ts.set(this.ts.subarray(this.start, this.end));
      v.set(this.v.subarray(this.start, this.end));
      this.ts = ts;
      this.v = v;
    }
    this.start = 0;
    this.end = size;
  }
}

export class Synchronizer {
  readonly frame: TickFrame;
  readonly inputs: readonly SyncInput[];
  readonly periodMs: number;
  readonly delayMs: number;
  private readonly histories: History[];
  private readonly linear: boolean[];
  private readonly maxAge: number[];
  private readonly slots: Map<string, number>;
  private startTs: number | undefined;
  private tickIndex = 0;

  constructor(options: SynchronizerOptions) {
    if (!(options.periodMs > 0)) throw new RangeError(`periodMs must be positive, got ${options.periodMs}`);
    this.inputs = options.inputs;
    this.periodMs = options.periodMs;
    this.delayMs = Math.max(0, options.delayMs ?? 0);
    this.startTs = options.startTs;
    const n = options.inputs.length;
    this.histories = options.inputs.map(() => new History(options.maxHistory ?? 100_000));
    this.linear = options.inputs.map((i) => i.mode === "linear");
    this.maxAge = options.inputs.map((i) => i.maxAgeMs ?? Infinity);
    this.slots = new Map(options.inputs.map((i, k) => [i.tagId, k]));
    this.frame = { t: NaN, values: new Float64Array(n).fill(NaN), ages: new Float64Array(n).fill(Infinity), valid: new Uint8Array(n) };
  }

  slotOf(tagId: string): number | undefined {
    return this.slots.get(tagId);
  }

  /** Time of the next tick `advance` will produce, or undefined before the grid is fixed. */
  get nextTickAt(): number | undefined {
    return this.startTs === undefined ? undefined : this.startTs + this.tickIndex * this.periodMs;
  }

  /** A usable value of the input in `slot` (the caller has already skipped bad and quarantined ones). */
  push(slot: number, ts: number, value: number): void {
    this.histories[slot]!.insert(ts, value);
  }

  /** A stored/validated sample: used when its tag is an input and it is usable; returns whether it was. */
  pushSample(row: HistorianSample): boolean {
    const slot = this.slots.get(row.tagId);
    if (slot === undefined || !isUsable(row)) return false;
    this.push(slot, row.sourceTs, scalarOf(row.value)!);
    return true;
  }

  pushRows(rows: readonly HistorianSample[]): void {
    for (const row of rows) this.pushSample(row);
  }

  /** Computes the inputs at time t into `frame`. Does not forget anything, so t may be any time. */
  tickAt(t: number): TickFrame {
    const f = this.frame;
    f.t = t;
    for (let s = 0; s < this.histories.length; s++) {
      const h = this.histories[s]!;
      const a = h.atOrBefore(t);
      if (a < 0) {
        f.values[s] = NaN;
        f.ages[s] = Infinity;
        f.valid[s] = 0;
        continue;
      }
      const ta = h.ts[a]!;
      let value = h.v[a]!;
      if (this.linear[s] && a + 1 < h.end) {
        const tb = h.ts[a + 1]!;
        // Only a value that `advance` guarantees to have seen by now, so pacing cannot change the result.
        if (tb <= t + this.delayMs && tb > ta) value += ((h.v[a + 1]! - value) * (t - ta)) / (tb - ta);
      }
      const age = t - ta;
      f.values[s] = value;
      f.ages[s] = age;
      f.valid[s] = age <= this.maxAge[s]! ? 1 : 0;
    }
    return f;
  }

  /** Produces every tick T with T + delayMs ≤ now, in order; returns how many. Ticks never go back in time. */
  advance(now: number, onTick: (frame: TickFrame) => void): number {
    if (this.startTs === undefined) this.startTs = Math.ceil((now - this.delayMs) / this.periodMs) * this.periodMs;
    let count = 0;
    for (;;) {
      const t = this.startTs + this.tickIndex * this.periodMs;
      if (t + this.delayMs > now) break;
      onTick(this.tickAt(t));
      for (const h of this.histories) h.dropBefore(t);
      this.tickIndex++;
      count++;
    }
    return count;
  }
}

/** A copy of a frame that later ticks will not overwrite. */
export function copyFrame(f: TickFrame): TickFrame {
  return { t: f.t, values: f.values.slice(), ages: f.ages.slice(), valid: f.valid.slice() };
}
