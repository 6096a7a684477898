import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plantStateFromEstimate } from "../../../src-main/whatif/estimate-state";
import { demoCellModel } from "../../../src-workers/whatif/demo-cell-model";
import { runJob } from "../../../src-workers/whatif/runner";

describe("a plant state from the twin's estimate", () => {
  const estimate = {
    timeS: 4200,
    variables: [
      { name: "bufferTank.levelM", kind: "state" as const },
      { name: "bufferTank.temperatureC", kind: "state" as const },
      { name: "feedSupply.temperatureC", kind: "state" as const },
      { name: "feedPump.bearingWear", kind: "state" as const },
      { name: "heatExchanger.foulingResistance", kind: "state" as const },
      { name: "feedPump.wearRateFactor", kind: "parameter" as const },
    ],
    mean: Float64Array.of(1.18, 54.6, 11.5, 0.12, 0.21, 1.4),
    sd: Float64Array.of(0.002, 0.05, 0.4, 0.01, 0.02, 0.3),
    measurements: [
      { tag: "bufferTank.level", from: "bufferTank.levelM" },
      { tag: "bufferTank.temperature", from: "bufferTank.temperatureC" },
    ],
  };

  it("maps measured states to their tags, keeps latent names, scales rate factors and builds the posterior", () => {
    const s = plantStateFromEstimate(demoCellModel.capabilities, estimate, { inputs: { "bufferTank.temperatureSetpoint": 55 }, degradationSpeedup: 600 });
    assert.equal(s.source, "estimator");
    assert.deepEqual(s.continuous, { "bufferTank.level": 1.18, "bufferTank.temperature": 54.6 });
    assert.deepEqual(s.latent, { "feedPump.bearingWear": 0.12, "heatExchanger.foulingResistance": 0.21, "feedPump.wearRateFactor": 840 });
    assert.deepEqual(s.posterior && "mean" in s.posterior ? s.posterior.names : [], ["feedPump.bearingWear", "heatExchanger.foulingResistance", "feedPump.wearRateFactor"]);
    const cov = s.posterior && "covariance" in s.posterior ? s.posterior.covariance : [];
    assert.ok(Math.abs(cov[2]![2]! - 180 * 180) < 1e-6 && cov[0]![1] === 0);
  });

  it("is a state a what-if can fork and run", () => {
    const state = plantStateFromEstimate(demoCellModel.capabilities, estimate, { inputs: { "bufferTank.temperatureSetpoint": 55, "bufferTank.levelSetpoint": 1.2 } });
    const r = runJob({ state, edits: [], horizonS: 120, stepS: 1, sampleS: 60, outputs: ["bufferTank.level", "feedPump.bearingWear"], kpis: [] });
    assert.ok(Math.abs(r.series[0]! - 1.18) < 1e-9);
    assert.equal(r.series[3], 0.12);
  });
});
