import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RuleEngine, type RuleFinding, type TagValidationState } from "../../../src-main/historian/rules/engine";
import { resolveRules, ValidationRules, validationIssues } from "../../../src-main/historian/rules-schema";
import { flagNames, QualityFlag } from "../../../src-main/historian/sample";
import { sample, T0 } from "./fixtures";

const level = { id: "bufferTank.level", unit: "m", range: [0, 2.5] as [number, number], samplingMs: 100, role: "measurement", dataType: "Double" };

describe("validation rules in the scene", () => {
  it("derives defaults from the tag: range from EURange, stale from samplingMs for heartbeats", () => {
    const r = resolveRules(level);
    assert.deepEqual(r.range, [0, 2.5]);
    assert.equal(r.staleAfterMs, null, "a measurement at rest is silent (report on change): stale only when declared");
    assert.equal(r.maxRatePerS, null);
    assert.equal(r.stuck, null);
    assert.equal(r.spike, null);
    assert.equal(r.drift, null);
    assert.equal(resolveRules({ ...level, samplingMs: 500, validation: { staleAfter: 10 } }).staleAfterMs, 5_000);
    assert.equal(resolveRules({ ...level, samplingMs: 50, validation: { staleAfter: 10 } }).staleAfterMs, 1_000, "at least 1 s");
    assert.equal(resolveRules({ ...level, role: "setpoint" }).staleAfterMs, null, "a setpoint may stay unchanged for hours");
    assert.equal(resolveRules({ id: "cell.heartbeat", role: "heartbeat", samplingMs: 100 }).staleAfterMs, 1_000);
    assert.equal(resolveRules({ id: "cell.interlock", dataType: "Boolean", range: [0, 1] }).range, null);
  });

  it("applies declared overrides and switches defaults off", () => {
    const r = resolveRules({
      ...level,
      validation: {
        range: [0.1, 2.4],
        maxRatePerS: 0.5,
        stuck: { windowS: 60 },
        spike: {},
        staleAfter: 20,
        drift: { against: "bufferTank.levelB", threshold: 0.05 },
        flagOnly: ["drift"],
      },
    });
    assert.deepEqual(r.range, [0.1, 2.4]);
    assert.equal(r.maxRatePerS, 0.5);
    assert.deepEqual(r.stuck, { windowMs: 60_000, epsilon: 0 });
    assert.deepEqual(r.spike, { sigma: 6, window: 20, minDelta: 0.05 * (2.4 - 0.1) }, "5 % of the (declared) range");
    assert.equal(r.staleAfterMs, 2_000);
    assert.deepEqual(r.drift, { against: "bufferTank.levelB", threshold: 0.05, windowMs: 60_000 });
    assert.equal(r.quarantineMask & QualityFlag.drift, 0);
    assert.notEqual(r.quarantineMask & QualityFlag.spike, 0);
    const off = resolveRules({ ...level, validation: { range: false, staleAfter: false } });
    assert.equal(off.range, null);
    assert.equal(off.staleAfterMs, null);
  });

  it("rejects malformed rules with the path of the field", () => {
    const bad = ValidationRules.safeParse({ maxRatePerS: -1, stuck: { windowS: 10, epsilon: 0, extra: 1 }, range: [3, 1] });
    assert.equal(bad.success, false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    assert.ok(paths.includes("maxRatePerS") && paths.includes("stuck"), paths.join(", "));
    assert.deepEqual(validationIssues({ id: "a.b", dataType: "Double", validation: { spike: {} } }), [
      { path: ["validation", "spike", "minDelta"], message: "a spike rule on a tag without range needs minDelta" },
    ]);
    assert.equal(validationIssues({ id: "a.b", dataType: "Boolean", validation: { maxRatePerS: 1 } }).length, 1);
    assert.deepEqual(validationIssues({ ...level, validation: { drift: { against: "nope.tag", threshold: 1 } } }, new Set([level.id])), [
      { path: ["validation", "drift", "against"], message: "unknown tag nope.tag" },
    ]);
    assert.deepEqual(validationIssues(level, new Set([level.id])), []);
  });
});

describe("rule engine", () => {
  it("flags and quarantines a value that breaks a rule, and says which rule and why", () => {
    const engine = new RuleEngine([{ ...level, validation: { maxRatePerS: 0.5 } }]);
    const findings: RuleFinding[] = [];
    const rows = [sample(level.id, T0, 1.0), sample(level.id, T0 + 100, 1.02), sample(level.id, T0 + 200, 1.34), sample(level.id, T0 + 300, 2.9)];
    const flags = rows.map((r) => engine.check(r, r.sourceTs, findings));
    assert.deepEqual(flags.map(flagNames), [[], [], ["rate", "quarantined"], ["range", "rate", "quarantined"]]);
    assert.equal(rows[2]!.flags, QualityFlag.rate | QualityFlag.quarantined, "the row itself carries the flags");
    assert.deepEqual(
      findings.map((f) => f.message),
      [
        "bufferTank.level: rate of change 3.2 m/s exceeds 0.5 m/s",
        "bufferTank.level: value 2.9 m outside range [0, 2.5] m",
        "bufferTank.level: rate of change 9.4 m/s exceeds 0.5 m/s",
      ],
    );
  });

  it("keeps a per-tag state: active rules since when, cleared when values are fine again", () => {
    const engine = new RuleEngine([level]);
    const changes: TagValidationState[] = [];
    engine.onChange((s) => changes.push(s));
    engine.check(sample(level.id, T0, 1));
    assert.deepEqual(engine.state(level.id), { tagId: level.id, ok: true, active: [], lastValueAt: T0 });
    engine.check(sample(level.id, T0 + 100, 2.6));
    engine.check(sample(level.id, T0 + 200, 2.7));
    const state = engine.state(level.id)!;
    assert.equal(state.ok, false);
    assert.deepEqual(state.active, [{ rule: "range", since: T0 + 100, lastAt: T0 + 200, message: "bufferTank.level: value 2.7 m outside range [0, 2.5] m", quarantines: true, count: 2 }]);
    engine.check(sample(level.id, T0 + 300, 2.4));
    assert.equal(engine.state(level.id)!.ok, true);
    assert.deepEqual(changes.map((c) => c.ok), [false, true], "listeners hear the onset and the end, not every value");
  });

  it("marks a tag stale through tick(now), and a value clears it", () => {
    const engine = new RuleEngine([{ ...level, validation: { staleAfter: 10 } }]);
    engine.check(sample(level.id, T0, 1), T0);
    engine.tick(T0 + 900);
    assert.equal(engine.state(level.id)!.ok, true);
    const findings: RuleFinding[] = [];
    engine.tick(T0 + 1_500, findings);
    engine.tick(T0 + 2_500, findings);
    assert.deepEqual(findings.map((f) => f.message), ["bufferTank.level: no update for 1.5 s (expected every 0.1 s)"], "the onset only");
    assert.deepEqual(engine.state(level.id)!.active.map((a) => [a.rule, a.since, a.quarantines, a.message]), [
      ["stale", T0 + 1_000, false, "bufferTank.level: no update for 2.5 s (expected every 0.1 s)"],
    ]);
    const row = sample(level.id, T0 + 2_600, 1.1);
    assert.equal(engine.check(row, T0 + 2_600), 0, "the next value is not itself suspicious");
    assert.equal(engine.state(level.id)!.ok, true);
  });

  it("does not judge bad-quality values, flags NaN/Infinity, and checks arrays element-wise", () => {
    const engine = new RuleEngine([level, { id: "line.items", unit: "m", range: [0, 4.2], dataType: "DoubleArray" }]);
    assert.equal(engine.check(sample(level.id, T0, 99, { quality: "bad" })), 0);
    assert.deepEqual(flagNames(engine.check(sample(level.id, T0 + 1, NaN))), ["nonFinite", "quarantined"]);
    assert.deepEqual(flagNames(engine.check(sample("line.items", T0, [0.5, 5]))), ["range", "quarantined"]);
    assert.deepEqual(flagNames(engine.check(sample("line.items", T0 + 1, [0.5, Infinity]))), ["range", "nonFinite", "quarantined"]);
    assert.deepEqual(flagNames(engine.check(sample("unknown.tag", T0, -Infinity))), ["nonFinite", "quarantined"], "unknown tags get the bare defaults");
  });

  it("checks drift against a redundant sensor and against the model's prediction", () => {
    const engine = new RuleEngine([
      { ...level, id: "bufferTank.levelA", validation: { drift: { against: "bufferTank.levelB", threshold: 0.05, windowS: 5 }, flagOnly: ["drift"] } },
      { ...level, id: "bufferTank.levelB" },
      { ...level, id: "bufferTank.levelC", validation: { drift: { against: "model", threshold: 0.05, windowS: 5 } } },
    ]);
    let firstA = -1;
    let firstC = -1;
    for (let k = 0; k < 300; k++) {
      const t = T0 + k * 100;
      const truth = 1.2;
      const offset = Math.max(0, k - 50) * 0.001;
      engine.check(sample("bufferTank.levelB", t, truth));
      const a = engine.check(sample("bufferTank.levelA", t, truth + offset));
      engine.expect("bufferTank.levelC", t, truth);
      const c = engine.check(sample("bufferTank.levelC", t, truth + offset));
      if (firstA < 0 && a & QualityFlag.drift) {
        firstA = k;
        assert.equal(a & QualityFlag.quarantined, 0, "drift is flag-only for A");
      }
      if (firstC < 0 && c & QualityFlag.drift) {
        firstC = k;
        assert.notEqual(c & QualityFlag.quarantined, 0);
      }
    }
    assert.ok(firstA > 100 && firstA < 200, `A drifted at ${firstA}`);
    assert.equal(firstC, firstA, "the model reference behaves like a redundant sensor");
  });
});
