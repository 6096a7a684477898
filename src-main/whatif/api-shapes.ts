/**
 * Study results and recommendations as the API carries them: plain arrays instead of typed ones, series
 * thinned to what a chart can show, KPIs marked better or worse, and the PredictedEffect a proposal
 * carries to the approvals inbox (kept well under the workflow's 256 kB limit).
 */
import type { KpiRow, PredictedEffect, ScenarioResult, SetpointChangeInfo, WhatifBand } from "../common/api/whatif";
import type { Band, KpiComparison, SeriesBands, StudyResult } from "../common/whatif/results";
import type { PlantState, Scenario } from "../common/whatif/schema";
import type { WhatifContext } from "./context";

export type Direction = "lower" | "higher";

/** Which way each KPI is better: the objective's sign where the KPI is in it (it is minimised), else by its kind. */
export function kpiDirections(ctx: WhatifContext): Map<string, Direction> {
  const out = new Map<string, Direction>();
  for (const k of ctx.declarations.kpis) out.set(k.id, k.kind === "rate" || k.kind === "timeToThreshold" ? "higher" : "lower");
  for (const t of ctx.declarations.objective?.terms ?? []) if (t.weight !== 0) out.set(t.kpi, t.weight > 0 ? "lower" : "higher");
  return out;
}

/** Whether a median change is an improvement; null for no change. */
export function isBetter(direction: Direction | undefined, delta: number): boolean | null {
  if (delta === 0 || !Number.isFinite(delta)) return null;
  return (direction ?? "lower") === "lower" ? delta < 0 : delta > 0;
}

const finite = (v: number): number => (Number.isFinite(v) ? v : v > 0 ? Number.MAX_VALUE : v < 0 ? -Number.MAX_VALUE : 0);

export function bandInfo(b: Band): WhatifBand {
  return { p05: finite(b.p05), p50: finite(b.p50), p95: finite(b.p95) };
}

export function kpiRows(ctx: WhatifContext, kpis: readonly KpiComparison[]): KpiRow[] {
  const dir = kpiDirections(ctx);
  return kpis.map((k) => ({
    id: k.id,
    label: k.label,
    unit: k.unit,
    baseline: bandInfo(k.baseline),
    scenario: bandInfo(k.scenario),
    delta: bandInfo(k.delta),
    better: isBetter(dir.get(k.id), k.delta.p50),
  }));
}

/** Sample indices of at most `maxPoints` points, evenly strided, the last one always included. */
export function thinIndices(samples: number, maxPoints: number): number[] {
  const stride = Math.max(1, Math.ceil(samples / maxPoints));
  const out: number[] = [];
  for (let k = 0; k < samples; k += stride) out.push(k);
  if (out[out.length - 1] !== samples - 1 && samples > 0) {
    if (out.length >= maxPoints) out[out.length - 1] = samples - 1;
    else out.push(samples - 1);
  }
  return out;
}

function trace(s: SeriesBands, o: number, idx: readonly number[]) {
  const n = s.timesS.length;
  const pick = (a: Float64Array) => idx.map((k) => {
    const v = a[o * n + k]!;
    return Number.isFinite(v) ? v : null;
  });
  return { p05: pick(s.p05), p50: pick(s.p50), p95: pick(s.p95) };
}

/** The final setpoint per tag a scenario writes, against where it stands in the state. */
export function setpointChanges(ctx: WhatifContext, state: PlantState, scenario: Scenario): SetpointChangeInfo[] {
  const last = new Map<string, number>();
  for (const e of [...scenario.edits].sort((a, b) => a.atS - b.atS)) if (e.kind === "setpoint") last.set(e.tag, e.value);
  const out: SetpointChangeInfo[] = [];
  for (const [tagId, to] of last) {
    const from = state.inputs[tagId];
    if (typeof from !== "number" || from === to) continue;
    const l = ctx.limits.get(tagId);
    const change: SetpointChangeInfo = { tagId, from, to, rampS: l?.maxRatePerS ? Math.abs(to - from) / l.maxRatePerS : 0 };
    if (l?.unit !== undefined) change.unit = l.unit;
    out.push(change);
  }
  return out;
}

/** Outputs a study's reader cares about first: the tags its scenarios write, then the KPIs' tags. */
export function defaultOutputs(ctx: WhatifContext, scenarios: readonly Scenario[], recorded: readonly string[], max: number): string[] {
  const want: string[] = [];
  const add = (name: string) => {
    if (recorded.includes(name) && !want.includes(name)) want.push(name);
  };
  for (const s of scenarios) {
    for (const e of s.edits) {
      if (e.kind === "setpoint") add(e.tag);
      if (e.kind === "fault" && "tag" in e) add(e.tag);
      if (e.kind === "parameter") add(e.name);
      if (e.kind === "fault" && e.fault === "fasterDegradation") add(e.latent);
    }
  }
  for (const k of ctx.declarations.kpis) {
    if ("tag" in k) add(k.tag);
    if ("terms" in k) for (const t of k.terms) add(t.tag);
  }
  for (const name of recorded) if (want.length < max) add(name);
  return want.slice(0, max);
}

/** One scenario's outcome with the outputs asked for, thinned. */
export function scenarioResult(
  ctx: WhatifContext,
  state: PlantState,
  scenario: Scenario,
  outcome: StudyResult["scenarios"][number],
  outputs: readonly string[],
  maxPoints: number,
): ScenarioResult {
  const idx = thinIndices(outcome.scenario.timesS.length, maxPoints);
  const r: ScenarioResult = {
    name: outcome.name,
    horizonS: outcome.horizonS,
    timesS: idx.map((k) => outcome.scenario.timesS[k]!),
    kpis: kpiRows(ctx, outcome.kpis),
    series: outputs.flatMap((name) => {
      const o = outcome.scenario.outputs.indexOf(name);
      if (o < 0) return [];
      const unit = unitOf(ctx, name);
      return [{ output: name, ...(unit ? { unit } : {}), baseline: trace(outcome.baseline, o, idx), scenario: trace(outcome.scenario, o, idx) }];
    }),
    setpointChanges: setpointChanges(ctx, state, scenario),
  };
  if (outcome.description !== undefined) r.description = outcome.description;
  if (outcome.objective) r.objective = { baseline: bandInfo(outcome.objective.baseline), scenario: bandInfo(outcome.objective.scenario), delta: bandInfo(outcome.objective.delta) };
  return r;
}

/** The unit of a tag or latent parameter, from the scene. */
export function unitOf(ctx: WhatifContext, name: string): string | undefined {
  const dot = name.indexOf(".");
  const asset = ctx.scene.assets.find((a) => a.id === name.slice(0, dot));
  const key = name.slice(dot + 1);
  return asset?.tags[key]?.unit ?? ctx.model.latent.find((l) => l.name === name)?.unit;
}

const effectBand = (b: Band) => {
  const f = bandInfo(b);
  return { median: f.p50, p05: f.p05, p95: f.p95 };
};

/** Series for a PredictedEffect: a few outputs at most 120 points each. */
export const EFFECT_SERIES = { outputs: 6, points: 120 } as const;

export interface EffectInput {
  horizonS: number;
  runs: number;
  kpis: readonly KpiComparison[];
  baseline?: SeriesBands;
  proposed?: SeriesBands;
  outputs: readonly string[];
  constraints: readonly { name: string; satisfied: boolean; detail: string }[];
  assumptions: readonly string[];
  objective?: { baseline: Band; proposed: Band };
  changes: readonly SetpointChangeInfo[];
  source: NonNullable<PredictedEffect["source"]>;
}

export function predictedEffect(ctx: WhatifContext, e: EffectInput): PredictedEffect {
  const dir = kpiDirections(ctx);
  const series: PredictedEffect["series"] = [];
  if (e.baseline && e.proposed) {
    const idx = thinIndices(e.proposed.timesS.length, EFFECT_SERIES.points);
    const pick = (s: SeriesBands, o: number, a: Float64Array) => idx.map((k) => finite(a[o * s.timesS.length + k]!));
    for (const name of e.outputs.slice(0, EFFECT_SERIES.outputs)) {
      const o = e.proposed.outputs.indexOf(name);
      const b = e.baseline.outputs.indexOf(name);
      if (o < 0 || b < 0) continue;
      const unit = unitOf(ctx, name);
      series.push({
        id: name,
        name,
        ...(unit ? { unit } : {}),
        t: idx.map((k) => e.proposed!.timesS[k]!),
        baseline: { median: pick(e.baseline, b, e.baseline.p50), p05: pick(e.baseline, b, e.baseline.p05), p95: pick(e.baseline, b, e.baseline.p95) },
        proposed: { median: pick(e.proposed, o, e.proposed.p50), p05: pick(e.proposed, o, e.proposed.p05), p95: pick(e.proposed, o, e.proposed.p95) },
      });
    }
  }
  const effect: PredictedEffect = {
    horizonS: e.horizonS,
    runs: e.runs,
    kpis: e.kpis.map((k) => ({
      id: k.id,
      name: k.label,
      unit: k.unit,
      baseline: effectBand(k.baseline),
      proposed: effectBand(k.scenario),
      delta: effectBand(k.delta),
      better: isBetter(dir.get(k.id), k.delta.p50) === true,
    })),
    series,
    constraints: e.constraints.map((c) => ({ name: c.name, ok: c.satisfied, detail: c.detail })),
    assumptions: [...e.assumptions],
    changes: e.changes.map((c) => ({ tagId: c.tagId, from: c.from, to: c.to, ...(c.unit ? { unit: c.unit } : {}) })),
    source: e.source,
  };
  if (e.objective) effect.objective = { baseline: effectBand(e.objective.baseline), proposed: effectBand(e.objective.proposed) };
  return effect;
}
