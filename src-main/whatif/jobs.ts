/**
 * Turning scenarios into run jobs: validation against the write policies, Monte Carlo draws shared by
 * every arm (paired runs, common random numbers) and the recording settings.
 */
import type { Fidelity, PlantState, Posterior, RunSettings, Scenario } from "../common/whatif/schema";
import { compileScenario, ScenarioError, type CompiledEdit } from "../common/whatif/validate";
import { deriveSeed } from "../../src-workers/random";
import { drawLatent } from "../../src-workers/whatif/stats";
import type { RunJob } from "../../src-workers/whatif/types";
import type { WhatifContext } from "./context";

/** What differs between the runs of one arm; run r of every arm gets the same draw. */
export interface RunDraw {
  latent?: Record<string, number>;
  noiseSeed?: number;
}

/**
 * Draws for `runs` paired runs. Without Monte Carlo there is one draw that changes nothing, so the run
 * continues the state's own noise (and reproduces the simulator's trajectory).
 */
export function monteCarloDraws(runs: number, seed: number, options: { posterior?: Posterior; processNoise?: boolean } = {}): RunDraw[] {
  if (runs === 1 && !options.posterior && !options.processNoise) return [{}];
  const latent = options.posterior ? drawLatent(options.posterior, runs, seed) : undefined;
  return Array.from({ length: runs }, (_, r) => ({
    latent: latent?.[r],
    noiseSeed: options.processNoise === false ? undefined : deriveSeed(seed, 1000 + r),
  }));
}

/** A sample spacing that gives at most ~720 points and is a round number of steps. */
export function defaultSampleS(horizonS: number, stepS: number): number {
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  const raw = horizonS / 720;
  const pick = nice.find((n) => n >= raw) ?? Math.ceil(raw / 3600) * 3600;
  return Math.max(stepS, Math.ceil(pick / stepS) * stepS);
}

/** Validates every scenario at once; throws one ScenarioError naming every problem of every scenario. */
export function compileAll(ctx: WhatifContext, state: PlantState, scenarios: readonly Scenario[]): CompiledEdit[][] {
  const problems: string[] = [];
  const out = scenarios.map((s) => {
    try {
      return compileScenario(s, { limits: ctx.limits, model: ctx.model, inputs: state.inputs });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      problems.push(...(scenarios.length > 1 ? err.problems.map((p) => `${s.name}: ${p}`) : err.problems));
      return [];
    }
  });
  if (problems.length) throw new ScenarioError(scenarios.map((s) => s.name).join(", "), problems);
  return out;
}

export interface JobSettings {
  stepS: number;
  sampleS: number;
  substepS?: number;
  fidelity?: Fidelity;
  outputs: string[];
}

export function resolveSettings(ctx: WhatifContext, settings: RunSettings, horizonS: number, outputs?: string[]): JobSettings {
  for (const name of outputs ?? []) {
    if (!ctx.model.readable.includes(name)) throw new RangeError(`output ${name}: the ${ctx.model.model} model has no such signal or latent parameter`);
  }
  return {
    stepS: settings.stepS,
    sampleS: settings.sampleS ?? defaultSampleS(horizonS, settings.stepS),
    substepS: settings.substepS,
    ...(settings.fidelity ? { fidelity: settings.fidelity } : {}),
    outputs: outputs ?? ctx.model.outputs,
  };
}

export function job(ctx: WhatifContext, state: PlantState, edits: CompiledEdit[], horizonS: number, s: JobSettings, draw: RunDraw): RunJob {
  const j: RunJob = { state, edits, horizonS, stepS: s.stepS, sampleS: s.sampleS, outputs: s.outputs, kpis: ctx.declarations.kpis };
  if (s.substepS !== undefined) j.substepS = s.substepS;
  if (s.fidelity !== undefined) j.fidelity = s.fidelity;
  if (draw.noiseSeed !== undefined) j.noiseSeed = draw.noiseSeed;
  if (draw.latent) j.latent = draw.latent;
  return j;
}
