import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DemoCellSimulation, MAX_SUBSTEP_S } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { CellState } from "../../../src-workers/models/demo-cell/control";
import { BUFFER_TANK } from "../../../src-workers/models/demo-cell/tank";

const DT = 0.05; // the scene's 20 Hz loop

function num(sim: DemoCellSimulation, name: string): number {
  const v = sim.read(name);
  assert.equal(typeof v, "number", `${name} is numeric`);
  return v as number;
}

function bool(sim: DemoCellSimulation, name: string): boolean {
  const v = sim.read(name);
  assert.equal(typeof v, "boolean", `${name} is Boolean`);
  return v as boolean;
}

function snapshot(sim: DemoCellSimulation): unknown[] {
  return sim.signals.map((s) => sim.read(s.name));
}

describe("demo cell simulation", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const run = (seed: number) => {
      const sim = new DemoCellSimulation({ model: "demo-cell", seed, degradationSpeedup: 50 });
      const frames: unknown[][] = [];
      for (let k = 0; k < 400; k++) {
        if (k === 100) sim.write("bufferTank.levelSetpoint", 1.4);
        if (k === 200) sim.write("heatExchanger.coolantFlowSetpoint", 9);
        sim.step(DT);
        frames.push(snapshot(sim));
      }
      return frames;
    };
    const a = run(7);
    assert.deepEqual(a, run(7));
    assert.notDeepEqual(a, run(8));
  });

  it("runs a live, settled plant for 600 s: bounded level, temperature at setpoint, bottles, intermittent draw, degradation", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 7, degradationSpeedup: 100 });
    assert.equal(num(sim, "cell.state"), CellState.Running, "starts running");
    const level0 = sim.inspect().levelM;
    let rises = 0;
    let falls = 0;
    let lastLevel = level0;
    let lastWear = num(sim, "truth.bearingWear");
    let lastFouling = num(sim, "truth.foulingResistance");
    const wear0 = lastWear;
    const fouling0 = lastFouling;
    const productOut0 = num(sim, "heatExchanger.productOutTemp");
    let heartbeat = num(sim, "cell.heartbeat");
    const temperatures: number[] = [];
    let maxItems = 0;
    let valveOpenFrames = 0;
    for (let k = 1; k <= 600 / DT; k++) {
      sim.step(DT);
      for (const s of sim.signals) {
        const v = sim.read(s.name);
        const values = Array.isArray(v) ? v : [v];
        for (const x of values) assert.ok(typeof x === "boolean" || Number.isFinite(x), `${s.name} = ${x} at ${sim.timeS} s`);
      }
      const level = num(sim, "bufferTank.level");
      assert.ok(level >= 0 && level <= 2.5, `level ${level}`);
      const truth = sim.inspect().levelM;
      if (truth > lastLevel + 1e-7) rises++;
      if (truth < lastLevel - 1e-7) falls++;
      lastLevel = truth;
      const wear = num(sim, "truth.bearingWear");
      const fouling = num(sim, "truth.foulingResistance");
      assert.ok(wear >= lastWear && fouling >= lastFouling, "degradation never heals");
      lastWear = wear;
      lastFouling = fouling;
      const hb = num(sim, "cell.heartbeat");
      assert.equal(hb, heartbeat + Math.ceil(DT / MAX_SUBSTEP_S - 1e-9), "one heartbeat per PLC scan");
      heartbeat = hb;
      if (sim.timeS > 500) temperatures.push(num(sim, "bufferTank.temperature"));
      maxItems = Math.max(maxItems, (sim.read("fillingStation.itemPositions") as number[]).length);
      if (bool(sim, "fillingStation.fillValveOpen")) valveOpenFrames++;
      assert.equal(num(sim, "cell.state"), CellState.Running);
    }
    assert.ok(Math.abs(sim.timeS - 600) < 1e-6);
    const meanT = temperatures.reduce((a, b) => a + b, 0) / temperatures.length;
    assert.ok(Math.abs(meanT - 55) < 1, `temperature settles near 55 °C: ${meanT}`);
    assert.ok(Math.abs(sim.inspect().levelM - 1.2) < 0.05, `level near its setpoint: ${sim.inspect().levelM}`);
    const items = num(sim, "fillingStation.itemsProduced");
    assert.ok(items > 100, `items produced: ${items}`);
    assert.ok(maxItems >= 8 && maxItems <= 16, `bottles on the belt: ${maxItems}`);
    assert.ok(rises > 100 && falls > 100, `level rises (${rises}) and falls (${falls})`);
    const openShare = valveOpenFrames / (600 / DT);
    assert.ok(openShare > 0.3 && openShare < 0.8, `filling is intermittent (valve open ${openShare})`);
    assert.ok(lastWear > wear0 && lastFouling > fouling0, "wear and fouling grow");
    assert.ok(num(sim, "heatExchanger.productOutTemp") > productOut0, "fouling lets the product outlet temperature creep up");
  });

  it("balances mass: the tank's volume change equals pumped in minus drawn out", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 11 });
    const v0 = sim.inspect().levelM * BUFFER_TANK.areaM2;
    sim.write("bufferTank.levelSetpoint", 1.6);
    for (let k = 0; k < 300 / DT; k++) sim.step(DT);
    const s = sim.inspect();
    const v1 = s.levelM * BUFFER_TANK.areaM2;
    assert.ok(s.inflowM3 > 0.5 && s.outflowM3 > 0.05);
    assert.ok(Math.abs(v1 - v0 - (s.inflowM3 - s.outflowM3 - s.overflowM3)) < 1e-9);
    assert.ok(s.levelM > 1.5, `follows a level setpoint step: ${s.levelM}`);
  });

  it("high-level interlock: a stuck-low level transmitter overfills the tank, LSHH trips the pump at 2.2 m, reset below 1.9 m", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 5 });
    sim.forceLevelReading(0.8); // the level loop sees 0.8 m and drives the pump to full speed
    let tripped = false;
    while (sim.timeS < 2000) {
      sim.step(DT);
      const level = sim.inspect().levelM;
      if (level >= 2.2) {
        tripped = true;
        break;
      }
      assert.equal(bool(sim, "feedPump.tripped"), false, `no trip below 2.2 m (level ${level})`);
      assert.equal(bool(sim, "cell.interlockActive"), false);
    }
    assert.ok(tripped, "the level reached 2.2 m");
    // In the very frame the level reaches 2.2 m:
    assert.equal(bool(sim, "bufferTank.levelHighHigh"), true);
    assert.equal(bool(sim, "feedPump.tripped"), true);
    assert.equal(bool(sim, "cell.interlockActive"), true);
    assert.equal(bool(sim, "feedPump.running"), false);
    assert.equal(num(sim, "cell.state"), CellState.Tripped);
    const tripTime = sim.timeS;

    sim.forceLevelReading(null); // transmitter repaired: reads ~2.2 m, so the interlock holds
    sim.write("fillingStation.fillVolumeSetpoint", 2.0); // draw faster
    let maxLevel = 0;
    while (sim.timeS < tripTime + 10) {
      sim.step(DT);
      maxLevel = Math.max(maxLevel, sim.inspect().levelM);
    }
    assert.ok(maxLevel < 2.3, `overshoot after the trip is small: ${maxLevel}`);
    assert.equal(num(sim, "feedPump.speed"), 0, "pump has coasted down");
    assert.equal(num(sim, "feedPump.flow"), 0);

    let reset = false;
    while (sim.timeS < tripTime + 4000) {
      sim.step(DT);
      const level = sim.inspect().levelM;
      if (level > 1.91) {
        assert.equal(num(sim, "cell.state"), CellState.Tripped, `still tripped at ${level} m`);
        assert.equal(bool(sim, "feedPump.tripped"), true);
      }
      assert.ok(num(sim, "fillingStation.itemsProduced") >= 0);
      if (!bool(sim, "cell.interlockActive")) {
        reset = true;
        assert.ok(level < 1.905, `resets only below 1.9 m (level ${level})`);
        break;
      }
    }
    assert.ok(reset, "the interlock reset once the filler drew the level below 1.9 m");
    assert.equal(num(sim, "cell.state"), CellState.Running, "the sequence resumes");
    assert.equal(bool(sim, "feedPump.tripped"), false);
    assert.equal(bool(sim, "feedPump.running"), true);
  });

  it("stops after the current bottle and starts again on command edges", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 9 });
    for (let k = 0; k < 200; k++) sim.step(DT);
    sim.write("cell.stopCommand", true);
    sim.step(DT);
    assert.equal(sim.read("cell.stopCommand"), false, "the PLC resets the command");
    const s = num(sim, "cell.state");
    assert.ok(s === CellState.Stopping || s === CellState.Stopped, `state ${s}`);
    for (let k = 0; k < 10 / DT; k++) sim.step(DT);
    assert.equal(num(sim, "cell.state"), CellState.Stopped);
    assert.equal(bool(sim, "feedPump.running"), false);
    assert.equal(num(sim, "feedPump.speed"), 0);
    assert.equal(num(sim, "bufferTank.heaterPower"), 0);
    assert.equal(bool(sim, "fillingStation.fillValveOpen"), false);
    assert.equal(num(sim, "fillingStation.beltSpeed"), 0);
    const items = num(sim, "fillingStation.itemsProduced");
    const hb = num(sim, "cell.heartbeat");
    for (let k = 0; k < 100; k++) sim.step(DT);
    assert.equal(num(sim, "fillingStation.itemsProduced"), items, "no production while stopped");
    assert.ok(num(sim, "cell.heartbeat") > hb, "the PLC keeps scanning while stopped");

    sim.write("cell.startCommand", true);
    sim.step(DT);
    assert.equal(sim.read("cell.startCommand"), false);
    for (let k = 0; k < 60 / DT; k++) sim.step(DT);
    assert.equal(num(sim, "cell.state"), CellState.Running);
    assert.equal(bool(sim, "feedPump.running"), true);
    assert.ok(num(sim, "fillingStation.itemsProduced") > items + 5);
  });

  it("follows a temperature setpoint step with the heater at its limit", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 2 });
    sim.write("bufferTank.temperatureSetpoint", 60);
    for (let k = 0; k < 60 / DT; k++) sim.step(DT);
    assert.ok(num(sim, "bufferTank.heaterPower") > 58, "heater saturates");
    assert.ok(num(sim, "bufferTank.heaterPower") <= 60.5);
    const t0 = sim.inspect().temperatureC;
    for (let k = 0; k < 300 / DT; k++) sim.step(DT);
    assert.ok(sim.inspect().temperatureC > t0 + 0.3, "and the tank warms up");
  });

  it("rejects unknown names, outputs, wrong types and out-of-range values, naming the signal", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 1 });
    assert.throws(() => sim.write("bufferTank.lvl", 1), (e: unknown) => e instanceof RangeError && /bufferTank\.lvl/.test(e.message) && /unknown/.test(e.message));
    assert.throws(() => sim.write("bufferTank.level", 1), (e: unknown) => e instanceof RangeError && /bufferTank\.level/.test(e.message) && /output/.test(e.message));
    assert.throws(() => sim.write("bufferTank.levelSetpoint", true), (e: unknown) => e instanceof RangeError && /bufferTank\.levelSetpoint/.test(e.message) && /Boolean|number/.test(e.message));
    assert.throws(() => sim.write("bufferTank.levelSetpoint", 2.3), (e: unknown) => e instanceof RangeError && /bufferTank\.levelSetpoint = 2\.3/.test(e.message) && /\[0\.4, 2\]/.test(e.message));
    assert.throws(() => sim.write("bufferTank.levelSetpoint", Number.NaN), /bufferTank\.levelSetpoint/);
    assert.throws(() => sim.write("cell.startCommand", 1), (e: unknown) => e instanceof RangeError && /cell\.startCommand/.test(e.message) && /Boolean/.test(e.message));
    assert.throws(() => sim.read("nope"), /nope/);
    assert.throws(() => sim.step(-1), RangeError);
    sim.write("bufferTank.levelSetpoint", 2.0);
    assert.equal(sim.read("bufferTank.levelSetpoint"), 2.0);
  });

  it("validates its options", () => {
    assert.throws(() => new DemoCellSimulation({ model: "demo-cell", seed: 1, degradationSpeedup: -1 }), /degradationSpeedup/);
    assert.throws(() => new DemoCellSimulation({ model: "demo-cell", seed: Number.NaN }), /seed/);
  });
});
