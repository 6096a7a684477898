/**
 * Min/max per column: the shape-keeping reduction for charts. The time range is cut into columns (about
 * one per pixel pair); each column gives its lowest and highest value, at the times they happened, in
 * time order. Unlike largest-triangle-three-buckets, which picks one representative point per bucket,
 * min/max never drops a spike or a dip, and it works the same on raw values and on rollups (which store
 * exactly those extremes). Pure TypeScript.
 */
import type { Quality } from "../common/api/contract";

export interface ChartPoints {
  /** Source times, Unix ms, ascending. */
  t: number[];
  /** Values; null for a gap (only bad samples there). */
  v: (number | null)[];
  /** good; uncertain when some samples in the column were uncertain or bad; bad for a gap. */
  q: Quality[];
  /** QualityFlag bits of the samples behind the point (OR over the column). */
  flags: number[];
}

export class MinMaxColumns {
  private readonly loV: Float64Array;
  private readonly loT: Float64Array;
  private readonly hiV: Float64Array;
  private readonly hiT: Float64Array;
  private readonly has: Uint8Array;
  private readonly degraded: Uint8Array;
  private readonly badT: Float64Array;
  private readonly flags: Int32Array;
  private readonly width: number;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly columns: number,
  ) {
    this.width = Math.max(to - from, 1) / columns;
    this.loV = new Float64Array(columns);
    this.loT = new Float64Array(columns);
    this.hiV = new Float64Array(columns);
    this.hiT = new Float64Array(columns);
    this.has = new Uint8Array(columns);
    this.degraded = new Uint8Array(columns);
    this.badT = new Float64Array(columns).fill(NaN);
    this.flags = new Int32Array(columns);
  }

  /** Column of a time; times outside [from, to] go to the first or last column. */
  columnOf(ts: number): number {
    const c = Math.floor((ts - this.from) / this.width);
    return c < 0 ? 0 : c >= this.columns ? this.columns - 1 : c;
  }

  /** A finite value. Equal extremes keep the earliest time. */
  addValue(ts: number, value: number, uncertain: boolean, flags: number): void {
    const c = this.columnOf(ts);
    if (!this.has[c]) {
      this.has[c] = 1;
      this.loV[c] = this.hiV[c] = value;
      this.loT[c] = this.hiT[c] = ts;
    } else {
      if (value < this.loV[c]! || (value === this.loV[c] && ts < this.loT[c]!)) {
        this.loV[c] = value;
        this.loT[c] = ts;
      }
      if (value > this.hiV[c]! || (value === this.hiV[c] && ts < this.hiT[c]!)) {
        this.hiV[c] = value;
        this.hiT[c] = ts;
      }
    }
    if (uncertain) this.degraded[c] = 1;
    this.flags[c]! |= flags;
  }

  /** A sample without a usable value at `ts`. */
  addBad(ts: number, flags: number): void {
    const c = this.columnOf(ts);
    if (Number.isNaN(this.badT[c]!) || ts < this.badT[c]!) this.badT[c] = ts;
    this.degraded[c] = 1;
    this.flags[c]! |= flags;
  }

  /** Marks a column degraded or flagged without a value (rollup counts). */
  mark(ts: number, degraded: boolean, flags: number): void {
    const c = this.columnOf(ts);
    if (degraded) this.degraded[c] = 1;
    this.flags[c]! |= flags;
  }

  /** At most two points per column; a column with only bad samples gives one null point (a gap). */
  finish(): ChartPoints {
    const out: ChartPoints = { t: [], v: [], q: [], flags: [] };
    const push = (t: number, v: number | null, q: Quality, flags: number) => {
      out.t.push(t);
      out.v.push(v);
      out.q.push(q);
      out.flags.push(flags);
    };
    for (let c = 0; c < this.columns; c++) {
      const flags = this.flags[c]!;
      if (this.has[c]) {
        const q: Quality = this.degraded[c] ? "uncertain" : "good";
        const loFirst = this.loT[c]! <= this.hiT[c]!;
        const [t1, v1, t2, v2] = loFirst ? [this.loT[c]!, this.loV[c]!, this.hiT[c]!, this.hiV[c]!] : [this.hiT[c]!, this.hiV[c]!, this.loT[c]!, this.loV[c]!];
        push(t1, v1, q, flags);
        if (t2 !== t1 || v2 !== v1) push(t2, v2, q, flags);
      } else if (!Number.isNaN(this.badT[c]!)) {
        push(this.badT[c]!, null, "bad", flags);
      }
    }
    return out;
  }
}
