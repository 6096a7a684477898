// The HTML commissioning report opens in a browser: a real run (plant server, soft PLC with the missing
// interlock, runner) writes it; Chromium opens the file, shows the verdict and counts, and draws the failed
// test's trend plots. Saves the README screenshot.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { loadIoListFile, loadSuiteFile } from "../../src-main/commissioning/files";
import { startPlantServer } from "../../src-main/commissioning/plant/plant-server";
import { htmlReport } from "../../src-main/commissioning/report/html-report";
import { runCommissioning } from "../../src-main/commissioning/runner/commission";
import { startSoftPlc } from "../../src-main/commissioning/softplc/soft-plc";
import { launchChromium } from "../support/browser";
import { demoScene } from "../support/demo-stack";
import { tempFolder } from "../support/temp";

const SUITE = "scenes/suites/demo-cell.yaml";
const INTERLOCK = "high-high level interlock trips the feed pump with the level transmitter stuck";

describe("commissioning report in the browser", () => {
  const temp = tempFolder("report-e2e");
  const reportFile = join(temp.path, "commissioning.html");
  let browser: Browser;
  let close: () => Promise<void>;

  before(async () => {
    const scene = demoScene();
    const ioList = loadIoListFile("scenes/demo-cell.io.csv");
    const plant = await startPlantServer({ scene, ioList, port: 0, pkiFolder: join(temp.path, "pki-plant"), speed: 10, cycleMs: 10 });
    const plc = await startSoftPlc({ scene, ioList, plantEndpoint: plant.endpoint, port: 0, pkiFolder: join(temp.path, "pki-plc"), defect: "missing-high-level-interlock" });
    try {
      const run = await runCommissioning({
        scene,
        ioList,
        suites: [{ ...loadSuiteFile(SUITE, scene, ioList), file: SUITE }],
        plantEndpoint: plant.endpoint,
        plcEndpoint: plc.endpoint,
        pkiFolder: join(temp.path, "pki-rig"),
        only: ["start-up runs the cell and fills bottles to volume", INTERLOCK],
        properties: { defect: "missing-high-level-interlock" },
      });
      writeFileSync(reportFile, htmlReport(run));
    } finally {
      await plc.stop();
      await plant.stop();
    }
    ({ browser, close } = await launchChromium());
  });
  after(async () => {
    await close?.();
    temp.remove();
  });

  it("shows the verdict, the counts and the failed test's plots, and takes the README screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1180, height: 1180 } });
    const blocked: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) blocked.push(r.url());
    });
    await page.goto(pathToFileURL(resolve(reportFile)).href);
    assert.equal(await page.title(), "Commissioning report: Demo process cell");
    const summary = page.locator('[data-test="summary"]');
    assert.equal(await summary.locator('[data-test="verdict"]').textContent(), "FAILED");
    assert.equal(await summary.locator('[data-test="count-tests"]').textContent(), "2");
    assert.equal(await summary.locator('[data-test="count-passed"]').textContent(), "1");
    assert.equal(await summary.locator('[data-test="count-failed"]').textContent(), "1");

    const failed = page.locator('[data-test="test"][data-status="failed"]');
    assert.equal(await failed.count(), 1);
    assert.equal(await failed.getAttribute("open"), "", "a failed test opens by itself");
    assert.match((await failed.locator("summary").textContent()) ?? "", new RegExp(INTERLOCK));
    assert.match((await failed.locator("pre.message").textContent()) ?? "", /cell\.interlockActive = false throughout/);
    const plots = failed.locator('[data-test="failure-plot"] svg');
    assert.ok((await plots.count()) >= 3, "plots of the tags involved");
    const plot = plots.first();
    const box = await plot.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `the plot is drawn (${JSON.stringify(box)})`);
    assert.ok((await plot.locator("polyline").count()) >= 1, "with a line");
    assert.equal(await plot.locator(".mark-fail").count(), 1);
    assert.deepEqual(blocked, [], "the report loads nothing from outside");

    const out = join("test-results", "commissioning-report.png");
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    if (process.env.TWINBENCH_UPDATE_SCREENSHOTS === "1") {
      mkdirSync(join("assets", "screenshots"), { recursive: true });
      copyFileSync(out, join("assets", "screenshots", "commissioning-report.png"));
    }
    await page.close();
  });
});
