/**
 * The estimator's configuration, validated once where it enters the worker (`EstimatorService.init`) with
 * the schema that also gives its types. `EstimatorConfig` is what callers write (defaults optional);
 * `ResolvedEstimatorConfig` is what the estimator runs on. scene-config.ts derives one from a scene.
 */
import { z } from "zod";

const PortRef = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, "a port as <component>.<port>");
const TagId = z.string().min(1);
const PortType = z.enum(["real", "boolean"]);

export const LatentSettingSchema = z
  .object({
    initial: z.number().optional(),
    sigma: z.number().nonnegative().optional(),
    /** Random-walk intensity, unit²/s. */
    processNoise: z.number().nonnegative().optional(),
    unit: z.string().optional(),
  })
  .strict();

export const ComponentInstanceSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "an identifier"),
    type: z.string().min(1),
    params: z.record(z.string(), z.number()).optional(),
    latent: z.record(z.string(), LatentSettingSchema).optional(),
  })
  .strict();

export const ModelSchema = z
  .object({
    components: z.array(ComponentInstanceSchema).min(1),
    connections: z.array(z.object({ from: PortRef, to: PortRef }).strict()).default([]),
    /** Tags that drive inputs (measured inputs), each to one or more ports. */
    inputs: z.array(z.object({ tag: TagId, to: z.array(PortRef).min(1), unit: z.string().optional(), type: PortType.optional() }).strict()).default([]),
    constants: z.array(z.object({ to: PortRef, value: z.number() }).strict()).default([]),
    /**
     * Measured tags: the output that predicts each, the sensor's noise standard deviation (tag units) and,
     * optionally, a cutoff: a reading at or below it is censored (a flowmeter's low-flow cutoff reports 0)
     * and skipped, by the filter and by the detectors, like a missing value.
     */
    measurements: z
      .array(
        z
          .object({ tag: TagId, from: PortRef, sigma: z.number().positive(), cutoff: z.number().optional(), unit: z.string().optional(), type: PortType.optional() })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const FilterSettingsSchema = z
  .object({
    method: z.enum(["ukf", "ekf"]).default("ukf"),
    /** UKF sigma-point scaling (Van der Merwe). */
    alpha: z.number().gt(0).max(1).default(1),
    beta: z.number().default(2),
    kappa: z.number().default(0),
    /** Longest integration substep, seconds. */
    maxStepS: z.number().positive().default(0.05),
    integrator: z.enum(["rk4", "dopri5"]).default("rk4"),
    /** Probability inside the reported NIS bounds. */
    nisCoverage: z.number().gt(0).lt(1).default(0.95),
    /** Process-noise intensities by variable name (`feedPump.bearingWear`), unit²/s. */
    processNoise: z.record(z.string(), z.number().nonnegative()).default({}),
  })
  .strict();

export const PrognosisTargetSchema = z
  .object({
    /** Stable id, e.g. `bearing`. */
    id: z.string().min(1),
    label: z.string().min(1),
    component: z.string().min(1),
    /** Degrading state of the component, e.g. `bearingWear`. */
    state: z.string().min(1),
    /** Failure or maintenance threshold; defaults to the model's. */
    threshold: z.number().optional(),
  })
  .strict();

export const PrognosisSettingsSchema = z
  .object({
    targets: z.array(PrognosisTargetSchema).default([]),
    /** Monte Carlo paths per projection. */
    samples: z.number().int().min(10).max(1_000_000).default(2000),
    /** Operating point for projections: inputs averaged over this many seconds. */
    averagingS: z.number().positive().default(60),
    /** Projections stop here; lives beyond count as censored. Default one year. */
    maxHorizonS: z.number().positive().default(365 * 86400),
    seed: z.number().int().default(1),
  })
  .strict();

export const AnomalySettingsSchema = z
  .object({
    /**
     * Detectors run (and learn) only while this tag holds one of these values, e.g. cell.state 2 (running):
     * a stopped plant's sensors sit at exact zeros, which is normal, not a stuck sensor. The tag must be one
     * the estimator is fed. When they resume, alarms are held for `settleS` while the start-up transient passes.
     */
    activeWhen: z.object({ tag: TagId, values: z.array(z.number()).min(1) }).strict().optional(),
    settleS: z.number().nonnegative().default(30),
    /** Per-tag two-sided CUSUM on normalised innovations: allowance k and alarm level h (in σ units). */
    cusumK: z.number().positive().default(1),
    cusumH: z.number().positive().default(15),
    /** CUSUM on the NIS normalised per degree of freedom. */
    nisK: z.number().positive().default(1),
    nisH: z.number().positive().default(25),
    /** Page test for a collapsed innovation variance (stuck sensor): variance ratio under the alternative, alarm level. */
    stuckVarianceRatio: z.number().gt(0).lt(1).default(0.1),
    stuckH: z.number().positive().default(20),
    pca: z
      .object({
        enabled: z.boolean().default(true),
        /** Seconds after the first step before learning starts (filter convergence). */
        warmupS: z.number().nonnegative().default(60),
        /** Seconds of normal operation learnt. */
        trainingS: z.number().positive().default(120),
        /** Principal components kept: enough for this fraction of the variance. */
        varianceFraction: z.number().gt(0).lt(1).default(0.9),
        /** Per-sample false-alarm probability of the T² and SPE limits. */
        alpha: z.number().gt(0).lt(0.5).default(0.01),
        /** An alarm needs `count` exceedances within the last `window` samples. */
        window: z.number().int().min(1).default(20),
        count: z.number().int().min(1).default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const EstimatorConfigSchema = z
  .object({
    model: ModelSchema,
    filter: FilterSettingsSchema.prefault({}),
    /** Loop rate the runtime feeds the estimator at (the scene's loop.rateHz). */
    rateHz: z.number().positive().max(1000).default(20),
    prognosis: PrognosisSettingsSchema.prefault({}),
    anomaly: AnomalySettingsSchema.prefault({}),
  })
  .strict();

export type EstimatorConfig = z.input<typeof EstimatorConfigSchema>;
export type ResolvedEstimatorConfig = z.output<typeof EstimatorConfigSchema>;
export type PrognosisTarget = z.output<typeof PrognosisTargetSchema>;
export type AnomalySettings = z.output<typeof AnomalySettingsSchema>;

/** Validates a configuration; throws a RangeError listing every problem with its path. */
export function parseEstimatorConfig(raw: unknown): ResolvedEstimatorConfig {
  const parsed = EstimatorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(config)"}: ${i.message}`);
    throw new RangeError(`invalid estimator configuration:\n  - ${lines.join("\n  - ")}`);
  }
  return parsed.data;
}
