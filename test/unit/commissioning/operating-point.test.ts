// The soft PLC's start of the demo cell: the plant model driven by the demo-cell program in one loop (no
// OPC UA), against the combined simulation whose warm start is the operating point the live demo showed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DemoCellProgram } from "../../../src-main/commissioning/softplc/demo-cell-program";
import { designOperatingPoint } from "../../../src-main/commissioning/softplc/operating-point";
import { DEMO_CELL_CONTROL } from "../../../src-workers/models/demo-cell/control";
import { DemoCellSimulation } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { DemoCellPlantModel } from "../../../src-workers/models/demo-cell/plant-model";
import { FEED_PUMP, pumpFlowM3h } from "../../../src-workers/models/demo-cell/pump";

const SCAN_S = 0.02;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Plant and program in one loop for `seconds`; samples (speed, flow, heater) every second after `fromS`. */
function runCell(seed: number, seconds: number, fromS: number, prepare?: (plant: DemoCellPlantModel) => void) {
  const plant = new DemoCellPlantModel({ model: "demo-cell", seed });
  prepare?.(plant);
  const program = new DemoCellProgram();
  const read = (tag: string) => ({ value: plant.read(tag), good: true });
  program.startCell(read);
  const samples = { speed: [] as number[], flow: [] as number[], heater: [] as number[], states: new Set<unknown>() };
  const steps = Math.round(seconds / SCAN_S);
  for (let k = 1; k <= steps; k++) {
    program.scan(SCAN_S, read, true);
    for (const o of program.outputs) plant.write(o, program.output(o)!);
    plant.step(SCAN_S);
    samples.states.add(program.hmi("cell.state"));
    if (k % 50 === 0 && k * SCAN_S >= fromS) {
      samples.speed.push(plant.read("feedPump.speed") as number);
      samples.flow.push(plant.read("feedPump.flow") as number);
      samples.heater.push(plant.read("bufferTank.heaterPower") as number);
    }
  }
  return samples;
}

function simulated(seed: number, seconds: number, fromS: number) {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed });
  const samples = { speed: [] as number[], flow: [] as number[], heater: [] as number[] };
  for (let t = 1; t <= seconds; t++) {
    sim.step(1);
    if (t >= fromS) {
      samples.speed.push(sim.read("feedPump.speed") as number);
      samples.flow.push(sim.read("feedPump.flow") as number);
      samples.heater.push(sim.read("bufferTank.heaterPower") as number);
    }
  }
  return samples;
}

describe("demo cell design operating point", () => {
  it("is the combined simulation's warm start: the same speed (within 1 %) and heater power (within 5 %)", () => {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: 7 });
    const point = designOperatingPoint(1.0, 55);
    assert.ok(Math.abs(point.pumpSpeedRpm - (sim.read("feedPump.speed") as number)) < 0.01 * point.pumpSpeedRpm, `${point.pumpSpeedRpm} rpm`);
    assert.ok(Math.abs(point.heaterKw - (sim.read("bufferTank.heaterPower") as number)) < 0.05 * point.heaterKw, `${point.heaterKw} kW`);
    // Above the speed at which the pump beats the static head, which the level loop's minimum speed is not.
    assert.ok(pumpFlowM3h(FEED_PUMP, point.pumpSpeedRpm / FEED_PUMP.ratedSpeedRpm, 0.1) > 0.5);
    assert.equal(pumpFlowM3h(FEED_PUMP, DEMO_CELL_CONTROL.pumpMinSpeedRpm / FEED_PUMP.ratedSpeedRpm, 0), 0);
  });

  it("delivers the line's draw for any fill volume and setpoint, within the actuators' ranges", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 4, noNaN: true }), fc.double({ min: 20, max: 80, noNaN: true }), (fillL, tempC) => {
        const p = designOperatingPoint(fillL, tempC);
        assert.ok(p.pumpSpeedRpm > DEMO_CELL_CONTROL.pumpMinSpeedRpm && p.pumpSpeedRpm <= FEED_PUMP.ratedSpeedRpm);
        assert.ok(p.heaterKw >= 0 && p.heaterKw <= 60);
        const flow = pumpFlowM3h(FEED_PUMP, p.pumpSpeedRpm / FEED_PUMP.ratedSpeedRpm, 0.1);
        if (p.pumpSpeedRpm < FEED_PUMP.ratedSpeedRpm) assert.ok(Math.abs(flow - p.drawM3h) < 1e-6 * Math.max(1, p.drawM3h), `${flow} vs ${p.drawM3h}`);
      }),
    );
    assert.throws(() => designOperatingPoint(0, 55), /fill volume must be a positive number of litres, got 0/);
  });
});

describe("soft PLC start of the demo cell (plant model + program, no network)", () => {
  it("starts straight into Running at the simulated PLC's operating point: flow and heater within 15 % from the first minute", () => {
    const live = runCell(3, 120, 10);
    const reference = simulated(3, 120, 10);
    assert.deepEqual([...live.states], [2], "Running from the first scan");
    assert.ok(live.flow.every((f) => f > 0.1), `feed flows all along: ${live.flow.map((f) => f.toFixed(2)).join(" ")}`);
    for (const key of ["flow", "heater"] as const) {
      const [a, b] = [mean(live[key]), mean(reference[key])];
      assert.ok(Math.abs(a - b) <= 0.15 * b, `${key}: soft PLC ${a.toFixed(2)}, simulated PLC ${b.toFixed(2)}`);
    }
    assert.ok(Math.abs(mean(live.speed) - mean(reference.speed)) <= 0.02 * mean(reference.speed));
  });

  it("with a low tank, presses start instead: the start sequence fills the tank at the start speed", () => {
    const live = runCell(3, 6, 0, (plant) => plant.setState("bufferTank.level", 0.3));
    assert.ok(live.states.has(1) && !live.states.has(2), `Starting, not Running: ${[...live.states].join(",")}`);
    assert.ok(mean(live.speed.slice(-1)) > 0.9 * DEMO_CELL_CONTROL.startSpeedRpm);
  });
});
