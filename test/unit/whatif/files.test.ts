// What-if files: declarations beside the scene, study and scenario files, the scenario store and CSV states.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parseDeclarations, parseStudy } from "../../../src-main/common/whatif/parse";
import { ScenarioError } from "../../../src-main/common/whatif/validate";
import { DEMO_SCENE_FILE, loadSceneFile } from "../../../src-main/runtime/scene-file";
import { loadWhatifContext, whatifContext } from "../../../src-main/whatif/context";
import { stateFromCsv } from "../../../src-main/whatif/csv-state";
import { scenarioFolder, ScenarioStore } from "../../../src-main/whatif/store";
import { tempFolder } from "../../support/temp";

const scene = loadSceneFile(DEMO_SCENE_FILE);
const ctx = loadWhatifContext(DEMO_SCENE_FILE, scene);
const temp = tempFolder("whatif-files");
after(() => temp.remove());

describe("what-if declarations and study files", () => {
  it("the demo scene's declarations load and agree with the scene and its model", () => {
    assert.deepEqual(
      ctx.declarations.kpis.map((k) => k.id),
      ["throughput", "energy", "coolant", "productTempDeviation", "productTooWarm", "tankTooCold", "wearAccrued", "timeToMaintenance"],
    );
    assert.deepEqual(ctx.declarations.objective?.setpoints, ["bufferTank.temperatureSetpoint", "heatExchanger.coolantFlowSetpoint"]);
    assert.equal(ctx.declarations.scenarios.length, 3);
  });

  it("names the line, the field and the fix for a bad study file", () => {
    const r = parseStudy("whatif: 1\nscenarios:\n  - name: a\n    horizonS: 600\n    edits:\n      - { kind: setpoint, atS: 0, tagg: x.y, value: 1 }\n");
    assert.equal(r.ok, false);
    const problems = r.ok ? [] : r.problems;
    assert.ok(problems.some((p) => p.line === 6 && /scenarios\[0\]\.edits\[0\]/.test(p.path)), JSON.stringify(problems));
    const single = parseStudy("name: solo\nhorizonS: 60\n");
    assert.ok(single.ok && single.value.scenarios[0]!.name === "solo" && single.value.settings.stepS === 1);
    const dup = parseStudy("whatif: 1\nscenarios: [{ name: a, horizonS: 1 }, { name: a, horizonS: 2 }]\n");
    assert.ok(!dup.ok && /duplicate scenario name "a"/.test(dup.problems[0]!.message));
  });

  it("refuses declarations whose objective or KPIs name what does not exist", () => {
    const bad = parseDeclarations("whatif: 1\nkpis: [{ id: e, kind: integral, terms: [{ tag: bufferTank.heaterPower }] }]\nobjective: { setpoints: [bufferTank.level], terms: [{ kpi: energy, weight: 1 }] }\n");
    assert.ok(!bad.ok && /"energy" is not a declared KPI \(e\)/.test(bad.problems[0]!.message));
    const parsed = parseDeclarations("whatif: 1\nkpis: [{ id: e, kind: integral, terms: [{ tag: bufferTank.heatrPower }] }]\nobjective: { setpoints: [bufferTank.level], terms: [{ kpi: e, weight: 1 }] }\n");
    assert.ok(parsed.ok);
    assert.throws(() => whatifContext(scene, parsed.value), (err: Error) => {
      assert.match(err.message, /kpis\[0\]\.terms\[0\]\.tag: bufferTank\.heatrPower: the demo-cell model has no such signal/);
      assert.match(err.message, /objective\.setpoints\[0\]: bufferTank\.level: not a writable setpoint/);
      return true;
    });
  });
});

describe("the scenario store", () => {
  const store = new ScenarioStore(scenarioFolder(temp.path, scene.name), ctx);

  it("saves, lists, loads and removes scenarios as YAML files per scene", () => {
    assert.match(store.folder, /whatif[/\\]demo-process-cell$/);
    const file = store.save({ name: "night-shift", description: "Colder feed", horizonS: 7200, edits: [{ kind: "disturbance", atS: 0, input: "feedTemperature", offsetK: -5 }] });
    assert.ok(file.endsWith("night-shift.scenario.yaml"));
    assert.deepEqual(store.list().scenarios.map((s) => [s.name, s.horizonS, s.description]), [["night-shift", 7200, "Colder feed"]]);
    assert.deepEqual(store.load("night-shift").edits, [{ kind: "disturbance", atS: 0, input: "feedTemperature", offsetK: -5 }]);
    writeFileSync(join(store.folder, "broken.scenario.yaml"), "name: broken\nhorizonS: -1\n");
    assert.equal(store.list().problems.length, 1);
    assert.equal(store.remove("night-shift"), true);
    assert.equal(store.remove("night-shift"), false);
  });

  it("refuses to save a scenario that breaks a write limit, or a name that is not a file name", () => {
    assert.throws(
      () => store.save({ name: "too-hot", horizonS: 600, edits: [{ kind: "setpoint", atS: 0, tag: "bufferTank.temperatureSetpoint", value: 95 }] }),
      (err: Error) => err instanceof ScenarioError && /95 °C is above write\.max 80 °C/.test(err.message),
    );
    assert.throws(() => store.fileOf("../escape"), /scenario name "\.\.\/escape"/);
  });
});

describe("a plant state from a historian CSV", () => {
  it("reads the last row of a wide export: setpoints, continuous states and latent parameters", () => {
    const csv = "time,bufferTank.level,bufferTank.temperature,bufferTank.temperatureSetpoint,heatExchanger.foulingResistance,feedPump.vibration\n1700000000,1.1,54,55,0.2,3\n1700000060,1.15,54.5,55,0.21,3.1\n";
    const s = stateFromCsv(csv, ctx);
    assert.equal(s.source, "historian");
    assert.equal(s.timeS, 1700000060);
    assert.deepEqual(s.inputs, { "bufferTank.temperatureSetpoint": 55 });
    assert.deepEqual(s.continuous, { "bufferTank.level": 1.15, "bufferTank.temperature": 54.5 });
    assert.deepEqual(s.latent, { "heatExchanger.foulingResistance": 0.21, "feedPump.bearingWear": 0.1 });
  });

  it("reads the latest value per tag of a long export, with ISO times", () => {
    const csv = "time,tag,value\n2024-05-01T10:00:00Z,bufferTank.level,1.0\n2024-05-01T10:05:00Z,bufferTank.level,1.3\n2024-05-01T10:01:00Z,heatExchanger.coolantFlowSetpoint,7\n";
    const s = stateFromCsv(csv, ctx);
    assert.deepEqual(s.continuous, { "bufferTank.level": 1.3 });
    assert.deepEqual(s.inputs, { "heatExchanger.coolantFlowSetpoint": 7 });
    assert.deepEqual(s.latent, { "feedPump.bearingWear": 0.1, "heatExchanger.foulingResistance": 0.02 }, "the scene's prior");
    assert.equal(s.timeS, Date.parse("2024-05-01T10:05:00Z") / 1000);
  });

  it("names the file and line of a bad value", () => {
    assert.throws(() => stateFromCsv("time,bufferTank.level\n1,abc\n", ctx, "in.csv"), /in\.csv: line 2: value of bufferTank\.level "abc" is not a number/);
    assert.throws(() => stateFromCsv("when,x\n", ctx, "in.csv"), /line 1: expected a header starting with `time`/);
    assert.throws(() => stateFromCsv("time,feedPump.vibration\n1,2\n", ctx, "in.csv"), /no column names a setpoint/);
  });
});
