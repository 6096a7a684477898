// The History panel in the real renderer against the built workbench (headless host, simulated PLC, SQLite
// historian): curves of several tags, zoom by drag and wheel, quick ranges, a quarantined value marked on
// the curve with its rule, the validation table, CSV export as a download. No timing assertions.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { openDockPanel, openWorkbenchPage, saveScreenshot, type WorkbenchPage } from "../support/workbench-page";

let session: WorkbenchPage;
let page: Page;
let pageErrors: string[];

before(async () => {
  session = await openWorkbenchPage("history");
  ({ page, pageErrors } = session);
});

after(async () => {
  assert.equal(await session?.close(), 0, "the workbench stops cleanly on Ctrl-C");
});

const chart = () => page.locator('[data-testid="history-chart"]');

async function rangeOf(): Promise<{ from: number; to: number }> {
  return { from: Number(await chart().getAttribute("data-from")), to: Number(await chart().getAttribute("data-to")) };
}

const chartNumber = async (name: string) => Number(await chart().getAttribute(name));
const span = async () => {
  const r = await rangeOf();
  return r.to - r.from;
};

/** Polls a condition of the page (from Node: the test is typed without the DOM). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await page.waitForTimeout(100);
  }
}

describe("history panel in Chromium", () => {
  it("connects and opens the History tab", async () => {
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"]', { timeout: 30_000 });
    await openDockPanel(page, "History");
    await page.click("[data-testid=dock-expand]");
    await page.locator('[data-testid="history-panel"]').waitFor({ timeout: 15_000 });
  });

  it("draws a curve for each of the scene's trend tags, and for a tag added from the list", async () => {
    await chart().waitFor({ timeout: 15_000 });
    await until("curves with points are drawn", async () => (await chartNumber("data-series")) >= 1 && (await chartNumber("data-points")) >= 20, 30_000);
    const before = Number(await chart().getAttribute("data-series"));
    await page.selectOption('[data-testid="history-add-tag"]', "bufferTank.outletFlow");
    await page.locator('[data-testid="history-tag"][data-tag-id="bufferTank.outletFlow"]').waitFor();
    await until("the added tag is drawn", async () => (await chartNumber("data-series")) === before + 1);
    const paths = await chart().locator("path.recharts-line-curve").evaluateAll((els) => els.map((e) => e.getAttribute("d") ?? "").filter((d) => d.length > 20));
    assert.ok(paths.length >= before + 1, `${paths.length} drawn curves`);
    assert.equal(await chart().getAttribute("data-source"), "raw", "a young historian serves 15 minutes as raw values");
  });

  it("zooms into a dragged range, zooms with the wheel, and goes back to a quick range", async () => {
    const r0 = await rangeOf();
    const box = (await chart().boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.55, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.85, y, { steps: 5 });
    await page.mouse.up();
    await until("the chart shows the dragged range", async () => (await span()) < (r0.to - r0.from) / 2);
    const r1 = await rangeOf();
    assert.ok(r1.from > r0.from && r1.to < r0.to + 10_000, "the selection lies inside the previous range");
    assert.equal(await page.getAttribute('[data-testid="history-range-label"]', "data-follow"), "false", "a zoomed range stays put");

    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.wheel(0, 400);
    await until("the wheel zoomed out", async () => (await span()) > (r1.to - r1.from) * 1.1);

    await page.click('[data-testid="history-range"][data-label="1 h"]');
    await until("the chart shows the last hour", async () => (await span()) === 3_600_000);
    assert.equal(await page.getAttribute('[data-testid="history-range-label"]', "data-follow"), "true");
  });

  it("lists every tag's validation state with the rules it is checked against", async () => {
    const rows = page.locator('[data-testid="history-validation-row"]');
    await rows.first().waitFor({ timeout: 15_000 });
    assert.equal(await rows.count(), 29, "one row per scene tag");
    const level = page.locator('[data-testid="history-validation-row"][data-tag-id="bufferTank.level"]');
    assert.match((await level.getAttribute("title")) ?? "", /stale: no update within 2 s/);
    const outlet = page.locator('[data-testid="history-validation-row"][data-tag-id="bufferTank.outletFlow"]');
    assert.match((await outlet.getAttribute("title")) ?? "", /drift: .*feedPump\.flow.*\(flags only\)/);
  });

  it("marks an imported quarantined value on the curve, with its rule in the tooltip", async () => {
    // A transmitter glitch half a minute ago, among the live values.
    const t = new Date(Date.now() - 30_000).toISOString();
    const csv = `tag,time,value,quality,status,serverTime,connection,flags\nbufferTank.level,${t},2.45,good,Good,,plc1,spike|quarantined\n`;
    await page.setInputFiles('[data-testid="history-import-file"]', { name: "glitch.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.locator('[data-testid="history-csv-status"]', { hasText: "1 values imported" }).waitFor({ timeout: 15_000 });
    await until("the imported value is marked", async () => (await chartNumber("data-markers")) >= 1);
    const marker = chart().locator('[data-testid="history-marker"].quarantined').first();
    const rule = page.locator(".history-tooltip-rule", { hasText: "spike — quarantined" }).first();
    // The chart redraws as the range follows the present: hover the marker where it is now, until the tooltip shows.
    await until(
      "the tooltip names the rule",
      async () => {
        const m = await marker.boundingBox().catch(() => null);
        if (m) await page.mouse.move(m.x + m.width / 2, m.y + m.height + 3);
        return rule.isVisible();
      },
      20_000,
    );
  });

  it("exports the shown tags and range as a CSV download", async () => {
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), page.click('[data-testid="history-export"]')]);
    assert.match(download.suggestedFilename(), /^twinbench-history-\d{8}T\d{6}Z-long\.csv$/);
    const text = readFileSync((await download.path())!, "utf8");
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "tag,time,value,quality,status,serverTime,connection,flags");
    assert.ok(lines.some((l) => l.startsWith("bufferTank.outletFlow,")), "the added tag is in the export");
    assert.ok(lines.some((l) => l.includes("spike|quarantined")), "with the flags of the imported value");
  });

  it("takes the screenshot", async () => {
    // The workbench is a minute old: zoom into the last part of 15 minutes, where its history is.
    await page.click('[data-testid="history-range"][data-label="15 min"]');
    await until("the chart shows 15 minutes", async () => (await span()) === 15 * 60_000);
    const box = (await chart().boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.9, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.995, y, { steps: 8 });
    await page.mouse.up();
    await until("the chart shows the selection", async () => (await span()) < 2 * 60_000);
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.waitForTimeout(1_500);
    await saveScreenshot(page, "history.png");
  });

  it("has no errors in the page console", () => {
    assert.deepEqual(pageErrors.filter((e) => !/favicon/.test(e)), []);
  });
});
