/**
 * What-if in the running twin: studies and recommendations as background jobs over one worker pool
 * (started on first use, closed with the runtime), from the live estimate or a historian moment, and
 * their results turned into proposals for the approval workflow. Never writes to the plant.
 *
 * Requests are checked before a job starts (scenario limits, outputs, the size of the study), so a refusal
 * comes back as the answer to the request, naming the edit and the limit, not as a failed job.
 */
import { ApiError } from "../common/api/contract";
import type { Proposal } from "../common/api/governance";
import type { MonteCarloParam, RecommendationInfo, StateSource, StudyResultInfo, WhatifJob } from "../common/api/whatif";
import { WHATIF_LIMITS } from "../common/api/whatif";
import type { StudyResult } from "../common/whatif/results";
import type { PlantState, RunSettings, Scenario } from "../common/whatif/schema";
import { ScenarioError } from "../common/whatif/validate";
import type { z } from "zod";
import { defaultOutputs, predictedEffect, scenarioResult, setpointChanges, type EffectInput } from "./api-shapes";
import type { WhatifContext } from "./context";
import { recommendationFromScenario } from "./from-scenario";
import { JobBoard, type JobEvents } from "./job-board";
import { compileAll, resolveSettings } from "./jobs";
import { WhatifPool, type WhatifPoolOptions } from "./pool";
import { recommendSetpoints, type RecommendationWithSeries } from "./recommend";
import { historianState, liveState, StateSourceError, type LiveSources, type SourcedState } from "./state-source";
import { runStudy } from "./study";

/** Who asks: a user (id and name), or the system's optimiser. */
export interface Requester {
  userId: number | null;
  name: string;
}

/** Hands a setpoint change to the approval workflow; a refusal is thrown as an Error with a `rule`. */
export type ProposeFn = (origin: "what-if" | "optimiser", input: { tagId: string; value: number; from: number; reason: string; predictedEffect: unknown }) => Promise<Proposal>;

export interface WhatifStudiesOptions {
  ctx: WhatifContext;
  sources: LiveSources;
  events: JobEvents;
  propose: ProposeFn;
  pool?: WhatifPoolOptions;
  log?(line: string): void;
}

type Outcome =
  | { kind: "study"; state: PlantState; scenarios: Scenario[]; result: StudyResult; notes: string[] }
  | { kind: "recommendation"; state: PlantState; recommendation: RecommendationWithSeries; notes: string[]; outputs: string[] };

export interface StudyRequestParams {
  scenarios: Scenario[];
  from: StateSource;
  monteCarlo?: z.output<typeof MonteCarloParam>;
  settings?: RunSettings;
  outputs?: string[];
}

export class WhatifStudies {
  readonly ctx: WhatifContext;
  private poolInstance: WhatifPool | null = null;
  private readonly board: JobBoard<Outcome>;

  constructor(private readonly options: WhatifStudiesOptions) {
    this.ctx = options.ctx;
    this.board = new JobBoard<Outcome>(options.events);
  }

  /** The worker pool, started on first use (its workers on their first run). */
  get pool(): WhatifPool {
    this.poolInstance ??= new WhatifPool(this.options.pool);
    return this.poolInstance;
  }

  /** The state a study forks from now. */
  fork(from: StateSource): SourcedState {
    try {
      return from.kind === "live" ? liveState(this.ctx, this.options.sources) : historianState(this.ctx, this.options.sources, from.at);
    } catch (err) {
      if (err instanceof StateSourceError) throw new ApiError("failed", err.message);
      throw err;
    }
  }

  startStudy(req: StudyRequestParams, by: Requester): WhatifJob {
    const names = req.scenarios.map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new ApiError("invalid_params", `scenario "${dup}" is in the study twice`);
    const sourced = this.fork(req.from);
    const state = req.monteCarlo?.posterior === false ? { ...sourced.state, posterior: undefined } : sourced.state;
    try {
      compileAll(this.ctx, state, req.scenarios);
    } catch (err) {
      if (err instanceof ScenarioError) throw new ApiError("refused", err.message);
      throw err;
    }
    try {
      resolveSettings(this.ctx, { seed: 1, stepS: 1, ...req.settings }, 1, req.outputs);
    } catch (err) {
      throw new ApiError("invalid_params", err instanceof Error ? err.message : String(err));
    }
    const runs = req.monteCarlo?.runs ?? 1;
    const horizons = [...new Set(req.scenarios.map((s) => s.horizonS))];
    const plantSeconds = runs * (horizons.reduce((a, h) => a + h, 0) + req.scenarios.reduce((a, s) => a + s.horizonS, 0));
    if (plantSeconds > WHATIF_LIMITS.plantSeconds) {
      throw new ApiError("refused", `the study would simulate ${plantSeconds.toExponential(2)} plant seconds (runs × arms × horizon), more than the limit ${WHATIF_LIMITS.plantSeconds.toExponential(0)}: fewer runs or a shorter horizon`);
    }
    const mc = req.monteCarlo && (req.monteCarlo.runs > 1 || req.monteCarlo.processNoise) ? { runs, processNoise: req.monteCarlo.processNoise } : undefined;
    // Studies in the twin take the fast path unless asked otherwise: answers in seconds (see RunSettings.fidelity).
    const settings: RunSettings = { seed: 1, stepS: 1, ...req.settings, fidelity: req.settings?.fidelity ?? "fast" };
    return this.board.start("study", by.name, by.userId, names, async (control) => {
      control.forked(state);
      const result = await runStudy(
        this.pool,
        this.ctx,
        { state, scenarios: req.scenarios, settings, ...(mc ? { monteCarlo: mc } : {}), ...(req.outputs ? { outputs: req.outputs } : {}) },
        { signal: control.signal, onProgress: control.progress },
      );
      return { kind: "study", state, scenarios: req.scenarios, result, notes: sourced.notes };
    });
  }

  /** Starts the optimiser from a state. */
  startRecommendation(from: StateSource, by: Requester, seed?: number): WhatifJob {
    const objective = this.ctx.declarations.objective;
    if (!objective) throw new ApiError("refused", `scene "${this.ctx.scene.name}" declares no objective (what-if declarations: objective): nothing to recommend for`);
    const sourced = this.fork(from);
    const outputs = defaultOutputs(this.ctx, [{ name: "objective", horizonS: objective.horizonS, edits: objective.setpoints.map((tag) => ({ kind: "setpoint", atS: 0, tag, value: 0 })) }], this.ctx.model.readable, 6);
    return this.board.start("recommendation", by.name, by.userId, [], async (control) => {
      control.forked(sourced.state);
      const recommendation = await recommendSetpoints(this.pool, this.ctx, sourced.state, { seed, onProgress: control.progress, signal: control.signal, outputs });
      return { kind: "recommendation", state: sourced.state, recommendation, notes: sourced.notes, outputs };
    });
  }

  jobs(): WhatifJob[] {
    return this.board.list();
  }

  job(id: string): WhatifJob {
    const job = this.board.get(id);
    if (!job) throw new ApiError("failed", `no what-if job ${id} (finished jobs are kept for a while only)`);
    return job;
  }

  /** Cancels a job: its starter may, and an operator or above (`mayCancelAny`). */
  async cancel(id: string, by: Requester, mayCancelAny: boolean): Promise<WhatifJob> {
    const job = this.job(id);
    if (!mayCancelAny && this.board.ownerOf(id) !== by.userId) {
      throw new ApiError("refused", `what-if job ${id} was started by ${job.startedBy}: only they or an operator may cancel it`);
    }
    return (await this.board.cancel(id)) ?? job;
  }

  /** Resolves when a job has ended. */
  settled(id: string): Promise<void> {
    return this.board.settled(id);
  }

  private finished(id: string): Outcome {
    const job = this.job(id);
    if (job.state === "running") throw new ApiError("refused", `what-if job ${id} is still running (${job.progress.done} of ${job.progress.total} runs)`);
    const outcome = this.board.outcome(id);
    if (job.state !== "done" || !outcome) throw new ApiError("refused", `what-if job ${id} ${job.state === "failed" ? `failed: ${job.error ?? "unknown error"}` : "was cancelled"}: it has no result`);
    return outcome;
  }

  result(id: string, outputs: string[] | undefined, maxPoints: number): { kind: "study"; study: StudyResultInfo } | { kind: "recommendation"; recommendation: RecommendationInfo } {
    const o = this.finished(id);
    if (o.kind === "recommendation") return { kind: "recommendation", recommendation: this.recommendationInfo(id, o) };
    const recorded = o.result.scenarios[0]?.scenario.outputs ?? [];
    const unknown = (outputs ?? []).filter((n) => !recorded.includes(n));
    if (unknown.length) throw new ApiError("invalid_params", `output(s) ${unknown.join(", ")} were not recorded by this study; recorded: ${recorded.join(", ")}`);
    const shown = outputs ?? defaultOutputs(this.ctx, o.scenarios, recorded, 8);
    const r = o.result;
    return {
      kind: "study",
      study: {
        jobId: id,
        state: r.state,
        runsPerArm: r.runsPerArm,
        seed: r.seed,
        sampleS: r.sampleS,
        substepS: r.substepS,
        outputs: recorded,
        scenarios: r.scenarios.map((s, i) => scenarioResult(this.ctx, o.state, o.scenarios[i]!, s, shown, maxPoints)),
        assumptions: [...o.notes, ...r.assumptions],
        wallMs: r.wallMs,
      },
    };
  }

  private recommendationInfo(id: string, o: Extract<Outcome, { kind: "recommendation" }>): RecommendationInfo {
    const r = o.recommendation;
    const changes = r.changes.map((c) => ({ tagId: c.tag, from: c.from, to: c.to, rampS: c.rampS, ...(c.unit ? { unit: c.unit } : {}) }));
    const effect = predictedEffect(this.ctx, {
      horizonS: this.ctx.declarations.objective?.horizonS ?? 0,
      runs: this.ctx.declarations.objective?.validationSamples ?? 1,
      kpis: r.kpis,
      baseline: r.series?.baseline,
      proposed: r.series?.proposed,
      outputs: o.outputs,
      constraints: r.constraints,
      assumptions: [...o.notes, ...r.assumptions],
      objective: { baseline: r.objective.baseline, proposed: r.objective.proposed },
      changes,
      source: { kind: "optimiser", jobId: id },
    });
    return { jobId: id, state: r.state, changes, improved: r.search.improved && changes.length > 0, effect, search: { evaluations: r.search.evaluations, runs: r.search.runs, wallMs: r.search.wallMs } };
  }

  /**
   * Proposals from a finished job: a study's scenario (its final setpoints) or a recommendation, one per
   * changed tag, each carrying the joint predicted effect. The workflow's refusals come back verbatim.
   */
  async propose(id: string, scenarioName: string | undefined, reason: string | undefined, by: Requester): Promise<{ proposals: Proposal[]; refusals: { tagId: string; message: string }[] }> {
    const o = this.finished(id);
    if (o.kind === "recommendation") {
      const info = this.recommendationInfo(id, o);
      if (info.changes.length === 0) throw new ApiError("refused", `recommendation ${id} found nothing better than the setpoints as they stand: nothing to propose`);
      return this.hand("optimiser", "Setpoint recommendation", reason, by, info.changes, info.effect);
    }
    const index = scenarioName === undefined ? (o.scenarios.length === 1 ? 0 : -1) : o.scenarios.findIndex((s) => s.name === scenarioName);
    if (index < 0) {
      throw new ApiError("invalid_params", scenarioName === undefined ? `study ${id} has several scenarios: name one of ${o.scenarios.map((s) => s.name).join(", ")}` : `study ${id} has no scenario "${scenarioName}"; it has ${o.scenarios.map((s) => s.name).join(", ")}`);
    }
    const scenario = o.scenarios[index]!;
    const outcome = o.result.scenarios[index]!;
    let rec;
    try {
      rec = recommendationFromScenario(this.ctx, o.state, scenario, outcome);
    } catch (err) {
      throw new ApiError("refused", err instanceof Error ? err.message : String(err));
    }
    const changes = setpointChanges(this.ctx, o.state, scenario);
    if (changes.length === 0) throw new ApiError("refused", `scenario "${scenario.name}" leaves every setpoint where it stands: nothing to propose`);
    const effect: EffectInput = {
      horizonS: scenario.horizonS,
      runs: o.result.runsPerArm,
      kpis: outcome.kpis,
      baseline: outcome.baseline,
      proposed: outcome.scenario,
      outputs: defaultOutputs(this.ctx, [scenario], outcome.scenario.outputs, 6),
      constraints: rec.constraints,
      assumptions: [...o.notes, ...rec.assumptions, ...o.result.assumptions],
      ...(outcome.objective ? { objective: { baseline: outcome.objective.baseline, proposed: outcome.objective.scenario } } : {}),
      changes,
      source: { kind: "what-if", jobId: id, scenario: scenario.name },
    };
    return this.hand("what-if", `What-if scenario "${scenario.name}"`, reason, by, changes, predictedEffect(this.ctx, effect));
  }

  private async hand(
    origin: "what-if" | "optimiser",
    what: string,
    reason: string | undefined,
    by: Requester,
    changes: readonly { tagId: string; from: number; to: number; unit?: string }[],
    effect: unknown,
  ): Promise<{ proposals: Proposal[]; refusals: { tagId: string; message: string }[] }> {
    const proposals: Proposal[] = [];
    const refusals: { tagId: string; message: string }[] = [];
    const all = changes.map((c) => `${c.tagId} ${c.from} → ${c.to}${c.unit ? ` ${c.unit}` : ""}`).join(", ");
    for (const c of changes) {
      const text = `${what}: ${all}${changes.length > 1 ? " (together)" : ""}; asked by ${by.name}${reason ? `: ${reason}` : ""}`;
      try {
        proposals.push(await this.options.propose(origin, { tagId: c.tagId, value: c.to, from: c.from, reason: text.slice(0, 2_000), predictedEffect: effect }));
      } catch (err) {
        if (!(err instanceof Error) || err.name !== "Refusal") throw err;
        refusals.push({ tagId: c.tagId, message: err.message });
      }
    }
    return { proposals, refusals };
  }

  async close(): Promise<void> {
    await this.board.cancelAll();
    await this.poolInstance?.close();
    this.poolInstance = null;
  }
}
