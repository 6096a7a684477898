// The write policy's rules as pure functions: properties over random policies and values, and the exact
// reasons people will read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Approval } from "../../../src-main/common/api/governance";
import type { WritableTag } from "../../../src-main/governance/policy-book";
import * as rules from "../../../src-main/governance/write-policy";

const tag = (policy: Partial<WritableTag["policy"]> = {}, extra: Partial<WritableTag> = {}): WritableTag => ({
  tagId: "bufferTank.temperatureSetpoint",
  nodeId: "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint",
  connection: "plc1",
  dataType: "Double",
  unit: "°C",
  policy: { min: 30, max: 80, maxStep: 5, maxRatePerS: 0.5, approveRole: "engineer", twoPerson: true, ...policy },
  ...extra,
});

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const policyArb = fc
  .record({ a: finite, b: finite, maxStep: fc.option(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), { nil: undefined }) })
  .filter(({ a, b }) => a !== b)
  .map(({ a, b, maxStep }) => tag({ min: Math.min(a, b), max: Math.max(a, b), maxStep, twoPerson: false }));
const role = fc.constantFrom("viewer" as const, "operator" as const, "engineer" as const, "admin" as const);

describe("write policy", () => {
  it("limits pass exactly when min ≤ value ≤ max (property)", () => {
    fc.assert(
      fc.property(policyArb, finite, (t, v) => {
        const limits = rules.valueChecks(t, v, null).find((c) => c.rule === "limits")!;
        assert.equal(limits.pass, v >= t.policy.min && v <= t.policy.max);
        assert.ok(limits.reason.startsWith(`${t.tagId}: `));
        if (!limits.pass) assert.match(limits.reason, / (exceeds max|is below min) /);
      }),
    );
  });

  it("maxStep passes when |value − from| ≤ maxStep, and a larger maxStep never refuses what a smaller one allowed (property)", () => {
    fc.assert(
      fc.property(finite, finite, fc.double({ min: 1e-3, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }), (from, v, step, more) => {
        const check = (maxStep: number) => rules.valueChecks(tag({ min: -1e7, max: 1e7, maxStep }), v, from).find((c) => c.rule === "maxStep")!;
        const small = check(step);
        if (Math.abs(v - from) <= step) assert.ok(small.pass, small.reason);
        if (Math.abs(v - from) > step * (1 + 1e-6)) assert.ok(!small.pass, small.reason);
        if (small.pass) assert.ok(check(step + more).pass);
      }),
    );
  });

  it("names the tag, the step and maxStep with units", () => {
    const [limits, step] = rules.valueChecks(tag(), 67, 55);
    assert.deepEqual(limits, { rule: "limits", pass: true, reason: "bufferTank.temperatureSetpoint: 67 °C within [30, 80 °C]" });
    assert.deepEqual(step, { rule: "maxStep", pass: false, reason: "bufferTank.temperatureSetpoint: step 12 °C exceeds maxStep 5 °C" });
    assert.equal(rules.valueChecks(tag(), 85, 80)[0]!.reason, "bufferTank.temperatureSetpoint: 85 °C exceeds max 80 °C");
    assert.equal(rules.valueChecks(tag(), 58, null)[1]!.pass, false, "no current value: the step cannot be checked");
  });

  it("floating point steps at the limit pass (0.1 → 0.4 with maxStep 0.3)", () => {
    assert.ok(rules.valueChecks(tag({ min: 0, max: 1, maxStep: 0.3 }), 0.4, 0.1)[1]!.pass);
  });

  it("maxRatePerS measures against the previous write's time and value", () => {
    const t = tag();
    assert.equal(rules.rateCheck(t, 60, null, 0)!.pass, true);
    const tooSoon = rules.rateCheck(t, 60, { value: 55, at: 0 }, 4_000)!;
    assert.equal(tooSoon.pass, false);
    assert.equal(tooSoon.reason, "bufferTank.temperatureSetpoint: rate 1.25 °C/s exceeds maxRatePerS 0.5 °C/s (step 5 °C 4 s after the last write; possible in 6 s)");
    assert.equal(rules.rateCheck(t, 60, { value: 55, at: 0 }, 10_000)!.pass, true);
    assert.equal(rules.rateCheck(tag({ maxRatePerS: undefined }), 60, { value: 55, at: 0 }, 1), null);
  });

  it("rate passes exactly when step / elapsed ≤ maxRatePerS (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 1e-3, max: 100, noNaN: true }), (step, dtMs, rate) => {
        const c = rules.rateCheck(tag({ maxRatePerS: rate, min: -1e3, max: 1e3 }), step, { value: 0, at: 0 }, dtMs)!;
        const actual = step / (dtMs / 1000);
        if (actual <= rate) assert.ok(c.pass, c.reason);
        if (actual > rate * (1 + 1e-6)) assert.ok(!c.pass, c.reason);
      }),
    );
  });

  it("interlocks: connection down or degraded, stale inputs, anomaly on related tags", () => {
    const up = rules.interlockChecks(tag(), { connection: { health: "up", detail: "" }, staleInputs: [], anomalies: [] });
    assert.ok(up.every((c) => c.pass));
    for (const health of ["down", "degraded"] as const) {
      const [link] = rules.interlockChecks(tag(), { connection: { health, detail: "plc1 stalled" }, staleInputs: [], anomalies: [] });
      assert.equal(link!.pass, false);
      assert.equal(link!.reason, `bufferTank.temperatureSetpoint: interlock: connection plc1 is ${health} (plc1 stalled); no writes while it is down or degraded`);
    }
  });

  it("two-person rule: two different users, neither the proposer (property over approval sequences)", () => {
    const approval = (userId: number): Approval => ({ userId, username: `u${userId}`, role: "engineer", at: 0, value: 1, reauthenticated: true });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 6 }), (proposer, attempts) => {
        const approvals: Approval[] = [];
        for (const userId of attempts) {
          const checks = rules.approverChecks(tag(), { proposerUserId: proposer, proposedBy: `u${proposer}`, approvals }, { userId, username: `u${userId}`, role: "engineer" });
          const two = checks.find((c) => c.rule === "twoPerson")!;
          const expected = userId !== proposer && !approvals.some((a) => a.userId === userId);
          assert.equal(two.pass, expected, two.reason);
          if (two.pass) approvals.push(approval(userId));
        }
        assert.equal(new Set(approvals.map((a) => a.userId)).size, approvals.length);
        assert.ok(!approvals.some((a) => a.userId === proposer));
      }),
    );
  });

  it("approveRole: a role passes exactly when it is at or above the tag's (property)", () => {
    const rank = { viewer: 0, operator: 1, engineer: 2, admin: 3 };
    fc.assert(
      fc.property(role, fc.constantFrom("operator" as const, "engineer" as const, "admin" as const), (r, required) => {
        const [c] = rules.approverChecks(tag({ approveRole: required, twoPerson: false }), { proposerUserId: null, proposedBy: "system:optimiser", approvals: [] }, { userId: 1, username: "u", role: r });
        assert.equal(c!.pass, rank[r] >= rank[required]);
      }),
    );
  });

  it("auto-approve band: off unless configured, never on two-person tags, never past a failed check (property)", () => {
    fc.assert(
      fc.property(
        fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: undefined }),
        fc.boolean(),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.boolean(),
        (band, twoPerson, step, othersPass) => {
          const t = tag({ autoApproveBand: band, twoPerson, min: -100, max: 100 });
          const others = [{ rule: "limits" as const, pass: othersPass, reason: "" }];
          const c = rules.autoApproveCheck(t, 50, 50 + step, others);
          if (c.pass) {
            assert.ok(band !== undefined && !twoPerson && othersPass && Math.abs(step) <= band * (1 + 1e-9) + 1e-12, c.reason);
          }
          if (band === undefined) assert.match(c.reason, /autoApproveBand off/);
        },
      ),
    );
  });

  it("plant state: a proposal expires when the current value moved more than the tolerance from its start", () => {
    const t = tag();
    assert.equal(rules.plantStateCheck(t, 55, 55.2, 0.25).pass, true);
    const moved = rules.plantStateCheck(t, 55, 60, 0.25);
    assert.deepEqual([moved.pass, moved.drifted], [false, true]);
    const unknown = rules.plantStateCheck(t, 55, null, 0.25);
    assert.deepEqual([unknown.pass, unknown.drifted], [false, false]);
    assert.equal(rules.defaultDriftTolerance(t), 0.25);
  });

  it("values are taken in the tag's type", () => {
    const bool = tag({ min: 0, max: 1 }, { dataType: "Boolean", unit: undefined });
    assert.deepEqual(rules.normaliseValue(bool, 1), { value: true });
    assert.equal("check" in rules.normaliseValue(bool, 0.5), true);
    assert.equal("check" in rules.normaliseValue(tag({}, { dataType: "Int32" }), 1.5), true);
    assert.equal("check" in rules.normaliseValue(tag(), Number.NaN), true);
    assert.ok(rules.sameValue(tag({}, { dataType: "Float" }), 55.3, Math.fround(55.3)));
    assert.ok(!rules.sameValue(tag(), 55.3, Math.fround(55.3)), "a Double must come back exactly");
    assert.ok(!rules.sameValue(tag(), 62, 60));
  });
});
