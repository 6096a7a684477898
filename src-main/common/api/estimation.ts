/**
 * The estimation part of the API contract: what the twin infers that no sensor sees (states and latent
 * parameters with their uncertainty), asset health, anomaly alarms, remaining useful life, and the loop's
 * own timing. Numbers that JSON cannot carry (NaN, ±Infinity) travel as null.
 */
import { z } from "zod";

const Num = z.number().nullable();

export const EstimatedVariable = z.object({
  /** `<component>.<name>`, e.g. `feedPump.bearingWear`. */
  name: z.string(),
  unit: z.string(),
  /** The scene asset it belongs to. */
  component: z.string(),
  kind: z.enum(["state", "parameter"]),
});
export type EstimatedVariable = z.infer<typeof EstimatedVariable>;

export const HealthTargetInfo = z.object({
  id: z.string(),
  label: z.string(),
  component: z.string(),
  variable: z.string(),
  threshold: z.number(),
});

export const EstimationInfo = z.object({
  /** False when the scene has no estimator (or it failed to start: see `error`). */
  running: z.boolean(),
  error: z.string().optional(),
  method: z.string().optional(),
  rateHz: z.number().optional(),
  variables: z.array(EstimatedVariable),
  measuredTags: z.array(z.string()),
  health: z.array(HealthTargetInfo),
});
export type EstimationInfo = z.infer<typeof EstimationInfo>;

export const AnomalyAlarmInfo = z.object({
  id: z.string(),
  detector: z.string(),
  message: z.string(),
  tags: z.array(z.object({ tag: z.string(), share: z.number() })),
  sinceS: z.number(),
});

export const LoopTiming = z.object({
  /** Achieved rate over the last seconds, Hz. */
  rateHz: z.number(),
  /** p99 of |period − nominal| over the last seconds, ms. */
  jitterP99Ms: z.number(),
  /** Worker step time of the last frame, µs. */
  stepUs: z.number(),
  /** From the newest input's source time to the estimate being available, ms (median of recent frames). */
  latencyMs: z.number(),
});
export type LoopTiming = z.infer<typeof LoopTiming>;

export const EstimateSnapshot = z.object({
  /** Plant time of the estimate, Unix ms. */
  t: z.number(),
  /** In EstimationInfo.variables order. */
  mean: z.array(Num),
  sd: z.array(Num),
  /** Per EstimationInfo.health target: 1 healthy … 0 at its threshold. */
  health: z.array(Num),
  /** Measurement residuals y − ŷ and their predicted sd, in EstimationInfo.measuredTags order (null: not used). */
  innovation: z.array(Num),
  innovationSd: z.array(Num),
  nis: Num,
  nisLow: Num,
  nisHigh: Num,
  alarms: z.array(AnomalyAlarmInfo),
  timing: LoopTiming,
});
export type EstimateSnapshot = z.infer<typeof EstimateSnapshot>;

export const RulPrediction = z.object({
  id: z.string(),
  label: z.string(),
  variable: z.string(),
  unit: z.string(),
  threshold: z.number(),
  mean: Num,
  sd: Num,
  /** Time to threshold, seconds: median and 90% interval; null = beyond the projection horizon. */
  medianS: Num,
  lowS: Num,
  highS: Num,
  horizonS: z.number(),
  failureProbability: Num,
});
export type RulPrediction = z.infer<typeof RulPrediction>;

export const estimationRequests = {
  "estimation.info": { params: z.object({}).strict(), result: EstimationInfo },
  /** The newest estimate, or null before the first. */
  "estimation.latest": { params: z.object({}).strict(), result: EstimateSnapshot.nullable() },
  /** Recent estimates of some variables (means and sds over time) for uncertainty bands. */
  "estimation.history": {
    params: z.object({ variables: z.array(z.string()).min(1).max(32), since: z.number().optional() }).strict(),
    result: z.array(z.object({ variable: z.string(), t: z.array(z.number()), mean: z.array(Num), sd: z.array(Num) })),
  },
  /** Remaining useful life by Monte Carlo from the current posterior. */
  "estimation.predict": {
    params: z.object({ horizonS: z.number().positive().max(3.2e7).default(86_400), samples: z.number().int().min(100).max(20_000).optional() }).strict(),
    result: z.object({ t: z.number(), computeMs: z.number(), predictions: z.array(RulPrediction) }),
  },
} as const;

export const estimationEvents = {
  /** The newest estimate, throttled (a few per second). */
  "estimation.estimate": EstimateSnapshot,
} as const;

/** JSON-safe number: NaN and ±Infinity become null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
