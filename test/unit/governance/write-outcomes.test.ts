// What happens after the write is sent: a read-back that differs, a bad status, a timeout (each fails the
// proposal with an alarm and no retry), and a rollback through a new, linked proposal.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { DEMO_VALUES, openTestGovernance, refused, type TestGovernance } from "./support/fixtures";

const FLOW = "heatExchanger.coolantFlowSetpoint"; // maxStep 2, engineer

describe("write outcomes", () => {
  let t: TestGovernance;
  before(async () => {
    t = await openTestGovernance();
  });
  after(() => t.close());
  beforeEach(() => {
    for (const [k, v] of Object.entries(DEMO_VALUES)) t.plant.values.set(k, v);
    t.writer.calls = [];
    t.writer.answer = async (c) => ({ written: c.value, readBack: c.value, confirmed: true, statusName: "Good" });
    t.clock.advance(3_600_000);
  });
  const propose = (tagId: string, value: number | boolean, who = t.as.engineer) =>
    t.gov.proposals.propose({ kind: "user", userId: who.user.id, username: who.user.username, role: who.user.role }, { tagId, value, reason: "test" });

  it("a read-back that differs fails the proposal, raises an alarm, and is never retried", async () => {
    const alarms: number[] = [];
    const off = t.gov.onDidRaiseAlarm((a) => alarms.push(a.id));
    t.writer.answer = async (c) => ({ written: c.value, readBack: 6.5, confirmed: true, statusName: "Good" });
    try {
      const p = await propose(FLOW, 7);
      const out = await t.gov.proposals.approve(t.as.second.engineer, p.id);
      assert.equal(out.state, "failed");
      assert.match(out.failure!, /read-back 6.5 m³\/h differs from the written 7 m³\/h/);
      assert.equal(alarms.length, 1);
      const open = t.gov.alarms.list(true);
      assert.equal(open[0]?.proposalId, p.id);
      assert.equal(t.writer.calls.length, 1);
      const again = await refused(() => t.gov.proposals.approve(t.as.engineer, p.id));
      assert.equal(again.rule, "state");
      assert.equal(t.writer.calls.length, 1, "no retry");
      t.gov.alarms.acknowledge({ kind: "user", userId: t.as.operator.user.id, username: "operator1", role: "operator" }, open[0]!.id);
      assert.equal(t.gov.alarms.list(true).length, 0);
    } finally {
      off();
    }
  });

  it("a write that does not answer in time fails with an alarm; the late answer is audited", async () => {
    const slow = await openTestGovernance({ writeTimeoutMs: 20 });
    try {
      let release!: () => void;
      slow.writer.answer = (c) => new Promise((resolve) => (release = () => resolve({ written: c.value, readBack: c.value, confirmed: true, statusName: "Good" })));
      const p = await slow.gov.proposals.propose({ kind: "user", userId: slow.as.engineer.user.id, username: "engineer1", role: "engineer" }, { tagId: FLOW, value: 7, reason: "test" });
      const out = await slow.gov.proposals.approve(slow.as.second.engineer, p.id);
      assert.equal(out.state, "failed");
      assert.match(out.failure!, /write timed out after 20 ms: the value in the PLC is unknown; not retried/);
      assert.equal(slow.gov.alarms.list(true).length, 1);
      release();
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      assert.equal(slow.gov.audit.list({ action: "write.late-result" }).length, 1);
      assert.equal(slow.gov.proposals.get(p.id).state, "failed", "a late answer changes nothing");
    } finally {
      slow.close();
    }
  });

  it("a PLC status other than Good fails the write", async () => {
    t.writer.answer = async (c) => ({ written: c.value, readBack: 6, confirmed: false, statusName: "BadOutOfRange" });
    const p = await propose(FLOW, 7);
    const out = await t.gov.proposals.approve(t.as.second.engineer, p.id);
    assert.equal(out.state, "failed");
    assert.match(out.failure!, /the PLC refused the write \(BadOutOfRange\)/);
  });

  it("rolls back an applied proposal through a new, linked proposal that needs its own approval", async () => {
    const p = await propose(FLOW, 7);
    const applied = await t.gov.proposals.approve(t.as.second.engineer, p.id);
    assert.equal(applied.state, "applied");
    t.clock.advance(60_000);
    const rb = await t.gov.proposals.rollback(t.as.engineer, p.id, "flow too high for the cooler");
    assert.equal(rb.origin, "rollback");
    assert.equal(rb.rollbackOf, p.id);
    assert.equal(rb.value, 6);
    assert.equal(rb.from, 7);
    assert.equal(rb.state, "pending");
    const dup = await refused(() => t.gov.proposals.rollback(t.as.engineer, p.id, "again"));
    assert.match(dup.message, /already pending/);
    const done = await t.gov.proposals.approve(t.as.second.engineer, rb.id);
    assert.equal(done.state, "applied");
    const original = t.gov.proposals.get(p.id);
    assert.equal(original.state, "rolled-back");
    assert.equal(original.rolledBackBy, rb.id);
  });
});
