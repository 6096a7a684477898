/**
 * Chart queries: at most `maxPoints` points of one tag over [from, to], quality per point.
 *
 * - When the range holds at most `maxPoints` chartable raw values, they come back as stored (source "raw"):
 *   bad samples as null (gaps), quarantined ones with their value and flags (the UI marks them).
 * - Otherwise the range is cut into maxPoints / 2 columns and reduced to min and max per column
 *   (downsample.ts), from the coarsest rollup whose bucket still fits in a column (so there are at least as
 *   many buckets as columns), or from raw rows when even the finest rollup is too coarse.
 *
 * Rollup buckets overlapping the edges of the range are used whole, so edge points may lie up to one bucket
 * outside [from, to]. Arrays are not chartable and are left out.
 */
import type Database from "better-sqlite3";
import type { Quality } from "../common/api/contract";
import { MinMaxColumns, type ChartPoints } from "./downsample";
import { bucketStart, type RollupLevel } from "./rollups";
import { QUALITY_OF_CODE, QualityFlag } from "./sample";

export interface ChartSeries extends ChartPoints {
  tagId: string;
  from: number;
  to: number;
  /** raw: values as stored; raw-minmax / rollup-minmax: min and max per column of raw rows / of rollups. */
  source: "raw" | "raw-minmax" | "rollup-minmax";
  /** Bucket size of the rollups used, ms; null for raw. */
  bucketMs: number | null;
}

type RawPoint = [ts: number, value: number | null, enc: number, q: number, flags: number];
type RollupRow = [start: number, lo: number | null, loTs: number | null, hi: number | null, hiTs: number | null, uncertain: number, quarantined: number, bad: number];

const RAW_RANGE = "FROM samples WHERE tag = ? AND ts >= ? AND ts <= ? AND enc != 2 ORDER BY ts, n";

const statements = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function prepare(db: Database.Database) {
  return {
    probe: db.prepare(`SELECT ts, value, enc, q, flags ${RAW_RANGE} LIMIT ?`).raw(),
    raw: db.prepare(`SELECT ts, value, enc, q, flags ${RAW_RANGE}`).raw(),
    rollups: db
      .prepare("SELECT start, lo, lo_ts, hi, hi_ts, uncertain, quarantined, bad FROM rollups WHERE tag = ? AND size = ? AND start >= ? AND start <= ? ORDER BY start")
      .raw(),
    before: db.prepare("SELECT ts, value, enc, q, flags FROM samples WHERE tag = ? AND ts < ? AND enc != 2 ORDER BY ts DESC, n DESC LIMIT 1").raw(),
  };
}

/** A point of a chart series: time, value (null for bad), quality. */
export interface ChartPoint {
  t: number;
  v: number | null;
  q: Quality;
}

/**
 * The newest chartable value before `ts`: the value in force at a chart's left edge (values are reported on
 * change, so a tag that did not change during the range has its value there). Null when there is none.
 */
export function valueBefore(db: Database.Database, key: number | undefined, ts: number): ChartPoint | null {
  if (key === undefined) return null;
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  const row = s.before.get(key, ts) as RawPoint | undefined;
  if (!row) return null;
  const p = rawPoints([row]);
  return { t: p.t[0]!, v: p.v[0]!, q: p.q[0]! };
}

export function chartQuery(
  db: Database.Database,
  levels: readonly RollupLevel[],
  tagId: string,
  key: number | undefined,
  from: number,
  to: number,
  maxPoints: number,
): ChartSeries {
  const empty: ChartSeries = { tagId, from, to, source: "raw", bucketMs: null, t: [], v: [], q: [], flags: [] };
  if (key === undefined || !(to >= from)) return empty;
  maxPoints = Math.max(2, Math.floor(maxPoints));
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));

  const probe = s.probe.all(key, from, to, maxPoints + 1) as RawPoint[];
  if (probe.length <= maxPoints) return { ...empty, ...rawPoints(probe) };

  const columns = Math.floor(maxPoints / 2);
  const columnMs = (to - from) / columns;
  const fitting = levels.filter((l) => l.sizeMs <= columnMs).sort((a, b) => b.sizeMs - a.sizeMs);
  for (const level of fitting) {
    const rows = s.rollups.all(key, level.sizeMs, bucketStart(from, level.sizeMs), to) as RollupRow[];
    if (rows.length === 0) continue; // pruned or never written at this size: try a finer one
    const cols = new MinMaxColumns(from, to, columns);
    for (const [start, lo, loTs, hi, hiTs, uncertain, quarantined, bad] of rows) {
      const flags = quarantined > 0 ? QualityFlag.quarantined : 0;
      if (lo !== null && hi !== null) {
        cols.addValue(loTs!, lo, uncertain > 0, flags);
        cols.addValue(hiTs!, hi, uncertain > 0, flags);
        if (bad > 0) cols.mark(start, true, 0);
      } else if (bad > 0) cols.addBad(start, flags);
    }
    return { ...empty, ...cols.finish(), source: "rollup-minmax", bucketMs: level.sizeMs };
  }

  const cols = new MinMaxColumns(from, to, columns);
  for (const [ts, value, , q, flags] of s.raw.iterate(key, from, to) as IterableIterator<RawPoint>) {
    if (q !== 2 && value !== null && Number.isFinite(value)) cols.addValue(ts, value, q === 1, flags);
    else cols.addBad(ts, flags);
  }
  return { ...empty, ...cols.finish(), source: "raw-minmax" };
}

function rawPoints(rows: readonly RawPoint[]): ChartPoints {
  const out: ChartPoints = { t: [], v: [], q: [], flags: [] };
  for (const [ts, value, , q, flags] of rows) {
    const usable = q !== 2 && value !== null && Number.isFinite(value);
    out.t.push(ts);
    out.v.push(usable ? value : null);
    out.q.push(usable ? (QUALITY_OF_CODE[q] as Quality) : "bad");
    out.flags.push(flags);
  }
  return out;
}
