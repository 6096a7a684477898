// The what-if pool on real worker threads: spreading, ordering, progress, failures and cancellation.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { WhatifCancelled, WhatifPool } from "../../../src-main/whatif/pool";
import type { WhatifProgress } from "../../../src-main/common/whatif/results";
import { demoCellModel } from "../../../src-workers/whatif/demo-cell-model";
import { runJob } from "../../../src-workers/whatif/runner";
import type { RunJob } from "../../../src-workers/whatif/types";

const state = demoCellModel.simulatorState(7, 120);

function job(horizonS: number, noiseSeed: number, extra: Partial<RunJob> = {}): RunJob {
  return { state, edits: [], horizonS, stepS: 1, sampleS: 10, outputs: ["bufferTank.level", "bufferTank.temperature"], kpis: [], noiseSeed, ...extra };
}

const pools: WhatifPool[] = [];
function pool(size: number, cancelGraceMs?: number): WhatifPool {
  const p = new WhatifPool({ size, cancelGraceMs });
  pools.push(p);
  return p;
}
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("what-if worker pool", () => {
  it("spreads runs over its workers and returns them in job order, as computed in process", { timeout: 120_000 }, async () => {
    const p = pool(2);
    await p.warm();
    const jobs = [1, 2, 3, 4, 5, 6].map((s) => job(120, s));
    const progress: WhatifProgress[] = [];
    const running = p.run(jobs, { onProgress: (e) => progress.push(e) });
    assert.equal(p.busy, 2, "both workers start at once");
    const results = await running;
    results.forEach((r, i) => assert.deepEqual(r.series, runJob(jobs[i]!).series, `run ${i}`));
    assert.deepEqual(progress.map((e) => e.done), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(progress[0]!.etaMs, null);
    assert.ok(progress.slice(1).every((e) => e.etaMs !== null && e.etaMs >= 0 && e.total === 6 && e.phase === "study"));
    assert.equal(progress.at(-1)!.etaMs, 0);
    assert.equal(p.busy, 0);
  });

  it("cancelling a running Monte Carlo stops every worker within 1 s", { timeout: 120_000 }, async (t) => {
    const p = pool(2);
    await p.warm();
    // Exact physics, two plant hours per run: each run is over a second of work, so both are mid-run.
    const batch = p.run([1, 2, 3, 4, 5, 6, 7, 8].map((s) => job(7200, s)));
    const outcome = batch.then(
      () => "finished",
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(p.busy, 2);
    const t0 = performance.now();
    await p.cancel();
    const stoppedMs = performance.now() - t0;
    t.diagnostic(`workers stopped ${stoppedMs.toFixed(1)} ms after cancel`);
    assert.equal(p.busy, 0, "no worker has a run");
    assert.ok(stoppedMs <= 1000, `every worker stopped ${stoppedMs.toFixed(0)} ms after cancel`);
    assert.ok((await outcome) instanceof WhatifCancelled);
    // The workers are free again (a worker still computing would answer only after its run).
    const [r] = await p.run([job(10, 1)]);
    assert.equal(r!.samples, 2);
  });

  it("terminates a worker that does not stop within the grace time, and replaces it", { timeout: 120_000 }, async () => {
    const p = pool(1, 0);
    await p.warm();
    const batch = p.run([job(3600, 1)]).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 200));
    await p.cancel();
    assert.ok((await batch) instanceof WhatifCancelled);
    const [r] = await p.run([job(10, 2)]);
    assert.deepEqual(r!.series, runJob(job(10, 2)).series);
  });

  it("rejects a batch whose run fails, with the worker's reason, and keeps serving others", { timeout: 120_000 }, async () => {
    const p = pool(1);
    await assert.rejects(p.run([job(10, 1), job(10, 2, { state: { ...state, model: "nope" } })]), /what-if run 2 of 2 failed: no what-if model "nope"; known: demo-cell/);
    const controller = new AbortController();
    const aborted = p.run([job(3600, 3)], { signal: controller.signal });
    const other = p.run([job(10, 4)]);
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(aborted, WhatifCancelled);
    assert.equal((await other).length, 1);
  });
});
