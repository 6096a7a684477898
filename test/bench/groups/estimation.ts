/**
 * estimation: the cost of the twin's mind on the demo cell model (12 estimated variables, 11 measured tags),
 * all measured where it runs: inside the estimator worker, one fresh worker per run (a production worker holds
 * one estimator; several in one isolate make V8 share and de-specialise their code).
 * - ukf_step_us / ukf_step_p99_us: one full UKF step (predict + update), timed in the worker (frame.filterUs),
 *   over recorded plant data fed back to back.
 * - loop_jitter_p99_ms: a 200 Hz loop (5 ms period) in the main thread driving the worker: p99 of
 *   |actual period − 5 ms|; latency_p99_ms: input sent → estimate frame back (the thread hop included);
 *   timer_jitter_p99_ms: the same loop with nothing in it, the machine's own timer jitter to compare with.
 * - rul_mc_ms: Monte Carlo remaining-life projection of both degradations (2 × 2000 paths), in the worker.
 * Medians over runs; the target for a step is 200 µs (a 200 Hz loop then uses < 5% of a core).
 */
import { readFileSync } from "node:fs";
import { parseScene } from "../../../src-main/common/scene/parse";
import { spawnWorker } from "../../../src-main/runtime/workers";
import type { EstimatorWorkerApi } from "../../../src-workers/estimation/api";
import type { EstimatorConfig } from "../../../src-workers/estimation/config";
import { demoCellEstimatorConfig } from "../../../src-workers/estimation/demo-cell";
import { Estimator } from "../../../src-workers/estimation/estimator";
import { DemoCellSimulation } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { figure, median, type BenchGroup } from "../figures";

const RUNS = Number(process.env.BENCH_ESTIMATION_RUNS ?? 5);
const STEPS = 4000;
const LOOP_TICKS = 600;
const PERIOD_MS = 5;

function config(): EstimatorConfig {
  const parsed = parseScene(readFileSync(new URL("../../../scenes/demo-cell.scene.yaml", import.meta.url), "utf8"));
  if (!parsed.ok) throw new Error("demo scene does not parse");
  return demoCellEstimatorConfig(parsed.scene, { degradationSpeedup: 600 });
}

/** Plant samples at 20 Hz in the estimator's tag order. */
function record(tags: readonly string[], count: number): { times: number[]; values: Float64Array[] } {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed: 7, degradationSpeedup: 600 });
  const times: number[] = [];
  const values: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    if (k > 0) sim.step(0.05);
    times.push(sim.timeS);
    values.push(Float64Array.from(tags, (t) => Number(sim.read(t))));
  }
  return { times, values };
}

function quantile(samples: number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** One fresh worker: a burst of steps fed back to back (step time), a paced 200 Hz loop, a RUL projection. */
async function workerRun(cfg: EstimatorConfig, data: ReturnType<typeof record>) {
  const handle = spawnWorker<EstimatorWorkerApi>("estimator.worker");
  try {
    const info = await handle.api.init(cfg);
    const mask = new Uint8Array(info.tags.length).fill(1);
    const stepUs: number[] = [];
    for (let k = 0; k < data.times.length; k++) {
      const frame = await handle.api.step(data.times[k]!, data.values[k]!, mask);
      if (k >= 500) stepUs.push(frame.filterUs); // after JIT warm-up and the filter's first convergence
    }
    await handle.api.predict({ horizonS: 3600 }); // JIT warm-up of the projection
    const rulMs = (await handle.api.predict({ horizonS: 3600 })).computeMs;

    const ticks: number[] = [];
    const latencies: number[] = [];
    const t0 = data.times.at(-1)!;
    const start = performance.now();
    for (let k = 0; k < LOOP_TICKS; k++) {
      // Drift-free schedule: tick k is due at start + k·period, whenever the previous one finished.
      const wait = start + k * PERIOD_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sent = performance.now();
      ticks.push(sent);
      await handle.api.step(t0 + (k + 1) * (PERIOD_MS / 1000), data.values[k % data.values.length]!, mask);
      latencies.push(performance.now() - sent);
    }
    const jitter = ticks.slice(1).map((t, k) => Math.abs(t - ticks[k]! - PERIOD_MS));
    return { stepMedian: median(stepUs), stepP99: quantile(stepUs, 0.99), jitterP99: quantile(jitter, 0.99), latencyP99: quantile(latencies, 0.99), rulMs };
  } finally {
    await handle.dispose();
  }
}

async function timerRun(): Promise<number> {
  const ticks: number[] = [];
  const start = performance.now();
  for (let k = 0; k < LOOP_TICKS; k++) {
    const wait = start + k * PERIOD_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    ticks.push(performance.now());
  }
  return quantile(ticks.slice(1).map((t, k) => Math.abs(t - ticks[k]! - PERIOD_MS)), 0.99);
}

export const group: BenchGroup = {
  name: "estimation",
  description: "UKF step of the demo cell model (median, p99), 200 Hz estimator loop jitter and latency through the worker, Monte Carlo RUL",
  async run(log) {
    const cfg = config();
    const data = record(new Estimator(cfg).layout.tags, STEPS);
    const stepMedian: number[] = [];
    const stepP99: number[] = [];
    const jitter: number[] = [];
    const latency: number[] = [];
    const rul: number[] = [];
    const timer: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const w = await workerRun(cfg, data);
      const bare = await timerRun();
      log(
        `  run ${r + 1}/${RUNS}: UKF step ${w.stepMedian.toFixed(1)} µs (p99 ${w.stepP99.toFixed(1)}), 200 Hz jitter p99 ${w.jitterP99.toFixed(2)} ms ` +
          `(bare timer ${bare.toFixed(2)} ms), latency p99 ${w.latencyP99.toFixed(2)} ms, RUL ${w.rulMs.toFixed(1)} ms`,
      );
      stepMedian.push(w.stepMedian);
      stepP99.push(w.stepP99);
      jitter.push(w.jitterP99);
      latency.push(w.latencyP99);
      rul.push(w.rulMs);
      timer.push(bare);
    }
    return [
      figure("estimation.ukf_step_us", "µs", stepMedian),
      figure("estimation.ukf_step_p99_us", "µs", stepP99),
      figure("estimation.loop_jitter_p99_ms", "ms", jitter),
      figure("estimation.latency_p99_ms", "ms", latency),
      figure("estimation.rul_mc_ms", "ms", rul),
      figure("estimation.timer_jitter_p99_ms", "ms", timer),
    ];
  },
};
