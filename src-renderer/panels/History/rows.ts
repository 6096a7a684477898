/**
 * History series → chart rows on one time grid, so every tag lines up under the tooltip.
 *
 * The host answers with at most maxPoints points per series, min and max per column when it had to reduce
 * (maxPoints / 2 columns over the range). The grid here uses the same columns, two rows each (the column's
 * values in the order they happened, like the host's min/max), so a reduced series maps onto it one to one
 * and a raw one is reduced the same way. Between points a tag holds its last value (values are reported on
 * change) up to its stale limit (`holdMs`); a bad value is a gap (null) until the next good one. Flagged values become markers, with the
 * rules they broke for the tooltip.
 */
import type { HistorySeries } from "../../../src-main/common/api/history";

export type Row = { t: number } & Record<string, number | string | null | undefined>;

export interface RowSeries {
  data: HistorySeries;
  /** The plotted value of a raw one (identity, or % of range when several units share one axis). */
  scale(v: number): number;
  /** After its last point the value is held until this time (not past the present, nor past a stale tag). */
  holdUntil: number;
}

/** Keys of series k in a row: plotted value, raw value, marker (plotted), marker text, quarantined (1/0), quality. */
export const keys = (k: number) => ({ plot: `s${k}`, raw: `r${k}`, mark: `m${k}`, why: `w${k}`, quarantined: `x${k}`, quality: `q${k}` });

export function buildRows(series: readonly RowSeries[], from: number, to: number, columns: number): Row[] {
  const n = Math.max(1, Math.floor(columns));
  const width = Math.max(to - from, 1) / n;
  const rows: Row[] = new Array<Row>(2 * n);
  for (let c = 0; c < n; c++) {
    rows[2 * c] = { t: from + (c + 0.25) * width };
    rows[2 * c + 1] = { t: from + (c + 0.75) * width };
  }
  series.forEach((s, k) => fill(rows, s, k, from, width, n));
  return rows;
}

interface Column {
  /** Good or uncertain points: lowest and highest, with their times. */
  lo: number;
  loT: number;
  hi: number;
  hiT: number;
  any: boolean;
  /** The column's last point was a gap. */
  endsBad: boolean;
  /** Every point was a gap. */
  allBad: boolean;
  uncertain: boolean;
  rules: Set<string>;
  quarantined: boolean;
  markValue: number | null;
}

function fill(rows: Row[], s: RowSeries, k: number, from: number, width: number, n: number): void {
  const key = keys(k);
  const { t, v, q } = s.data;
  const markerAt = new Map(s.data.markers.map((m) => [m.t, m]));
  const holdMs = s.data.holdMs ?? Infinity;
  let held: number | null = s.data.before ? s.data.before.v : null;
  // A value stands for the tag until its stale limit, so a stretch without data (the plant link down, the
  // workbench not running) is a gap, not a flat line.
  let heldUntil = s.data.before ? s.data.before.t + holdMs : -Infinity;
  let i = 0;
  // Points before the range (rollup buckets overlapping the left edge) only set the held value.
  while (i < t.length && t[i]! < from) {
    held = v[i] ?? null;
    heldUntil = t[i++]! + holdMs;
  }
  for (let c = 0; c < n; c++) {
    const start = from + c * width;
    const end = start + width;
    const col: Column = { lo: Infinity, loT: 0, hi: -Infinity, hiT: 0, any: false, endsBad: false, allBad: true, uncertain: false, rules: new Set(), quarantined: false, markValue: null };
    // The last column takes what is left (points exactly at `to`, and rollup edges past it).
    while (i < t.length && (t[i]! < end || c === n - 1)) {
      const ti = t[i]!;
      const vi = v[i] ?? null;
      col.any = true;
      if (vi === null) col.endsBad = true;
      else {
        col.endsBad = false;
        col.allBad = false;
        if (vi < col.lo) [col.lo, col.loT] = [vi, ti];
        if (vi > col.hi) [col.hi, col.hiT] = [vi, ti];
      }
      if (q[i] === "uncertain") col.uncertain = true;
      const m = markerAt.get(ti);
      if (m) {
        for (const r of m.rules) col.rules.add(r);
        if (m.quarantined) col.quarantined = true;
        if (m.v !== null && col.markValue === null) col.markValue = m.v;
      }
      held = vi;
      heldUntil = ti + holdMs;
      i++;
    }
    const a = rows[2 * c]!;
    const b = rows[2 * c + 1]!;
    let first: number | null;
    let second: number | null;
    if (col.any && !col.allBad) {
      [first, second] = col.loT <= col.hiT ? [col.lo, col.hi] : [col.hi, col.lo];
      if (col.endsBad) second = null;
      a[key.quality] = b[key.quality] = col.uncertain ? "uncertain" : "good";
    } else if (col.any) {
      first = second = null;
      a[key.quality] = b[key.quality] = "bad";
    } else if (start <= Math.min(s.holdUntil, heldUntil)) {
      first = second = held;
    } else {
      first = second = null;
    }
    a[key.raw] = first;
    b[key.raw] = second;
    a[key.plot] = first === null ? null : s.scale(first);
    b[key.plot] = second === null ? null : s.scale(second);
    if (col.rules.size > 0 || col.quarantined) {
      const markValue = col.markValue ?? first ?? second;
      a[key.mark] = markValue === null ? null : s.scale(markValue);
      a[key.why] = describeMarker([...col.rules], col.quarantined);
      a[key.quarantined] = col.quarantined ? 1 : 0;
    }
  }
}

/** "range, rate — quarantined", or for rollups (which keep no rule names) "quarantined values". */
export function describeMarker(rules: readonly string[], quarantined: boolean): string {
  if (rules.length === 0) return quarantined ? "quarantined values (zoom in for the rule)" : "flagged";
  return `${rules.join(", ")}${quarantined ? " — quarantined" : " — flagged only"}`;
}

/** Lowest and highest raw value of a series (with its value before the range), for % scaling. */
export function extent(data: HistorySeries): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data.v) {
    if (v === null) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const b = data.before?.v;
  if (b !== undefined && b !== null) {
    lo = Math.min(lo, b);
    hi = Math.max(hi, b);
  }
  return lo <= hi ? [lo, hi] : null;
}
