// The connections panel and the address-space browser in Chromium, against the built workbench (headless
// host, simulated PLC over loopback OPC UA): the connection with its statistics and certificate, endpoint
// discovery, the lazy tree, search, a node's attributes, and the bind dialog (opened, not saved: this run
// uses the repository's demo scene file). No timing assertions: this runs on busy machines.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { openDockPanel, openWorkbenchPage, saveScreenshot, type WorkbenchPage } from "../support/workbench-page";

let session: WorkbenchPage;
let page: Page;
let pageErrors: string[];

before(async () => {
  session = await openWorkbenchPage("connections");
  ({ page, pageErrors } = session);
});

after(async () => {
  assert.equal(await session?.close(), 0, "the workbench stops cleanly on Ctrl-C");
});

const attr = (name: string) => page.locator(`[data-testid="node-attr"][data-attr="${name}"] td`);

describe("connections and address space in Chromium", () => {
  it("connects", async () => {
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"]', { timeout: 30_000 });
    await page.click("[data-testid=dock-expand]");
  });

  it("the connections tab lists the PLC connection, connected, with its traffic and security", async () => {
    await openDockPanel(page, "Connections");
    const row = page.locator('[data-testid="connection-row"][data-connection="plc1"]');
    await row.and(page.locator('[data-state="connected"]')).waitFor({ timeout: 30_000 });
    await row.locator('[data-testid="connection-rate"]').filter({ hasText: /[1-9]/ }).waitFor({ timeout: 30_000 });
    const text = (await row.textContent()) ?? "";
    assert.match(text, /opc\.tcp:\/\/127\.0\.0\.1:\d+/);
    assert.match(text, /None/);
    assert.match(text, /anonymous/);
  });

  it("shows the server certificate in a dialog (no decision needed for security None)", async () => {
    await page.locator('[data-testid="connection-row"][data-connection="plc1"] [data-testid="connection-trust"]').click();
    const dialog = page.locator('[data-testid="certificate-dialog"]');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match((await dialog.locator('[data-testid="certificate-thumbprint"]').textContent()) ?? "", /^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    assert.ok(((await dialog.locator('[data-testid="certificate-subject"]').textContent()) ?? "").length > 0);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 5_000 });
  });

  it("discovers the endpoints of the PLC's URL", async () => {
    await page.click('[data-testid="discover-toggle"]');
    await page.click('[data-testid="discover-run"]');
    await page.locator('[data-testid="discovered-endpoint"][data-mode="SignAndEncrypt"][data-policy="Basic256Sha256"]').first().waitFor({ timeout: 30_000 });
    assert.ok((await page.locator('[data-testid="discovered-endpoint"][data-mode="None"]').count()) >= 1);
  });

  it("takes the screenshot", async () => {
    await saveScreenshot(page, "connections.png");
  });

  it("the address-space tab loads the tree lazily and shows a node's attributes", async () => {
    await openDockPanel(page, "Address space");
    // The simulated PLC's root folder is named after the scene.
    const first = page.locator('[data-testid="as-node"][data-node-class="Object"]', { hasText: "Demo process cell" });
    await first.waitFor({ timeout: 30_000 });
    await first.locator('[data-testid="as-node-toggle"]').click();
    // Its children are asked for on expansion: the cell's folder appears under it.
    await page.locator('[data-testid="as-node"][data-node-class="Object"]', { hasText: "Process cell 1" }).waitFor({ timeout: 15_000 });
    await first.click();
    await page.locator('[data-testid="node-details"]').waitFor({ timeout: 15_000 });
    assert.equal(await attr("NodeClass").textContent(), "Object");
  });

  it("search by name finds the tank level; its attributes come from the server", async () => {
    await page.fill('[data-testid="as-search"]', "Level");
    await page.click('[data-testid="as-search-run"]');
    const hit = page.locator('[data-testid="as-hit"][data-node-id="ns=1;s=DemoCell.BufferTank.Level"]');
    await hit.waitFor({ timeout: 30_000 });
    await hit.click();
    await page.locator('[data-testid="node-details"][data-node-id="ns=1;s=DemoCell.BufferTank.Level"]').waitFor({ timeout: 15_000 });
    assert.equal(await attr("DataType").textContent(), "Double");
    assert.match((await attr("AccessLevel").textContent()) ?? "", /CurrentRead/);
    assert.match((await attr("Value").textContent()) ?? "", /^-?\d/);
    assert.notEqual(await attr("EngineeringUnits").textContent(), "–");
    assert.match((await attr("EURange").textContent()) ?? "", /\d+ … \d+/);
    assert.equal(await attr("Bound scene tags").textContent(), "bufferTank.level");
  });

  it("the bind dialog offers the scene's tags, with the bound one chosen", async () => {
    await page.click('[data-testid="bind-open"]');
    const dialog = page.locator('[data-testid="bind-dialog"]');
    await dialog.waitFor({ timeout: 5_000 });
    assert.equal(await dialog.locator('[data-testid="bind-tag"]').inputValue(), "bufferTank.level");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: 5_000 });
  });

  it("has no errors in the page console", () => {
    assert.deepEqual(pageErrors.filter((e) => !/favicon/.test(e)), []);
  });
});
