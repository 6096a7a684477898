// Setpoint recommendations on the demo plant, over real worker threads, checked against the plant itself.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { Recommendation } from "../../../src-main/common/whatif/results";
import { Objective } from "../../../src-main/common/whatif/schema";
import { DEMO_SCENE_FILE, loadSceneFile } from "../../../src-main/runtime/scene-file";
import { loadWhatifContext } from "../../../src-main/whatif/context";
import { WhatifPool } from "../../../src-main/whatif/pool";
import { recommendSetpoints, SetpointRecommender } from "../../../src-main/whatif/recommend";
import { DemoCellSimulation, type DemoCellSnapshot } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { compileObjective, objectiveValue } from "../../../src-workers/optimise/objective";
import { captureDemoCellState } from "../../../src-workers/whatif/demo-cell-model";
import { KpiMeter } from "../../../src-workers/whatif/kpi";

const scene = loadSceneFile(DEMO_SCENE_FILE);
const ctx = loadWhatifContext(DEMO_SCENE_FILE, scene);
const pool = new WhatifPool();
after(() => pool.close());

/** The demo plant ten minutes after its cooler fouled badly (Rf 0.3 m²K/kW: UA down from 4 to 1.8 kW/K). */
function fouledPlant() {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed: 7 });
  sim.setLatent({ foulingResistance: 0.3 });
  for (let k = 0; k < 600; k++) sim.step(1);
  return captureDemoCellState(sim);
}

/** Runs a fresh simulation restored to `snapshot` with `writes` applied, and returns its objective (exact physics). */
function measuredObjective(snapshot: DemoCellSnapshot, writes: { tag: string; to: number }[], horizonS: number): number {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed: 12345 });
  sim.restore(snapshot);
  for (const w of writes) sim.write(w.tag, w.to);
  const latent: Record<string, () => number> = {
    "feedPump.bearingWear": () => sim.latent().bearingWear,
    "heatExchanger.foulingResistance": () => sim.latent().foulingResistance,
  };
  const meter = new KpiMeter(ctx.declarations.kpis, (name) => latent[name] ?? (() => Number(sim.read(name))), horizonS);
  meter.start();
  for (let t = 1; t <= horizonS; t++) {
    sim.step(1);
    meter.update(t, 1);
  }
  return objectiveValue(compileObjective(ctx.declarations.objective!, ctx.declarations.kpis), meter.finish(horizonS));
}

describe("setpoint recommendations", () => {
  it("with a fouled heat exchanger, proposes a change that predicts a better objective and delivers it on the plant", { timeout: 300_000 }, async (t) => {
    const state = fouledPlant();
    const rec: Recommendation = await recommendSetpoints(pool, ctx, state, { seed: 1 });

    assert.ok(rec.search.improved && rec.changes.length > 0, "proposes a change");
    for (const c of rec.changes) {
      const l = ctx.limits.get(c.tag)!;
      assert.ok(c.to >= l.min && c.to <= l.max && Math.abs(c.to - c.from) <= l.maxStep! + 1e-9, `${c.tag} ${c.from} → ${c.to} within its write policy`);
    }
    assert.ok(rec.objective.delta.p95 < 0, `predicted better with its whole 90 % band: Δ ${JSON.stringify(rec.objective.delta)}`);
    assert.ok(rec.objective.proposed.p50 < rec.objective.baseline.p50);
    assert.ok(rec.constraints.length > 0 && rec.constraints.every((c) => c.satisfied), JSON.stringify(rec.constraints));
    assert.ok(rec.kpis.find((k) => k.id === "productTempDeviation")!.delta.p50 < 0, "product comes out closer to its band");
    assert.ok(rec.assumptions.some((a) => /nothing is written to the plant/.test(a)));

    // Applied to the simulated plant: the same state restored in a fresh simulation, the setpoints written.
    const horizonS = ctx.declarations.objective!.horizonS;
    const snapshot = state.exact as DemoCellSnapshot;
    const before = measuredObjective(snapshot, [], horizonS);
    const afterChange = measuredObjective(snapshot, rec.changes, horizonS);
    const measured = afterChange - before;
    t.diagnostic(`${rec.changes.map((c) => `${c.tag} ${c.from} → ${c.to}`).join(", ")}: objective Δ predicted ${rec.objective.delta.p50.toFixed(3)} [${rec.objective.delta.p05.toFixed(3)}, ${rec.objective.delta.p95.toFixed(3)}], measured ${measured.toFixed(3)}; ${rec.search.evaluations} candidates, ${rec.search.runs} runs, ${(rec.search.wallMs / 1000).toFixed(1)} s`);
    assert.ok(measured < 0, `measured change ${measured.toFixed(3)} (predicted ${rec.objective.delta.p50.toFixed(3)})`);
    assert.ok(Math.abs(measured - rec.objective.delta.p50) < 0.25 * Math.abs(rec.objective.delta.p50), `measured ${measured.toFixed(3)} close to predicted ${rec.objective.delta.p50.toFixed(3)}`);
  });

  it("recommends periodically from a state source until stopped", { timeout: 120_000 }, async () => {
    const quick = Objective.parse({ ...ctx.declarations.objective, horizonS: 600, samples: 1, validationSamples: 2, maxEvaluations: 3 });
    let states = 0;
    const recommender = new SetpointRecommender(pool, ctx, () => {
      states++;
      return fouledPlant();
    });
    const got = await new Promise<Recommendation>((resolve, reject) => {
      const stop = recommender.schedule(1000, (r) => {
        stop();
        resolve(r);
      }, reject, { objective: quick });
    });
    assert.equal(got.search.evaluations, 3);
    assert.equal(states, 1);
    assert.throws(() => recommender.schedule(10, () => undefined), /periodMs must be ≥ 1000/);
  });
});
