/**
 * What-if studies as data: the plant state a study forks, scenarios and their edits, the KPIs and the
 * objective a scene declares. Pure zod, shared by the main process, the workers and the renderer.
 *
 * Names follow the scene: tags are `<asset>.<tag>`, latent parameters `<asset>.<latent>` as in an asset's
 * `model.latent` or the estimator's latent settings (e.g. `feedPump.wearRateFactor`, 1 = nominal rate).
 */
import { z } from "zod";

export const WHATIF_FORMAT_VERSION = 1;

/** `<asset>.<name>`: a tag, a latent parameter or a model signal such as `truth.bearingWear`. */
export const QualifiedName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, "a name such as bufferTank.temperature");
const Seconds = z.number().finite().nonnegative();
const Finite = z.number().finite();
/** Scenario names end up in file names: letters, digits, `-`, `_`, `.`. */
export const ScenarioName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "letters, digits, -, _ or . (at most 64)");

// ---------------------------------------------------------------------------------------------- state

/** Uncertainty of latent parameters: a Gaussian (mean, covariance) or draws from the posterior. */
export const Posterior = z.union([
  z.object({ names: z.array(QualifiedName).min(1), mean: z.array(Finite), covariance: z.array(z.array(Finite)) }).strict(),
  z.object({ names: z.array(QualifiedName).min(1), samples: z.array(z.array(Finite)).min(1) }).strict(),
]).superRefine((p, ctx) => {
  const n = p.names.length;
  if ("mean" in p) {
    if (p.mean.length !== n) ctx.addIssue({ code: "custom", path: ["mean"], message: `needs ${n} values, one per name` });
    if (p.covariance.length !== n || p.covariance.some((row) => row.length !== n)) {
      ctx.addIssue({ code: "custom", path: ["covariance"], message: `must be ${n}×${n}` });
    }
  } else if (p.samples.some((s) => s.length !== n)) {
    ctx.addIssue({ code: "custom", path: ["samples"], message: `every sample needs ${n} values, one per name` });
  }
});
export type Posterior = z.infer<typeof Posterior>;

/**
 * Where a what-if starts. The simulator fills everything, including `exact` (its full snapshot: controller
 * integrators, sequences, noise). An estimator fills `latent` (posterior mean), `posterior`, `continuous`
 * and `inputs`; a historian moment fills `continuous` and `inputs`. Without `exact`, controller and
 * sequence states start from the model's nominal operating point.
 */
export const PlantState = z
  .object({
    model: z.string().min(1),
    source: z.enum(["simulator", "estimator", "historian"]),
    /** Seconds on the source's clock: simulated seconds (simulator), Unix seconds (estimator, historian). */
    timeS: Finite,
    latent: z.record(QualifiedName, Finite).default({}),
    /** Continuous states by tag id, e.g. `bufferTank.level`. */
    continuous: z.record(QualifiedName, Finite).default({}),
    /** Writable inputs as they stand: setpoints and commands. */
    inputs: z.record(QualifiedName, z.union([Finite, z.boolean()])).default({}),
    posterior: Posterior.optional(),
    /** Model-specific exact snapshot (plain structured-clonable data). */
    exact: z.unknown().optional(),
  })
  .strict();
export type PlantState = z.infer<typeof PlantState>;

// ---------------------------------------------------------------------------------------------- edits

const at = { atS: Seconds };
/** Faults and disturbances last to the end of the horizon unless given a duration. */
const lasting = { durationS: z.number().positive().optional() };

export const FaultEdit = z.discriminatedUnion("fault", [
  /** A latent parameter grows `factor` times its nominal rate (a pump bearing wearing faster). */
  z.object({ kind: z.literal("fault"), ...at, fault: z.literal("fasterDegradation"), latent: QualifiedName, factor: z.number().nonnegative().max(1e6) }).strict(),
  /** The valve that sets a flow sticks: the flow heads for `value` (default: where it stands) whatever its setpoint. */
  z.object({ kind: z.literal("fault"), ...at, ...lasting, fault: z.literal("valveStuck"), tag: QualifiedName, value: Finite.optional() }).strict(),
  /** A transmitter fails and reports `value` (default: its last reading) to the control system. */
  z.object({ kind: z.literal("fault"), ...at, ...lasting, fault: z.literal("sensorFailed"), tag: QualifiedName, value: Finite.optional() }).strict(),
]);
export type FaultEdit = z.infer<typeof FaultEdit>;

export const ScenarioEdit = z.discriminatedUnion("kind", [
  /** A setpoint write, checked against the tag's write policy and ramped at its maxRatePerS. */
  z.object({ kind: z.literal("setpoint"), ...at, tag: QualifiedName, value: Finite }).strict(),
  /** An offset on an uncontrolled input, e.g. feed temperature 4 K colder overnight. */
  z.object({ kind: z.literal("disturbance"), ...at, ...lasting, input: z.string().min(1), offsetK: z.number().min(-50).max(50) }).strict(),
  /** Demand: downstream takes nothing for `durationS`; the line stops, then restarts. */
  z.object({ kind: z.literal("lineStop"), ...at, durationS: z.number().positive() }).strict(),
  /** Sets a latent parameter or growth factor, e.g. `heatExchanger.foulingResistance: 0.3`. */
  z.object({ kind: z.literal("parameter"), ...at, name: QualifiedName, value: Finite }).strict(),
  FaultEdit,
]);
export type ScenarioEdit = z.infer<typeof ScenarioEdit>;

export const Scenario = z
  .object({
    name: ScenarioName,
    description: z.string().optional(),
    /** Plant seconds simulated from the fork. At most a week. */
    horizonS: z.number().positive().max(7 * 86_400),
    edits: z.array(ScenarioEdit).default([]),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

export const MonteCarlo = z
  .object({
    runs: z.number().int().min(1).max(10_000),
    /** Posterior of latent parameters; default: the state's own posterior (none: process noise only). */
    posterior: Posterior.optional(),
    /** Draw new process disturbances and sensor noise per run. */
    processNoise: z.boolean().default(true),
  })
  .strict();
export type MonteCarlo = z.infer<typeof MonteCarlo>;

/** How closely a run integrates the model: its reference integration, or the fast path. */
export const Fidelity = z.enum(["exact", "fast"]);
export type Fidelity = z.infer<typeof Fidelity>;

/** How runs are simulated and recorded. */
export const RunSettings = z
  .object({
    seed: z.number().int().default(1),
    /** Resolution of edits, ramps and KPI integration, plant seconds. */
    stepS: z.number().positive().max(60).default(1),
    /** Spacing of the recorded series; default: about 720 points over the horizon. */
    sampleS: z.number().positive().optional(),
    /** Physics substep; default: the model's own (exact). Coarser is faster and slightly biased. */
    substepS: z.number().positive().max(1).optional(),
    /**
     * `exact` (default here): the model's reference integration. `fast`: its event-located multi-rate
     * integration, same physics and control program, equal in distribution, tens of times faster
     * (`substepS` is then its longest step).
     */
    fidelity: Fidelity.optional(),
  })
  .strict();
export type RunSettings = z.infer<typeof RunSettings>;

/** A batch study file (`twinbench whatif --scenario F`): scenarios compared against a baseline with no edits. */
export const Study = z
  .object({
    whatif: z.literal(WHATIF_FORMAT_VERSION),
    settings: RunSettings.default({ seed: 1, stepS: 1 }),
    monteCarlo: MonteCarlo.optional(),
    /** Start from the scene's simulator after this warm-up, when no state is given (e.g. no --from-csv). */
    warmupS: Seconds.default(600),
    scenarios: z.array(Scenario).min(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.scenarios.forEach((sc, i) => {
      if (seen.has(sc.name)) ctx.addIssue({ code: "custom", path: ["scenarios", i, "name"], message: `duplicate scenario name "${sc.name}"` });
      seen.add(sc.name);
    });
  });
export type Study = z.infer<typeof Study>;

// ---------------------------------------------------------------------------------------------- KPIs

const kpiBase = { id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "an identifier"), label: z.string().optional() };
const Term = z.object({ tag: QualifiedName, scale: Finite.default(1) }).strict();

/** A KPI computed per run from the simulated signals (or latent names). */
export const Kpi = z.discriminatedUnion("kind", [
  /** Counter increase per hour, e.g. items/h (UInt32 wrap handled). */
  z.object({ ...kpiBase, kind: z.literal("rate"), tag: QualifiedName, unit: z.string().default("items/h") }).strict(),
  /** ∫ Σ scale·tag dt in hours, e.g. kW → kWh, m³/h → m³. */
  z.object({ ...kpiBase, kind: z.literal("integral"), terms: z.array(Term).min(1), unit: z.string().default("kWh") }).strict(),
  /** Mean distance of a tag outside target ± tolerance. */
  z.object({ ...kpiBase, kind: z.literal("deviation"), tag: QualifiedName, target: Finite, tolerance: z.number().nonnegative().default(0), unit: z.string().default("K") }).strict(),
  /** Minutes a tag spends outside [min, max]: constraint violations. */
  z
    .object({ ...kpiBase, kind: z.literal("violation"), tag: QualifiedName, min: Finite.optional(), max: Finite.optional(), unit: z.literal("min").default("min") })
    .strict()
    .refine((k) => k.min !== undefined || k.max !== undefined, { message: "a violation KPI needs min or max" }),
  /** End value minus start value, e.g. wear accrued. */
  z.object({ ...kpiBase, kind: z.literal("increase"), tag: QualifiedName, unit: z.string().default("1") }).strict(),
  /** Hours until the first tag reaches its threshold: the crossing if it happens in the horizon, else extrapolated from the last quarter. */
  z
    .object({
      ...kpiBase,
      kind: z.literal("timeToThreshold"),
      terms: z.array(z.object({ tag: QualifiedName, threshold: Finite }).strict()).min(1),
      capH: z.number().positive().default(10_000),
      unit: z.literal("h").default("h"),
    })
    .strict(),
]);
export type Kpi = z.infer<typeof Kpi>;

/** Minimise Σ weight·KPI subject to hard constraints, over the writable setpoints listed. */
export const Objective = z
  .object({
    setpoints: z.array(QualifiedName).min(1),
    /** Smallest useful change per setpoint (the search grid); default maxStep/10, else range/100. */
    resolution: z.record(QualifiedName, z.number().positive()).default({}),
    terms: z.array(z.object({ kpi: z.string(), weight: Finite }).strict()).min(1),
    /** Hard: a candidate is feasible when every common-random-number sample satisfies all of them. */
    constraints: z.array(z.object({ kpi: z.string(), min: Finite.optional(), max: Finite.optional() }).strict()).default([]),
    horizonS: z.number().positive().max(7 * 86_400).default(3600),
    /** Common-random-number samples per candidate during the search. */
    samples: z.number().int().min(1).max(256).default(4),
    /** Fresh samples for the reported prediction (baseline vs proposal, paired). */
    validationSamples: z.number().int().min(1).max(1024).default(16),
    substepS: z.number().positive().max(1).optional(),
    /** Default: `exact` when a substepS is given, else `fast`. */
    fidelity: Fidelity.optional(),
    maxEvaluations: z.number().int().min(1).max(10_000).default(60),
  })
  .strict();
export type Objective = z.infer<typeof Objective>;

/** The what-if part of a scene (proposed scene fields `kpis`, `objective`, `scenarios`; for now a file beside it). */
export const WhatifDeclarations = z
  .object({
    whatif: z.literal(WHATIF_FORMAT_VERSION),
    kpis: z.array(Kpi).min(1),
    objective: Objective.optional(),
    scenarios: z.array(Scenario).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    d.kpis.forEach((k, i) => {
      if (ids.has(k.id)) ctx.addIssue({ code: "custom", path: ["kpis", i, "id"], message: `duplicate KPI id "${k.id}"` });
      ids.add(k.id);
    });
    const known = [...ids].join(", ");
    d.objective?.terms.forEach((t, i) => {
      if (!ids.has(t.kpi)) ctx.addIssue({ code: "custom", path: ["objective", "terms", i, "kpi"], message: `"${t.kpi}" is not a declared KPI (${known})` });
    });
    d.objective?.constraints.forEach((c, i) => {
      if (!ids.has(c.kpi)) ctx.addIssue({ code: "custom", path: ["objective", "constraints", i, "kpi"], message: `"${c.kpi}" is not a declared KPI (${known})` });
    });
  });
export type WhatifDeclarations = z.infer<typeof WhatifDeclarations>;
