import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSimulation, SIMULATION_MODELS } from "../../../src-workers/plant/create-simulation";
import { SimulationService } from "../../../src-workers/plant/simulation-service";

describe("createSimulation", () => {
  it("creates the demo cell and names the known models for an unknown one", () => {
    const sim = createSimulation({ model: "demo-cell", seed: 1 });
    assert.ok(sim.signals.length > 20);
    assert.deepEqual(SIMULATION_MODELS, ["demo-cell"]);
    assert.throws(
      () => createSimulation({ model: "bottling-plant", seed: 1 }),
      (e: unknown) => e instanceof Error && /bottling-plant/.test(e.message) && /demo-cell/.test(e.message),
    );
    assert.throws(() => createSimulation({ model: "toString", seed: 1 }), /unknown simulation model/);
  });
});

describe("SimulationService", () => {
  it("refuses to step before init", () => {
    const service = new SimulationService();
    assert.throws(() => service.step(0.05), /init/);
    assert.throws(() => service.frame(), /init/);
    assert.throws(() => service.write("bufferTank.levelSetpoint", 1), /init/);
  });

  it("packs every signal into frames in signal order, arrays separately", () => {
    const service = new SimulationService();
    const signals = service.init({ model: "demo-cell", seed: 7 });
    const frame0 = service.frame();
    assert.equal(frame0.timeS, 0);
    assert.equal(frame0.scalars.length, signals.length);
    let frame = frame0;
    for (let k = 0; k < 20; k++) frame = service.step(0.05);
    assert.ok(Math.abs(frame.timeS - 1) < 1e-9);
    signals.forEach((s, i) => {
      const v = frame.scalars[i]!;
      if (s.type === "DoubleArray") {
        assert.ok(Number.isNaN(v));
        assert.ok(frame.arrays[s.name] instanceof Float64Array);
      } else {
        assert.ok(Number.isFinite(v), `${s.name} = ${v}`);
        if (s.type === "Boolean") assert.ok(v === 0 || v === 1);
        if (s.type === "Int32" || s.type === "UInt32") assert.ok(Number.isInteger(v));
      }
    });
    const positions = frame.arrays["fillingStation.itemPositions"]!;
    assert.ok(positions.length > 0 && positions.length <= 16);
    const at = (name: string) => signals.findIndex((s) => s.name === name);
    assert.equal(frame.scalars[at("cell.state")], 2);
    assert.ok(Math.abs(frame.scalars[at("bufferTank.level")]! - 1.2) < 0.05);
    assert.ok(signals.find((s) => s.name === "truth.bearingWear")?.hidden);
    assert.ok(signals.find((s) => s.name === "truth.foulingResistance")?.hidden);
  });

  it("writes inputs, and rejects unknown names, outputs, wrong types and out-of-range values with messages naming the signal", () => {
    const service = new SimulationService();
    const signals = service.init({ model: "demo-cell", seed: 7 });
    const at = signals.findIndex((s) => s.name === "heatExchanger.coolantFlowSetpoint");
    service.write("heatExchanger.coolantFlowSetpoint", 9);
    assert.equal(service.frame().scalars[at], 9);

    const rejects = (name: string, value: unknown, ...patterns: RegExp[]) =>
      assert.throws(
        () => service.write(name, value as number),
        (e: unknown) => e instanceof RangeError && patterns.every((p) => p.test(e.message)),
        `write ${name} = ${String(value)}`,
      );
    rejects("heatExchanger.coolantFlowSP", 5, /heatExchanger\.coolantFlowSP/, /unknown/, /heatExchanger\.coolantFlowSetpoint/);
    rejects("heatExchanger.coolantFlow", 5, /heatExchanger\.coolantFlow\b/, /output/);
    rejects("cell.heartbeat", 5, /cell\.heartbeat/, /output/);
    rejects("heatExchanger.coolantFlowSetpoint", "5", /heatExchanger\.coolantFlowSetpoint/, /"5"/, /number/);
    rejects("heatExchanger.coolantFlowSetpoint", 16, /heatExchanger\.coolantFlowSetpoint = 16/, /\[2, 15\] m³\/h/);
    rejects("heatExchanger.coolantFlowSetpoint", 1.9, /= 1\.9/, /\[2, 15\]/);
    rejects("heatExchanger.coolantFlowSetpoint", Number.POSITIVE_INFINITY, /Infinity/);
    rejects("heatExchanger.coolantFlowSetpoint", [5], /heatExchanger\.coolantFlowSetpoint/, /array/);
    rejects("cell.stopCommand", 1, /cell\.stopCommand = 1/, /Boolean/);
    rejects("cell.stopCommand", null, /cell\.stopCommand/, /null/);
    assert.equal(service.frame().scalars[at], 9, "rejected writes change nothing");
  });
});
