/**
 * Setpoint recommendations: search the objective's writable setpoints, within each tag's write policy
 * (min/max, maxStep from where it stands, the resolution grid), for a lower objective, using the plant
 * simulation as the model. Every candidate sees the same latent draws and noise (common random numbers),
 * so candidates differ only by their setpoints. The best is then re-run against the baseline on fresh
 * draws for an honest prediction with bands.
 *
 * The result is a proposal for the approval workflow. Nothing here writes to the plant.
 */
import { randomUUID } from "node:crypto";
import type { ConstraintCheck, KpiComparison, Recommendation, SeriesBands, SetpointChange, WhatifProgress } from "../common/whatif/results";
import type { Objective, PlantState, Scenario } from "../common/whatif/schema";
import { compileScenario, formatNumber, withUnit } from "../common/whatif/validate";
import { deriveSeed } from "../../src-workers/random";
import { compileObjective, objectiveValue, scoreSamples, violation, type CompiledObjective } from "../../src-workers/optimise/objective";
import { patternSearch } from "../../src-workers/optimise/pattern-search";
import { band, seriesBands } from "../../src-workers/whatif/stats";
import type { RunResult } from "../../src-workers/whatif/types";
import type { WhatifContext } from "./context";
import { defaultSampleS, job, monteCarloDraws, type JobSettings, type RunDraw } from "./jobs";
import type { WhatifPool } from "./pool";
import { assumptions, compareKpis } from "./study";

export interface RecommendOptions {
  /** Default: the scene's declared objective. */
  objective?: Objective;
  seed?: number;
  onProgress?(progress: WhatifProgress): void;
  signal?: AbortSignal;
  /** Outputs to record in the validation runs (for the predicted trajectories); default none. */
  outputs?: string[];
}

/** A recommendation with, when outputs were asked for, the validation runs' trajectories as bands. */
export type RecommendationWithSeries = Recommendation & { series?: { baseline: SeriesBands; proposed: SeriesBands } };

interface Decision {
  tag: string;
  unit?: string;
  from: number;
  lower: number;
  upper: number;
  resolution: number;
  ratePerS?: number;
  maxStep?: number;
}

export async function recommendSetpoints(pool: WhatifPool, ctx: WhatifContext, state: PlantState, options: RecommendOptions = {}): Promise<RecommendationWithSeries> {
  const t0 = performance.now();
  const objective = options.objective ?? ctx.declarations.objective;
  if (!objective) throw new Error(`scene "${ctx.scene.name}" declares no objective: nothing to recommend for`);
  const compiled = compileObjective(objective, ctx.declarations.kpis);
  const decisions = objective.setpoints.map((tag) => decision(ctx, state, objective, tag));
  const seed = options.seed ?? 1;
  const fidelity = objective.fidelity ?? (objective.substepS !== undefined ? "exact" : "fast");
  const settings: JobSettings = { stepS: 1, sampleS: objective.horizonS, outputs: [], substepS: objective.substepS, fidelity };
  const batch = (phase: WhatifProgress["phase"]) => ({ phase, onProgress: options.onProgress, signal: options.signal });
  let runs = 0;

  /** Every draw's run for every point, one pool batch. */
  const simulateRuns = async (points: number[][], draws: RunDraw[], phase: WhatifProgress["phase"], s: JobSettings): Promise<RunResult[][]> => {
    const jobs = points.flatMap((x) => {
      const edits = candidateEdits(ctx, state, decisions, x, objective.horizonS);
      return draws.map((d) => job(ctx, state, edits, objective.horizonS, s, d));
    });
    const results = await pool.run(jobs, batch(phase));
    runs += results.length;
    return points.map((_, p) => results.slice(p * draws.length, (p + 1) * draws.length));
  };
  /** KPI vectors of every draw for every point. */
  const simulate = async (points: number[][], draws: RunDraw[], phase: WhatifProgress["phase"]): Promise<Float64Array[][]> =>
    (await simulateRuns(points, draws, phase, settings)).map((rs) => rs.map((r) => r.kpis));

  const searchDraws = monteCarloDraws(objective.samples, seed, { posterior: state.posterior, processNoise: true });
  const search = await patternSearch(
    async (points) => (await simulate(points, searchDraws, "search")).map((samples) => scoreSamples(compiled, samples)),
    {
      x0: decisions.map((d) => d.from),
      lower: decisions.map((d) => d.lower),
      upper: decisions.map((d) => d.upper),
      resolution: decisions.map((d) => d.resolution),
    },
    { maxEvaluations: objective.maxEvaluations },
  );
  const improved = search.x.some((v, i) => v !== decisions[i]!.from);

  // Fresh draws: the search's own samples would flatter the winner (it was picked on them).
  const checkDraws = monteCarloDraws(objective.validationSamples, deriveSeed(seed, 7), { posterior: state.posterior, processNoise: true });
  const outputs = options.outputs ?? [];
  const checkSettings: JobSettings = outputs.length ? { ...settings, outputs, sampleS: defaultSampleS(objective.horizonS, 1) } : settings;
  const [baseRuns, bestRuns] = await simulateRuns([decisions.map((d) => d.from), search.x], checkDraws, "validation", checkSettings);
  const base = baseRuns!.map((r) => r.kpis);
  const best = bestRuns!.map((r) => r.kpis);
  const series = outputs.length
    ? {
        baseline: seriesBands(outputs, baseRuns![0]!.samples, checkSettings.sampleS, baseRuns!.map((r) => r.series)),
        proposed: seriesBands(outputs, bestRuns![0]!.samples, checkSettings.sampleS, bestRuns!.map((r) => r.series)),
      }
    : undefined;
  const asResults = (kpis: Float64Array[]) => kpis.map((k) => ({ kpis: k }) as RunResult);
  const kpis = compareKpis(ctx, asResults(base), asResults(best));
  const baseObjective = base.map((k) => objectiveValue(compiled, k));
  const bestObjective = best.map((k) => objectiveValue(compiled, k));

  const changes: SetpointChange[] = improved
    ? decisions.flatMap((d, i) => {
        const to = search.x[i]!;
        if (to === d.from) return [];
        const change: SetpointChange = { tag: d.tag, from: d.from, to, rampS: d.ratePerS ? Math.abs(to - d.from) / d.ratePerS : 0 };
        if (d.unit !== undefined) change.unit = d.unit;
        return [change];
      })
    : [];
  return {
    id: randomUUID(),
    createdAt: Date.now(),
    model: state.model,
    state: { model: state.model, source: state.source, timeS: state.timeS },
    changes,
    objective: { baseline: band(baseObjective), proposed: band(bestObjective), delta: band(bestObjective.map((v, r) => v - baseObjective[r]!)) },
    kpis,
    constraints: constraintChecks(ctx, decisions, changes, compiled, best, kpis),
    assumptions: [
      `Objective: minimise ${objective.terms.map((t) => `${formatNumber(t.weight)}·${t.kpi}`).join(" + ")} over the next ${formatNumber(objective.horizonS / 3600)} h, searching ${objective.setpoints.join(", ")}; every other setpoint stays as it is.`,
      `Search: pattern search over ${search.evaluations} candidates, ${objective.samples} common-random-number samples each; prediction from ${objective.validationSamples} fresh paired samples.`,
      ...assumptions(state, objective.validationSamples, { runs: objective.validationSamples, processNoise: true }, objective.substepS, fidelity),
      "A recommendation only: nothing is written to the plant before the approval workflow accepts it.",
    ],
    search: { evaluations: search.evaluations, runs, wallMs: performance.now() - t0, improved },
    ...(series ? { series } : {}),
  };
}

function decision(ctx: WhatifContext, state: PlantState, objective: Objective, tag: string): Decision {
  const l = ctx.limits.get(tag);
  if (!l) throw new Error(`objective setpoint ${tag}: not a writable tag of the scene`);
  const from = state.inputs[tag];
  if (typeof from !== "number") throw new Error(`objective setpoint ${tag}: the plant state has no value for it`);
  // Where it stands may lie outside today's limits (changed policy); the search never leaves them.
  const lower = Math.min(Math.max(l.min, l.maxStep !== undefined ? from - l.maxStep : l.min), from);
  const upper = Math.max(Math.min(l.max, l.maxStep !== undefined ? from + l.maxStep : l.max), from);
  const resolution = objective.resolution[tag] ?? (l.maxStep !== undefined ? l.maxStep / 10 : (l.max - l.min) / 100);
  return { tag, unit: l.unit, from, lower, upper, resolution, ratePerS: l.maxRatePerS, maxStep: l.maxStep };
}

/** Candidate setpoints written at the start of the horizon (ramped at their rate limit), as a checked scenario. */
function candidateEdits(ctx: WhatifContext, state: PlantState, decisions: Decision[], x: number[], horizonS: number) {
  const scenario: Scenario = {
    name: "candidate",
    horizonS,
    edits: decisions.flatMap((d, i) => (x[i] === d.from ? [] : [{ kind: "setpoint" as const, atS: 0, tag: d.tag, value: x[i]! }])),
  };
  return compileScenario(scenario, { limits: ctx.limits, model: ctx.model, inputs: state.inputs });
}

function constraintChecks(
  ctx: WhatifContext,
  decisions: Decision[],
  changes: SetpointChange[],
  compiled: CompiledObjective,
  best: Float64Array[],
  kpis: KpiComparison[],
): ConstraintCheck[] {
  const checks: ConstraintCheck[] = [];
  for (const c of changes) {
    const l = ctx.limits.get(c.tag)!;
    const d = decisions.find((x) => x.tag === c.tag)!;
    checks.push({ name: `${c.tag} within write limits`, satisfied: c.to >= l.min && c.to <= l.max, detail: `${withUnit(c.to, l.unit)} in [${formatNumber(l.min)}, ${withUnit(l.max, l.unit)}]` });
    if (d.maxStep !== undefined) {
      const step = Math.abs(c.to - c.from);
      checks.push({ name: `${c.tag} step within write.maxStep`, satisfied: step <= d.maxStep * (1 + 1e-9), detail: `|${formatNumber(c.to)} − ${formatNumber(c.from)}| = ${withUnit(step, l.unit)} ≤ ${withUnit(d.maxStep, l.unit)}` });
    }
    if (d.ratePerS !== undefined) {
      checks.push({ name: `${c.tag} ramped at write.maxRatePerS`, satisfied: true, detail: `${withUnit(d.ratePerS, l.unit ? `${l.unit}/s` : undefined)}: ${formatNumber(c.rampS)} s to reach ${withUnit(c.to, l.unit)}` });
    }
  }
  for (const c of compiled.constraints) {
    const k = kpis.find((x) => x.id === c.kpi)!;
    const worst = Math.max(...best.map((v) => violation({ terms: [], constraints: [c] }, v)));
    const bound = [c.min !== undefined ? `≥ ${formatNumber(c.min)}` : "", c.max !== undefined ? `≤ ${formatNumber(c.max)}` : ""].filter(Boolean).join(" and ");
    checks.push({
      name: `${k.label} ${bound}`,
      satisfied: worst <= 0,
      detail: `predicted ${formatNumber(k.scenario.p50)} ${k.unit} (90 % band ${formatNumber(k.scenario.p05)}–${formatNumber(k.scenario.p95)}); baseline ${formatNumber(k.baseline.p50)} ${k.unit}`,
    });
  }
  return checks;
}

/**
 * Runs recommendations on demand and periodically from a state source (the estimator's latest state
 * later; the simulator's now). A tick is skipped while the previous recommendation still runs.
 */
export class SetpointRecommender {
  constructor(
    private readonly pool: WhatifPool,
    private readonly ctx: WhatifContext,
    private readonly currentState: () => PlantState | Promise<PlantState>,
  ) {}

  async recommend(options: RecommendOptions = {}): Promise<RecommendationWithSeries> {
    return recommendSetpoints(this.pool, this.ctx, await this.currentState(), options);
  }

  /** Calls `deliver` with a recommendation every periodMs; returns a stop function. */
  schedule(periodMs: number, deliver: (r: Recommendation) => void, onError: (err: unknown) => void = () => undefined, options: RecommendOptions = {}): () => void {
    if (!(periodMs >= 1000)) throw new RangeError(`schedule: periodMs must be ≥ 1000, got ${periodMs}`);
    let busy = false;
    let stopped = false;
    const controller = new AbortController();
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      this.recommend({ ...options, signal: controller.signal })
        .then((r) => !stopped && deliver(r), (err: unknown) => !stopped && onError(err))
        .finally(() => (busy = false));
    }, periodMs);
    return () => {
      stopped = true;
      clearInterval(timer);
      controller.abort();
    };
  }
}
