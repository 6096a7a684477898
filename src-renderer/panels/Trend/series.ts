/**
 * Turns the trend rings into chart rows: one shared time grid for all tags so the tooltip lines up.
 *
 * The window is cut into BUCKETS buckets; each bucket gives two rows holding each tag's minimum and
 * maximum in that bucket (in the order they occurred), so spikes survive the downsampling. A tag with no
 * sample in a bucket holds its last value (OPC UA reports on change), and a bad sample is a gap (null).
 */
import type { TagInfo } from "../../../src-main/common/api/contract";
import { STALE_AFTER_MS } from "../../stores/workbench";
import type { SampleRing } from "../../stores/ring";

/** Two rows per bucket: ~600 points per series. */
export const BUCKETS = 300;

export type Row = { t: number } & Record<string, number | null>;

export interface SeriesInput {
  tag: TagInfo;
  ring: SampleRing | null;
  /** Map a raw value to the plotted value (identity, or % of range when normalised). */
  scale: (v: number) => number;
}

export function buildRows(series: readonly SeriesInput[], since: number, now: number, lastValueAt: number): Row[] {
  const width = (now - since) / BUCKETS;
  const rows: Row[] = new Array<Row>(BUCKETS * 2);
  for (let b = 0; b < BUCKETS; b++) {
    const start = since + b * width;
    rows[2 * b] = { t: start + width * 0.25 } as Row;
    rows[2 * b + 1] = { t: start + width * 0.75 } as Row;
  }
  // Do not draw a held value on past the moment data stopped coming.
  const holdUntil = lastValueAt + STALE_AFTER_MS;
  series.forEach((s, k) => fillSeries(rows, s, `s${k}`, `r${k}`, since, width, holdUntil));
  return rows;
}

function fillSeries(rows: Row[], s: SeriesInput, key: string, rawKey: string, since: number, width: number, holdUntil: number) {
  const ring = s.ring;
  let idx = ring ? ring.lowerBound(since) : 0;
  const count = ring ? ring.count : 0;
  // The value in force at the left edge is the last sample before it.
  let held = ring && idx > 0 ? (ring.v[ring.slot(idx - 1)] ?? NaN) : NaN;
  for (let b = 0; b < BUCKETS; b++) {
    const end = since + (b + 1) * width;
    let min = Infinity;
    let max = -Infinity;
    let tMin = 0;
    let tMax = 0;
    while (ring && idx < count) {
      const slot = ring.slot(idx);
      const t = ring.t[slot] ?? 0;
      if (t >= end) break;
      const v = ring.v[slot] ?? NaN;
      if (!Number.isNaN(v)) {
        if (v < min) [min, tMin] = [v, t];
        if (v > max) [max, tMax] = [v, t];
      }
      held = v;
      idx++;
    }
    const a = rows[2 * b];
    const c = rows[2 * b + 1];
    if (!a || !c) continue;
    let first: number;
    let second: number;
    if (min <= max) {
      [first, second] = tMin <= tMax ? [min, max] : [max, min];
      if (Number.isNaN(held)) second = NaN; // the bucket ended in a gap
    } else if (end - width <= holdUntil) {
      first = second = held;
    } else {
      first = second = NaN;
    }
    a[key] = Number.isNaN(first) ? null : s.scale(first);
    c[key] = Number.isNaN(second) ? null : s.scale(second);
    a[rawKey] = Number.isNaN(first) ? null : first;
    c[rawKey] = Number.isNaN(second) ? null : second;
  }
}

/** Ticks at round times: every 10 s for 1 min, 1 min for 5 min, 2 min for 10 min. */
export function timeTicks(since: number, now: number): number[] {
  const span = now - since;
  const step = span <= 60_000 ? 10_000 : span <= 300_000 ? 60_000 : 120_000;
  // Keep a label's half-width clear of both ends so the edge labels are not clipped.
  const margin = step * 0.2;
  const ticks: number[] = [];
  for (let t = Math.ceil((since + margin) / step) * step; t <= now - margin; t += step) ticks.push(t);
  return ticks;
}
