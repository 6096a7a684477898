// Studies over real worker threads: baseline against scenarios, Monte Carlo bands, paired differences.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { SeriesBands, WhatifProgress } from "../../../src-main/common/whatif/results";
import { ScenarioError } from "../../../src-main/common/whatif/validate";
import { DEMO_SCENE_FILE, loadSceneFile } from "../../../src-main/runtime/scene-file";
import { loadWhatifContext } from "../../../src-main/whatif/context";
import { recommendationFromScenario } from "../../../src-main/whatif/from-scenario";
import { WhatifPool } from "../../../src-main/whatif/pool";
import { runStudy } from "../../../src-main/whatif/study";
import { demoCellModel } from "../../../src-workers/whatif/demo-cell-model";

const ctx = loadWhatifContext(DEMO_SCENE_FILE, loadSceneFile(DEMO_SCENE_FILE));
const pool = new WhatifPool();
after(() => pool.close());
const state = {
  ...demoCellModel.simulatorState(7, 300),
  posterior: { names: ["heatExchanger.foulingResistance", "feedPump.bearingWear"], mean: [0.15, 0.1], covariance: [[0.0016, 0], [0, 0.0004]] },
};

function value(s: SeriesBands, which: "p05" | "p50" | "p95", output: string, k: number): number {
  return s[which][s.outputs.indexOf(output) * s.timesS.length + k]!;
}

describe("what-if studies", () => {
  it("compares scenarios with a baseline under Monte Carlo: ordered bands, exact zero for a no-op, a clear effect for a real change", { timeout: 120_000 }, async () => {
    const progress: WhatifProgress[] = [];
    const scenarios = [
      { name: "no-op", horizonS: 900, edits: [{ kind: "setpoint" as const, atS: 0, tag: "heatExchanger.coolantFlowSetpoint", value: 6 }] },
      { name: "more-coolant", horizonS: 900, edits: [{ kind: "setpoint" as const, atS: 60, tag: "heatExchanger.coolantFlowSetpoint", value: 8 }] },
    ];
    const r = await runStudy(
      pool,
      ctx,
      {
        state,
        scenarios,
        settings: { seed: 4, substepS: 0.05, sampleS: 30 },
        monteCarlo: { runs: 8, processNoise: true },
      },
      { onProgress: (p) => progress.push(p) },
    );
    assert.equal(r.runsPerArm, 8);
    assert.equal(progress.at(-1)!.done, 24, "one baseline arm and two scenario arms of 8 runs");
    const [noop, more] = r.scenarios;
    for (const k of noop!.kpis) assert.deepEqual(k.delta, { p05: 0, p50: 0, p95: 0 }, `${k.id}: paired runs of identical arms differ by nothing`);
    const coolant = more!.kpis.find((k) => k.id === "coolant")!;
    assert.ok(coolant.delta.p05 > 0.4 && coolant.delta.p95 < 0.5, JSON.stringify(coolant.delta));
    const s = more!.scenario;
    assert.equal(s.timesS.length, 31);
    for (let i = 0; i < s.p50.length; i++) assert.ok(s.p05[i]! <= s.p50[i]! && s.p50[i]! <= s.p95[i]!);
    // The latent posterior shows as a band on the fouling itself; the setpoint has none.
    assert.ok(value(s, "p95", "heatExchanger.foulingResistance", 0) - value(s, "p05", "heatExchanger.foulingResistance", 0) > 0.05);
    assert.equal(value(s, "p05", "heatExchanger.coolantFlowSetpoint", 30), 8);
    assert.ok(value(more!.delta, "p50", "heatExchanger.coolantFlow", 30) > 1.9);
    assert.ok(r.assumptions.some((a) => /latent parameters drawn from the posterior/.test(a)));
    assert.deepEqual(noop!.objective!.delta, { p05: 0, p50: 0, p95: 0 });

    // "Propose these setpoints" from the scenario: its final setpoints, the study's predicted effect.
    const rec = recommendationFromScenario(ctx, state, scenarios[1]!, more!);
    assert.deepEqual(rec.changes, [{ tag: "heatExchanger.coolantFlowSetpoint", from: 6, to: 8, rampS: 0, unit: "m³/h" }]);
    assert.equal(rec.kpis, more!.kpis);
    assert.deepEqual(rec.objective.delta, more!.objective!.delta);
    assert.ok(rec.objective.delta.p05 <= rec.objective.delta.p50 && rec.objective.delta.p50 <= rec.objective.delta.p95);
    assert.ok(rec.constraints.every((c) => c.satisfied));
    assert.throws(() => recommendationFromScenario(ctx, state, { name: "no-op", horizonS: 900, edits: [{ kind: "lineStop", atS: 0, durationS: 60 }] }, noop!), /changes no setpoint/);
  });

  it("refuses a scenario above a write limit before running anything", { timeout: 60_000 }, async () => {
    let progressed = false;
    await assert.rejects(
      runStudy(pool, ctx, { state, scenarios: [{ name: "too-hot", horizonS: 600, edits: [{ kind: "setpoint", atS: 0, tag: "bufferTank.temperatureSetpoint", value: 95 }] }] }, { onProgress: () => (progressed = true) }),
      (err: Error) => err instanceof ScenarioError && /bufferTank\.temperatureSetpoint: 95 °C is above write\.max 80 °C/.test(err.message),
    );
    assert.equal(progressed, false);
  });
});
