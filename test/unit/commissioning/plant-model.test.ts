// The plant models for virtual commissioning: the demo cell's physics obeying actuator commands (no control
// program inside), and the io-rig plant played from an IO list.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_CELL_PLANT_SIGNALS, DemoCellPlantModel } from "../../../src-workers/models/demo-cell/plant-model";
import { DEMO_CELL_SIGNALS } from "../../../src-workers/models/demo-cell/signals";
import { createPlantModel, PLANT_MODELS } from "../../../src-workers/plant/create-plant-model";

function plant() {
  return new DemoCellPlantModel({ model: "demo-cell", seed: 7 });
}
const num = (p: DemoCellPlantModel, name: string) => p.read(name) as number;

describe("demo cell plant model", () => {
  it("declares sensors as outputs and actuator commands as inputs, with the scene's units and ranges", () => {
    const inputs = DEMO_CELL_PLANT_SIGNALS.filter((s) => s.direction === "input").map((s) => s.name);
    assert.deepEqual(inputs, ["feedPump.runCommand", "feedPump.speedCommand", "bufferTank.heaterCommand", "heatExchanger.coolantFlowCommand", "fillingStation.fillValveCommand", "fillingStation.indexCommand"]);
    const level = DEMO_CELL_PLANT_SIGNALS.find((s) => s.name === "bufferTank.level");
    assert.deepEqual(level, DEMO_CELL_SIGNALS.find((s) => s.name === "bufferTank.level"));
    assert.ok(DEMO_CELL_PLANT_SIGNALS.every((s) => !s.name.startsWith("cell.")), "no PLC status or operator tags: those belong to the PLC");
  });

  it("does nothing on its own: drives off, the level and temperature stay put", () => {
    const p = plant();
    for (let k = 0; k < 200; k++) p.step(0.05);
    assert.equal(p.read("feedPump.running"), false);
    assert.ok(Math.abs(num(p, "truth.tankLevel") - 1.2) < 1e-9);
    assert.ok(Math.abs(num(p, "bufferTank.temperature") - 55) < 1);
    assert.equal(p.read("fillingStation.inPosition"), true, "a bottle waits under the filler");
  });

  it("obeys the pump, valve, index and heater commands", () => {
    const p = plant();
    p.write("feedPump.runCommand", true);
    p.write("feedPump.speedCommand", 2600);
    for (let k = 0; k < 200; k++) p.step(0.05);
    assert.ok(num(p, "feedPump.speed") > 2500 && num(p, "feedPump.flow") > 8, `${num(p, "feedPump.speed")} rpm, ${num(p, "feedPump.flow")} m³/h`);
    assert.ok(num(p, "truth.tankLevel") > 1.2);

    p.write("fillingStation.fillValveCommand", true);
    for (let k = 0; k < 48; k++) p.step(0.05);
    assert.equal(p.read("fillingStation.fillValveOpen"), true);
    assert.ok(Math.abs(num(p, "fillingStation.fillVolume") - 1.0) < 0.03, `${num(p, "fillingStation.fillVolume")} L after 2.4 s`);
    p.write("fillingStation.fillValveCommand", false);

    const items = num(p, "fillingStation.itemsProduced");
    p.write("fillingStation.indexCommand", true);
    p.step(0.05);
    assert.equal(p.read("fillingStation.inPosition"), false);
    assert.ok(num(p, "fillingStation.beltSpeed") > 0);
    for (let k = 0; k < 60; k++) p.step(0.05);
    assert.equal(p.read("fillingStation.inPosition"), true, "the index drive stops with the next bottle in position");
    assert.equal(num(p, "fillingStation.fillVolume"), 0);
    assert.equal(num(p, "fillingStation.itemsProduced"), items + 1);
    for (let k = 0; k < 60; k++) p.step(0.05);
    assert.equal(num(p, "fillingStation.itemsProduced"), items + 1, "holding the command does not index again: the drive starts on its rising edge");

    // With the cold feed stopped, 60 kW warms the tank.
    p.write("feedPump.runCommand", false);
    for (let k = 0; k < 200; k++) p.step(0.05);
    p.write("bufferTank.heaterCommand", 60);
    const t0 = num(p, "bufferTank.temperature");
    for (let k = 0; k < 1200; k++) p.step(0.05);
    assert.ok(num(p, "bufferTank.heaterPower") > 55);
    assert.ok(num(p, "bufferTank.temperature") > t0 + 0.3, "60 kW warms the tank");
  });

  it("sets plant states, and refuses unknown states, values out of range and writes to sensors", () => {
    const p = plant();
    p.setState("bufferTank.level", 2.3);
    assert.equal(p.read("bufferTank.levelHighHigh"), true);
    assert.ok(Math.abs(num(p, "bufferTank.level") - 2.3) < 0.01);
    assert.throws(() => p.setState("bufferTank.level", 3), /bufferTank\.level = 3: out of range, allowed \[0, 2\.5\] m/);
    assert.throws(() => p.setState("tank.pressure", 1), /unknown; settable states are: bufferTank\.level, bufferTank\.temperature/);
    assert.throws(() => p.write("bufferTank.level", 1), /is an output \(read-only\)/);
    assert.throws(() => p.write("feedPump.speedCommand", 5000), /out of range, allowed \[0, 2900\] rpm/);
  });

  it("is reproducible for a seed", () => {
    const run = () => {
      const p = plant();
      p.write("feedPump.runCommand", true);
      p.write("feedPump.speedCommand", 2000);
      for (let k = 0; k < 100; k++) p.step(0.05);
      return DEMO_CELL_PLANT_SIGNALS.map((s) => p.read(s.name));
    };
    assert.deepEqual(run(), run());
  });
});

describe("io-rig plant", () => {
  const signals = [
    { name: "a.level", type: "Double" as const, direction: "output" as const, range: [0, 10] as [number, number] },
    { name: "a.on", type: "Boolean" as const, direction: "output" as const },
    { name: "a.count", type: "UInt32" as const, direction: "output" as const, range: [0, 100] as [number, number] },
    { name: "a.items", type: "DoubleArray" as const, direction: "output" as const, range: [0, 4] as [number, number] },
    { name: "a.valve", type: "Boolean" as const, direction: "input" as const },
  ];

  it("moves every sensor inside its range and keeps what is commanded", () => {
    const p = createPlantModel({ model: "io-rig", seed: 1, signals });
    const seen = new Set<unknown>();
    for (let k = 0; k < 400; k++) {
      p.step(0.25);
      const level = p.read("a.level") as number;
      assert.ok(level >= 0 && level <= 10);
      assert.ok(Number.isInteger(p.read("a.count")));
      assert.ok((p.read("a.items") as number[]).every((v) => v >= 0 && v <= 4));
      seen.add(p.read("a.on"));
    }
    assert.deepEqual([...seen].sort(), [false, true]);
    p.write("a.valve", true);
    assert.equal(p.read("a.valve"), true);
    assert.throws(() => p.write("a.level", 1), /a sensor/);
    assert.throws(() => p.setState("x", 1), /no states/);
    assert.throws(() => createPlantModel({ model: "io-rig", seed: 1 }), /needs the signals/);
  });

  it("the factory names the models it knows", () => {
    assert.deepEqual(PLANT_MODELS, ["demo-cell", "io-rig"]);
    assert.throws(() => createPlantModel({ model: "boiler", seed: 1 }), /unknown plant model "boiler"; known plant models: demo-cell, io-rig/);
  });
});
