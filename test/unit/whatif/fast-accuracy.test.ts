// The what-if fast path against the reference integration of the demo cell (10 ms substeps, RK4 and a PLC
// scan each): it starts from and produces the reference's snapshots, its discrete events fall on the
// reference's scan grid, and over many runs its KPIs and trajectories agree with the reference's in
// distribution (the noise realisations differ, so agreement is judged against the runs' standard errors).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ScenarioEdit } from "../../../src-main/common/whatif/schema";
import { compileScenario, writeLimitsOfScene } from "../../../src-main/common/whatif/validate";
import { DEMO_SCENE_FILE, loadSceneFile } from "../../../src-main/runtime/scene-file";
import { loadWhatifContext } from "../../../src-main/whatif/context";
import { DemoCellSimulation } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { demoCellModel } from "../../../src-workers/whatif/demo-cell-model";
import { DemoCellFastSimulation } from "../../../src-workers/whatif/fast/demo-cell-fast";
import { lagExact, ouExact } from "../../../src-workers/whatif/fast/fields";
import { runJob } from "../../../src-workers/whatif/runner";

const scene = loadSceneFile(DEMO_SCENE_FILE);
const ctx = loadWhatifContext(DEMO_SCENE_FILE, scene);
const limits = writeLimitsOfScene(scene);

function warm(seconds = 600): DemoCellSimulation {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed: 7 });
  for (let k = 0; k < seconds; k++) sim.step(1);
  return sim;
}

/** Times (s) the fill valve opened and closed while stepping `sim` in steps of `dt` for `seconds`. */
function valveEdges(sim: { step(dt: number): void; read(name: string): unknown }, dt: number, seconds: number): { open: number[]; close: number[] } {
  const open: number[] = [];
  const close: number[] = [];
  let prev = sim.read("fillingStation.fillValveOpen");
  const steps = Math.round(seconds / dt);
  for (let k = 1; k <= steps; k++) {
    sim.step(dt);
    const v = sim.read("fillingStation.fillValveOpen");
    if (v !== prev) (v ? open : close).push(Number((k * dt).toFixed(3)));
    prev = v;
  }
  return { open, close };
}

const mean = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const se = (a: readonly number[]) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / (a.length - 1) / a.length);
};

describe("the what-if fast path", () => {
  it("continues from the reference's snapshot, and the reference continues from its own", () => {
    const ref = warm(300);
    const fast = new DemoCellFastSimulation(ref.snapshot());
    assert.deepEqual(fast.snapshot(), ref.snapshot(), "nothing lost or changed on the way in");
    for (let k = 0; k < 120; k++) fast.step(1);
    const back = new DemoCellSimulation({ model: "demo-cell", seed: 99 });
    back.restore(fast.snapshot());
    for (let k = 0; k < 60; k++) back.step(1);
    assert.equal(back.read("cell.state"), 2, "still running");
    assert.ok(Math.abs((back.read("bufferTank.temperature") as number) - 55) < 0.5);
    assert.ok((back.read("fillingStation.itemsProduced") as number) > (ref.read("fillingStation.itemsProduced") as number) + 30);
  });

  it("stepped at the 10 ms scan, opens and closes the fill valve at the reference's very scans", () => {
    const ref = warm();
    const fast = new DemoCellFastSimulation(ref.snapshot());
    assert.deepEqual(valveEdges(fast, 0.01, 30), valveEdges(ref, 0.01, 30));
  });

  it("stepped at 1 s, locates those events on the scan grid: bottle cycles as long as the reference's, within a scan or two", () => {
    const ref = warm();
    const fast = new DemoCellFastSimulation(ref.snapshot());
    const r = valveEdges(ref, 0.01, 60);
    // At 1 s steps the edges are seen at whole seconds; the count of bottles per minute tells the cycle.
    const f = valveEdges(fast, 1, 60);
    const cycle = (edges: number[]) => (edges.at(-1)! - edges[0]!) / (edges.length - 1);
    assert.ok(Math.abs(r.close.length - f.close.length) <= 1, `${r.close.length} vs ${f.close.length} bottles in a minute`);
    const fine = new DemoCellFastSimulation(ref.snapshot());
    const fineEdges = valveEdges({ step: (dt) => fine.step(dt), read: (n) => fine.read(n) }, 0.01, 60);
    assert.ok(Math.abs(cycle(fineEdges.close) - cycle(r.close)) <= 0.021, `cycle ${cycle(fineEdges.close)} s vs reference ${cycle(r.close)} s`);
  });

  it("agrees with the reference in distribution: KPIs and mean trajectories over paired scenarios", { timeout: 600_000 }, (t) => {
    const state = demoCellModel.simulatorState(7, 600);
    const horizonS = 1800;
    const seeds = 8;
    const outputs = ["bufferTank.temperature", "heatExchanger.productOutTemp", "bufferTank.level"];
    const scenarios: Record<string, ScenarioEdit[]> = {
      baseline: [],
      "tank +5 K": [{ kind: "setpoint", atS: 300, tag: "bufferTank.temperatureSetpoint", value: 60 }],
      "coolant 4 m³/h": [{ kind: "setpoint", atS: 300, tag: "heatExchanger.coolantFlowSetpoint", value: 4 }],
      "fouled cooler": [{ kind: "parameter", atS: 0, name: "heatExchanger.foulingResistance", value: 0.3 }],
      "line stop": [{ kind: "lineStop", atS: 300, durationS: 600 }],
    };
    const worst = { kpiRelative: 0, kpiRelativeWhat: "", kpiInSe: 0, kpiInSeWhat: "", temperatureK: 0, productK: 0, levelM: 0 };
    for (const [name, edits] of Object.entries(scenarios)) {
      const compiled = compileScenario({ name: "s", horizonS, edits }, { limits, model: ctx.model, inputs: state.inputs });
      const runs = (fidelity: "exact" | "fast") =>
        Array.from({ length: seeds }, (_, s) => runJob({ state, edits: compiled, horizonS, stepS: 1, sampleS: 10, fidelity, outputs, kpis: ctx.declarations.kpis, noiseSeed: 100 + s }));
      const exact = runs("exact");
      const fast = runs("fast");
      ctx.declarations.kpis.forEach((k, i) => {
        const e = exact.map((r) => r.kpis[i]!);
        const f = fast.map((r) => r.kpis[i]!);
        const d = Math.abs(mean(f) - mean(e));
        const noise = Math.hypot(se(e), se(f));
        const scale = Math.max(Math.abs(mean(e)), 1e-9);
        // Within 4 standard errors of the runs, or 0.5 % (the reference's 10 ms accumulation makes each
        // bottle cycle a scan or two longer: throughput 0.25 % lower, deterministically).
        assert.ok(d <= 4 * noise + 0.005 * scale + 1e-6, `${name}: ${k.id} ${mean(e)} (reference) vs ${mean(f)} (fast), standard error ${noise}`);
        if (Math.abs(mean(e)) > 1e-3 && d / scale > worst.kpiRelative) [worst.kpiRelative, worst.kpiRelativeWhat] = [d / scale, `${name}: ${k.id}`];
        if (noise > 0 && d / noise > worst.kpiInSe) [worst.kpiInSe, worst.kpiInSeWhat] = [d / noise, `${name}: ${k.id}, ${(100 * d / scale).toFixed(3)} %`];
      });
      const n = exact[0]!.samples;
      outputs.forEach((o, oi) => {
        let w = 0;
        for (let k = 0; k < n; k++) w = Math.max(w, Math.abs(mean(exact.map((r) => r.series[oi * n + k]!)) - mean(fast.map((r) => r.series[oi * n + k]!))));
        if (o === "bufferTank.temperature") worst.temperatureK = Math.max(worst.temperatureK, w);
        if (o === "heatExchanger.productOutTemp") worst.productK = Math.max(worst.productK, w);
        if (o === "bufferTank.level") worst.levelM = Math.max(worst.levelM, w);
      });
    }
    t.diagnostic(
      `largest KPI difference ${(100 * worst.kpiRelative).toFixed(2)} % (${worst.kpiRelativeWhat}); most standard errors ${worst.kpiInSe.toFixed(1)} (${worst.kpiInSeWhat}); mean trajectories within ` +
        `${worst.temperatureK.toFixed(3)} K (tank), ${worst.productK.toFixed(3)} K (product out), ${(1000 * worst.levelM).toFixed(2)} mm (level)`,
    );
    assert.ok(worst.temperatureK < 0.15, `tank temperature: ${worst.temperatureK} K`);
    assert.ok(worst.productK < 0.4, `product out temperature: ${worst.productK} K`);
    assert.ok(worst.levelM < 0.003, `level: ${worst.levelM} m`);
  });

  it("solves its linear parts exactly for any step: lags compose, Ornstein–Uhlenbeck keeps its stationary spread", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (x, target, tau, h1, h2) => {
          const two = lagExact(lagExact(x, target, tau, h1), target, tau, h2);
          const one = lagExact(x, target, tau, h1 + h2);
          return Math.abs(two - one) <= 1e-9 * (1 + Math.abs(x) + Math.abs(target));
        },
      ),
    );
    fc.assert(
      fc.property(fc.double({ min: 1, max: 5000, noNaN: true }), fc.double({ min: 0.001, max: 10, noNaN: true }), fc.double({ min: 0.001, max: 100, noNaN: true }), (tau, sd, h) => {
        // Var(x') = a²·Var(x) + sd²·(1 − a²): with Var(x) = sd², the spread stays sd whatever the step.
        const a = ouExact(1, tau, sd, h, 0);
        const noise = ouExact(0, tau, sd, h, 1);
        return Math.abs(a * a * sd * sd + noise * noise - sd * sd) <= 1e-9 * sd * sd;
      }),
    );
  });
});
