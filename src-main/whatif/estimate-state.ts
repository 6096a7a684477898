/**
 * The twin's estimate as a what-if starting point. Typed structurally on what an estimator reports (its
 * variables in order, posterior means and standard deviations, and which model variable each measured tag
 * reads), so this bridge does not depend on the estimator's internals.
 *
 * Latent parameters and rate factors keep their names; an estimated state that a tag measures becomes that
 * tag's continuous state (`bufferTank.levelM` measured as `bufferTank.level` → `bufferTank.level`).
 */
import type { PlantState } from "../common/whatif/schema";
import type { WhatifModel } from "../../src-workers/whatif/model";

export interface EstimateLike {
  /** Seconds on the estimator's clock. */
  timeS: number;
  variables: readonly { name: string; kind: "state" | "parameter" }[];
  mean: ArrayLike<number>;
  sd: ArrayLike<number>;
  /** Measured tag ← model variable it reads, e.g. `{ tag: "bufferTank.level", from: "bufferTank.levelM" }`. */
  measurements: readonly { tag: string; from: string }[];
}

export interface EstimateOptions {
  /** Setpoints as they stand (from the live tag table). */
  inputs: Record<string, number | boolean>;
  /**
   * The demo's degradation speed-up when the estimator's rate factors are relative to the sped-up plant
   * (1 for a real plant): the what-if model's factors are relative to the nominal laws.
   */
  degradationSpeedup?: number;
}

export function plantStateFromEstimate(model: WhatifModel["capabilities"], estimate: EstimateLike, options: EstimateOptions): PlantState {
  const latentNames = new Map(model.latent.map((l) => [l.name, l] as const));
  const factors = new Set(model.latent.flatMap((l) => (l.rateFactor ? [l.rateFactor] : [])));
  const speedup = options.degradationSpeedup ?? 1;
  const state: PlantState = { model: model.model, source: "estimator", timeS: estimate.timeS, latent: {}, continuous: {}, inputs: {} };
  const posterior = { names: [] as string[], mean: [] as number[], sd: [] as number[] };

  estimate.variables.forEach((v, i) => {
    const mean = estimate.mean[i]!;
    const sd = estimate.sd[i]!;
    if (!Number.isFinite(mean)) return;
    if (latentNames.has(v.name)) {
      const scale = factors.has(v.name) ? speedup : 1;
      state.latent[v.name] = mean * scale;
      if (Number.isFinite(sd) && sd > 0) {
        posterior.names.push(v.name);
        posterior.mean.push(mean * scale);
        posterior.sd.push(sd * scale);
      }
      return;
    }
    const tag = estimate.measurements.find((m) => m.from === v.name && model.continuous.includes(m.tag))?.tag;
    if (v.kind === "state" && tag) state.continuous[tag] = mean;
  });
  for (const [tag, value] of Object.entries(options.inputs)) state.inputs[tag] = value;
  if (posterior.names.length > 0) {
    // The frame carries standard deviations only: a diagonal covariance (no correlation between parameters).
    const n = posterior.names.length;
    state.posterior = {
      names: posterior.names,
      mean: posterior.mean,
      covariance: posterior.sd.map((s, i) => Array.from({ length: n }, (_, j) => (i === j ? s * s : 0))),
    };
  }
  return state;
}
