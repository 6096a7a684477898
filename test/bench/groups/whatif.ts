/**
 * whatif: how fast what-if runs go, how Monte Carlo scales over workers, and whether the live loop keeps
 * its rate meanwhile.
 *
 *   whatif.realtime_factor         plant seconds per wall second, demo plant, one worker, the studies' default
 *                                  fast path (event-located multi-rate integration, src-workers/whatif/fast):
 *                                  24 h of plant time at 1 s resolution (steps, KPIs, every output recorded)
 *   whatif.realtime_factor_per_cpu the same per CPU second this process used (what an idle core gives; the
 *                                  wall-clock figure drops with the load of a shared machine)
 *   whatif.realtime_factor_exact   the same with the reference integration (10 ms substeps, RK4 + PLC scan each)
 *   whatif.fast_speedup            the two on the same machine a moment apart: less distorted by load
 *   whatif.mc_speedup_2_workers    a 200-run Monte Carlo (fast path, 1 h each) on 2 workers against 1 (wall
 *                                  time: needs 2 idle cores)
 *   whatif.mc_cpu_ratio_2_vs_1     CPU time of that Monte Carlo on 2 workers over 1: the pool's own cost of
 *                                  parallelism, which a busy machine does not distort (ideal 1.0)
 *   whatif.live_loop_hz            a 20 Hz loop stepping the plant worker while a default-size pool runs Monte Carlo
 *   whatif.live_loop_p99_late_ms   how late its 99th-percentile tick was
 *   whatif.cancel_ms               cancel to every worker stopped
 *
 * Workers run the built bundle (out/main/whatif.worker.js) when it exists, else the sources through tsx
 * (measured within noise of each other). BENCH_WHATIF_HOURS shortens the real-time runs.
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
import { DEMO_SCENE_FILE, loadSceneFile } from "../../../src-main/runtime/scene-file";
import { loadWhatifContext } from "../../../src-main/whatif/context";
import { demoCellModel } from "../../../src-workers/whatif/demo-cell-model";
import type { RunJob, WhatifWorkerApi } from "../../../src-workers/whatif/types";
import { figure, median, type BenchGroup, type Figure } from "../figures";

const REPEATS = Number(process.env.BENCH_WHATIF_REPEATS ?? 3);
const REALTIME_HOURS = Number(process.env.BENCH_WHATIF_HOURS ?? 24);
/** The reference is ~20× slower: a shorter run measures it as well. */
const EXACT_HOURS = Math.min(REALTIME_HOURS, 2);
const MC_RUNS = 200;
const MC_HORIZON_S = 3600;

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
const declarations = loadWhatifContext(DEMO_SCENE_FILE, loadSceneFile(DEMO_SCENE_FILE)).declarations;
const job = (horizonS: number, noiseSeed: number, fidelity: RunJob["fidelity"] = "fast", sampleS = 60): RunJob => ({
  state,
  edits: [],
  horizonS,
  stepS: 1,
  sampleS,
  fidelity,
  outputs: demoCellModel.capabilities.outputs,
  kpis: declarations.kpis,
  noiseSeed,
});

/**
 * Plant seconds per wall second of one run (timed in the worker); `cores` is the CPU this process got
 * meanwhile (1.0 on a quiet machine), `perCpu` plant seconds per CPU second (what a quiet core would give).
 */
async function realtimeFactor(pool: WhatifPool, fidelity: RunJob["fidelity"], hours: number): Promise<{ factor: number; cores: number; perCpu: number }> {
  const c0 = process.cpuUsage();
  const [r] = await pool.run([job(hours * 3600, 1, fidelity, 1)]);
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  return { factor: r!.simulatedS / (r!.wallMs / 1000), cores: cpuMs / r!.wallMs, perCpu: r!.simulatedS / (cpuMs / 1000) };
}

/** Wall and CPU seconds (all threads of this process) of the Monte Carlo on `workers` workers. */
async function monteCarlo(workers: number): Promise<{ wallS: number; cpuS: number }> {
  const pool = new WhatifPool({ size: workers, spawn });
  try {
    await pool.warm();
    // The runtime's pool lives on between studies: time it warm (every worker's JIT has compiled the model).
    await pool.run(Array.from({ length: 4 * workers }, (_, i) => job(MC_HORIZON_S, 10_000 + i)));
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
      // A short run of each first: the worker's JIT warms up on it.
      await realtimeFactor(one, "fast", 0.25);
      await realtimeFactor(one, "exact", 0.05);
      const fast: number[] = [];
      const fastPerCpu: number[] = [];
      const exact: number[] = [];
      const ratios: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        const f = await realtimeFactor(one, "fast", REALTIME_HOURS);
        const e = await realtimeFactor(one, "exact", EXACT_HOURS);
        fast.push(f.factor);
        fastPerCpu.push(f.perCpu);
        exact.push(e.factor);
        ratios.push(f.factor / e.factor);
        log(`  ${REALTIME_HOURS} h of plant at 1 s resolution: ${f.factor.toFixed(0)}× real time (fast path, ${((REALTIME_HOURS * 3600) / f.factor).toFixed(2)} s); reference ${e.factor.toFixed(0)}× (${EXACT_HOURS} h); cores got: ${f.cores.toFixed(2)}/${e.cores.toFixed(2)}`);
      }
      figures.push(
        figure("whatif.realtime_factor", "×", fast),
        figure("whatif.realtime_factor_per_cpu", "×", fastPerCpu),
        figure("whatif.realtime_factor_exact", "×", exact),
        figure("whatif.fast_speedup", "×", ratios),
      );
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
      const mc = pool.run(Array.from({ length: 400 }, (_, i) => job(600, i + 1, "exact"))).catch(() => undefined);
      const busy = await liveLoop(10);
      log(`  live 20 Hz loop: ${idle.hz.toFixed(1)} Hz idle (p99 ${idle.p99LateMs.toFixed(1)} ms late), ${busy.hz.toFixed(1)} Hz during Monte Carlo on ${pool.size} worker(s) (p99 ${busy.p99LateMs.toFixed(1)} ms late)`);
      figures.push(figure("whatif.live_loop_hz", "Hz", [busy.hz]), figure("whatif.live_loop_p99_late_ms", "ms", [busy.p99LateMs]));
      const cancels: number[] = [];
      const t0 = performance.now();
      await pool.cancel();
      cancels.push(performance.now() - t0);
      await mc;
      for (let k = 1; k < REPEATS; k++) {
        const again = pool.run(Array.from({ length: 8 }, (_, i) => job(7200, i + 1, "exact"))).catch(() => undefined);
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
