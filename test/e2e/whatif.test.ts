// The what-if panel in Chromium against the built CLI (headless host, simulated PLC over OPC UA, live
// estimator, worker pool): run the demo scenario against the baseline with Monte Carlo, see the progress,
// the overlay with 90 % bands and the KPI table, propose its setpoints; start a recommendation and cancel it.
// No timing assertions: this runs on busy machines.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { openDockPanel, openWorkbenchPage, saveScreenshot, type WorkbenchPage } from "../support/workbench-page";

let session: WorkbenchPage;
let page: Page;
let pageErrors: string[];

before(async () => {
  session = await openWorkbenchPage("whatif");
  ({ page, pageErrors } = session);
});

after(async () => {
  assert.equal(await session?.close(), 0, "the workbench stops cleanly on Ctrl-C");
});

describe("what-if in Chromium", () => {
  it("connects and opens the What-if tab, enlarged", async () => {
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"]', { timeout: 30_000 });
    await openDockPanel(page, "What-if");
    await page.locator("[data-testid=dock-expand]").click();
    await page.locator("[data-testid=whatif-panel]").waitFor({ timeout: 15_000 });
  });

  it("loads the demo scenario with its setpoint edit and the tag's limits", async () => {
    const select = page.locator("[data-testid=scenario-select]");
    await select.locator("option", { hasText: "hotter-tank" }).waitFor({ state: "attached", timeout: 15_000 });
    await select.selectOption("hotter-tank");
    const edit = page.locator("[data-testid=whatif-edit]");
    await edit.first().waitFor({ timeout: 10_000 });
    assert.equal(await edit.count(), 1);
    assert.equal(await edit.first().getAttribute("data-kind"), "setpoint");
    assert.equal(await page.locator("[data-testid=edit-tag]").inputValue(), "bufferTank.temperatureSetpoint");
    assert.equal(await page.locator("[data-testid=edit-value]").inputValue(), "60");
    assert.match((await page.locator("[data-testid=edit-limits]").textContent()) ?? "", /limits \d+–80/);
  });

  it("refuses a setpoint above its limit, naming the limit", async () => {
    await page.locator("[data-testid=edit-value]").fill("95");
    await page.locator("[data-testid=run-count]").fill("1");
    await page.locator("[data-testid=run-study]").click();
    const error = page.locator("[data-testid=run-error]");
    await error.waitFor({ timeout: 15_000 });
    assert.match((await error.textContent()) ?? "", /bufferTank\.temperatureSetpoint: 95 °C is above write\.max 80 °C/);
    await page.locator("[data-testid=edit-value]").fill("60");
  });

  it("runs it against the baseline with Monte Carlo: progress, then the overlay with bands and the KPI table", async () => {
    await page.locator("[data-testid=run-count]").fill("6");
    await page.locator("[data-testid=run-study]").click();
    const progress = page.locator("[data-testid=run-progress]");
    // A baseline and a scenario arm of 6 runs each.
    await page.locator('[data-testid=run-progress][data-total="12"]').waitFor({ timeout: 30_000 });
    const result = page.locator("[data-testid=whatif-result]");
    await result.waitFor({ timeout: 180_000 });
    assert.equal(await result.getAttribute("data-runs"), "6");
    assert.equal(await progress.getAttribute("data-state"), "done");
    assert.equal(await progress.getAttribute("data-done"), "12");

    const kpis = page.locator("[data-testid=whatif-kpis] tbody tr");
    assert.ok((await kpis.count()) >= 6, "every declared KPI");
    const energy = page.locator('[data-testid=whatif-kpis] tr[data-kpi="energy"]');
    assert.equal(await energy.getAttribute("data-verdict"), "worse", "a hotter tank costs heater energy");
    assert.match((await energy.locator(".whatif-delta .whatif-median").textContent()) ?? "", /^\+\d+(\.\d+)?$/);
    assert.match((await energy.locator(".whatif-delta .whatif-range").textContent()) ?? "", /^\+\d+(\.\d+)? … \+\d+(\.\d+)?$/, "its whole band above zero");

    await page.locator("[data-testid=result-output]").selectOption("bufferTank.temperature");
    const chart = page.locator('[data-testid=whatif-chart][data-output="bufferTank.temperature"]');
    await chart.waitFor({ timeout: 15_000 });
    for (const band of ["whatif-band-baseline", "whatif-band-scenario"]) {
      const d = await chart.locator(`.${band} path.recharts-area-area`).first().getAttribute("d", { timeout: 10_000 });
      assert.ok(d && d.length > 100, `${band} is drawn`);
    }
  });

  it("proposes its setpoints: the proposal's id and state are shown", async () => {
    await page.locator("[data-testid=whatif-result] [data-testid=propose-button]").click();
    const created = page.locator("[data-testid=whatif-result] [data-testid=proposal-created]");
    await created.first().waitFor({ timeout: 30_000 });
    assert.match((await created.first().getAttribute("data-id")) ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(await created.first().getAttribute("data-state"), "pending");
  });

  it("takes the screenshot", async () => {
    await page.locator("[data-testid=result-output]").selectOption("bufferTank.temperature");
    await page.locator(".whatif-right").evaluate((el) => el.scrollTo(0, 0));
    await page.waitForTimeout(500);
    await saveScreenshot(page, "whatif.png");
  });

  it("starts a recommendation with its progress and cancels it", async () => {
    await page.locator("[data-testid=recommend-button]").click();
    const progress = page.locator("[data-testid=recommend-progress]");
    await progress.waitFor({ timeout: 15_000 });
    await page.locator("[data-testid=recommend-cancel]").click();
    await page.locator('[data-testid=recommend-progress][data-state="cancelled"]').waitFor({ timeout: 15_000 });
  });

  it("has no errors in the page console", () => {
    assert.deepEqual(pageErrors.filter((e) => !/favicon/.test(e)), []);
  });
});
