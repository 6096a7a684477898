// The estimator in the real renderer: inspector, remaining useful life and loop timing, against the real
// headless host and simulated PLC (built CLI). No timing assertions: this runs on busy machines.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { openWorkbenchPage, saveScreenshot, type WorkbenchPage } from "../support/workbench-page";

let session: WorkbenchPage;
let page: Page;
let pageErrors: string[];

before(async () => {
  session = await openWorkbenchPage("estimation");
  ({ page, pageErrors } = session);
});

after(async () => {
  assert.equal(await session?.close(), 0, "the workbench stops cleanly on Ctrl-C");
});

describe("estimation in Chromium", () => {
  it("connects", async () => {
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"]', { timeout: 30_000 });
  });

  it("selecting the feed pump opens its inspector with the estimated bearing wear", async () => {
    await page.locator('[data-testid="asset-tree"] [data-asset="feedPump"]').click();
    const inspector = page.locator('[data-testid="inspector"]');
    await inspector.waitFor({ timeout: 15_000 });
    assert.equal(await inspector.getAttribute("data-asset"), "feedPump");
    const wear = page.locator('[data-testid="estimate"][data-variable="feedPump.bearingWear"]');
    await wear.filter({ hasText: /\d.*±/ }).waitFor({ timeout: 30_000 });
    assert.match((await wear.textContent()) ?? "", /-?\d+(\.\d+)?(e-?\d+)?\s*±\s*\d/);
  });

  it("shows the remaining useful life of the pump's health target", async () => {
    const rul = page.locator('[data-testid="rul"]').first();
    await rul.waitFor({ timeout: 60_000 });
    assert.match((await rul.textContent()) ?? "", /(min|h|days|beyond horizon)/);
  });

  it("shows the estimator loop timing in the status bar", async () => {
    const timing = page.locator('[data-testid="estimator-timing"]');
    await timing.filter({ hasText: /Hz/ }).waitFor({ timeout: 15_000 });
    assert.match((await timing.textContent()) ?? "", /Hz.*jitter.*ms.*step.*µs.*latency.*ms/);
  });

  it("keeps the tag table reachable", async () => {
    await page.locator('[data-testid="tag-value"]').first().waitFor({ timeout: 10_000 });
  });

  it("takes the screenshot", async () => {
    // Let the band charts get a few history refreshes.
    await page.waitForTimeout(4_500);
    await saveScreenshot(page, "estimation.png");
  });

  it("has no errors in the page console", () => {
    assert.deepEqual(pageErrors.filter((e) => !/favicon/.test(e)), []);
  });
});
