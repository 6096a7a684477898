// Risk as the inbox shows it, and which decisions a user is offered: pure functions over proposals built
// here the way the main process makes them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { PolicyCheck, Proposal, Role } from "../../../src-main/common/api/governance";
import type { WritePolicy } from "../../../src-main/common/scene/schema";
import { assessRisk } from "../../../src-renderer/panels/Approvals/risk";
import { decisionRights } from "../../../src-renderer/panels/Approvals/rights";

const policy = (p: Partial<WritePolicy> = {}): WritePolicy => ({ min: 30, max: 80, maxStep: 5, approveRole: "engineer", twoPerson: false, ...p });
const ok = (rule: PolicyCheck["rule"]): PolicyCheck => ({ rule, pass: true, reason: `${rule} fine` });

function proposal(p: Partial<Proposal> = {}): Proposal {
  return {
    id: "0f0e0d0c-1111-2222-3333-444455556666",
    tagId: "bufferTank.temperatureSetpoint",
    nodeId: "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint",
    unit: "°C",
    origin: "user",
    proposedBy: "olga",
    proposerUserId: 2,
    proposedAt: 1_000,
    reason: "warmer product",
    from: 50,
    value: 51,
    proposedValue: 51,
    predictedEffect: undefined,
    state: "pending",
    checks: [ok("limits"), ok("maxStep"), ok("interlock.connection"), { rule: "autoApproveBand", pass: false, reason: "autoApproveBand off (not configured)" }],
    approvals: [],
    approvalsNeeded: 1,
    expiresAt: 901_000,
    history: [],
    updatedAt: 1_000,
    ...p,
  };
}

describe("approvals: risk", () => {
  it("a small step in the middle of the range is low risk, even with the auto-approve band off", () => {
    const r = assessRisk(proposal(), policy());
    assert.equal(r.level, "low");
    assert.deepEqual(r.factors, []);
    assert.ok(Math.abs(r.stepOfMaxStep! - 0.2) < 1e-12);
    assert.ok(Math.abs(r.stepOfSpan! - 0.02) < 1e-12);
  });

  it("grades the step against maxStep and names why", () => {
    assert.equal(assessRisk(proposal({ value: 53 }), policy()).level, "medium");
    const edge = assessRisk(proposal({ value: 54.5 }), policy());
    assert.equal(edge.level, "high");
    assert.deepEqual(edge.factors, ["step 90 % of maxStep"]);
  });

  it("two-person tags and failing checks about the change are high; approver-only rules are not", () => {
    const critical = assessRisk(proposal({ approvalsNeeded: 2 }), policy({ twoPerson: true }));
    assert.equal(critical.level, "high");
    assert.equal(critical.critical, true);
    assert.deepEqual(critical.factors, ["critical: two-person tag"]);
    const interlock = assessRisk(proposal({ checks: [{ rule: "interlock.stale", pass: false, reason: "stale" }] }), policy());
    assert.deepEqual(interlock.factors, ["fails interlock.stale"]);
    const approver = assessRisk(proposal({ checks: [{ rule: "approveRole", pass: false, reason: "needs engineer" }] }), policy());
    assert.equal(approver.level, "low");
  });

  it("near a limit, an unknown start and Boolean switches are medium", () => {
    assert.deepEqual(assessRisk(proposal({ from: 77, value: 79 }), policy()).factors, ["within 5 % of a limit"]);
    assert.deepEqual(assessRisk(proposal({ from: null }), policy()).factors, ["starting value unknown"]);
    const start = assessRisk(proposal({ from: false, value: true, unit: undefined }), policy({ min: 0, max: 1, maxStep: undefined }));
    assert.deepEqual(start.factors, ["switches ON"]);
    assert.equal(start.stepOfMaxStep, null);
  });

  it("a larger step never lowers the risk (property)", () => {
    const rank = { low: 0, medium: 1, high: 2 } as const;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        // Upwards from 50, away from the limits until 76 (near the top limit only for steps > 26).
        const r1 = assessRisk(proposal({ value: 50 + small }), policy());
        const r2 = assessRisk(proposal({ value: 50 + large }), policy());
        assert.ok(rank[r2.level] >= rank[r1.level], `${small} → ${r1.level}, ${large} → ${r2.level}`);
      }),
    );
  });
});

describe("approvals: decisions offered", () => {
  const user = (id: number, role: Role) => ({ id, role, username: `u${id}` });

  it("approve, modify and reject for a role at least the tag's approveRole; nothing for a viewer", () => {
    assert.deepEqual(decisionRights(user(3, "engineer"), proposal(), policy()), { decide: true, reject: true, rollback: false, needsPassword: false });
    assert.deepEqual(decisionRights(user(3, "admin"), proposal(), policy()), { decide: true, reject: true, rollback: false, needsPassword: false });
    assert.equal(decisionRights(user(3, "operator"), proposal(), policy()).decide, false);
    assert.equal(decisionRights(user(3, "operator"), proposal(), policy({ approveRole: "operator" })).decide, true);
    assert.deepEqual(decisionRights(user(3, "viewer"), proposal(), policy()), { decide: false, reject: false, rollback: false, needsPassword: false });
    assert.equal(decisionRights(null, proposal(), policy()).reject, false);
  });

  it("the proposer may withdraw their own proposal without the approve role", () => {
    const r = decisionRights(user(2, "operator"), proposal(), policy());
    assert.equal(r.decide, false);
    assert.equal(r.reject, true);
  });

  it("two-person: password re-entry, and neither the proposer nor an earlier approver may approve", () => {
    const tp = policy({ twoPerson: true });
    const p = proposal({ approvalsNeeded: 2, proposerUserId: 3 });
    const own = decisionRights(user(3, "engineer"), p, tp);
    assert.equal(own.decide, false);
    assert.match(own.blocked ?? "", /two other users/);
    const other = decisionRights(user(4, "engineer"), p, tp);
    assert.equal(other.decide, true);
    assert.equal(other.needsPassword, true);
    const again = decisionRights(user(4, "engineer"), { ...p, approvals: [{ userId: 4, username: "u4", role: "engineer", at: 2, value: 51, reauthenticated: true }] }, tp);
    assert.equal(again.decide, false);
    assert.match(again.blocked ?? "", /second, different user/);
  });

  it("rollback is offered on applied or failed proposals with a known start, to operators and above", () => {
    assert.equal(decisionRights(user(5, "operator"), proposal({ state: "applied" }), policy()).rollback, true);
    assert.equal(decisionRights(user(5, "operator"), proposal({ state: "failed" }), policy()).rollback, true);
    assert.equal(decisionRights(user(5, "viewer"), proposal({ state: "applied" }), policy()).rollback, false);
    assert.equal(decisionRights(user(5, "operator"), proposal({ state: "applied", from: null }), policy()).rollback, false);
    assert.equal(decisionRights(user(5, "operator"), proposal({ state: "applied", rolledBackBy: "x" }), policy()).rollback, false);
    assert.equal(decisionRights(user(5, "admin"), proposal({ state: "rejected" }), policy()).rollback, false);
    assert.equal(decisionRights(user(5, "admin"), proposal({ state: "applied" }), policy()).decide, false);
  });

  it("a tag that left the scene can be rejected but not approved", () => {
    const r = decisionRights(user(3, "engineer"), proposal(), undefined);
    assert.equal(r.decide, false);
    assert.equal(r.reject, true);
  });
});
