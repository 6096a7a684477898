// One what-if run, in process (no threads): forking, the edit timeline, recording and cancellation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PlantState, Scenario } from "../../../src-main/common/whatif/schema";
import { compileScenario, writeLimitsOfScene } from "../../../src-main/common/whatif/validate";
import { DEMO_SCENE_FILE, loadSceneFile } from "../../../src-main/runtime/scene-file";
import { DemoCellSimulation } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { captureDemoCellState, demoCellModel } from "../../../src-workers/whatif/demo-cell-model";
import { RunCancelled, runJob } from "../../../src-workers/whatif/runner";
import type { RunJob, RunResult } from "../../../src-workers/whatif/types";

const limits = writeLimitsOfScene(loadSceneFile(DEMO_SCENE_FILE));
const OUTPUTS = demoCellModel.capabilities.outputs;

function warmState(seed = 7, seconds = 300, speedup = 100): { sim: DemoCellSimulation; state: PlantState } {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed, degradationSpeedup: speedup });
  for (let k = 0; k < seconds; k++) sim.step(1);
  return { sim, state: structuredClone(captureDemoCellState(sim)) };
}

function jobFor(state: PlantState, scenario: Omit<Scenario, "name">, extra: Partial<RunJob> = {}): RunJob {
  const edits = compileScenario({ name: "t", ...scenario }, { limits, model: demoCellModel.capabilities, inputs: state.inputs });
  return { state, edits, horizonS: scenario.horizonS, stepS: 1, sampleS: 1, outputs: OUTPUTS, kpis: [], ...extra };
}

function at(r: RunResult, name: string, k: number): number {
  return r.series[OUTPUTS.indexOf(name) * r.samples + k]!;
}

describe("a what-if run", () => {
  it("with no edits reproduces the simulator's own trajectory from the same state and seed", () => {
    const { sim, state } = warmState();
    const r = runJob(jobFor(state, { horizonS: 1800, edits: [] }));
    assert.equal(r.samples, 1801);
    let worst = 0;
    for (let k = 1; k <= 1800; k++) {
      for (let j = 0; j < 20; j++) sim.step(0.05); // the live loop's 20 Hz
      OUTPUTS.forEach((name, o) => {
        const latent = { "feedPump.bearingWear": "truth.bearingWear", "heatExchanger.foulingResistance": "truth.foulingResistance" }[name];
        const v = sim.read(latent ?? name);
        const x = typeof v === "number" ? v : v ? 1 : 0;
        worst = Math.max(worst, Math.abs(x - r.series[o * r.samples + k]!));
      });
    }
    assert.ok(worst <= 1e-9, `largest difference ${worst}`);
  });

  it("ramps a setpoint at its write.maxRatePerS and the plant follows", () => {
    const { state } = warmState();
    const r = runJob(jobFor(state, { horizonS: 1800, edits: [{ kind: "setpoint", atS: 600, tag: "bufferTank.temperatureSetpoint", value: 60 }] }));
    assert.equal(at(r, "bufferTank.temperatureSetpoint", 600), 55);
    // Held over each 1 s step from its start: at 605 s the value written at 604 s.
    assert.equal(at(r, "bufferTank.temperatureSetpoint", 605), 57);
    assert.equal(at(r, "bufferTank.temperatureSetpoint", 611), 60);
    // The heater has little reserve over the draw: the tank warms slowly.
    assert.ok(at(r, "bufferTank.temperature", 1800) > 56.5, `tank ${at(r, "bufferTank.temperature", 1800)} °C`);
  });

  it("applies faults for their duration: a stuck coolant valve, a frozen temperature transmitter", () => {
    const { state } = warmState();
    const r = runJob(
      jobFor(state, {
        horizonS: 900,
        edits: [
          { kind: "fault", atS: 60, fault: "valveStuck", tag: "heatExchanger.coolantFlow", value: 2.5, durationS: 300 },
          { kind: "fault", atS: 500, fault: "sensorFailed", tag: "bufferTank.temperature", value: 40 },
        ],
      }),
    );
    assert.ok(Math.abs(at(r, "heatExchanger.coolantFlow", 350) - 2.5) < 0.2, `stuck flow ${at(r, "heatExchanger.coolantFlow", 350)}`);
    assert.equal(at(r, "heatExchanger.coolantFlowSetpoint", 350), 6);
    assert.ok(Math.abs(at(r, "heatExchanger.coolantFlow", 480) - 6) < 0.2, "freed again");
    assert.equal(at(r, "bufferTank.temperature", 700), 40);
    assert.ok(at(r, "bufferTank.heaterPower", 700) > 50, "the PLC heats against the failed reading");
  });

  it("parameter overrides, disturbances and a line stop change what they should", () => {
    const { state } = warmState();
    const base = runJob(jobFor(state, { horizonS: 1200, edits: [] }));
    const fouled = runJob(jobFor(state, { horizonS: 1200, edits: [{ kind: "parameter", atS: 0, name: "heatExchanger.foulingResistance", value: 0.3 }] }));
    assert.ok(at(fouled, "heatExchanger.productOutTemp", 600) > at(base, "heatExchanger.productOutTemp", 600) + 5);
    assert.equal(at(fouled, "heatExchanger.foulingResistance", 0), 0.3);
    const cold = runJob(jobFor(state, { horizonS: 1200, edits: [{ kind: "disturbance", atS: 0, input: "feedTemperature", offsetK: -8 }] }));
    const heat = (r: RunResult) => OUTPUTS.indexOf("bufferTank.heaterPower") * r.samples;
    const mean = (r: RunResult) => r.series.subarray(heat(r) + 300, heat(r) + 1200).reduce((s, v) => s + v, 0) / 900;
    assert.ok(mean(cold) > mean(base) + 2, `heater ${mean(cold)} vs ${mean(base)} kW`);
    const stop = runJob(jobFor(state, { horizonS: 1200, edits: [{ kind: "lineStop", atS: 100, durationS: 400 }] }));
    assert.equal(at(stop, "cell.state", 300), 0, "stopped");
    assert.equal(at(stop, "cell.state", 700), 2, "running again");
    const items = (r: RunResult) => at(r, "fillingStation.itemsProduced", 1200) - at(r, "fillingStation.itemsProduced", 0);
    assert.ok(items(stop) < items(base) - 50, `items ${items(stop)} vs ${items(base)}`);
  });

  it("is deterministic for a noise seed, differs between seeds, and forks an estimated state without a snapshot", () => {
    const { state } = warmState();
    const a = runJob(jobFor(state, { horizonS: 300, edits: [] }, { noiseSeed: 11 }));
    assert.deepEqual(runJob(jobFor(state, { horizonS: 300, edits: [] }, { noiseSeed: 11 })).series, a.series);
    assert.notDeepEqual(runJob(jobFor(state, { horizonS: 300, edits: [] }, { noiseSeed: 12 })).series, a.series);

    const estimate: PlantState = {
      model: "demo-cell",
      source: "estimator",
      timeS: 1_700_000_000,
      latent: { "feedPump.bearingWear": 0.2, "heatExchanger.foulingResistance": 0.1 },
      continuous: { "bufferTank.level": 1.0, "bufferTank.temperature": 53 },
      inputs: { "bufferTank.levelSetpoint": 1.0, "bufferTank.temperatureSetpoint": 53 },
    };
    const r = runJob(jobFor(estimate, { horizonS: 600, edits: [] }));
    assert.ok(Math.abs(at(r, "bufferTank.level", 1) - 1.0) < 0.01);
    assert.ok(Math.abs(at(r, "bufferTank.temperature", 600) - 53) < 1, `settles near its setpoint: ${at(r, "bufferTank.temperature", 600)}`);
    assert.ok(at(r, "feedPump.bearingWear", 0) === 0.2);
  });

  it("stops between steps when cancelled", () => {
    const { state } = warmState();
    let checks = 0;
    assert.throws(() => runJob(jobFor(state, { horizonS: 3600, edits: [] }), () => ++checks > 50), RunCancelled);
    assert.equal(checks, 51);
  });
});
