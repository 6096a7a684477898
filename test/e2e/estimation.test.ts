// The estimator in the real renderer: inspector, remaining useful life and loop timing, against the real
// headless host and simulated PLC (built CLI). No timing assertions: this runs on busy machines.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { startWorkbench, type RunningWorkbench } from "../support/cli-process";
import { tempFolder } from "../support/temp";

const temp = tempFolder("e2e-estimation");
let wb: RunningWorkbench;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  wb = await startWorkbench(["--data", join(temp.path, "data")], { built: true });
  chrome = await launchChromium();
  browser = chrome.browser;
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") pageErrors.push(msg.text());
  });
  await page.goto(wb.url.href);
});

after(async () => {
  await chrome?.close();
  const code = await wb?.interrupt();
  temp.remove();
  assert.equal(code, 0, "the workbench stops cleanly on Ctrl-C");
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
    const out = join("test-results", "estimation.png");
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: out });
    if (process.env.TWINBENCH_UPDATE_SCREENSHOTS === "1") {
      mkdirSync(join("assets", "screenshots"), { recursive: true });
      copyFileSync(out, join("assets", "screenshots", "estimation.png"));
    }
  });

  it("has no errors in the page console", () => {
    assert.deepEqual(pageErrors.filter((e) => !/favicon/.test(e)), []);
  });
});
