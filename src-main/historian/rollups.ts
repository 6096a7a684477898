/**
 * Rollups: per tag and bucket size, min (with its time), max (with its time), sum, count, and the counts
 * of uncertain, quarantined and bad samples. They are kept up to date in the same transaction as the raw
 * rows: each batch is aggregated here in memory, then merged into the table with one upsert per
 * (tag, size, bucket) it touched. Merging is associative, so batches may arrive in any order.
 */

export interface RollupLevel {
  sizeMs: number;
  /** Which retention applies: "raw" (kept as long as raw rows) or "rollup" (the longer one). */
  keep: "raw" | "rollup";
}

/** 1 s buckets follow raw retention; 1 min and 1 h buckets are the long-term history. */
export const DEFAULT_ROLLUP_LEVELS: readonly RollupLevel[] = [
  { sizeMs: 1_000, keep: "raw" },
  { sizeMs: 60_000, keep: "rollup" },
  { sizeMs: 3_600_000, keep: "rollup" },
];

export interface RollupBucket {
  tag: number;
  size: number;
  start: number;
  lo: number | null;
  loTs: number | null;
  hi: number | null;
  hiTs: number | null;
  sum: number;
  n: number;
  uncertain: number;
  quarantined: number;
  bad: number;
}

export function bucketStart(ts: number, size: number): number {
  return Math.floor(ts / size) * size;
}

function emptyBucket(tag: number, size: number, start: number): RollupBucket {
  return { tag, size, start, lo: null, loTs: null, hi: null, hiTs: null, sum: 0, n: 0, uncertain: 0, quarantined: 0, bad: 0 };
}

/**
 * Adds one sample to a bucket. `value` null means no usable value (bad). Ties on the extreme keep the
 * earliest time, the same rule as the SQL merge, so the result does not depend on arrival order.
 */
export function addToBucket(b: RollupBucket, ts: number, value: number | null, uncertain: boolean, quarantined: boolean): void {
  if (value === null) {
    b.bad++;
    return;
  }
  if (b.lo === null || value < b.lo || (value === b.lo && ts < b.loTs!)) {
    b.lo = value;
    b.loTs = ts;
  }
  if (b.hi === null || value > b.hi || (value === b.hi && ts < b.hiTs!)) {
    b.hi = value;
    b.hiTs = ts;
  }
  b.sum += value;
  b.n++;
  if (uncertain) b.uncertain++;
  if (quarantined) b.quarantined++;
}

/** Merges bucket `b` into `into` (same tag; `into` is the same size or coarser). Same tie rule as addToBucket. */
export function mergeBucket(into: RollupBucket, b: RollupBucket): void {
  if (b.lo !== null && (into.lo === null || b.lo < into.lo || (b.lo === into.lo && b.loTs! < into.loTs!))) {
    into.lo = b.lo;
    into.loTs = b.loTs;
  }
  if (b.hi !== null && (into.hi === null || b.hi > into.hi || (b.hi === into.hi && b.hiTs! < into.hiTs!))) {
    into.hi = b.hi;
    into.hiTs = b.hiTs;
  }
  into.sum += b.sum;
  into.n += b.n;
  into.uncertain += b.uncertain;
  into.quarantined += b.quarantined;
  into.bad += b.bad;
}

/**
 * Aggregates one batch. Rows of one tag should come together (the store sorts a batch by tag). Only the
 * finest level sees every row; a coarser level whose size is a multiple of the one below is built from
 * that level's finished buckets, which is the same result for a fraction of the work.
 */
export class RollupBatch {
  private readonly levels: readonly RollupLevel[];
  /** Per level: whether it is built from the level below (its size a multiple of that one's). */
  private readonly fromBelow: boolean[];
  private readonly current: (RollupBucket | null)[];
  private readonly done: RollupBucket[] = [];

  constructor(levels: readonly RollupLevel[]) {
    this.levels = [...levels].sort((a, b) => a.sizeMs - b.sizeMs);
    this.fromBelow = this.levels.map((l, k) => k > 0 && l.sizeMs % this.levels[k - 1]!.sizeMs === 0);
    this.current = this.levels.map(() => null);
  }

  add(tag: number, ts: number, value: number | null, uncertain: boolean, quarantined: boolean): void {
    for (let k = 0; k < this.levels.length; k++) {
      if (this.fromBelow[k]) continue;
      addToBucket(this.bucket(k, tag, bucketStart(ts, this.levels[k]!.sizeMs)), ts, value, uncertain, quarantined);
    }
  }

  /** The buckets touched, then resets. A bucket may appear twice (out-of-order rows); the upsert merges them. */
  drain(): RollupBucket[] {
    for (let k = 0; k < this.current.length; k++) this.finish(k);
    return this.done.splice(0);
  }

  /** The current bucket of level k for (tag, start), finishing the previous one when it differs. */
  private bucket(k: number, tag: number, start: number): RollupBucket {
    const b = this.current[k];
    if (b && b.tag === tag && b.start === start) return b;
    this.finish(k);
    const fresh = emptyBucket(tag, this.levels[k]!.sizeMs, start);
    this.current[k] = fresh;
    return fresh;
  }

  private finish(k: number): void {
    const b = this.current[k];
    if (!b) return;
    this.current[k] = null;
    this.done.push(b);
    const up = k + 1;
    if (up < this.levels.length && this.fromBelow[up]) mergeBucket(this.bucket(up, b.tag, bucketStart(b.start, this.levels[up]!.sizeMs)), b);
  }
}

/** Merges a bucket into the table; keeps the earliest time among equal extremes, like `addToBucket`. */
export const UPSERT_ROLLUP = `
INSERT INTO rollups (tag, size, start, lo, lo_ts, hi, hi_ts, sum, n, uncertain, quarantined, bad)
VALUES (@tag, @size, @start, @lo, @loTs, @hi, @hiTs, @sum, @n, @uncertain, @quarantined, @bad)
ON CONFLICT (tag, size, start) DO UPDATE SET
  lo = CASE WHEN excluded.lo IS NULL THEN lo WHEN lo IS NULL OR excluded.lo < lo THEN excluded.lo ELSE lo END,
  lo_ts = CASE WHEN excluded.lo IS NULL THEN lo_ts WHEN lo IS NULL OR excluded.lo < lo THEN excluded.lo_ts
               WHEN excluded.lo = lo THEN min(lo_ts, excluded.lo_ts) ELSE lo_ts END,
  hi = CASE WHEN excluded.hi IS NULL THEN hi WHEN hi IS NULL OR excluded.hi > hi THEN excluded.hi ELSE hi END,
  hi_ts = CASE WHEN excluded.hi IS NULL THEN hi_ts WHEN hi IS NULL OR excluded.hi > hi THEN excluded.hi_ts
               WHEN excluded.hi = hi THEN min(hi_ts, excluded.hi_ts) ELSE hi_ts END,
  sum = sum + excluded.sum,
  n = n + excluded.n,
  uncertain = uncertain + excluded.uncertain,
  quarantined = quarantined + excluded.quarantined,
  bad = bad + excluded.bad`;
