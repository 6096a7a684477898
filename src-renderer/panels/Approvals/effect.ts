/**
 * The predicted effect a proposal carries (from the optimiser or a what-if scenario), made readable: KPIs as
 * "median (90 % band)", the difference judged by whether its band excludes zero, trajectories thinned to
 * what a small chart can draw. Pure functions.
 */
import { PredictedEffect, type Band } from "../../../src-main/common/api/whatif";

export type ParsedEffect =
  | { kind: "none" }
  | { kind: "effect"; effect: PredictedEffect }
  /** Not the shape we know: shown as formatted JSON rather than hidden. */
  | { kind: "raw"; json: string; problem: string };

export function parseEffect(raw: unknown): ParsedEffect {
  if (raw === undefined || raw === null) return { kind: "none" };
  const parsed = PredictedEffect.safeParse(raw);
  if (parsed.success) return { kind: "effect", effect: parsed.data };
  const first = parsed.error.issues[0];
  const problem = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "unknown shape";
  let json: string;
  try {
    json = JSON.stringify(raw, null, 2) ?? String(raw);
  } catch {
    json = String(raw);
  }
  return { kind: "raw", json, problem };
}

/** Decimals that show a band's width with about two significant digits (four of the value when the band is flat). */
export function bandDecimals(b: Band): number {
  const width = isFlat(b) ? 0 : Math.abs(b.p95 - b.p05);
  const scale = width > 0 ? width / 2 : Math.abs(b.median) / 100;
  if (!(scale > 0) || !Number.isFinite(scale)) return 2;
  return Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(scale))));
}

/**
 * A band no wider than float noise around its median (runs that all agree, e.g. a setpoint's own trace or
 * common random numbers on both sides): shown as one value.
 */
export function isFlat(b: Band): boolean {
  return Math.abs(b.p95 - b.p05) <= 1e-6 * Math.max(1, Math.abs(b.median));
}

function num(x: number, d: number, signed: boolean): string {
  const text = x.toFixed(d);
  // −0.00 reads as a change where there is none.
  if (Number(text) === 0) return (0).toFixed(d);
  return signed && x > 0 ? `+${text}` : text.replace("-", "−");
}

/**
 * "12.3 (11.8 … 12.9) kg" — the median and its 90 % band; a deterministic band (one run) shows the value only.
 * `signed` writes a plus on positive numbers (for differences).
 */
export function formatBand(b: Band, unit?: string, signed = false): string {
  const d = bandDecimals(b);
  const u = unit && unit !== "1" ? ` ${unit}` : "";
  if (isFlat(b)) return `${num(b.median, d, signed)}${u}`;
  return `${num(b.median, d, signed)} (${num(b.p05, d, signed)} … ${num(b.p95, d, signed)})${u}`;
}

/** The median alone, with the decimals its band calls for (the band goes in a tooltip: see formatBand). */
export function formatMedian(b: Band, unit?: string): string {
  const u = unit && unit !== "1" ? ` ${unit}` : "";
  return `${num(b.median, bandDecimals(b), false)}${u}`;
}

/**
 * What the difference says: `better` / `worse` when its whole 90 % band lies on one side of zero, `unclear`
 * when the band straddles zero, `none` when there is no difference at all. `better` is the KPI's own flag
 * (the sign of improvement depends on the KPI: less energy, more bottles).
 */
export type Verdict = "better" | "worse" | "unclear" | "none";

export function deltaVerdict(delta: Band, better: boolean): Verdict {
  if (delta.p05 === 0 && delta.p95 === 0 && delta.median === 0) return "none";
  if (delta.p05 <= 0 && delta.p95 >= 0) return "unclear";
  return better ? "better" : "worse";
}

export interface TrajectoryRow {
  t: number;
  baseline: number | null;
  baselineBand: [number, number] | null;
  proposed: number | null;
  proposedBand: [number, number] | null;
}

/** More points than a few hundred pixels can show are thinned by striding (the last point always kept). */
export const MAX_CHART_POINTS = 240;

type Trajectory = PredictedEffect["series"][number];

export function trajectoryRows(s: Trajectory, maxPoints = MAX_CHART_POINTS): TrajectoryRow[] {
  const n = s.t.length;
  if (n === 0) return [];
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const rows: TrajectoryRow[] = [];
  const at = (i: number): TrajectoryRow => ({
    t: s.t[i]!,
    baseline: finite(s.baseline.median[i]),
    baselineBand: pair(s.baseline.p05[i], s.baseline.p95[i]),
    proposed: finite(s.proposed.median[i]),
    proposedBand: pair(s.proposed.p05[i], s.proposed.p95[i]),
  });
  for (let i = 0; i < n; i += stride) rows.push(at(i));
  if ((n - 1) % stride !== 0) rows.push(at(n - 1));
  return rows;
}

function finite(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

function pair(lo: number | undefined, hi: number | undefined): [number, number] | null {
  const a = finite(lo);
  const b = finite(hi);
  return a !== null && b !== null ? [Math.min(a, b), Math.max(a, b)] : null;
}

/** "5 min", "90 s", "2 h": the horizon as people say it. */
export function formatHorizon(seconds: number): string {
  if (seconds < 120) return `${trimNumber(seconds)} s`;
  if (seconds < 7_200) return `${trimNumber(seconds / 60)} min`;
  return `${trimNumber(seconds / 3_600)} h`;
}

function trimNumber(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/**
 * The other setpoint changes a joint prediction assumes besides this proposal's own (the optimiser and a
 * what-if scenario hand one proposal per tag, each carrying the same joint effect): the approver must know
 * the effect is only predicted if those are made too.
 */
export function otherChanges(effect: PredictedEffect, tagId: string): NonNullable<PredictedEffect["changes"]> {
  return (effect.changes ?? []).filter((c) => c.tagId !== tagId);
}
