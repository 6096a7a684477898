import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CellController, CellState, type PlcCommands, type PlcInputs } from "../../../src-workers/models/demo-cell/control";

function image(): { inputs: PlcInputs; commands: PlcCommands } {
  return {
    inputs: { levelM: 1.2, levelHighHighSwitch: false, temperatureC: 55, conveyorInPosition: true, conveyorMoving: false, fillVolumeL: 0 },
    commands: {
      startCommand: false,
      stopCommand: false,
      levelSetpointM: 1.2,
      temperatureSetpointC: 55,
      fillVolumeSetpointL: 1,
      coolantFlowSetpointM3h: 6,
    },
  };
}

function running(): { plc: CellController; inputs: PlcInputs; commands: PlcCommands } {
  const { inputs, commands } = image();
  const plc = new CellController();
  plc.warmStart({ state: CellState.Running, pumpSpeedRpm: 1300, heaterKw: 40, indexing: false }, inputs, commands);
  return { plc, inputs, commands };
}

describe("cell PLC program", () => {
  it("starts on a rising edge, resets the command, and runs once the level is above 0.5 m", () => {
    const { inputs, commands } = image();
    inputs.levelM = 0.2;
    const plc = new CellController();
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Stopped);
    assert.equal(plc.outputs.pumpRun, false);
    assert.equal(plc.outputs.heaterKw, 0);

    commands.startCommand = true;
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Starting);
    assert.equal(commands.startCommand, false, "the PLC resets the command bit it acted on");
    assert.equal(plc.outputs.pumpRun, true);
    assert.ok(plc.outputs.pumpSpeedRpm > 1500);
    assert.equal(plc.outputs.heaterKw, 0, "heater off while it is not covered");
    assert.equal(plc.outputs.fillValveOpen, false);

    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Starting);
    inputs.levelM = 0.6;
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Running);
  });

  it("leaves starting after the timeout even if the level stays low", () => {
    const { inputs, commands } = image();
    inputs.levelM = 0.2;
    const plc = new CellController();
    commands.startCommand = true;
    plc.scan(0.01, inputs, commands);
    for (let t = 0; t < 299; t += 1) plc.scan(1, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Starting);
    plc.scan(1.5, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Running);
  });

  it("trips the pump at 2.2 m and resets below 1.9 m, resuming the sequence", () => {
    const { plc, inputs, commands } = running();
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.pumpRun, true);
    inputs.levelM = 2.2;
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Tripped);
    assert.equal(plc.outputs.pumpRun, false);
    assert.equal(plc.outputs.pumpSpeedRpm, 0);
    assert.equal(plc.outputs.pumpTripped, true);
    assert.equal(plc.outputs.interlockActive, true);
    assert.ok(plc.outputs.heaterKw > 0, "the heater is not part of the interlock");
    inputs.levelM = 2.0;
    for (let i = 0; i < 500; i++) plc.scan(0.01, inputs, commands);
    inputs.levelM = 1.85; // one noisy reading
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Tripped, "a single low reading does not reset the interlock");
    for (const level of [2.1, 2.0, 1.91, 1.9]) {
      inputs.levelM = level;
      for (let i = 0; i < 1000; i++) plc.scan(0.01, inputs, commands);
      assert.equal(plc.outputs.state, CellState.Tripped, `still tripped at ${level} m`);
    }
    inputs.levelM = 1.89;
    // The reset uses the filtered level (1 s filter), so it follows within a few seconds, not on one noisy scan.
    let scans = 0;
    while (plc.outputs.state === CellState.Tripped && scans < 1000) {
      plc.scan(0.01, inputs, commands);
      scans++;
    }
    assert.ok(scans < 500, `reset after ${scans} scans`);
    assert.equal(plc.outputs.state, CellState.Running);
    assert.equal(plc.outputs.interlockActive, false);
    assert.equal(plc.outputs.pumpTripped, false);
    assert.equal(plc.outputs.pumpRun, true);
  });

  it("trips on the independent high-high switch even when the transmitter reads low", () => {
    const { plc, inputs, commands } = running();
    inputs.levelM = 0.8;
    inputs.levelHighHighSwitch = true;
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Tripped);
    assert.equal(plc.outputs.pumpRun, false);
  });

  it("stopping finishes the bottle being filled, then stops pump and heater", () => {
    const { plc, inputs, commands } = running();
    plc.scan(0.01, inputs, commands); // Idle → Filling: a bottle stands under the filler
    assert.equal(plc.outputs.fillValveOpen, true);
    inputs.fillVolumeL = 0.4;
    commands.stopCommand = true;
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.state, CellState.Stopping);
    assert.equal(commands.stopCommand, false);
    assert.equal(plc.outputs.fillValveOpen, true, "keeps filling the current bottle");
    assert.equal(plc.outputs.pumpRun, true);
    inputs.fillVolumeL = 1.0;
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.fillValveOpen, false);
    assert.equal(plc.outputs.state, CellState.Stopped);
    assert.equal(plc.outputs.pumpRun, false);
    assert.equal(plc.outputs.heaterKw, 0);
    assert.equal(plc.outputs.coolantFlowM3h, 0);
    assert.equal(plc.outputs.conveyorIndex, false, "no new bottle after a stop");
  });

  it("indexes to the next bottle after a fill and increments the heartbeat every scan, wrapping at 2^32", () => {
    const { plc, inputs, commands } = running();
    plc.scan(0.01, inputs, commands);
    inputs.fillVolumeL = 1.0;
    plc.scan(0.01, inputs, commands);
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.conveyorIndex, true);
    plc.outputs.heartbeat = 0xffffffff;
    plc.scan(0.01, inputs, commands);
    assert.equal(plc.outputs.heartbeat, 0);
    assert.equal(plc.outputs.conveyorIndex, false, "the index request is a one-scan pulse");
  });
});
