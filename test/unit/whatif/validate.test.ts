import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Scenario } from "../../../src-main/common/whatif/schema";
import { compileScenario, ScenarioError, writeLimitsOfScene, type ScenarioContext } from "../../../src-main/common/whatif/validate";
import { DEMO_SCENE_FILE, loadSceneFile } from "../../../src-main/runtime/scene-file";
import { demoCellModel } from "../../../src-workers/whatif/demo-cell-model";

const scene = loadSceneFile(DEMO_SCENE_FILE);
const ctx: ScenarioContext = {
  limits: writeLimitsOfScene(scene),
  model: demoCellModel.capabilities,
  inputs: { "bufferTank.temperatureSetpoint": 55, "heatExchanger.coolantFlowSetpoint": 6, "bufferTank.levelSetpoint": 1.2 },
};

function scenario(edits: Scenario["edits"], horizonS = 3600): Scenario {
  return { name: "probe", horizonS, edits };
}

function refusal(s: Scenario): string[] {
  try {
    compileScenario(s, ctx);
  } catch (err) {
    assert.ok(err instanceof ScenarioError);
    return err.problems;
  }
  assert.fail("the scenario was accepted");
}

describe("scenario validation against the write policy", () => {
  it("refuses a setpoint above its limit with a message naming the limit", () => {
    const s = scenario([{ kind: "setpoint", atS: 60, tag: "bufferTank.temperatureSetpoint", value: 95 }]);
    assert.throws(() => compileScenario(s, ctx), (err: Error) => {
      assert.ok(err instanceof ScenarioError);
      assert.match(err.message, /Scenario "probe" is refused \(1 problem\)/);
      assert.match(err.message, /edits\[0\] \(setpoint at 60 s\): bufferTank\.temperatureSetpoint: 95 °C is above write\.max 80 °C/);
      return true;
    });
  });

  it("refuses below write.min, beyond write.maxStep (from the state, then from the previous edit), unknown and command tags", () => {
    const problems = refusal(
      scenario([
        { kind: "setpoint", atS: 0, tag: "heatExchanger.coolantFlowSetpoint", value: 1 },
        { kind: "setpoint", atS: 0, tag: "bufferTank.temperatureSetpoint", value: 58 },
        { kind: "setpoint", atS: 100, tag: "bufferTank.temperatureSetpoint", value: 64 },
        { kind: "setpoint", atS: 0, tag: "bufferTank.level", value: 1 },
        { kind: "setpoint", atS: 0, tag: "cell.stopCommand", value: 1 },
      ]),
    );
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.match(problems[0]!, /heatExchanger\.coolantFlowSetpoint: 1 m³\/h is below write\.min 2 m³\/h/);
    assert.match(problems[1]!, /bufferTank\.level: not a writable tag of the scene; writable: .*bufferTank\.temperatureSetpoint/);
    assert.match(problems[2]!, /cell\.stopCommand: is a command, not a setpoint/);
    assert.match(problems[3]!, /edits\[2\].*58 → 64 °C changes by 6 °C, more than write\.maxStep 5 °C/);
  });

  it("accepts exactly the values within [min, max] and maxStep of where the tag stands (property)", () => {
    const limits = ctx.limits.get("bufferTank.temperatureSetpoint")!;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 120, noNaN: true }), (value) => {
        const s = scenario([{ kind: "setpoint", atS: 0, tag: "bufferTank.temperatureSetpoint", value }]);
        const ok = value >= limits.min && value <= limits.max && Math.abs(value - 55) <= limits.maxStep!;
        if (ok) assert.equal(compileScenario(s, ctx).length, 1);
        else assert.match(refusal(s)[0]!, /write\.(max|min|maxStep) /);
      }),
    );
  });

  it("compiles edits into a timeline: ramps at maxRatePerS, durations end faults and disturbances, a line stop restarts", () => {
    const edits = compileScenario(
      scenario([
        { kind: "fault", atS: 900, fault: "sensorFailed", tag: "bufferTank.temperature", durationS: 300 },
        { kind: "setpoint", atS: 600, tag: "bufferTank.temperatureSetpoint", value: 60 },
        { kind: "disturbance", atS: 0, input: "feedTemperature", offsetK: -4, durationS: 1200 },
        { kind: "lineStop", atS: 1500, durationS: 600 },
        { kind: "fault", atS: 0, fault: "fasterDegradation", latent: "feedPump.bearingWear", factor: 5 },
        { kind: "parameter", atS: 0, name: "heatExchanger.foulingResistance", value: 0.3 },
        { kind: "fault", atS: 3000, fault: "valveStuck", tag: "heatExchanger.coolantFlow", durationS: 1000 },
      ]),
      ctx,
    );
    assert.deepEqual(edits, [
      { atS: 0, kind: "disturbance", input: "feedTemperature", offsetK: -4 },
      { atS: 0, kind: "latent", name: "feedPump.wearRateFactor", value: 5 },
      { atS: 0, kind: "latent", name: "heatExchanger.foulingResistance", value: 0.3 },
      { atS: 600, kind: "write", tag: "bufferTank.temperatureSetpoint", value: 60, ratePerS: 0.5 },
      { atS: 900, kind: "sensor", tag: "bufferTank.temperature", failed: true, value: undefined },
      { atS: 1200, kind: "disturbance", input: "feedTemperature", offsetK: 0 },
      { atS: 1200, kind: "sensor", tag: "bufferTank.temperature", failed: false },
      { atS: 1500, kind: "write", tag: "cell.stopCommand", value: true },
      { atS: 2100, kind: "write", tag: "cell.startCommand", value: true },
      { atS: 3000, kind: "valve", tag: "heatExchanger.coolantFlow", stuck: true, value: undefined },
    ]);
  });

  it("names what the model offers when an edit asks for something it does not have", () => {
    const problems = refusal(
      scenario(
        [
          { kind: "parameter", atS: 0, name: "feedPump.impellerDamage", value: 1 },
          { kind: "parameter", atS: 0, name: "feedPump.bearingWear", value: 3 },
          { kind: "disturbance", atS: 0, input: "ambient", offsetK: 3 },
          { kind: "fault", atS: 0, fault: "valveStuck", tag: "feedPump.flow" },
          { kind: "fault", atS: 0, fault: "sensorFailed", tag: "feedPump.vibration" },
          { kind: "fault", atS: 0, fault: "fasterDegradation", latent: "feedPump.wearRateFactor", factor: 2 },
          { kind: "setpoint", atS: 4000, tag: "bufferTank.levelSetpoint", value: 1.3 },
        ],
        3600,
      ),
    );
    assert.equal(problems.length, 7, problems.join("\n"));
    const all = problems.join("\n");
    assert.match(all, /feedPump\.impellerDamage: not a latent parameter of demo-cell; known: feedPump\.bearingWear, heatExchanger\.foulingResistance/);
    assert.match(all, /feedPump\.bearingWear: 3 is outside \[0, 1\]/);
    assert.match(all, /ambient: not a disturbance input of demo-cell; known: feedTemperature, coolantTemperature/);
    assert.match(all, /feedPump\.flow: no valve of demo-cell sets this flow; known: heatExchanger\.coolantFlow/);
    assert.match(all, /feedPump\.vibration: not a sensor of demo-cell that can fail; known: bufferTank\.level, bufferTank\.temperature/);
    assert.match(all, /feedPump\.wearRateFactor: no growth rate to speed up in demo-cell; known: feedPump\.bearingWear, heatExchanger\.foulingResistance/);
    assert.match(all, /is after the horizon \(3600 s\)/);
  });
});
