// `twinbench estimate` on a CSV produced by the simulator reproduces the live (worker) estimates to 1e-9.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { spawnWorker } from "../../../src-main/runtime/workers";
import type { EstimateFrame, EstimatorWorkerApi } from "../../../src-workers/estimation/api";
import { demoCellEstimatorConfig } from "../../../src-workers/estimation/demo-cell";
import { formatMeasurementCsv } from "../../../src-workers/estimation/offline";
import { runCli } from "../../support/cli-process";
import { DEMO_SCENE_PATH } from "../../support/demo-stack";
import { tempFolder } from "../../support/temp";
import { DemoPlant, demoScene } from "../estimation/demo-plant";

const SPEEDUP = 600;
const STEPS = 600; // 30 simulated seconds at 20 Hz
const temp = tempFolder("estimate-cli");
after(() => temp.remove());

describe("twinbench estimate", () => {
  it("reproduces the worker's live estimates from the recorded CSV, to 1e-9", { timeout: 120_000 }, async () => {
    const handle = spawnWorker<EstimatorWorkerApi>("estimator.worker");
    const frames: EstimateFrame[] = [];
    let tags: string[] = [];
    const times: number[] = [];
    const values: Float64Array[] = [];
    try {
      const info = await handle.api.init(demoCellEstimatorConfig(demoScene(), { degradationSpeedup: SPEEDUP }));
      tags = info.tags;
      const plant = new DemoPlant(info.tags, 5, SPEEDUP);
      const all = new Uint8Array(info.tags.length).fill(1);
      for (let k = 0; k < STEPS; k++) {
        if (k > 0) plant.step();
        times.push(plant.timeS);
        values.push(Float64Array.from(plant.values));
        frames.push(await handle.api.step(plant.timeS, plant.values, all));
      }
    } finally {
      await handle.dispose();
    }
    const csv = join(temp.path, "measurements.csv");
    const out = join(temp.path, "estimates.csv");
    writeFileSync(csv, formatMeasurementCsv(tags, times, values));
    const r = runCli(["estimate", "--scene", DEMO_SCENE_PATH, "--csv", csv, "--out", out, "--speedup", String(SPEEDUP)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${STEPS} steps`));

    const [header, ...lines] = readFileSync(out, "utf8").trim().split("\n");
    const columns = header!.split(",");
    assert.equal(lines.length, STEPS);
    const variables = columns.filter((c) => c !== "time" && !c.endsWith(".sd") && !c.startsWith("nis"));
    let worst = 0;
    lines.forEach((line, k) => {
      const cells = line.split(",").map(Number);
      assert.equal(cells[0], frames[k]!.timeS);
      variables.forEach((name, i) => {
        worst = Math.max(worst, Math.abs(cells[columns.indexOf(name)]! - frames[k]!.mean[i]!));
        worst = Math.max(worst, Math.abs(cells[columns.indexOf(`${name}.sd`)]! - frames[k]!.sd[i]!));
      });
    });
    assert.ok(worst <= 1e-9, `largest difference between the CLI and the live estimates: ${worst}`);
  });

  it("names a missing input file", () => {
    const r = runCli(["estimate", "--scene", DEMO_SCENE_PATH, "--csv", join(temp.path, "nope.csv"), "--out", join(temp.path, "x.csv")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read .*nope\.csv: no such file/);
  });
});
