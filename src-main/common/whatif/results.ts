/**
 * What a what-if study and a recommendation return. Types only (typed arrays do not go through zod);
 * shared by the main process, the API and the renderer's what-if panel.
 */

/** Median and 90 % band (5th and 95th percentiles) across Monte Carlo runs; all equal for a single run. */
export interface Band {
  p05: number;
  p50: number;
  p95: number;
}

/**
 * Recorded outputs of one arm over time, as bands across its runs. Row-major by output: the value of
 * output `o` at sample `k` is at index `o * timesS.length + k`.
 */
export interface SeriesBands {
  outputs: string[];
  /** Plant seconds since the fork. */
  timesS: Float64Array;
  p05: Float64Array;
  p50: Float64Array;
  p95: Float64Array;
}

export interface KpiInfo {
  id: string;
  label: string;
  unit: string;
}

/** A KPI side by side: baseline, scenario and their paired difference (same latent draw and noise per run). */
export interface KpiComparison extends KpiInfo {
  baseline: Band;
  /** The scenario's (in a recommendation: the proposed setpoints') bands. */
  scenario: Band;
  /** Bands of the per-run difference scenario − baseline, not the difference of the bands. */
  delta: Band;
}

export interface ScenarioOutcome {
  name: string;
  description?: string;
  horizonS: number;
  kpis: KpiComparison[];
  /** The declared objective (minimised) per arm and its paired difference; absent without an objective. */
  objective?: { baseline: Band; scenario: Band; delta: Band };
  baseline: SeriesBands;
  scenario: SeriesBands;
  /** Paired difference of every output over time. */
  delta: SeriesBands;
}

/** Where a study or recommendation started. */
export interface StateInfo {
  model: string;
  source: "simulator" | "estimator" | "historian";
  timeS: number;
}

export interface StudyResult {
  state: StateInfo;
  /** Runs per arm (baseline, each scenario): the Monte Carlo size, 1 without it. */
  runsPerArm: number;
  seed: number;
  stepS: number;
  sampleS: number;
  /** Physics substep used; null: the model's own. */
  substepS: number | null;
  scenarios: ScenarioOutcome[];
  assumptions: string[];
  wallMs: number;
}

export interface SetpointChange {
  tag: string;
  unit?: string;
  from: number;
  to: number;
  /** How long the write takes at the tag's maxRatePerS (0 without a rate limit). */
  rampS: number;
}

export interface ConstraintCheck {
  name: string;
  satisfied: boolean;
  detail: string;
}

/**
 * A setpoint recommendation: a proposal for the approval workflow, never a write. The objective is
 * minimised, so a negative `objective.delta` is an improvement.
 */
export interface Recommendation {
  id: string;
  /** Unix milliseconds. */
  createdAt: number;
  model: string;
  state: StateInfo;
  changes: SetpointChange[];
  objective: { baseline: Band; proposed: Band; delta: Band };
  kpis: KpiComparison[];
  constraints: ConstraintCheck[];
  assumptions: string[];
  search: { evaluations: number; runs: number; wallMs: number; improved: boolean };
}

/** Progress of a batch of runs, for the progress bar. */
export interface WhatifProgress {
  phase: "study" | "search" | "validation";
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time left; null until a run has finished. */
  etaMs: number | null;
}
