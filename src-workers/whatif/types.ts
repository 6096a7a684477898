/**
 * One what-if run as it travels to a worker, and what comes back. Plain structured-clonable data.
 */
import type { Kpi, PlantState } from "../../src-main/common/whatif/schema";
import type { CompiledEdit } from "../../src-main/common/whatif/validate";

export interface RunJob {
  /** Where the run forks; `exact` (a model snapshot) makes it continue exactly as the source would. */
  state: PlantState;
  /** Validated timeline (compileScenario), in time order. */
  edits: CompiledEdit[];
  horizonS: number;
  /** Resolution of edits, ramps and KPI integration. */
  stepS: number;
  /** Spacing of the recorded series (a multiple of stepS works best). */
  sampleS: number;
  /** Physics substep; absent: the model's own. */
  substepS?: number;
  /**
   * `exact` (default): the model's reference integration (at `substepS` when given). `fast`: the model's
   * event-located multi-rate integration (same physics and control program, statistically equivalent,
   * many times faster); `substepS` is then its longest step.
   */
  fidelity?: "exact" | "fast";
  /** New process and sensor noise from this seed (Monte Carlo); absent: the state's own noise continues. */
  noiseSeed?: number;
  /** Latent parameters drawn from the posterior for this run; they override the state's. */
  latent?: Record<string, number>;
  /** Names recorded into the series, in this order. */
  outputs: string[];
  kpis: Kpi[];
}

export interface RunResult {
  /** Recorded samples per output; sample k is at k·sampleS. */
  samples: number;
  /** Row-major by output: output o at sample k is at o·samples + k. */
  series: Float64Array;
  /** One value per KPI of the job, in its order. */
  kpis: Float64Array;
  simulatedS: number;
  wallMs: number;
}

/** What whatif.worker.ts exposes (through comlink; the plain class is WhatifService). */
export interface WhatifWorkerApi {
  /**
   * Shares the pool's cancel flags: the worker's current run stops between steps as soon as
   * `Atomics.load(flags, slot)` is non-zero.
   */
  attach(flags: SharedArrayBuffer, slot: number): void | Promise<void>;
  run(job: RunJob): RunResult | Promise<RunResult>;
}
