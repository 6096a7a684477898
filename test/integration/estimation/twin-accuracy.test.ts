import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { demoCellEstimatorConfig } from "../../../src-workers/estimation/demo-cell";
import { EstimatorService } from "../../../src-workers/estimation/estimator-service";
import { DemoPlant, demoScene, truthCrossing } from "./demo-plant";

// Acceptance: the simulated plant is the ground truth (wear and fouling hidden from the estimator), its
// measurements (not the truth) go into the UKF at 20 Hz for 10 simulated minutes, degradation sped up so
// that wear and fouling move (wear ~0.1 → ~0.5, fouling ~0.02 → ~0.2).
const SPEEDUP = 600;
const RUN_S = 600;
/** Statistics count from here: the filter has converged from its prior (it takes ~30 s). */
const CONVERGED_S = 60;
const SEEDS = [1, 2, 3, 4, 5];

interface RunResult {
  wear: { truth: number; estimate: number };
  fouling: { truth: number; estimate: number };
  wearCoverage: number;
  foulingCoverage: number;
  nisInside: number;
  predictionsAt300: { bearing: [number, number, number]; cleaning: [number, number, number] };
}

function runSeed(seed: number): RunResult {
  const svc = new EstimatorService();
  const info = svc.init(demoCellEstimatorConfig(demoScene(), { degradationSpeedup: SPEEDUP }));
  const wear = info.variables.findIndex((v) => v.name === "feedPump.bearingWear");
  const fouling = info.variables.findIndex((v) => v.name === "heatExchanger.foulingResistance");
  const plant = new DemoPlant(info.tags, seed, SPEEDUP);
  let counted = 0;
  let wearIn = 0;
  let foulingIn = 0;
  let nisIn = 0;
  let frame = svc.step(plant.timeS, plant.values, plant.mask);
  let predictionsAt300: RunResult["predictionsAt300"] | undefined;
  while (plant.timeS < RUN_S - 1e-9) {
    plant.step();
    frame = svc.step(plant.timeS, plant.values, plant.mask);
    if (plant.timeS >= CONVERGED_S) {
      counted++;
      // 95% interval of the posterior: mean ± 1.96 sd.
      if (Math.abs(frame.mean[wear]! - plant.truth("bearingWear")) <= 1.96 * frame.sd[wear]!) wearIn++;
      if (Math.abs(frame.mean[fouling]! - plant.truth("foulingResistance")) <= 1.96 * frame.sd[fouling]!) foulingIn++;
      if (frame.nis >= frame.nisLow && frame.nis <= frame.nisHigh) nisIn++;
    }
    if (!predictionsAt300 && plant.timeS >= 300) {
      const [b, c] = svc.predict({ horizonS: 600, samples: 1000 }).predictions;
      predictionsAt300 = { bearing: [b!.lowS, b!.medianS, b!.highS], cleaning: [c!.lowS, c!.medianS, c!.highS] };
    }
  }
  return {
    wear: { truth: plant.truth("bearingWear"), estimate: frame.mean[wear]! },
    fouling: { truth: plant.truth("foulingResistance"), estimate: frame.mean[fouling]! },
    wearCoverage: wearIn / counted,
    foulingCoverage: foulingIn / counted,
    nisInside: nisIn / counted,
    predictionsAt300: predictionsAt300!,
  };
}

describe("the twin estimates what no sensor sees (demo plant as ground truth, 10 simulated minutes, 5 seeds)", () => {
  const results = new Map<number, RunResult>();
  const result = (seed: number) => {
    if (!results.has(seed)) results.set(seed, runSeed(seed));
    return results.get(seed)!;
  };

  for (const seed of SEEDS) {
    it(`seed ${seed}: wear and fouling within 10% of the truth, truth inside the 95% interval ≥ 90% of the time, NIS inside its 95% bounds ≥ 90%`, { timeout: 120_000 }, () => {
      const r = result(seed);
      const summary = JSON.stringify(r);
      assert.ok(Math.abs(r.wear.estimate - r.wear.truth) <= 0.1 * r.wear.truth, `wear: ${summary}`);
      assert.ok(Math.abs(r.fouling.estimate - r.fouling.truth) <= 0.1 * r.fouling.truth, `fouling: ${summary}`);
      assert.ok(r.wearCoverage >= 0.9, `wear coverage: ${summary}`);
      assert.ok(r.foulingCoverage >= 0.9, `fouling coverage: ${summary}`);
      assert.ok(r.nisInside >= 0.9, `NIS: ${summary}`);
    });
  }

  it("the remaining-life predictions made at 5 min bracket when the simulator actually reaches the thresholds", { timeout: 120_000 }, () => {
    for (const seed of SEEDS) {
      const r = result(seed);
      const wearAt = truthCrossing(seed, SPEEDUP, "bearingWear", 0.8, 2000) - 300;
      const foulingAt = truthCrossing(seed, SPEEDUP, "foulingResistance", 0.3, 2000) - 300;
      const [bLow, , bHigh] = r.predictionsAt300.bearing;
      const [cLow, , cHigh] = r.predictionsAt300.cleaning;
      assert.ok(wearAt >= bLow && wearAt <= bHigh, `seed ${seed}: bearing reaches 0.8 after ${wearAt} s, predicted 90% interval [${bLow}, ${bHigh}]`);
      assert.ok(foulingAt >= cLow && foulingAt <= cHigh, `seed ${seed}: fouling reaches 0.3 after ${foulingAt} s, predicted 90% interval [${cLow}, ${cHigh}]`);
    }
  });
});
