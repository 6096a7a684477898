import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseScene } from "../../../src-main/common/scene/parse";

const demoText = readFileSync("scenes/demo-cell.scene.yaml", "utf8");

function problemsOf(text: string) {
  const r = parseScene(text);
  assert.equal(r.ok, false, "expected the scene to be rejected");
  return r.ok ? [] : r.problems;
}

describe("scene parsing", () => {
  it("accepts the demo scene with its assets, hierarchy and write policies", () => {
    const r = parseScene(demoText);
    assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.problems));
    assert.deepEqual(r.scene.assets.map((a) => a.id), ["cell", "feedPump", "bufferTank", "heatExchanger", "fillingStation"]);
    const sp = r.scene.assets.find((a) => a.id === "bufferTank")!.tags.temperatureSetpoint!;
    assert.equal(sp.write?.twoPerson, true);
    assert.equal(sp.write?.approveRole, "engineer");
  });

  it("names the line, the field path and the suggestion for a misspelled field", () => {
    const bad = demoText.replace("        unit: rpm\n", "        unti: rpm\n");
    const [p] = problemsOf(bad);
    assert.equal(p!.path, "assets[1].tags.speed.unti");
    assert.match(p!.message, /unknown field "unti" \(did you mean "unit"\?\)/);
    const expectedLine = bad.split("\n").findIndex((l) => l.includes("unti: rpm")) + 1;
    assert.equal(p!.line, expectedLine);
  });

  it("names the expected type for a wrong type", () => {
    const bad = demoText.replace("radius: 0.8, height: 2.5", 'radius: "wide", height: 2.5');
    const [p] = problemsOf(bad);
    assert.equal(p!.path, "assets[2].geometry[0].radius");
    assert.match(p!.message, /expected number/);
    assert.ok(p!.line! > 0);
  });

  it("rejects a child asset whose parent does not exist or sits at a lower level", () => {
    const missing = problemsOf(demoText.replace("    parent: cell\n    description: Centrifugal", "    parent: nowhere\n    description: Centrifugal"));
    assert.match(missing[0]!.message, /parent "nowhere" is not an asset id/);
    const inverted = problemsOf(demoText.replace("  - id: cell\n    name: Process cell 1\n    level: line", "  - id: cell\n    name: Process cell 1\n    level: component"));
    assert.ok(inverted.some((p) => /cannot sit under a component/.test(p.message)));
  });

  it("rejects a geometry binding to a tag the asset does not have", () => {
    const [p] = problemsOf(demoText.replace("fillTag: level,", "fillTag: levle,"));
    assert.equal(p!.path, "assets[2].geometry[0].fillTag");
    assert.match(p!.message, /"levle" is not a tag of asset "bufferTank"/);
  });

  it("rejects the same NodeId bound twice and a writable setpoint without a write policy", () => {
    const dup = problemsOf(demoText.replace("ns=1;s=DemoCell.FeedPump.Flow", "ns=1;s=DemoCell.FeedPump.Speed"));
    assert.ok(dup.some((p) => /already bound to tag feedPump.speed/.test(p.message)));
    const noPolicy = problemsOf(demoText.replace("        write: { min: 2, max: 15, maxStep: 2, approveRole: engineer }\n", ""));
    assert.ok(noPolicy.some((p) => p.path.endsWith("coolantFlowSetpoint.write") && /needs a write policy/.test(p.message)));
  });

  it("reports broken YAML with its position instead of throwing", () => {
    const [p] = problemsOf("scene: 1\nname: [unclosed\n");
    assert.match(p!.message, /not valid YAML/);
    assert.ok(p!.line);
  });
});
