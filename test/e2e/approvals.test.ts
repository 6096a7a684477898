// Human in the loop, end to end in Chromium against the built CLI (headless host, simulated PLC over OPC UA):
// the admin creates an engineer in the Users panel; the optimiser's recommendation becomes proposals with their
// predicted effect; the engineer finds the coolant flow change in the Approvals inbox and approves it; the
// simulated PLC receives the value, the read-back confirms it, and the audit trail shows the chain of entries.
// Then a refused approval on a two-person tag, a rejection, and a small change through the auto-approve band.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { Proposal } from "../../src-main/common/api/governance";
import { PredictedEffect } from "../../src-main/common/api/whatif";
import type { RunningWorkbench } from "../support/cli-process";
import { E2E_ADMIN, logInOnPage, openDockPanel, openWorkbenchPage, saveScreenshot, type WorkbenchPage } from "../support/workbench-page";
import { connectWsApi, type WsApi } from "../support/ws-client";

const TAG = "heatExchanger.coolantFlowSetpoint";
const ENGINEER = { username: "erik", password: "erik's e2e password" } as const;
const OPERATOR = { username: "olga", password: "olga's e2e password" } as const;

let session: WorkbenchPage;
let wb: RunningWorkbench;
let page: Page;
let pageErrors: string[];
let admin: WsApi;
let operator: WsApi;
let proposal: Proposal;
let target: number;

/** A value as the inbox writes it (six significant digits, no float noise). */
const shown = (v: number) => String(Number(v.toPrecision(6)));

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The tag's latest value as the host has it from the PLC (OPC UA subscription), with its quality. */
async function hostValue(api: WsApi, tagId: string): Promise<{ v: unknown; q: string } | undefined> {
  const tags = await api.client.request("tags.list", {});
  const index = tags.find((t) => t.id === tagId)?.index;
  const sample = (await api.client.request("tags.snapshot", {})).find((s) => s.i === index);
  return sample ? { v: sample.v, q: sample.q } : undefined;
}

/** Waits for a Good numeric value of the tag in the host and returns it. */
async function goodNumber(api: WsApi, tagId: string): Promise<number> {
  const s = await until(`a good value of ${tagId}`, async () => {
    const v = await hostValue(api, tagId);
    return v && v.q === "good" && typeof v.v === "number" ? v : undefined;
  });
  return s.v as number;
}

async function logIn(user: { username: string; password: string }): Promise<WsApi> {
  const api = await connectWsApi(wb.port, wb.token);
  const grant = await api.client.request("auth.login", user);
  api.client.setSession(grant.token);
  return api;
}

before(async () => {
  session = await openWorkbenchPage("approvals");
  ({ wb, page, pageErrors } = session);
  admin = await logIn(E2E_ADMIN);
});

after(async () => {
  await operator?.close();
  await admin?.close();
  assert.equal(await session?.close(), 0, "the workbench stops cleanly on Ctrl-C");
});

describe("approvals in Chromium", () => {
  it("the admin creates an engineer in the Users panel", { timeout: 60_000 }, async () => {
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"]', { timeout: 30_000 });
    await page.click("[data-testid=dock-expand]");
    await openDockPanel(page, "Users");
    await page.click("[data-testid=create-user]");
    await page.fill("[data-testid=new-user-username]", ENGINEER.username);
    await page.fill("[data-testid=new-user-display]", "Erik Engineer");
    await page.selectOption("[data-testid=new-user-role]", "engineer");
    await page.fill("[data-testid=new-user-password]", ENGINEER.password);
    await page.fill("[data-testid=new-user-confirm]", ENGINEER.password);
    await page.click("[data-testid=new-user-submit]");
    const row = page.locator(`[data-testid=user-row][data-user="${ENGINEER.username}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.getAttribute("data-role"), "engineer");
    const users = await admin.client.request("users.list", {});
    assert.equal(users.find((u) => u.username === ENGINEER.username)?.displayName, "Erik Engineer");
  });

  it("the optimiser's recommendation becomes pending proposals carrying their predicted effect", { timeout: 300_000 }, async () => {
    await admin.client.request("users.create", { ...OPERATOR, role: "operator" });
    operator = await logIn(OPERATOR);
    // Recommendations fork from the twin's estimate of the plant now: wait for the estimator's first one.
    await until("the first estimate", async () => (await operator.client.request("whatif.info", {})).liveState.estimate, 120_000);
    const job = await operator.client.request("whatif.recommend", { from: { kind: "live" }, seed: 1 });
    const done = await until("the recommendation", async () => {
      const s = await operator.client.request("whatif.jobs.status", { jobId: job.id });
      return s.state !== "running" ? s : undefined;
    }, 240_000);
    assert.equal(done.state, "done", done.error);
    const out = await operator.client.request("whatif.propose", { jobId: job.id, reason: "cheaper to run" });
    assert.deepEqual(out.refusals, []);
    const made = out.proposals.map((p) => `${p.tagId} ${p.from} → ${p.value}`).join(", ");
    // One engineer can approve alone only a tag without the two-person rule: the cooler's coolant flow.
    proposal = out.proposals.find((p) => p.tagId === TAG)!;
    assert.ok(proposal, `the optimiser proposes a coolant flow change (it proposed: ${made})`);
    assert.equal(proposal.state, "pending", JSON.stringify(proposal.checks));
    assert.equal(proposal.origin, "optimiser");
    target = proposal.value as number;
    assert.notEqual(target, proposal.from);
    const effect = PredictedEffect.parse(proposal.predictedEffect);
    assert.ok(effect.objective && effect.objective.proposed.median < effect.objective.baseline.median, "predicts a better objective");
  });

  it("the engineer logs in and finds it in the inbox: change, risk, predicted effect with bands, checks", { timeout: 90_000 }, async () => {
    await page.click("[data-testid=logout]");
    await logInOnPage(page, ENGINEER);
    assert.equal(await page.locator("[data-testid=user-name]").getAttribute("data-role"), "engineer");
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"]', { timeout: 30_000 });
    if (!(await page.locator(".workbench.dock-expanded").count())) await page.click("[data-testid=dock-expand]");
    await openDockPanel(page, "Approvals");
    const row = page.locator(`[data-testid=proposal-row][data-proposal="${proposal.id}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.getAttribute("data-state"), "pending");
    const rowText = (await row.textContent()) ?? "";
    assert.match(rowText, new RegExp(`→ ${shown(target)} m³/h`));
    assert.match(rowText, /optimiser/);
    assert.match(rowText, /0 of 1/);
    await row.click();
    const detail = page.locator(`[data-testid=proposal-detail][data-proposal="${proposal.id}"]`);
    await detail.waitFor({ timeout: 10_000 });
    assert.match((await detail.textContent()) ?? "", /asked by olga: cheaper to run/);
    assert.ok((await detail.locator("[data-testid=effect-kpi]").count()) >= 3, "a KPI table");
    await detail.locator('[data-kpi="objective"]').waitFor({ timeout: 5_000 });
    // Less or more coolant shows up in the coolant KPI, judged by its sign.
    const coolant = detail.locator('[data-testid=effect-kpi][data-kpi="coolant"]');
    assert.equal(await coolant.getAttribute("data-verdict"), target < (proposal.from as number) ? "better" : "worse");
    // Validation runs with process noise: some KPI (the heater's energy at least) has a band, not one value.
    assert.ok((await detail.locator('[data-testid=effect-kpi] td[title*="…"]').count()) >= 1, "KPIs with their 90 % band");
    assert.ok((await detail.locator("[data-testid=effect-chart]").count()) >= 1, "trajectories");
    // Bands drawn: at least one shaded area with height (a deterministic setpoint trace has a flat one).
    await detail.locator("[data-testid=effect-chart] .recharts-line-curve").first().waitFor({ state: "attached", timeout: 10_000 });
    const areas = detail.locator("[data-testid=effect-chart] .recharts-area path.recharts-curve");
    const shaded = () => areas.evaluateAll((paths) => paths.filter((p) => (p as unknown as { getBBox(): { height: number } }).getBBox().height > 1).length);
    await until("shaded 90 % bands in the charts", async () => (await shaded()) >= 1, 15_000);
    assert.match((await detail.locator("[data-testid=proposal-policy]").textContent()) ?? "", /limits 2 … 15 m³\/h · max step 2 m³\/h · approved by engineer/);
    assert.ok(["low", "medium", "high"].includes((await detail.locator("[data-testid=proposal-risk]").getAttribute("data-risk")) ?? ""));
    assert.equal(await detail.locator('[data-testid=proposal-checks] [data-rule="limits"]').getAttribute("data-pass"), "true");
    assert.equal(await detail.locator('[data-testid=proposal-checks] [data-rule="interlock.connection"]').getAttribute("data-pass"), "true");
  });

  it("the engineer approves; the PLC receives the value and the read-back confirms it", { timeout: 120_000 }, async (t) => {
    const detail = page.locator(`[data-testid=proposal-detail][data-proposal="${proposal.id}"]`);
    await detail.locator("[data-testid=decision-comment]").fill("checked against the cooler's duty");
    // No write while the link to the PLC is down (interlock): decide on a live, fresh plant. The connection
    // has been seen reconnecting after the optimiser kept both cores busy (reported in the diagnostics).
    const status = await admin.client.request("plant.status", {});
    t.diagnostic(`plant connections before approving: ${status.connections.map((c) => `${c.id} ${c.state}, ${c.reconnects} reconnects`).join("; ")}`);
    await page.waitForSelector('[data-testid="status-bar"][data-state="connected"][data-stale="false"]', { timeout: 60_000 });
    // The picture for the README: the decision about to be taken, the predicted effect under it.
    await detail.locator("[data-testid=decision-actions]").evaluate((e) => e.scrollIntoView({ block: "start" }));
    await saveScreenshot(page, "approvals.png");
    await detail.locator("[data-testid=approve-button]").click();
    await page.locator(`[data-testid=proposal-detail][data-proposal="${proposal.id}"][data-state="applied"]`).waitFor({ timeout: 30_000 });
    assert.equal(await detail.locator("[data-testid=write-outcome]").getAttribute("data-confirmed"), "true");
    assert.equal((await detail.locator("[data-testid=read-back]").textContent())?.trim(), `${shown(target)} m³/h`);
    await page.locator(`[data-testid=recent-proposals] [data-proposal="${proposal.id}"][data-state="applied"]`).waitFor({ timeout: 15_000 });

    const stored = await admin.client.request("proposals.get", { id: proposal.id });
    assert.equal(stored.state, "applied");
    assert.equal(stored.write?.readBack, target);
    assert.deepEqual(stored.approvals.map((a) => [a.username, a.comment]), [[ENGINEER.username, "checked against the cooler's duty"]]);
    // What the PLC holds now, as the twin's OPC UA subscription reports it, and as the page shows it.
    await until("the PLC's value in the host", async () => (await hostValue(admin, TAG))?.v === target, 20_000);
    const cell = page.locator(`[data-testid="tag-value"][data-tag="${TAG}"]`).first();
    await until("the PLC's value on the page", async () => ((await cell.textContent()) ?? "").startsWith(target.toFixed(2)), 20_000);
  });

  it("on a two-person tag a wrong password is refused, the rule and reason shown verbatim; then the engineer rejects it", { timeout: 60_000 }, async () => {
    const TWO_PERSON = "bufferTank.temperatureSetpoint";
    const value = (await goodNumber(operator, TWO_PERSON)) + 1;
    const critical = await operator.client.request("proposals.create", { tagId: TWO_PERSON, value, reason: "warmer product for the next batch" });
    assert.equal(critical.state, "pending");
    assert.equal(critical.approvalsNeeded, 2);
    await openDockPanel(page, "Approvals");
    const row = page.locator(`[data-testid=proposal-row][data-proposal="${critical.id}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.match((await row.locator("[data-testid=risk]").textContent()) ?? "", /high risk · 2-person/);
    await row.click();
    const detail = page.locator(`[data-testid=proposal-detail][data-proposal="${critical.id}"]`);
    await detail.locator("[data-testid=decision-password]").fill("not erik's password");
    await detail.locator("[data-testid=approve-button]").click();
    const problem = detail.locator("[data-testid=action-problem]");
    await problem.waitFor({ timeout: 20_000 });
    assert.equal(await problem.getAttribute("data-code"), "refused");
    assert.equal(await problem.locator("[data-rule]").first().getAttribute("data-rule"), "reauthentication");
    assert.match((await problem.textContent()) ?? "", /proposals\.approve refused: bufferTank\.temperatureSetpoint: approving a two-person \(critical\) change: password re-entry failed/);
    assert.equal((await admin.client.request("proposals.get", { id: critical.id })).state, "pending", "nothing was approved");

    await detail.locator("[data-testid=mode-reject]").click();
    await detail.locator("[data-testid=decision-reason]").fill("not before the cleaning cycle");
    await detail.locator("[data-testid=reject-button]").click();
    await page.locator(`[data-testid=recent-proposals] [data-proposal="${critical.id}"][data-state="rejected"]`).waitFor({ timeout: 15_000 });
    const rejected = await admin.client.request("proposals.get", { id: critical.id });
    assert.deepEqual([rejected.decision?.by, rejected.decision?.reason], [ENGINEER.username, "not before the cleaning cycle"]);
  });

  it("the engineer's own small change, made in the New proposal form, goes through the auto-approve band", { timeout: 60_000 }, async () => {
    const LEVEL = "bufferTank.levelSetpoint"; // autoApproveBand 0.05 m in the demo scene
    const value = Math.round(((await goodNumber(admin, LEVEL)) + 0.02) * 1000) / 1000;
    await page.click("[data-testid=new-proposal]");
    await page.selectOption("[data-testid=new-proposal-tag]", LEVEL);
    await page.fill("[data-testid=new-proposal-value]", String(value));
    await page.fill("[data-testid=new-proposal-reason]", "a little more buffer before the shift change");
    await page.click("[data-testid=new-proposal-submit]");
    const row = page.locator(`[data-testid=recent-proposals] [data-testid=proposal-row][data-tag="${LEVEL}"][data-state="applied"]`);
    await row.waitFor({ timeout: 20_000 });
    const id = (await row.getAttribute("data-proposal"))!;
    const applied = await admin.client.request("proposals.get", { id });
    assert.deepEqual([applied.origin, applied.proposedBy, applied.value, applied.write?.confirmed], ["user", ENGINEER.username, value, true]);
    assert.ok(applied.checks.some((c) => c.rule === "autoApproveBand" && c.pass), JSON.stringify(applied.checks));
    await until("the level setpoint in the host", async () => (await hostValue(admin, LEVEL))?.v === value, 20_000);
  });

  it("the audit trail shows the proposal's chain of entries, and the chain verifies", { timeout: 60_000 }, async () => {
    await openDockPanel(page, "Audit trail");
    await page.locator('[data-testid=chain-status][data-ok="true"]').waitFor({ timeout: 20_000 });
    await page.fill("[data-testid=audit-filter-target]", `proposal:${proposal.id}`);
    await page.click("[data-testid=audit-apply]");
    const rows = page.locator(`[data-testid=audit-row][data-target="proposal:${proposal.id}"]`);
    await until("the proposal's audit entries", async () => (await rows.count()) >= 5, 15_000);
    assert.equal(await page.locator("[data-testid=audit-row]").count(), await rows.count(), "only the filtered target");
    const actions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
    assert.deepEqual(actions, ["proposal.proposed", "proposal.pending", "proposal.approved", "write.sent", "write.confirmed"]);
    const seqs = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))))) as number[];
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), "in chain order");

    // The same entries in the trail are linked: each names the hash of the one before it.
    const trail = await admin.client.request("audit.list", { afterSeq: seqs[0]! - 1, limit: 5_000 });
    for (let k = 1; k < trail.length; k++) assert.equal(trail[k]!.prevHash, trail[k - 1]!.hash, `entry #${trail[k]!.seq} links to #${trail[k - 1]!.seq}`);
    const approved = trail.find((e) => e.action === "proposal.approved" && e.target === `proposal:${proposal.id}`)!;
    assert.equal(approved.actor, ENGINEER.username);
    assert.deepEqual(approved.after, { value: target });
    assert.equal((await admin.client.request("audit.verify", {})).ok, true);
    // What the filter selects, exported as JSON through the browser's download.
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.click("[data-testid=audit-export-json]")]);
    assert.match(download.suggestedFilename(), /^twinbench-audit-\d{8}-\d{4}\.json$/);
    const exported = JSON.parse(readFileSync(await download.path(), "utf8")) as { complete: boolean; entries: { action: string }[] };
    assert.equal(exported.complete, false, "a filtered export says it is not the whole chain");
    assert.deepEqual(exported.entries.map((e) => e.action), actions);

    // The write's read-back opened, as an auditor would look at it.
    await rows.nth(4).click();
    await saveScreenshot(page, "audit.png");
  });

  it("has no errors in the page console", () => {
    assert.deepEqual(pageErrors.filter((e) => !/favicon/.test(e)), []);
  });
});
