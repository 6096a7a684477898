import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseScene } from "../../../src-main/common/scene/parse";
import { demoCellEstimatorConfig } from "../../../src-workers/estimation/demo-cell";
import { EstimatorService } from "../../../src-workers/estimation/estimator-service";
import { estimateCsv, formatEstimateCsv, formatMeasurementCsv, parseMeasurementCsv } from "../../../src-workers/estimation/offline";
import { estimatorConfigFromScene } from "../../../src-workers/estimation/scene-config";
import { DemoCellSimulation } from "../../../src-workers/models/demo-cell/demo-cell-simulation";

function demoScene() {
  const parsed = parseScene(readFileSync(new URL("../../../scenes/demo-cell.scene.yaml", import.meta.url), "utf8"));
  assert.ok(parsed.ok);
  return parsed.scene;
}

/** Samples of the simulated plant at 20 Hz in the estimator's tag order. */
function record(tags: readonly string[], seconds: number) {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed: 3, degradationSpeedup: 600 });
  const times: number[] = [];
  const values: Float64Array[] = [];
  for (let k = 0; k <= seconds * 20; k++) {
    if (k > 0) sim.step(0.05);
    times.push(sim.timeS);
    values.push(Float64Array.from(tags, (t) => Number(sim.read(t))));
  }
  return { times, values };
}

describe("EstimatorService", () => {
  const scene = demoScene();
  const config = demoCellEstimatorConfig(scene, { degradationSpeedup: 600 });

  it("init returns the layout: tags to feed (inputs first), estimated variables, measured tags, health targets", () => {
    const info = new EstimatorService().init(config);
    assert.deepEqual(info.inputTags, ["feedPump.running", "bufferTank.heaterPower", "fillingStation.fillValveOpen", "heatExchanger.coolantFlowSetpoint", "cell.state"]);
    assert.deepEqual(info.tags.slice(0, 5), info.inputTags);
    assert.equal(info.measuredTags.length, 11);
    assert.ok(info.variables.some((v) => v.name === "feedPump.bearingWear" && v.kind === "state"));
    assert.ok(info.variables.some((v) => v.name === "feedPump.wearRateFactor" && v.kind === "parameter"));
    assert.deepEqual(info.health.map((h) => [h.component, h.variable, h.threshold]), [
      ["feedPump", "feedPump.bearingWear", 0.8],
      ["heatExchanger", "heatExchanger.foulingResistance", 0.3],
    ]);
    assert.equal(info.rateHz, 20);
  });

  it("init rejects an invalid configuration naming the problem", () => {
    const svc = new EstimatorService();
    assert.throws(() => svc.step(0, new Float64Array(0), new Uint8Array(0)), /not initialised/);
    const badPort = { ...config, model: { ...config.model, measurements: [{ tag: "feedPump.flow", from: "feedPump.flow", sigma: 0.04 }] } };
    assert.throws(() => svc.init(badPort), /measurement feedPump\.flow ← feedPump\.flow: unknown output "flow" of feedPump/);
    const badSigma = { ...config, model: { ...config.model, measurements: [{ tag: "feedPump.flow", from: "feedPump.flowM3h", sigma: -1 }] } };
    assert.throws(() => svc.init(badSigma), /model\.measurements\.0\.sigma/);
    assert.throws(() => svc.init({ ...config, anomaly: { activeWhen: { tag: "cell.mode", values: [2] } } }), /activeWhen: tag cell\.mode is not fed to the estimator/);
    assert.throws(() => svc.holdAlarms(Number.NaN), /not initialised|finite time/);
    assert.throws(() => estimatorConfigFromScene(scene, { ...scene.estimation!, measurements: [{ tag: "feedPump.torque", from: "feedPump.flowM3h", sigma: 1 }] }), /no tag feedPump\.torque/);
  });

  it("steps to frames: means, sds, innovations, NIS within its bounds' dof, health; masked tags skipped; time only forward", () => {
    const svc = new EstimatorService();
    const info = svc.init(config);
    const { times, values } = record(info.tags, 5);
    const mask = new Uint8Array(info.tags.length).fill(1);
    let frame = svc.step(times[0]!, values[0]!, mask);
    for (let k = 1; k < times.length; k++) frame = svc.step(times[k]!, values[k]!, mask);
    assert.equal(frame.mean.length, info.variables.length);
    assert.equal(frame.innovation.length, info.measuredTags.length);
    assert.equal(frame.nisDof, 11);
    assert.ok(frame.nisLow < frame.nisHigh && frame.nisLow > 0);
    assert.ok(frame.sd.every((s) => s >= 0 && Number.isFinite(s)));
    assert.ok(frame.health[0]! > 0.7 && frame.health[0]! <= 1, `health ${frame.health[0]}`);
    assert.ok(frame.stepUs > 0 && frame.filterUs > 0 && frame.stepUs >= frame.filterUs);
    assert.equal(frame.pcaPhase, "warmup");

    const flow = info.tags.indexOf("feedPump.flow");
    mask[flow] = 0;
    frame = svc.step(times.at(-1)! + 0.05, values.at(-1)!, mask);
    assert.equal(frame.nisDof, 10);
    assert.ok(Number.isNaN(frame.innovation[info.measuredTags.indexOf("feedPump.flow")]!));
    assert.throws(() => svc.step(1, values[0]!, mask), /time went back/);
    assert.throws(() => svc.step(10, new Float64Array(3), new Uint8Array(3)), /expected 16 values/);

    const report = svc.predict({ horizonS: 600, samples: 200 });
    assert.deepEqual(report.predictions.map((p) => p.id), ["bearing", "cleaning"]);
    assert.ok(report.predictions.every((p) => p.lowS <= p.medianS && p.medianS <= p.highS));
  });
});

describe("offline estimation", () => {
  const config = demoCellEstimatorConfig(demoScene(), { degradationSpeedup: 600 });

  it("gives the service's numbers exactly for the same measurements, through the CSV format", () => {
    const svc = new EstimatorService();
    const info = svc.init(config);
    const { times, values } = record(info.tags, 3);
    // Some values missing: an empty cell in the CSV, a zero in the mask live.
    const masks = values.map((_, k) => Uint8Array.from(info.tags, (_t, i) => (k % 7 === 0 && i === 5 ? 0 : 1)));
    const csv = formatMeasurementCsv(info.tags, times, values, masks);
    const offline = estimateCsv(config, csv);
    assert.equal(offline.rows.length, times.length);
    times.forEach((t, k) => {
      const live = svc.step(t, values[k]!, masks[k]!);
      assert.deepEqual(offline.rows[k]!.mean, live.mean);
      assert.deepEqual(offline.rows[k]!.sd, live.sd);
    });
    const text = formatEstimateCsv(offline);
    assert.match(text.split("\n")[0]!, /^time,feedPump\.bearingWear,feedPump\.bearingWear\.sd,bufferTank\.levelM,.*,nis,nisDof,nisLow,nisHigh$/);
    assert.equal(text.trim().split("\n").length, times.length + 1);
  });

  it("reads columns in any order and names the line and column of a bad input", () => {
    const tags = ["a.x", "a.y"];
    const table = parseMeasurementCsv("a.y,time,a.x,extra\n2,0,1,9\n,0.5,true,9\n", tags);
    assert.deepEqual(Array.from(table.times), [0, 0.5]);
    assert.deepEqual(Array.from(table.values[1]!), [1, Number.NaN]);
    assert.deepEqual(Array.from(table.masks[1]!), [1, 0]);
    assert.throws(() => parseMeasurementCsv("time,a.x\n0,1\n", tags), /no column for tag\(s\) a\.y/);
    assert.throws(() => parseMeasurementCsv("a.x,a.y\n1,2\n", tags), /line 1: the header needs a `time` column/);
    assert.throws(() => parseMeasurementCsv("time,a.x,a.y\n0,1,2\n1,x,2\n", tags), /line 3, column a\.x: "x" is not a number/);
    assert.throws(() => parseMeasurementCsv("time,a.x,a.y\n1,1,2\n0,1,2\n", tags), /line 3: time 0 goes back/);
    assert.throws(() => parseMeasurementCsv("time,a.x,a.y\n1,1\n", tags), /line 2: 2 cells, the header has 3/);
    assert.throws(() => parseMeasurementCsv("", tags), /empty input/);
  });
});
