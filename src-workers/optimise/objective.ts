/**
 * The scene's objective over KPI vectors: a weighted sum to minimise and hard constraints. A candidate is
 * scored over its common-random-number samples: the mean of the weighted sum, and the worst constraint
 * violation of any sample (hard means every sample must satisfy it).
 */
import type { Kpi, Objective } from "../../src-main/common/whatif/schema";
import type { Score } from "./pattern-search";

export interface CompiledObjective {
  terms: { index: number; weight: number }[];
  constraints: { kpi: string; index: number; min?: number; max?: number }[];
}

export function compileObjective(objective: Objective, kpis: readonly Kpi[]): CompiledObjective {
  const index = (id: string) => {
    const i = kpis.findIndex((k) => k.id === id);
    if (i < 0) throw new RangeError(`objective: "${id}" is not a declared KPI (${kpis.map((k) => k.id).join(", ")})`);
    return i;
  };
  return {
    terms: objective.terms.map((t) => ({ index: index(t.kpi), weight: t.weight })),
    constraints: objective.constraints.map((c) => ({ kpi: c.kpi, index: index(c.kpi), min: c.min, max: c.max })),
  };
}

/** Weighted sum of one run's KPIs. */
export function objectiveValue(o: CompiledObjective, kpis: Float64Array): number {
  let v = 0;
  for (const t of o.terms) v += t.weight * kpis[t.index]!;
  return v;
}

/** How far one run's KPIs break the constraints (0 when it satisfies all), summed over constraints. */
export function violation(o: CompiledObjective, kpis: Float64Array): number {
  let v = 0;
  for (const c of o.constraints) {
    const x = kpis[c.index]!;
    if (c.max !== undefined && x > c.max) v += x - c.max;
    if (c.min !== undefined && x < c.min) v += c.min - x;
  }
  return v;
}

/** A candidate's score over its samples. */
export function scoreSamples(o: CompiledObjective, samples: readonly Float64Array[]): Score {
  let sum = 0;
  let worst = 0;
  for (const k of samples) {
    sum += objectiveValue(o, k);
    worst = Math.max(worst, violation(o, k));
  }
  return { value: sum / samples.length, violation: worst };
}
