// The demo cell's what-if hooks: exact snapshots, latent overrides, disturbances, faults, reseeding and a
// coarser substep. None of them may change the plant when left at their defaults.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CellController } from "../../../src-workers/models/demo-cell/control";
import { DemoCellSimulation, SNAPSHOT_FIELDS } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { FillingConveyor } from "../../../src-workers/models/demo-cell/filling-conveyor";
import { Pid } from "../../../src-workers/models/demo-cell/pid";
import { Random } from "../../../src-workers/random";

const DT = 0.05;

function frame(sim: DemoCellSimulation): unknown[] {
  return [...sim.signals.map((s) => sim.read(s.name)), sim.inspect()];
}

function run(sim: DemoCellSimulation, seconds: number, each?: (k: number) => void): unknown[][] {
  const frames: unknown[][] = [];
  for (let k = 0; k < seconds / DT; k++) {
    each?.(k);
    sim.step(DT);
    frames.push(frame(sim));
  }
  return frames;
}

function mean(sim: DemoCellSimulation, name: string, seconds: number): number {
  let sum = 0;
  const n = Math.round(seconds / 1);
  for (let k = 0; k < n; k++) {
    sim.step(1);
    sum += sim.read(name) as number;
  }
  return sum / n;
}

describe("demo cell snapshot and restore", () => {
  it("a restored copy (structured-cloned, other seed) continues exactly like the original, writes included", () => {
    const a = new DemoCellSimulation({ model: "demo-cell", seed: 7, degradationSpeedup: 200 });
    run(a, 137);
    a.write("bufferTank.temperatureSetpoint", 58);
    a.step(0.37);
    const snap = structuredClone(a.snapshot());
    const b = new DemoCellSimulation({ model: "demo-cell", seed: 99, degradationSpeedup: 1 });
    b.restore(snap);
    assert.deepEqual(frame(b), frame(a));
    const edits = (sim: DemoCellSimulation) => (k: number) => {
      if (k === 100) sim.write("heatExchanger.coolantFlowSetpoint", 9);
      if (k === 300) sim.write("cell.stopCommand", true);
      if (k === 2000) sim.write("cell.startCommand", true);
    };
    assert.deepEqual(run(b, 300, edits(b)), run(a, 300, edits(a)));
  });

  it("names every field of every part, so a new field cannot be left out of the snapshot silently", () => {
    const own = (o: object) => Object.keys(o).sort();
    const config = { random: [], pid: ["kp", "tiS", "tdS", "filterS", "sign", "outMin", "outMax"], controller: ["params", "outputs", "levelPid", "temperaturePid"], conveyor: ["params"] };
    assert.deepEqual(own(new Random(1)), [...SNAPSHOT_FIELDS.random].sort());
    assert.deepEqual(own(new Pid({ kp: 1, tiS: 1, outMin: 0, outMax: 1 })), [...SNAPSHOT_FIELDS.pid, ...config.pid].sort());
    assert.deepEqual(own(new CellController()), [...SNAPSHOT_FIELDS.controller, ...config.controller].sort());
    assert.deepEqual(own(new FillingConveyor()), [...SNAPSHOT_FIELDS.conveyor, ...config.conveyor].sort());
    // The simulation itself: its scalar fields are in `plant`; the rest are parts, buffers or constants.
    const parts = ["signals", "maxSubstepS", "at", "byName", "values", "items", "x", "rk4", "processNoise", "sensorNoise", "pump", "cooler", "conveyor", "controller", "plcIn", "plcCmd", "derivative"];
    assert.deepEqual(own(new DemoCellSimulation({ model: "demo-cell", seed: 1 })), [...SNAPSHOT_FIELDS.plant, ...parts].sort());
  });

  it("refuses what is not a demo-cell snapshot", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 1 });
    assert.throws(() => sim.restore({ ...sim.snapshot(), x: [1, 2] }), /not a demo-cell snapshot/);
  });
});

describe("demo cell what-if overrides", () => {
  it("leaves the plant bit for bit unchanged at their defaults", () => {
    const a = new DemoCellSimulation({ model: "demo-cell", seed: 3, degradationSpeedup: 100 });
    const b = new DemoCellSimulation({ model: "demo-cell", seed: 3, degradationSpeedup: 100, maxSubstepS: 0.01 });
    b.setLatent({ wearGrowth: 1, foulingGrowth: 1 });
    b.setDisturbance({ feedTemperatureOffsetK: 0, coolantTemperatureOffsetK: 0 });
    b.stickCoolantValve(null);
    b.forceTemperatureReading(null);
    assert.deepEqual(run(b, 120), run(a, 120));
  });

  it("latent overrides: a fouled cooler lets product out warmer; a growth factor speeds fouling and wear up", () => {
    const clean = new DemoCellSimulation({ model: "demo-cell", seed: 4 });
    const fouled = new DemoCellSimulation({ model: "demo-cell", seed: 4 });
    fouled.setLatent({ foulingResistance: 0.3 });
    assert.equal(fouled.latent().foulingResistance, 0.3);
    const tClean = mean(clean, "heatExchanger.productOutTemp", 300);
    const tFouled = mean(fouled, "heatExchanger.productOutTemp", 300);
    assert.ok(tFouled > tClean + 5, `fouled ${tFouled} vs clean ${tClean}`);

    const nominal = new DemoCellSimulation({ model: "demo-cell", seed: 4, degradationSpeedup: 100 });
    const faster = new DemoCellSimulation({ model: "demo-cell", seed: 4, degradationSpeedup: 100 });
    faster.setLatent({ wearGrowth: 3, foulingGrowth: 3 });
    const before = nominal.latent();
    run(nominal, 200);
    run(faster, 200);
    const grown = (s: DemoCellSimulation, k: "bearingWear" | "foulingResistance") => s.latent()[k] - before[k];
    for (const k of ["bearingWear", "foulingResistance"] as const) {
      const ratio = grown(faster, k) / grown(nominal, k);
      assert.ok(ratio > 2.9 && ratio < 3.3, `${k} grows ${ratio}× as fast`);
    }
    assert.throws(() => faster.setLatent({ bearingWear: 1.5 }), /bearingWear must be in \[0, 1\], got 1\.5/);
  });

  it("disturbances: colder feed makes the heater work harder", () => {
    const a = new DemoCellSimulation({ model: "demo-cell", seed: 5 });
    const b = new DemoCellSimulation({ model: "demo-cell", seed: 5 });
    b.setDisturbance({ feedTemperatureOffsetK: -8 });
    const pa = mean(a, "bufferTank.heaterPower", 600);
    const pb = mean(b, "bufferTank.heaterPower", 600);
    assert.ok(pb > pa + 2, `heater ${pb} kW with cold feed vs ${pa} kW`);
    assert.throws(() => b.setDisturbance({ coolantTemperatureOffsetK: 80 }), /±50 K/);
  });

  it("faults: a stuck coolant valve ignores the setpoint; a failed temperature transmitter misleads the PLC", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 6 });
    sim.stickCoolantValve(3);
    sim.write("heatExchanger.coolantFlowSetpoint", 12);
    const stuck = mean(sim, "heatExchanger.coolantFlow", 60);
    assert.ok(Math.abs(stuck - 3) < 0.2, `coolant flow ${stuck}`);
    sim.stickCoolantValve(null);
    mean(sim, "heatExchanger.coolantFlow", 60);
    assert.ok(Math.abs(mean(sim, "heatExchanger.coolantFlow", 30) - 12) < 0.3);

    const tt = new DemoCellSimulation({ model: "demo-cell", seed: 6 });
    tt.forceTemperatureReading(45); // reads 10 K low: the PLC heats the real tank above its setpoint
    const heater = mean(tt, "bufferTank.heaterPower", 900);
    assert.equal(tt.read("bufferTank.temperature"), 45);
    assert.ok(heater > 55, `heater near full power: ${heater} kW`);
    assert.ok(tt.inspect().temperatureC > 56, `true temperature ${tt.inspect().temperatureC}`);
  });

  it("reseeding the noise gives a new, reproducible realisation from the same state", () => {
    const base = new DemoCellSimulation({ model: "demo-cell", seed: 8 });
    run(base, 30);
    const snap = base.snapshot();
    const fork = (seed: number) => {
      const s = new DemoCellSimulation({ model: "demo-cell", seed: 1 });
      s.restore(snap);
      s.reseedNoise(seed);
      return run(s, 60);
    };
    assert.deepEqual(fork(21), fork(21));
    assert.notDeepEqual(fork(21), fork(22));
  });

  it("a coarser substep scans the PLC less often and stays close to the fine plant", () => {
    const fine = new DemoCellSimulation({ model: "demo-cell", seed: 9 });
    const coarse = new DemoCellSimulation({ model: "demo-cell", seed: 9, maxSubstepS: 0.1 });
    const hb = coarse.read("cell.heartbeat") as number;
    coarse.step(1);
    assert.equal((coarse.read("cell.heartbeat") as number) - hb, 10);
    const tf = mean(fine, "bufferTank.temperature", 600);
    const tc = mean(coarse, "bufferTank.temperature", 600);
    assert.ok(Math.abs(tf - tc) < 0.5, `fine ${tf} vs coarse ${tc}`);
    assert.throws(() => new DemoCellSimulation({ model: "demo-cell", seed: 1, maxSubstepS: 2 }), /maxSubstepS must be in \(0, 1\]/);
  });
});
