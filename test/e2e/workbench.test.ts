// The real renderer in a real browser against the real headless host and simulated PLC (built CLI).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { PNG } from "pngjs";
import type { RunningWorkbench } from "../support/cli-process";
import { openWorkbenchPage, saveScreenshot, type WorkbenchPage } from "../support/workbench-page";

let session: WorkbenchPage;
let wb: RunningWorkbench;
let browser: Browser;
let page: Page;
let pageErrors: string[];

before(async () => {
  session = await openWorkbenchPage("workbench");
  ({ wb, browser, page, pageErrors } = session);
});

after(async () => {
  assert.equal(await session?.close(), 0, "the workbench stops cleanly on Ctrl-C");
});

/** Share of canvas pixels that differ from the most common colour (the background). */
function paintedShare(png: PNG): number {
  const counts = new Map<number, number>();
  for (let k = 0; k < png.data.length; k += 4) {
    const key = (png.data[k]! << 16) | (png.data[k + 1]! << 8) | png.data[k + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const background = Math.max(...counts.values());
  return 1 - background / (png.data.length / 4);
}

function pixelDifference(a: PNG, b: PNG): number {
  let differing = 0;
  for (let k = 0; k < a.data.length; k += 4) {
    if (Math.abs(a.data[k]! - b.data[k]!) + Math.abs(a.data[k + 1]! - b.data[k + 1]!) + Math.abs(a.data[k + 2]! - b.data[k + 2]!) > 24) differing++;
  }
  return differing / (a.data.length / 4);
}

async function canvasShot(): Promise<PNG> {
  const canvas = page.locator("canvas").first();
  return PNG.sync.read(await canvas.screenshot());
}

async function tagText(tagId: string): Promise<string> {
  return (await page.locator(`[data-testid="tag-value"][data-tag="${tagId}"]`).first().textContent({ timeout: 15_000 })) ?? "";
}

describe("workbench in Chromium", () => {
  it("loads, connects and shows the scene", async () => {
    const status = page.locator('[data-testid="status-bar"]');
    await status.waitFor({ timeout: 20_000 });
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"]', { timeout: 20_000 });
    assert.match((await status.textContent()) ?? "", /Demo process cell/);
  });

  it("draws the 3D twin: the canvas has non-blank pixels", async () => {
    await page.locator("canvas").first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    const share = paintedShare(await canvasShot());
    assert.ok(share > 0.05, `only ${(share * 100).toFixed(1)}% of the canvas is painted`);
  });

  it("shows live values that change over a few seconds, in the table and in the 3D view", async () => {
    await page.locator('[data-testid="tag-value"][data-tag="cell.heartbeat"]').filter({ hasText: /\d/ }).first().waitFor({ timeout: 15_000 });
    const heartbeat1 = await tagText("cell.heartbeat");
    const level1 = await tagText("bufferTank.level");
    const shot1 = await canvasShot();
    await page.waitForTimeout(3000);
    const heartbeat2 = await tagText("cell.heartbeat");
    const level2 = await tagText("bufferTank.level");
    const shot2 = await canvasShot();
    assert.notEqual(heartbeat2, heartbeat1, "the PLC heartbeat shown in the table advances");
    assert.match(level2, /\d+\.\d+\s*m/);
    const moved = pixelDifference(shot1, shot2);
    assert.ok(moved > 0.0005, `the 3D view did not change (${(moved * 100).toFixed(3)}% of pixels); level ${level1} → ${level2}`);
  });

  it("has no errors in the page console", () => {
    assert.deepEqual(pageErrors.filter((e) => !/favicon/.test(e)), []);
  });

  it("takes the README screenshot (trend zoomed to its 1-minute window)", async () => {
    await page.locator('[data-testid="trend-window"][data-minutes="1"]').click();
    await page.waitForTimeout(600);
    await saveScreenshot(page, "workbench.png");
  });

  it("without the token the page explains what to open and gets no data", async () => {
    const other = await browser.newPage();
    try {
      await other.goto(`http://127.0.0.1:${wb.port}/`);
      await other.waitForTimeout(1500);
      const text = (await other.textContent("body")) ?? "";
      assert.match(text, /token/i);
      assert.equal(await other.locator('[data-testid="tag-value"]').count(), 0);
    } finally {
      await other.close();
    }
  });
});
