/**
 * The what-if part of the API contract (requests, events, and the role each request needs), spread into
 * the main contract. Pure zod, no Node.
 *
 * A study or a recommendation runs as a job in the main process's worker pool: the request returns its id
 * at once, `whatif.progress` events report runs done and time left, `whatif.finished` says how it ended, and
 * `whatif.jobs.result` fetches the outcome (series thinned to what a chart shows). Nothing here writes to the
 * plant: `whatif.propose` hands setpoint changes to the approval workflow as proposals.
 */
import { z } from "zod";
import { Proposal, type Access } from "./governance";
import { KpiDeclaration, RecommendationInfo, StudyResultInfo, WhatifJob, WhatifJobKind, WhatifProgressInfo, WhatifScenarioInfo } from "./whatif-shapes";
import { RunSettings, Scenario, ScenarioName } from "../whatif/schema";

export * from "./whatif-shapes";

// ------------------------------------------------------------------------------------------------- params

/** A scenario as a request carries it: edits and text bounded. */
export const ScenarioParam = Scenario.superRefine((s, ctx) => {
  if (s.edits.length > 200) ctx.addIssue({ code: "custom", path: ["edits"], message: `at most 200 edits, got ${s.edits.length}` });
  if ((s.description ?? "").length > 500) ctx.addIssue({ code: "custom", path: ["description"], message: "at most 500 characters" });
});

/** Where a study forks: the twin's live estimate, or the historian at a moment (Unix ms). */
export const StateSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("live") }).strict(),
  z.object({ kind: z.literal("historian"), at: z.number().int().positive() }).strict(),
]);
export type StateSource = z.infer<typeof StateSource>;

export const MonteCarloParam = z
  .object({
    runs: z.number().int().min(1).max(500),
    /** Draw latent parameters from the estimator's posterior (when the state has one). */
    posterior: z.boolean().default(true),
    /** New process disturbances and sensor noise per run. */
    processNoise: z.boolean().default(true),
  })
  .strict();

/** Limits of one study, so a request cannot occupy the pool for hours. */
export const WHATIF_LIMITS = { scenarios: 8, runs: 500, plantSeconds: 50_000_000, outputs: 16 } as const;

const JobId = z.object({ jobId: z.string().min(1).max(64) }).strict();
const OutputName = z.string().min(1).max(128);
const NoParams = z.object({}).strict();

// ------------------------------------------------------------------------------------------------ requests

export const whatifRequests = {
  /** What a scenario may touch and what a study reports: KPIs, writable setpoints with their limits, faults, outputs. */
  "whatif.info": {
    params: NoParams,
    result: z.object({
      model: z.string(),
      kpis: z.array(KpiDeclaration),
      objective: z
        .object({ setpoints: z.array(z.string()), horizonS: z.number(), terms: z.array(z.object({ kpi: z.string(), weight: z.number() })) })
        .nullable(),
      writable: z.array(
        z.object({
          tagId: z.string(),
          unit: z.string().optional(),
          min: z.number(),
          max: z.number(),
          maxStep: z.number().optional(),
          maxRatePerS: z.number().optional(),
          /** Where it stands now (live), null when unknown. */
          value: z.number().nullable(),
        }),
      ),
      latent: z.array(z.object({ name: z.string(), min: z.number(), max: z.number(), unit: z.string().optional(), rateFactor: z.string().optional() })),
      disturbances: z.array(z.string()),
      valves: z.array(z.string()),
      sensors: z.array(z.string()),
      outputs: z.array(z.string()),
      defaultOutputs: z.array(z.string()),
      /** Whether a live study forks from an estimate now, and if not why. */
      liveState: z.object({ estimate: z.boolean(), detail: z.string() }),
      limits: z.object({ scenarios: z.number(), runs: z.number(), plantSeconds: z.number(), outputs: z.number() }),
    }),
  },
  "whatif.scenarios.list": {
    params: NoParams,
    result: z.object({ scenarios: z.array(WhatifScenarioInfo), problems: z.array(z.object({ file: z.string(), message: z.string() })) }),
  },
  "whatif.scenarios.get": {
    params: z.object({ name: ScenarioName }).strict(),
    result: z.object({ scenario: Scenario, origin: z.enum(["scene", "saved"]) }),
  },
  /** Saves (or replaces) a scenario of this scene; refused when an edit breaks a write limit. */
  "whatif.scenarios.save": { params: z.object({ scenario: ScenarioParam }).strict(), result: z.object({ name: z.string(), file: z.string() }) },
  /** Deletes a saved scenario (a scene-declared one cannot be deleted here). */
  "whatif.scenarios.delete": { params: z.object({ name: ScenarioName }).strict(), result: z.object({ deleted: z.boolean() }) },
  /**
   * Starts a study: each scenario (a saved name or given inline) against a baseline with no edits, from
   * the live estimate or a historian moment, optionally Monte Carlo. Returns at once with the job.
   */
  "whatif.study.start": {
    params: z
      .object({
        scenarios: z.array(z.union([ScenarioName, ScenarioParam])).min(1).max(WHATIF_LIMITS.scenarios),
        from: StateSource.default({ kind: "live" }),
        monteCarlo: MonteCarloParam.optional(),
        settings: RunSettings.optional(),
        /** Outputs to record; default: every output of the model. */
        outputs: z.array(OutputName).min(1).max(64).optional(),
      })
      .strict(),
    result: WhatifJob,
  },
  /** Runs the optimiser on demand from the live estimate (or a historian moment). Returns at once with the job. */
  "whatif.recommend": {
    params: z.object({ from: StateSource.default({ kind: "live" }), seed: z.number().int().optional() }).strict(),
    result: WhatifJob,
  },
  "whatif.jobs.list": { params: NoParams, result: z.array(WhatifJob) },
  "whatif.jobs.status": { params: JobId, result: WhatifJob },
  /**
   * The outcome of a finished job. Series: the outputs asked for (default: those the scenarios and KPIs
   * touch), thinned to at most `maxPoints` per output.
   */
  "whatif.jobs.result": {
    params: JobId.extend({
      outputs: z.array(OutputName).min(1).max(WHATIF_LIMITS.outputs).optional(),
      maxPoints: z.number().int().min(10).max(2_000).default(360),
    }).strict(),
    result: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("study"), study: StudyResultInfo }),
      z.object({ kind: z.literal("recommendation"), recommendation: RecommendationInfo }),
    ]),
  },
  /** Stops a running job: every worker run stops within a second. The starter or an operator may. */
  "whatif.jobs.cancel": { params: JobId, result: WhatifJob },
  /**
   * Turns a finished study's scenario (its final setpoints) or a recommendation into proposals for the
   * approval workflow, one per changed tag, each with the predicted effect. Never writes to the plant.
   */
  "whatif.propose": {
    params: JobId.extend({ scenario: ScenarioName.optional(), reason: z.string().max(500).optional() }).strict(),
    result: z.object({
      proposals: z.array(Proposal),
      /** Changes the workflow refused outright, its message verbatim. */
      refusals: z.array(z.object({ tagId: z.string(), message: z.string() })),
    }),
  },
  /** The periodic recommender: its period (null: off) and whether it proposes what it finds. */
  "whatif.recommender.get": {
    params: NoParams,
    result: z.object({ periodS: z.number().nullable(), autoPropose: z.boolean(), lastJobId: z.string().nullable(), nextAt: z.number().nullable() }),
  },
  "whatif.recommender.set": {
    params: z.object({ periodS: z.number().int().min(60).max(86_400).nullable(), autoPropose: z.boolean().default(false) }).strict(),
    result: z.object({ periodS: z.number().nullable(), autoPropose: z.boolean(), lastJobId: z.string().nullable(), nextAt: z.number().nullable() }),
  },
} as const;

// -------------------------------------------------------------------------------------------------- events

export const whatifEvents = {
  /** Runs done and time left of a running job (a few per second at most, and the last one). */
  "whatif.progress": WhatifProgressInfo.extend({ jobId: z.string(), kind: WhatifJobKind }),
  /** A job ended: done, failed (with the reason) or cancelled. */
  "whatif.finished": WhatifJob,
  /** A saved scenario was saved or deleted. */
  "whatif.scenarios.changed": z.object({ name: z.string(), deleted: z.boolean() }),
} as const;

/**
 * The role each method needs (checked in the main process by the governance guard).
 *
 * Studies and recommendations are open to viewers: they only simulate, in workers that leave a core to the
 * live loop, bounded per request (WHATIF_LIMITS) and cancellable; asking "what happens if" is what a
 * viewer of the twin is for. Anything that changes shared state needs an operator: saving or deleting a
 * scenario and proposing setpoints; the periodic recommender (which proposes on its own) an engineer.
 * A job may be cancelled by whoever started it, or by an operator (checked by the handler).
 */
export const whatifAccess: Readonly<Record<keyof typeof whatifRequests, Access>> = {
  "whatif.info": "viewer",
  "whatif.scenarios.list": "viewer",
  "whatif.scenarios.get": "viewer",
  "whatif.scenarios.save": "operator",
  "whatif.scenarios.delete": "operator",
  "whatif.study.start": "viewer",
  "whatif.recommend": "viewer",
  "whatif.jobs.list": "viewer",
  "whatif.jobs.status": "viewer",
  "whatif.jobs.result": "viewer",
  "whatif.jobs.cancel": "viewer",
  "whatif.propose": "operator",
  "whatif.recommender.get": "viewer",
  "whatif.recommender.set": "engineer",
};
