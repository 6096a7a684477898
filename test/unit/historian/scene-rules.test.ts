/**
 * Validation rules as scene fields: parsed with the scene, reported with file position and field path when
 * wrong (what validate-scene prints), and handed to the historian's rule engine by historianTagsOfScene.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseScene } from "../../../src-main/common/scene/parse";
import { historianTagsOfScene } from "../../../src-main/historian/historian";
import { RuleEngine } from "../../../src-main/historian/rules/engine";
import { tagsOfScene } from "../../../src-main/runtime/tag-table";

const DEMO = readFileSync("scenes/demo-cell.scene.yaml", "utf8");

/** The demo scene with one line replaced (the test fails loudly when the line is gone). */
function demoWith(find: string, replace: string): string {
  assert.ok(DEMO.includes(find), `the demo scene holds ${find}`);
  return DEMO.replace(find, replace);
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split("\n").length;
}

describe("validation rules in the scene file", () => {
  it("the demo scene declares rules that reach the rule engine, with the defaults for the other tags", () => {
    const parsed = parseScene(DEMO);
    assert.ok(parsed.ok);
    const engine = new RuleEngine(historianTagsOfScene(parsed.scene, tagsOfScene(parsed.scene)));
    const level = engine.rulesOf("bufferTank.level")!;
    assert.equal(level.spike?.sigma, 8);
    assert.deepEqual(level.range, [0, 2.5], "range from the tag's EURange");
    const outlet = engine.rulesOf("bufferTank.outletFlow")!;
    assert.deepEqual(outlet.drift, { against: "feedPump.flow", threshold: 1, windowMs: 120_000 });
    const temperature = engine.rulesOf("bufferTank.temperature")!;
    assert.equal(temperature.maxRatePerS, null, "nothing declared: rate is off");
    assert.equal(temperature.staleAfterMs, null, "a measurement may rest at one value: stale only when declared");
    assert.equal(level.staleAfterMs, 2_000, "declared: 20 × 100 ms");
    assert.equal(engine.rulesOf("cell.heartbeat")!.staleAfterMs, 1_000, "a heartbeat by default");
  });

  it("reports a malformed rule at its line with the field path", () => {
    const text = demoWith("validation: { spike: { sigma: 8 },", "validation: { maxRatePerS: -0.1, spike: { sigma: 8 },");
    const r = parseScene(text);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.path === "assets[2].tags.level.validation.maxRatePerS");
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.line, lineOf(text, "maxRatePerS: -0.1"));
  });

  it("reports a misspelled rule field and a drift rule naming an unknown tag, each at its line", () => {
    const text = demoWith("spike: { sigma: 8 }", "spikes: { sigma: 8 }").replace("against: feedPump.flow", "against: feedPump.flw");
    const r = parseScene(text);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const unknownField = r.problems.find((x) => x.path === "assets[2].tags.level.validation.spikes");
    assert.match(unknownField?.message ?? "", /unknown field "spikes"/);
    assert.equal(unknownField?.line, lineOf(text, "spikes:"));
    const drift = r.problems.find((x) => x.path === "assets[2].tags.outletFlow.validation.drift.against");
    assert.equal(drift?.message, "unknown tag feedPump.flw");
    assert.equal(drift?.line, lineOf(text, "feedPump.flw"));
  });

  it("refuses numeric rules on a Boolean tag and a drift against the tag itself", () => {
    const text = demoWith(
      "        role: alarm\n",
      "        role: alarm\n        validation: { maxRatePerS: 1 }\n",
    ).replace("against: feedPump.flow", "against: bufferTank.outletFlow");
    const r = parseScene(text);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const messages = r.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(messages.some((m) => /validation\.maxRatePerS: maxRatePerS need a scalar numeric tag, not Boolean/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /outletFlow\.validation\.drift\.against: a tag cannot drift against itself/.test(m)), messages.join("\n"));
  });
});
