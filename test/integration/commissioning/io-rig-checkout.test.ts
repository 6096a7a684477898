// The IO checkout of a plant that has only an IO list: the plant server plays io-rig, the soft PLC mirrors
// its IO image (no program), and every signal is driven across its range and confirmed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadIoListFile } from "../../../src-main/commissioning/files";
import { commissioningRoot } from "../../../src-main/commissioning/plant/plant-layout";
import { startPlantServer } from "../../../src-main/commissioning/plant/plant-server";
import { runIoCheckout } from "../../../src-main/commissioning/runner/io-checkout-runner";
import { runCounts } from "../../../src-main/commissioning/runner/results";
import { connectRig } from "../../../src-main/commissioning/runner/rig";
import { startServingChild } from "../../../src-main/commissioning/softplc/softplc-child";
import { loadSceneFile } from "../../../src-main/runtime/scene-file";
import { tempFolder } from "../../support/temp";
import { CLI_ENTRY } from "./support/cli";
import { writeSyntheticPlant } from "./support/synthetic-plant";

const temp = tempFolder("io-rig");
after(() => temp.remove());

describe("IO checkout of a synthetic 150-point plant (io-rig + IO mirror soft PLC)", () => {
  it("confirms every point in both directions", async () => {
    const rigFiles = writeSyntheticPlant(temp.path, 150);
    const scene = loadSceneFile(rigFiles.sceneFile);
    const ioList = loadIoListFile(rigFiles.ioFile);
    const plant = await startPlantServer({ scene, ioList, port: 0, pkiFolder: join(temp.path, "pki-plant"), cycleMs: 10 });
    const plc = await startServingChild(CLI_ENTRY, ["softplc", "--scene", rigFiles.sceneFile, "--io", rigFiles.ioFile, "--plant", plant.endpoint, "--port", "0", "--cycle", "10", "--data", temp.path], "softplc-ready");
    const rig = await connectRig({ plantEndpoint: plant.endpoint, plcEndpoint: plc.endpoint, root: commissioningRoot(scene, ioList), pkiFolder: join(temp.path, "pki-rig") });
    try {
      assert.equal(plant.model, "io-rig");
      const suite = await runIoCheckout({ ioList, options: { tolerancePercent: 0.5, settleS: 10 }, rig, suiteName: "rig" });
      const counts = runCounts({ startedAt: "", durationS: 0, scene: "", plantEndpoint: "", plcEndpoint: "", properties: {}, suites: [suite] });
      assert.deepEqual(counts, { tests: 150, passed: 150, failed: 0, errors: 0, skipped: 0 }, JSON.stringify(suite.tests.filter((t) => t.status !== "passed").slice(0, 3), null, 1));
      const bool = suite.tests.find((t) => t.name.startsWith("m00.p003 "))!;
      assert.ok(bool.steps.length >= 5, "Booleans run through the bit patterns");
    } finally {
      await rig.close();
      await plc.stop();
      await plant.stop();
    }
  });
});
