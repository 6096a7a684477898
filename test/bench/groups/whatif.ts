/**
 * whatif: how fast what-if runs go, how Monte Carlo scales over workers, and whether the live loop keeps
 * its rate meanwhile.
 *
 *   whatif.realtime_factor         plant seconds per wall second, demo plant, one worker, exact physics (10 ms)
 *   whatif.realtime_factor_fast    the same at the 50 ms substep the recommender uses (KPIs within ~1.5 %)
 *   whatif.realtime_factor_coarse  the same at a 200 ms substep (KPIs biased by ~4 %: PLC scan and fill timing)
 *   whatif.mc_speedup_2_workers    a 200-run Monte Carlo on 2 workers against 1 (wall time: needs 2 idle cores)
 *   whatif.mc_cpu_ratio_2_vs_1     CPU time of that Monte Carlo on 2 workers over 1: the pool's own cost of
 *                                  parallelism, which a busy machine does not distort (ideal 1.0)
 *   whatif.live_loop_hz            a 20 Hz loop stepping the plant worker while a default-size pool runs Monte Carlo
 *   whatif.live_loop_p99_late_ms   how late its 99th-percentile tick was
 *   whatif.cancel_ms               cancel to every worker stopped
 *
 * Workers run the built bundle (out/main/whatif.worker.js) when it exists, else the sources through tsx
 * (measured within noise of each other).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/umd/node-adapter.js";
import { PACKAGE_ROOT } from "../../../src-main/runtime/entries";
import { spawnWorker, type WorkerHandle } from "../../../src-main/runtime/workers";
import { defaultPoolSize, WhatifPool } from "../../../src-main/whatif/pool";
import type { SimulationWorkerApi } from "../../../src-workers/plant/simulation-types";
import { demoCellModel } from "../../../src-workers/whatif/demo-cell-model";
import type { RunJob, WhatifWorkerApi } from "../../../src-workers/whatif/types";
import { figure, median, type BenchGroup, type Figure } from "../figures";

const REPEATS = Number(process.env.BENCH_WHATIF_REPEATS ?? 3);
const REALTIME_HOURS = Number(process.env.BENCH_WHATIF_HOURS ?? 4);
const MC_RUNS = 200;
const MC_HORIZON_S = 600;

const BUILT = join(PACKAGE_ROOT, "out/main/whatif.worker.js");

function spawn(): WorkerHandle<WhatifWorkerApi> {
  if (!existsSync(BUILT)) return spawnWorker<WhatifWorkerApi>("whatif.worker");
  const worker = new Worker(BUILT);
  const api = Comlink.wrap<WhatifWorkerApi>(nodeEndpoint(worker));
  return {
    api,
    worker,
    async dispose() {
      api[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}

const state = demoCellModel.simulatorState(7, 600);
const job = (horizonS: number, noiseSeed: number, substepS?: number): RunJob => ({
  state,
  edits: [],
  horizonS,
  stepS: 1,
  sampleS: 60,
  substepS,
  outputs: demoCellModel.capabilities.outputs,
  kpis: [],
  noiseSeed,
});

/** Plant seconds per wall second of one run; `cores` is the CPU this process got meanwhile (1.0 on a quiet machine). */
async function realtimeFactor(pool: WhatifPool, substepS?: number): Promise<{ factor: number; cores: number }> {
  const c0 = process.cpuUsage();
  const [r] = await pool.run([job(REALTIME_HOURS * 3600, 1, substepS)]);
  const c = process.cpuUsage(c0);
  return { factor: r!.simulatedS / (r!.wallMs / 1000), cores: (c.user + c.system) / 1000 / r!.wallMs };
}

/** Wall and CPU seconds (all threads of this process) of the Monte Carlo on `workers` workers. */
async function monteCarlo(workers: number): Promise<{ wallS: number; cpuS: number }> {
  const pool = new WhatifPool({ size: workers, spawn });
  try {
    await pool.warm();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await pool.run(Array.from({ length: MC_RUNS }, (_, i) => job(MC_HORIZON_S, i + 1)));
    const c = process.cpuUsage(c0);
    return { wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
  } finally {
    await pool.close();
  }
}

/** A 20 Hz loop stepping the simulated plant in its worker for `seconds`: achieved rate and p99 lateness. */
async function liveLoop(seconds: number): Promise<{ hz: number; p99LateMs: number }> {
  const plant = spawnWorker<SimulationWorkerApi>("plant.worker");
  try {
    await plant.api.init({ model: "demo-cell", seed: 7 });
    const late: number[] = [];
    const t0 = performance.now();
    let ticks = 0;
    while (performance.now() - t0 < seconds * 1000) {
      const due = t0 + (ticks + 1) * 50;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      await plant.api.step(0.05);
      late.push(performance.now() - due);
      ticks++;
    }
    late.sort((a, b) => a - b);
    return { hz: ticks / ((performance.now() - t0) / 1000), p99LateMs: late[Math.floor(0.99 * (late.length - 1))]! };
  } finally {
    await plant.dispose();
  }
}

export const group: BenchGroup = {
  name: "whatif",
  description: "what-if runs: real-time factor on one worker, Monte Carlo speed-up on 2 workers, live loop rate during Monte Carlo, cancel time",
  async run(log) {
    log(`  workers: ${existsSync(BUILT) ? "built bundle" : "sources through tsx"}; ${defaultPoolSize()} by default on this machine`);
    const figures: Figure[] = [];
    const one = new WhatifPool({ size: 1, spawn });
    try {
      await one.warm();
      const exact: number[] = [];
      const fast: number[] = [];
      const coarse: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        const runs = [await realtimeFactor(one), await realtimeFactor(one, 0.05), await realtimeFactor(one, 0.2)];
        exact.push(runs[0]!.factor);
        fast.push(runs[1]!.factor);
        coarse.push(runs[2]!.factor);
        const cores = runs.map((r) => r.cores.toFixed(2)).join("/");
        log(`  ${REALTIME_HOURS} h of plant: ${exact.at(-1)!.toFixed(0)}× real time exact, ${fast.at(-1)!.toFixed(0)}× at 50 ms substep, ${coarse.at(-1)!.toFixed(0)}× at 200 ms (cores got: ${cores})`);
      }
      figures.push(figure("whatif.realtime_factor", "×", exact), figure("whatif.realtime_factor_fast", "×", fast), figure("whatif.realtime_factor_coarse", "×", coarse));
    } finally {
      await one.close();
    }

    const speedups: number[] = [];
    const cpuRatios: number[] = [];
    for (let k = 0; k < Math.max(1, REPEATS - 1); k++) {
      const one = await monteCarlo(1);
      const two = await monteCarlo(2);
      speedups.push(one.wallS / two.wallS);
      cpuRatios.push(two.cpuS / one.cpuS);
      log(
        `  ${MC_RUNS} runs of ${MC_HORIZON_S / 60} min: ${one.wallS.toFixed(1)} s on 1 worker, ${two.wallS.toFixed(1)} s on 2 (${(one.wallS / two.wallS).toFixed(2)}×); ` +
          `CPU ${one.cpuS.toFixed(1)} s vs ${two.cpuS.toFixed(1)} s; cores we got on 2 workers: ${(two.cpuS / two.wallS).toFixed(2)}`,
      );
    }
    figures.push(figure("whatif.mc_speedup_2_workers", "×", speedups), figure("whatif.mc_cpu_ratio_2_vs_1", "×", cpuRatios));

    const idle = await liveLoop(5);
    const pool = new WhatifPool({ spawn });
    try {
      await pool.warm();
      const mc = pool.run(Array.from({ length: 400 }, (_, i) => job(MC_HORIZON_S, i + 1))).catch(() => undefined);
      const busy = await liveLoop(10);
      log(`  live 20 Hz loop: ${idle.hz.toFixed(1)} Hz idle (p99 ${idle.p99LateMs.toFixed(1)} ms late), ${busy.hz.toFixed(1)} Hz during Monte Carlo on ${pool.size} worker(s) (p99 ${busy.p99LateMs.toFixed(1)} ms late)`);
      figures.push(figure("whatif.live_loop_hz", "Hz", [busy.hz]), figure("whatif.live_loop_p99_late_ms", "ms", [busy.p99LateMs]));
      const cancels: number[] = [];
      const t0 = performance.now();
      await pool.cancel();
      cancels.push(performance.now() - t0);
      await mc;
      for (let k = 1; k < REPEATS; k++) {
        const again = pool.run(Array.from({ length: 8 }, (_, i) => job(7200, i + 1))).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 300));
        const t1 = performance.now();
        await pool.cancel();
        cancels.push(performance.now() - t1);
        await again;
      }
      figures.push(figure("whatif.cancel_ms", "ms", cancels));
      log(`  cancel: ${median(cancels).toFixed(1)} ms median to every worker stopped`);
    } finally {
      await pool.close();
    }
    return figures;
  },
};
