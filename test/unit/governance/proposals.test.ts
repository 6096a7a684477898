// The proposal lifecycle against a real governance.db: the refusals the issue names, each decision, expiry,
// supersession and auto-approval. The plant, clock and PLC writer are test doubles.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Proposal } from "../../../src-main/common/api/governance";
import { DEMO_VALUES, openTestGovernance, PASSWORD, refused, type TestGovernance } from "./support/fixtures";

const TEMP = "bufferTank.temperatureSetpoint"; // two-person, maxStep 5 °C, maxRatePerS 0.5, engineer
const FLOW = "heatExchanger.coolantFlowSetpoint"; // maxStep 2, engineer
const LEVEL = "bufferTank.levelSetpoint"; // autoApproveBand 0.05, maxStep 0.3, maxRatePerS 0.05

describe("proposals", () => {
  let t: TestGovernance;
  before(async () => {
    t = await openTestGovernance();
  });
  after(() => t.close());
  beforeEach(() => {
    for (const [k, v] of Object.entries(DEMO_VALUES)) t.plant.values.set(k, v);
    t.plant.link = { health: "up", detail: "plc1 connected" };
    t.plant.stale = [];
    t.plant.anomalies = [];
    t.writer.calls = [];
    // Past every rate limit from earlier tests.
    t.clock.advance(3_600_000);
  });
  const propose = (tagId: string, value: number | boolean, who = t.as.engineer) =>
    t.gov.proposals.propose({ kind: "user", userId: who.user.id, username: who.user.username, role: who.user.role }, { tagId, value, reason: "test" });

  it("an out-of-limits value is rejected when proposed, naming the rule", async () => {
    const p = await propose(TEMP, 85);
    assert.equal(p.state, "rejected");
    assert.equal(p.decision?.by, "system:policy");
    assert.match(p.decision!.reason, /bufferTank\.temperatureSetpoint: 85 °C exceeds max 80 °C/);
    assert.ok(p.checks.some((c) => c.rule === "limits" && !c.pass));
    assert.equal(t.writer.calls.length, 0);
  });

  it("a too-large step is rejected, naming maxStep", async () => {
    const p = await propose(TEMP, 67);
    assert.equal(p.state, "rejected");
    assert.match(p.decision!.reason, /bufferTank\.temperatureSetpoint: step 12 °C exceeds maxStep 5 °C/);
  });

  it("on a two-person tag the same user cannot approve twice, nor the proposer at all", async () => {
    const p = await propose(TEMP, 58);
    assert.equal(p.state, "pending");
    assert.equal(p.approvalsNeeded, 2);
    const own = await refused(() => t.gov.proposals.approve(t.as.engineer, p.id, { password: PASSWORD }));
    assert.equal(own.rule, "twoPerson");
    assert.match(own.message, /twoPerson rule: engineer1 proposed this change and may not approve it/);
    const first = await t.gov.proposals.approve(t.as.second.engineer, p.id, { password: PASSWORD, comment: "ok by me" });
    assert.equal(first.state, "pending");
    assert.equal(first.approvals.length, 1);
    const twice = await refused(() => t.gov.proposals.approve(t.as.second.engineer, p.id, { password: PASSWORD }));
    assert.equal(twice.rule, "twoPerson");
    assert.match(twice.message, /bufferTank\.temperatureSetpoint: twoPerson rule: engineer2 has already approved/);
    assert.equal(t.writer.calls.length, 0, "nothing written with one approval");
    const done = await t.gov.proposals.approve(t.as.admin, p.id, { password: PASSWORD });
    assert.equal(done.state, "applied");
    assert.deepEqual(t.writer.calls, [{ tagId: TEMP, nodeId: "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint", value: 58 }]);
    assert.deepEqual(done.approvals.map((a) => a.username), ["engineer2", "admin"]);
  });

  it("a two-person approval needs the password typed again", async () => {
    const p = await propose(TEMP, 57);
    const none = await refused(() => t.gov.proposals.approve(t.as.second.engineer, p.id));
    assert.equal(none.rule, "reauthentication");
    const wrong = await refused(() => t.gov.proposals.approve(t.as.second.engineer, p.id, { password: "not the password" }));
    assert.match(wrong.message, /password re-entry failed/);
    assert.equal(t.gov.audit.list({ action: "auth.reauth-failed" }).at(-1)?.actor, "engineer2");
  });

  it("an approval while the connection is down is refused, naming the interlock; it stays pending", async () => {
    const p = await propose(FLOW, 7);
    t.plant.link = { health: "down", detail: "plc1 reconnecting (attempt 3)" };
    const r = await refused(() => t.gov.proposals.approve(t.as.second.engineer, p.id));
    assert.equal(r.rule, "interlock.connection");
    assert.match(r.message, /heatExchanger\.coolantFlowSetpoint: interlock: connection plc1 is down \(plc1 reconnecting \(attempt 3\)\)/);
    assert.equal(t.gov.proposals.get(p.id).state, "pending");
    assert.equal(t.writer.calls.length, 0);
    const audit = t.gov.audit.list({ action: "proposal.approve-refused", target: `proposal:${p.id}` });
    assert.equal(audit.length, 1);
    t.plant.link = { health: "up", detail: "plc1 connected" };
    assert.equal((await t.gov.proposals.approve(t.as.second.engineer, p.id)).state, "applied");
  });

  it("stale inputs and an anomaly on related tags block approval too", async () => {
    const p = await propose(FLOW, 7);
    t.plant.stale = ["heatExchanger.productOutTemp"];
    t.plant.anomalies = ["heatExchanger.coolantOutTemp"];
    const r = await refused(() => t.gov.proposals.approve(t.as.engineer, p.id));
    assert.deepEqual(r.reasons, [
      "heatExchanger.coolantFlowSetpoint: interlock: stale inputs heatExchanger.productOutTemp",
      "heatExchanger.coolantFlowSetpoint: interlock: anomaly detector alarming on heatExchanger.coolantOutTemp",
    ]);
  });

  it("an operator may not approve an engineer tag (approveRole)", async () => {
    const p = await propose(FLOW, 7);
    const r = await refused(() => t.gov.proposals.approve(t.as.operator, p.id));
    assert.equal(r.rule, "approveRole");
    assert.match(r.message, /approveRole engineer required; operator1 is operator/);
  });

  it("modify-and-approve writes the modified value within limits, and refuses one outside", async () => {
    const p = await propose(FLOW, 7.5);
    const bad = await refused(() => t.gov.proposals.modifyAndApprove(t.as.second.engineer, p.id, 9));
    assert.match(bad.message, /step 3 m³\/h exceeds maxStep 2 m³\/h/);
    const done = await t.gov.proposals.modifyAndApprove(t.as.second.engineer, p.id, 7, { comment: "a bit less" });
    assert.equal(done.state, "applied");
    assert.equal(done.value, 7);
    assert.equal(done.proposedValue, 7.5);
    assert.ok(done.history.some((h) => h.actor === "engineer2" && h.action === "modified to 7 m³/h and approved"));
    assert.equal(t.writer.calls.at(-1)?.value, 7);
    assert.equal(t.gov.audit.list({ action: "proposal.modified-and-approved" }).at(-1)?.target, `proposal:${p.id}`);
  });

  it("on a two-person tag a modification starts the approvals again, for the new value", async () => {
    const p = await propose(TEMP, 58);
    await t.gov.proposals.approve(t.as.second.engineer, p.id, { password: PASSWORD });
    const modified = await t.gov.proposals.modifyAndApprove(t.as.admin, p.id, 57, { password: PASSWORD, comment: "smaller step" });
    assert.equal(modified.state, "pending", "the earlier approval was for 58, not 57");
    assert.deepEqual(modified.approvals.map((a) => [a.username, a.value]), [["admin", 57]]);
    assert.equal(t.writer.calls.length, 0);
    const done = await t.gov.proposals.approve(t.as.second.engineer, p.id, { password: PASSWORD });
    assert.equal(done.state, "applied");
    assert.equal(t.writer.calls.at(-1)?.value, 57);
    assert.equal(t.gov.audit.list({ target: `proposal:${p.id}`, action: "proposal.modified-and-approved" }).length, 1);
  });

  it("reject needs a reason holder's role, or the proposer withdrawing", async () => {
    const p = await propose(FLOW, 5, t.as.operator);
    const byOtherOperator = await refused(() => t.gov.proposals.reject(t.as.second.operator, p.id, "no"));
    assert.equal(byOtherOperator.rule, "approveRole");
    const r = t.gov.proposals.reject(t.as.operator, p.id, "changed my mind");
    assert.equal(r.state, "rejected");
    assert.equal(r.decision?.reason, "changed my mind");
    const again = await refused(() => t.gov.proposals.approve(t.as.engineer, p.id));
    assert.equal(again.rule, "state");
  });

  it("a newer proposal for the same tag supersedes the pending one", async () => {
    const a = await propose(FLOW, 7);
    const b = await propose(FLOW, 7.5);
    const old = t.gov.proposals.get(a.id);
    assert.equal(old.state, "superseded");
    assert.equal(old.supersededBy, b.id);
  });

  it("expires when its time runs out, or when the plant moved away from its starting value", async () => {
    const a = await propose(FLOW, 7);
    t.clock.advance(16 * 60_000);
    const late = await refused(() => t.gov.proposals.approve(t.as.second.engineer, a.id));
    assert.equal(late.rule, "ttl");
    assert.equal(t.gov.proposals.get(a.id).state, "expired");

    const b = await propose(FLOW, 7);
    t.plant.values.set(FLOW, 6.5); // someone else moved the setpoint
    const expired = t.gov.proposals.sweep().find((p) => p.id === b.id);
    assert.equal(expired?.state, "expired");
    assert.match(expired.decision!.reason, /the plant moved: current 6.5 m³\/h differs from the assumed 6 m³\/h/);
  });

  it("a step inside the auto-approve band is approved and written without a person", async () => {
    const p = await propose(LEVEL, 1.23);
    assert.equal(p.state, "applied");
    assert.equal(p.decision?.by, "system:auto-approve");
    assert.equal(t.writer.calls.length, 1);
    const bigger = await propose(LEVEL, 1.4);
    assert.equal(bigger.state, "pending", "outside the band a person decides");
  });

  it("maxRatePerS holds back a second change too soon after the last write", async () => {
    await propose(LEVEL, 1.23); // auto-approved, written at t0
    t.clock.advance(1_000);
    const p = await propose(LEVEL, 1.5, t.as.engineer);
    const r = await refused(() => t.gov.proposals.approve(t.as.second.engineer, p.id));
    assert.equal(r.rule, "maxRatePerS");
    assert.match(r.message, /rate 0.27 m\/s exceeds maxRatePerS 0.05 m\/s/);
    t.clock.advance(10_000);
    assert.equal((await t.gov.proposals.approve(t.as.second.engineer, p.id)).state, "applied");
  });

  it("a viewer cannot propose; an unknown or read-only tag cannot be proposed", async () => {
    assert.equal((await refused(() => propose(FLOW, 7, t.as.viewer))).rule, "role");
    assert.equal((await refused(() => propose("bufferTank.level", 1))).rule, "writable");
    assert.equal((await refused(() => propose("nope.nothing", 1))).rule, "writable");
  });

  it("records who did what when, in the proposal and in the audit trail", async () => {
    const p = await propose(FLOW, 7);
    const done: Proposal = await t.gov.proposals.approve(t.as.second.engineer, p.id, { comment: "fine" });
    assert.deepEqual(done.history.map((h) => [h.actor, h.action]), [
      ["engineer1", "proposed"],
      ["engineer2", "approved"],
      ["system:write-path", "write sent"],
      ["system:write-path", "applied"],
    ]);
    const trail = t.gov.audit.list({ target: `proposal:${p.id}` }).map((e) => e.action);
    assert.deepEqual(trail, ["proposal.proposed", "proposal.pending", "proposal.approved", "write.sent", "write.confirmed"]);
  });
});
