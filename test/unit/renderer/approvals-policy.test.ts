// The approvals inbox's view of the write policy: the setpoints a scene offers, the range a decision may set,
// and the form's value parsing, checked against the main process's own rules (they must agree: the form
// should never offer what the main process refuses, nor refuse what it allows).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseScene } from "../../../src-main/common/scene/parse";
import type { WritableTag } from "../../../src-main/governance/policy-book";
import { valueChecks } from "../../../src-main/governance/write-policy";
import { allowedRange, parseSetpointInput, setpointById, writableSetpoints, type SetpointPolicy } from "../../../src-renderer/panels/Approvals/policy";

const sp = (policy: Partial<SetpointPolicy["policy"]> = {}, extra: Partial<SetpointPolicy> = {}): SetpointPolicy => ({
  tagId: "bufferTank.temperatureSetpoint",
  assetName: "Buffer tank",
  key: "temperatureSetpoint",
  dataType: "Double",
  unit: "°C",
  policy: { min: 30, max: 80, maxStep: 5, approveRole: "engineer", twoPerson: true, ...policy },
  ...extra,
});

const asWritable = (s: SetpointPolicy): WritableTag => ({ tagId: s.tagId, nodeId: "ns=1;s=X", connection: "plc", dataType: s.dataType, policy: s.policy });

describe("approvals: write policies from the scene", () => {
  it("lists exactly the demo scene's read-write tags with a write policy, with asset names and units", () => {
    const scene = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
    assert.ok(scene.ok, "the demo scene parses");
    const list = writableSetpoints(scene.scene);
    const expected: string[] = [];
    for (const a of scene.scene.assets) for (const [k, t] of Object.entries(a.tags)) if (t.write && t.access === "readWrite") expected.push(`${a.id}.${k}`);
    assert.deepEqual(list.map((s) => s.tagId), expected);
    assert.ok(expected.length >= 4);
    const temp = setpointById(scene.scene).get("bufferTank.temperatureSetpoint");
    assert.equal(temp?.unit, "°C");
    assert.equal(temp?.policy.twoPerson, true);
    assert.equal(temp?.policy.maxStep, 5);
    assert.deepEqual(writableSetpoints(null), []);
  });
});

describe("approvals: allowed range and value parsing", () => {
  it("clamps the limits to maxStep around the starting value", () => {
    const r = allowedRange(sp().policy, 40)!;
    assert.ok(Math.abs(r.lo - 35) < 1e-8 && Math.abs(r.hi - 45) < 1e-8, JSON.stringify(r));
    assert.equal(allowedRange(sp().policy, 78)!.hi, 80);
    assert.deepEqual(allowedRange(sp().policy, null), { lo: 30, hi: 80 });
    assert.deepEqual(allowedRange(sp({ maxStep: undefined }).policy, 40), { lo: 30, hi: 80 });
    // The plant sits far outside the limits: no value is reachable in one allowed step.
    assert.equal(allowedRange(sp().policy, 100), null);
  });

  it("accepts a typed value exactly when the main process's limits and maxStep checks pass (property)", () => {
    const finite = fc.double({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true });
    const arb = fc
      .record({ a: finite, b: finite, step: fc.option(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), { nil: undefined }), from: fc.option(finite, { nil: null }), v: finite })
      .filter(({ a, b }) => a !== b);
    fc.assert(
      fc.property(arb, ({ a, b, step, from, v }) => {
        const s = sp({ min: Math.min(a, b), max: Math.max(a, b), maxStep: step });
        const form = parseSetpointInput(String(v), s, from);
        const main = valueChecks(asWritable(s), v, from);
        // Main refuses a maxStep with an unknown start; the form allows it (the proposal's own `from` decides).
        const relevant = main.filter((c) => !(c.rule === "maxStep" && from === null));
        const mainAllows = relevant.every((c) => c.pass);
        // The main process allows a float hair (1e-9 relative) beyond a limit; away from the edges they agree.
        const range = allowedRange(s.policy, from);
        const nearEdge = range !== null && Math.min(Math.abs(v - range.lo), Math.abs(v - range.hi)) < 1e-6 * Math.max(1, Math.abs(v));
        if (!nearEdge) assert.equal("value" in form, mainAllows, `v=${v} from=${from} ${JSON.stringify(s.policy)} → ${JSON.stringify(form)}`);
      }),
      // A failure must end the run quickly: shrinking doubles behind a filter can take minutes.
      { numRuns: 500, endOnFailure: true },
    );
  });

  it("allows the step the main process allows at float edges (found by the property below)", () => {
    // A step of 1e4 from −9999.999999999982 against maxStep 9999.999999999978: 4e-12 over, within the
    // main process's float slack, so both accept a value at 0.
    const edge = sp({ min: -1e-129, max: 5e-221, maxStep: 9999.999999999978 });
    assert.ok(valueChecks(asWritable(edge), 8e-271, -9999.999999999982).every((c) => c.pass));
    assert.ok("value" in parseSetpointInput("8e-271", edge, -9999.999999999982));
    // Decimal steps that are exact on paper.
    assert.ok("value" in parseSetpointInput("0.3", sp({ min: 0, max: 1, maxStep: 0.2 }), 0.1));
  });

  it("says what is allowed, in the tag's unit", () => {
    const r = parseSetpointInput("52", sp(), 40);
    assert.ok("error" in r);
    assert.match(r.error, /allowed: 35 … 45 °C \(limits 30…80, at most 5 from 40\)/);
    assert.deepEqual(parseSetpointInput(" 42,5 ", sp(), 40), { value: 42.5 });
    assert.ok("error" in parseSetpointInput("", sp(), 40));
    assert.ok("error" in parseSetpointInput("warm", sp(), 40));
  });

  it("reads Booleans as ON/OFF and integers only as integers", () => {
    const cmd = sp({ min: 0, max: 1, maxStep: undefined }, { dataType: "Boolean", unit: undefined });
    assert.deepEqual(parseSetpointInput("on", cmd, false), { value: true });
    assert.deepEqual(parseSetpointInput("OFF", cmd, true), { value: false });
    assert.deepEqual(parseSetpointInput("1", cmd, null), { value: true });
    assert.ok("error" in parseSetpointInput("2", cmd, null));
    const count = sp({ min: 0, max: 100, maxStep: undefined }, { dataType: "Int32", unit: undefined });
    assert.deepEqual(parseSetpointInput("12", count, 10), { value: 12 });
    const frac = parseSetpointInput("12.5", count, 10);
    assert.ok("error" in frac && /integer/.test(frac.error));
  });
});
