/**
 * The estimation loop: the historian's synchronizer turns asynchronous tag updates into ticks at the
 * scene's loop rate, and each tick is one step of the estimator in its worker thread (awaited before the
 * next, so steps never overlap). Bad, uncertain, quarantined or stale inputs are masked out, never fed.
 * The loop measures its own timing (rate, period jitter, step time, input-to-estimate latency).
 */
import {
  finiteOrNull,
  type EstimateSnapshot,
  type EstimationInfo,
  type LoopTiming,
  type RulPrediction,
} from "../common/api/estimation";
import type { Scene } from "../common/scene/schema";
import { copyFrame, Synchronizer, type TickFrame } from "../historian/synchronizer";
import type { HistorianSample } from "../historian/sample";
import type { EstimateFrame, EstimatorInfo, EstimatorWorkerApi } from "../../src-workers/estimation/api";
import { demoCellEstimatorConfig } from "../../src-workers/estimation/demo-cell";
import { spawnWorker, type WorkerHandle } from "./workers";

export interface EstimatorLoopOptions {
  scene: Scene;
  /** The simulated plant's degradation speed-up (a demo knob the twin is told); 1 for a real plant. */
  degradationSpeedup: number;
  /** Inputs older than this many tick periods are masked out as stale. */
  staleAfterTicks?: number;
  onEstimate(snapshot: EstimateSnapshot): void;
  /** Receives every estimate as historian rows (`est.<variable>`, `est.<variable>.sd`, `est.nis`). */
  record?(rows: HistorianSample[]): void;
  log?(line: string): void;
}

/** Recent estimates kept for uncertainty bands: 10 minutes at the publishing rate. */
const HISTORY_POINTS = 3_000;

export class EstimatorLoop {
  private worker: WorkerHandle<EstimatorWorkerApi> | undefined;
  private layout: EstimatorInfo | undefined;
  private sync: Synchronizer | undefined;
  /**
   * The newest row of each tag seen before the synchronizer exists. OPC UA reports by exception: a tag that
   * never changes (a running flag, a setpoint) sends one value at subscription time, often before the
   * worker is ready; dropping it would leave that input unknown for good.
   */
  private readonly early = new Map<string, HistorianSample>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  private stopped = false;
  private error: string | undefined;
  private latestSnapshot: EstimateSnapshot | null = null;
  private readonly periods: number[] = [];
  private readonly latencies: number[] = [];
  private lastTickWall = 0;
  private lastStepUs = 0;
  private readonly history: { t: number[]; mean: Float64Array[]; sd: Float64Array[] } = { t: [], mean: [], sd: [] };
  private periodMs = 50;
  /** Plant time origin: the estimator gets seconds since the first tick. */
  private t0: number | undefined;

  constructor(private readonly options: EstimatorLoopOptions) {}

  /** Starts the worker and the loop. A scene the estimator cannot model leaves the loop off, with the reason in `info()`. */
  async start(): Promise<void> {
    const { scene } = this.options;
    if (!scene.estimation) {
      this.error = "this scene declares no estimation block";
      return;
    }
    try {
      this.worker = spawnWorker<EstimatorWorkerApi>("estimator.worker");
      this.layout = await this.worker.api.init(demoCellEstimatorConfig(scene, { degradationSpeedup: this.options.degradationSpeedup }));
    } catch (err) {
      this.error = `the estimator did not start: ${err instanceof Error ? err.message : String(err)}`;
      this.options.log?.(this.error);
      await this.worker?.dispose();
      this.worker = undefined;
      return;
    }
    if (this.stopped) return;
    this.periodMs = 1000 / this.layout.rateHz;
    const staleMs = (this.options.staleAfterTicks ?? 20) * this.periodMs;
    this.sync = new Synchronizer({
      inputs: this.layout.tags.map((tagId) => ({ tagId, mode: "hold" as const, maxAgeMs: staleMs })),
      periodMs: this.periodMs,
      delayMs: this.periodMs,
    });
    this.sync.pushRows([...this.early.values()]);
    this.early.clear();
    this.timer = setInterval(() => void this.tick(), this.periodMs);
  }

  /** Feeds validated historian rows (quarantined and bad ones are skipped by the synchronizer). */
  push(rows: readonly HistorianSample[]): void {
    if (this.sync) this.sync.pushRows(rows);
    else if (!this.stopped && !this.error) for (const row of rows) this.early.set(row.tagId, row);
  }

  info(): EstimationInfo {
    const l = this.layout;
    return {
      running: l !== undefined && this.worker !== undefined,
      ...(this.error ? { error: this.error } : {}),
      ...(l ? { method: l.method, rateHz: l.rateHz } : {}),
      variables: (l?.variables ?? []).map(({ name, unit, component, kind }) => ({ name, unit, component, kind })),
      measuredTags: l?.measuredTags ?? [],
      health: l?.health ?? [],
    };
  }

  latest(): EstimateSnapshot | null {
    return this.latestSnapshot;
  }

  /** Means and standard deviations over time of the named variables (unknown names give empty series). */
  historyOf(variables: readonly string[], since = 0) {
    const names = this.layout?.variables.map((v) => v.name) ?? [];
    const first = this.history.t.findIndex((t) => t >= since);
    const from = first < 0 ? this.history.t.length : first;
    return variables.map((variable) => {
      const k = names.indexOf(variable);
      const t = this.history.t.slice(from);
      if (k < 0) return { variable, t: [], mean: [], sd: [] };
      return {
        variable,
        t,
        mean: this.history.mean.slice(from).map((m) => finiteOrNull(m[k]!)),
        sd: this.history.sd.slice(from).map((s) => finiteOrNull(s[k]!)),
      };
    });
  }

  async predict(horizonS: number, samples?: number): Promise<{ t: number; computeMs: number; predictions: RulPrediction[] }> {
    if (!this.worker) throw new Error(this.error ?? "the estimator is not running");
    const report = await this.worker.api.predict({ horizonS, ...(samples ? { samples } : {}) });
    return {
      t: this.latestSnapshot?.t ?? Date.now(),
      computeMs: report.computeMs,
      predictions: report.predictions.map((p) => ({
        id: p.id,
        label: p.label,
        variable: p.variable,
        unit: p.unit,
        threshold: p.threshold,
        mean: finiteOrNull(p.mean),
        sd: finiteOrNull(p.sd),
        medianS: finiteOrNull(p.medianS),
        lowS: finiteOrNull(p.lowS),
        highS: finiteOrNull(p.highS),
        horizonS: p.horizonS,
        failureProbability: finiteOrNull(p.failureProbability),
      })),
    };
  }

  /** Hides anomaly alarms for a commanded transient (a setpoint write, a start or stop). */
  async holdAlarms(seconds: number): Promise<void> {
    const t = this.latestSnapshot?.t;
    if (this.worker && t !== undefined && this.t0 !== undefined) await this.worker.api.holdAlarms((t - this.t0) / 1000 + seconds);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.worker?.dispose();
    this.worker = undefined;
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.sync || !this.worker) return;
    this.busy = true;
    try {
      const wall = performance.now();
      if (this.lastTickWall > 0) pushBounded(this.periods, wall - this.lastTickWall, 200);
      this.lastTickWall = wall;
      const due: TickFrame[] = [];
      this.sync.advance(Date.now(), (frame) => due.push(copyFrame(frame)));
      for (const frame of due) {
        if (this.stopped) return;
        const mask = new Uint8Array(frame.valid);
        const values = new Float64Array(frame.values);
        for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k]!)) mask[k] = 0;
        this.t0 ??= frame.t;
        const estimate = await this.worker.api.step((frame.t - this.t0) / 1000, values, mask);
        let newestInput = -Infinity;
        for (let k = 0; k < frame.ages.length; k++) if (mask[k]) newestInput = Math.max(newestInput, frame.t - frame.ages[k]!);
        if (Number.isFinite(newestInput)) pushBounded(this.latencies, Date.now() - newestInput, 200);
        this.lastStepUs = estimate.stepUs;
        this.record(frame.t, estimate);
      }
    } catch (err) {
      if (!this.stopped) this.options.log?.(`estimator step failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.busy = false;
    }
  }

  private record(t: number, e: EstimateFrame): void {
    if (this.options.record && this.layout) this.options.record(estimateRows(t, this.layout, e));
    this.history.t.push(t);
    this.history.mean.push(e.mean);
    this.history.sd.push(e.sd);
    if (this.history.t.length > HISTORY_POINTS) {
      this.history.t.shift();
      this.history.mean.shift();
      this.history.sd.shift();
    }
    this.latestSnapshot = {
      t,
      mean: Array.from(e.mean, finiteOrNull),
      sd: Array.from(e.sd, finiteOrNull),
      health: Array.from(e.health, finiteOrNull),
      innovation: Array.from(e.innovation, finiteOrNull),
      innovationSd: Array.from(e.innovationSd, finiteOrNull),
      nis: finiteOrNull(e.nis),
      nisLow: finiteOrNull(e.nisLow),
      nisHigh: finiteOrNull(e.nisHigh),
      alarms: e.alarms.map((a) => ({ id: a.id, detector: a.detector, message: a.message, tags: a.tags, sinceS: a.sinceS })),
      timing: this.timing(),
    };
    this.options.onEstimate(this.latestSnapshot);
  }

  timing(): LoopTiming {
    const jitter = this.periods.map((p) => Math.abs(p - this.periodMs)).sort((a, b) => a - b);
    const meanPeriod = this.periods.reduce((a, b) => a + b, 0) / Math.max(1, this.periods.length);
    const lat = [...this.latencies].sort((a, b) => a - b);
    return {
      rateHz: this.periods.length ? 1000 / meanPeriod : 0,
      jitterP99Ms: jitter.length ? jitter[Math.min(jitter.length - 1, Math.floor(jitter.length * 0.99))]! : 0,
      stepUs: this.lastStepUs,
      latencyMs: lat.length ? lat[Math.floor(lat.length / 2)]! : 0,
    };
  }
}

function pushBounded(list: number[], value: number, max: number): void {
  list.push(value);
  if (list.length > max) list.shift();
}

/** One estimate as historian rows: each variable's mean and standard deviation, and the NIS. */
function estimateRows(t: number, layout: EstimatorInfo, e: EstimateFrame): HistorianSample[] {
  const row = (tagId: string, value: number): HistorianSample => ({
    tagId,
    sourceTs: t,
    serverTs: null,
    value: Number.isFinite(value) ? value : null,
    quality: Number.isFinite(value) ? "good" : "bad",
    status: Number.isFinite(value) ? "Good" : "BadNoData",
    connection: "estimator",
    flags: 0,
  });
  const rows: HistorianSample[] = [];
  layout.variables.forEach((v, k) => {
    rows.push(row(`est.${v.name}`, e.mean[k]!), row(`est.${v.name}.sd`, e.sd[k]!));
  });
  rows.push(row("est.nis", e.nis));
  return rows;
}
