/**
 * What the what-if API returns (results, jobs, the predicted effect a proposal carries), split from
 * whatif.ts (which re-exports it) to keep the contract's files small. Pure zod, no Node.
 */
import { z } from "zod";

/** A distribution summarised: median and the 90 % band (5th and 95th percentiles). One run: all three equal. */
export const Band = z.object({ median: z.number(), p05: z.number(), p95: z.number() });
export type Band = z.infer<typeof Band>;

/**
 * What a proposal from the optimiser or a what-if scenario predicts, carried in Proposal.predictedEffect so the
 * approvals inbox can show it: KPIs baseline against proposed with their difference, the trajectories of the
 * affected outputs with bands, the constraints checked and the assumptions made.
 */
export const PredictedEffect = z.object({
  /** Simulated horizon, s. */
  horizonS: z.number().positive(),
  /** Monte Carlo runs per side (1: deterministic). */
  runs: z.number().int().positive(),
  kpis: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      unit: z.string().optional(),
      baseline: Band,
      proposed: Band,
      /** proposed − baseline, per run pair. */
      delta: Band,
      /** Whether the change is an improvement for this KPI (by the scene's objective's sign). */
      better: z.boolean(),
    }),
  ),
  /** Trajectories, time in seconds from the fork. */
  series: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      unit: z.string().optional(),
      t: z.array(z.number()),
      baseline: z.object({ median: z.array(z.number()), p05: z.array(z.number()), p95: z.array(z.number()) }),
      proposed: z.object({ median: z.array(z.number()), p05: z.array(z.number()), p95: z.array(z.number()) }),
    }),
  ),
  constraints: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  assumptions: z.array(z.string()),
  /** Objective (lower is better) baseline and proposed, when an optimiser computed it. */
  objective: z.object({ baseline: Band, proposed: Band }).optional(),
  /**
   * Added compatibly: the setpoint changes the prediction is for, all of them (one proposal per tag, each
   * carrying this same joint effect), and where it came from.
   */
  changes: z.array(z.object({ tagId: z.string(), from: z.number(), to: z.number(), unit: z.string().optional() })).optional(),
  source: z.object({ kind: z.enum(["what-if", "optimiser"]), jobId: z.string(), scenario: z.string().optional() }).optional(),
});
export type PredictedEffect = z.infer<typeof PredictedEffect>;

/** Median and 90 % band across Monte Carlo runs, as the study reports them. */
export const WhatifBand = z.object({ p05: z.number(), p50: z.number(), p95: z.number() });
export type WhatifBand = z.infer<typeof WhatifBand>;

export const WhatifStateInfo = z.object({
  model: z.string(),
  source: z.enum(["simulator", "estimator", "historian"]),
  /** Seconds on the source's clock (Unix seconds for the estimator and the historian). */
  timeS: z.number(),
});

export const WhatifJobKind = z.enum(["study", "recommendation"]);
export const WhatifJobState = z.enum(["running", "done", "failed", "cancelled"]);

export const WhatifProgressInfo = z.object({
  phase: z.enum(["study", "search", "validation"]),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
  /** Estimated time left; null until a run has finished. */
  etaMs: z.number().nonnegative().nullable(),
});

export const WhatifJob = z.object({
  id: z.string(),
  kind: WhatifJobKind,
  state: WhatifJobState,
  /** Username, or `system:optimiser` for a periodic recommendation. */
  startedBy: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Scenario names of a study. */
  scenarios: z.array(z.string()),
  progress: WhatifProgressInfo,
  /** Where the runs forked; null while the state is being read. */
  forkedFrom: WhatifStateInfo.nullable(),
  error: z.string().optional(),
});
export type WhatifJob = z.infer<typeof WhatifJob>;

export const KpiDeclaration = z.object({
  id: z.string(),
  label: z.string(),
  unit: z.string(),
  /** Which way is better: from the objective's sign where the KPI is in it, else from the KPI's kind. */
  better: z.enum(["lower", "higher"]),
});

export const KpiRow = z.object({
  id: z.string(),
  label: z.string(),
  unit: z.string(),
  baseline: WhatifBand,
  scenario: WhatifBand,
  /** Per run pair: scenario − baseline (not the difference of the bands). */
  delta: WhatifBand,
  /** Whether the median change is an improvement; null when there is no change. */
  better: z.boolean().nullable(),
});
export type KpiRow = z.infer<typeof KpiRow>;

/** One output over time, baseline and scenario, median and 90 % band; null where a value was not finite. */
const Trace = z.object({ p05: z.array(z.number().nullable()), p50: z.array(z.number().nullable()), p95: z.array(z.number().nullable()) });
export const WhatifSeries = z.object({ output: z.string(), unit: z.string().optional(), baseline: Trace, scenario: Trace });
export type WhatifSeries = z.infer<typeof WhatifSeries>;

export const SetpointChangeInfo = z.object({ tagId: z.string(), from: z.number(), to: z.number(), unit: z.string().optional(), rampS: z.number() });
export type SetpointChangeInfo = z.infer<typeof SetpointChangeInfo>;

export const ScenarioResult = z.object({
  name: z.string(),
  description: z.string().optional(),
  horizonS: z.number(),
  /** Seconds from the fork of every point of `series`. */
  timesS: z.array(z.number()),
  kpis: z.array(KpiRow),
  objective: z.object({ baseline: WhatifBand, scenario: WhatifBand, delta: WhatifBand }).optional(),
  series: z.array(WhatifSeries),
  /** The setpoint changes "propose these setpoints" would propose (final value per tag, from where it stands). */
  setpointChanges: z.array(SetpointChangeInfo),
});
export type ScenarioResult = z.infer<typeof ScenarioResult>;

export const StudyResultInfo = z.object({
  jobId: z.string(),
  state: WhatifStateInfo,
  runsPerArm: z.number().int().positive(),
  seed: z.number().int(),
  sampleS: z.number(),
  substepS: z.number().nullable(),
  /** Every recorded output (ask `whatif.jobs.result` for others than those returned). */
  outputs: z.array(z.string()),
  scenarios: z.array(ScenarioResult),
  assumptions: z.array(z.string()),
  wallMs: z.number(),
});
export type StudyResultInfo = z.infer<typeof StudyResultInfo>;

export const RecommendationInfo = z.object({
  jobId: z.string(),
  state: WhatifStateInfo,
  /** Empty when the search found nothing better than where the setpoints stand. */
  changes: z.array(SetpointChangeInfo),
  improved: z.boolean(),
  effect: PredictedEffect,
  search: z.object({ evaluations: z.number().int(), runs: z.number().int(), wallMs: z.number() }),
});
export type RecommendationInfo = z.infer<typeof RecommendationInfo>;

export const WhatifScenarioInfo = z.object({
  name: z.string(),
  description: z.string().optional(),
  horizonS: z.number(),
  edits: z.number().int(),
  /** `scene`: declared with the scene (read-only); `saved`: saved from the panel (overrides a declared one of the same name). */
  origin: z.enum(["scene", "saved"]),
});
