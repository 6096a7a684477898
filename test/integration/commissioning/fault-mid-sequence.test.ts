// Acceptance: a fault injected in the middle of a sequence (the filler flowmeter sticks while the line runs),
// live through the plant server's API as the UI does, is caught by the suite test that covers the sequence.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadIoListFile, loadSuiteFile } from "../../../src-main/commissioning/files";
import { startPlantServer, type PlantServer } from "../../../src-main/commissioning/plant/plant-server";
import { htmlReport } from "../../../src-main/commissioning/report/html-report";
import { runCommissioning } from "../../../src-main/commissioning/runner/commission";
import { startServingChild, type ServingChild } from "../../../src-main/commissioning/softplc/softplc-child";
import { demoScene, DEMO_SCENE_PATH } from "../../support/demo-stack";
import { tempFolder } from "../../support/temp";
import { CLI_ENTRY } from "./support/cli";

const SUITE = "scenes/suites/demo-cell.yaml";
const IO = "scenes/demo-cell.io.csv";
const TEST = "start-up runs the cell and fills bottles to volume";

describe("a sensor stuck in the middle of the filling sequence", () => {
  const temp = tempFolder("mid-sequence");
  const scene = demoScene();
  const ioList = loadIoListFile(IO);
  let plant: PlantServer;
  let plc: ServingChild;

  before(async () => {
    plant = await startPlantServer({ scene, ioList, port: 0, pkiFolder: join(temp.path, "pki-plant"), speed: 10, cycleMs: 10 });
    plc = await startServingChild(CLI_ENTRY, ["softplc", "--scene", DEMO_SCENE_PATH, "--io", IO, "--plant", plant.endpoint, "--port", "0", "--data", temp.path], "softplc-ready");
  });
  after(async () => {
    await plc?.stop();
    await plant?.stop();
    temp.remove();
  });

  it("is caught by the test that covers the sequence, whose report names the fault and plots the tags", async () => {
    const run = await runCommissioning({
      scene,
      ioList,
      suites: [{ ...loadSuiteFile(SUITE, scene, ioList), file: SUITE }],
      plantEndpoint: plant.endpoint,
      plcEndpoint: plc.endpoint,
      pkiFolder: join(temp.path, "pki-rig"),
      only: [TEST],
      onEvent(e) {
        // Once the first bottle is filled, the flowmeter freezes: injected from outside the suite, as from the UI.
        if (e.type === "step-finished" && e.step.label.startsWith("expect in order: feedPump.running")) plant.injectFaults([{ tag: "fillingStation.fillVolume", kind: "stuck", value: 0.2 }]);
      },
    });
    const test = run.suites[0]!.tests[0]!;
    assert.equal(test.name, TEST);
    assert.equal(test.status, "failed", JSON.stringify(test.steps, null, 1));
    const failure = test.failure!;
    assert.match(failure.message, /Step \d+ \(line \d+\) "(assert plant:fillingStation\.fillVolume|wait until fillingStation\.itemsProduced >= \$bottles \+ 3)/);
    assert.match(failure.message, /Active faults: fillingStation\.fillVolume stuck at 0\.2/);
    assert.ok(failure.trends.some((t) => t.tag.endsWith("fillingStation.fillVolume") || t.tag.endsWith("fillingStation.itemsProduced")), failure.trends.map((t) => t.tag).join());
    const html = htmlReport(run);
    assert.match(html, /data-test="verdict">FAILED</);
    assert.match(html, /data-test="failure-plot"/);
  });
});
