import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { threadId } from "node:worker_threads";
import { spawnWorker } from "../../../src-main/runtime/workers";
import type { EstimateFrame, EstimatorWorkerApi } from "../../../src-workers/estimation/api";
import { demoCellEstimatorConfig } from "../../../src-workers/estimation/demo-cell";
import { estimateCsv, formatEstimateCsv, formatMeasurementCsv } from "../../../src-workers/estimation/offline";
import { DemoPlant, demoScene } from "./demo-plant";

const SPEEDUP = 600;
const STEPS = 1200; // one simulated minute at 20 Hz

describe("estimator worker and offline estimation", () => {
  it("the worker runs the estimator in its own thread, and an offline run of the recorded CSV reproduces every estimate to 1e-9", { timeout: 120_000 }, async () => {
    const config = demoCellEstimatorConfig(demoScene(), { degradationSpeedup: SPEEDUP });
    const handle = spawnWorker<EstimatorWorkerApi>("estimator.worker");
    try {
      assert.notEqual(handle.worker.threadId, threadId, "a separate thread");
      const info = await handle.api.init(config);
      const plant = new DemoPlant(info.tags, 21, SPEEDUP);
      const times: number[] = [];
      const values: Float64Array[] = [];
      const masks: Uint8Array[] = [];
      const frames: EstimateFrame[] = [];
      for (let k = 0; k < STEPS; k++) {
        if (k > 0) plant.step();
        // Now and then a measurement is missing (stale or quarantined): masked live, an empty cell offline.
        const mask = Uint8Array.from(info.tags, (_t, i) => (k % 13 === 5 && i % 3 === 1 ? 0 : 1));
        times.push(plant.timeS);
        values.push(Float64Array.from(plant.values));
        masks.push(mask);
        frames.push(await handle.api.step(plant.timeS, plant.values, mask));
      }
      assert.ok(frames.at(-1)!.mean instanceof Float64Array);
      assert.ok(frames.some((f) => f.nisDof < info.measuredTags.length), "some steps had masked measurements");

      const offline = estimateCsv(config, formatMeasurementCsv(info.tags, times, values, masks));
      assert.equal(offline.rows.length, STEPS);
      let worst = 0;
      offline.rows.forEach((row, k) => {
        const live = frames[k]!;
        assert.equal(row.timeS, live.timeS);
        for (let i = 0; i < row.mean.length; i++) {
          worst = Math.max(worst, Math.abs(row.mean[i]! - live.mean[i]!), Math.abs(row.sd[i]! - live.sd[i]!));
        }
        assert.ok(Number.isNaN(live.nis) ? Number.isNaN(row.nis) : Math.abs(row.nis - live.nis) <= 1e-9);
      });
      assert.ok(worst <= 1e-9, `largest difference between live and offline estimates: ${worst}`);
      assert.match(formatEstimateCsv(offline).split("\n")[1]!, /^0,/);

      const report = await handle.api.predict({ horizonS: 3600, samples: 200 });
      assert.equal(report.predictions.length, 2);
      await assert.rejects(handle.api.step(0, values[0]!, masks[0]!), /time went back/);
    } finally {
      await handle.dispose();
    }
  });
});
