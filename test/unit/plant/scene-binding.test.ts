// Binding a tag as an edit of the scene text: only the changed fields move; comments, blank lines and the
// author's flow or block style stay; the result is a valid scene meaning exactly the intended change.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { bindTagInSceneText, sceneDataTypeOf } from "../../../src-main/plant/scene-binding";

const demo = readFileSync("scenes/demo-cell.scene.yaml", "utf8");

/** Lines of `after` that are not in `before` (and the reverse): what the edit touched. */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  const count = (lines: string[]) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  return {
    added: b.filter((l) => (cb.get(l) ?? 0) > (ca.get(l) ?? 0) && ca.set(l, (ca.get(l) ?? 0) + 1)),
    removed: a.filter((l) => (ca.get(l) ?? 0) > (cb.get(l) ?? 0) && cb.set(l, (cb.get(l) ?? 0) + 1)),
  };
}

describe("bindTagInSceneText", () => {
  it("rebinds an existing tag by replacing its NodeId in place; nothing else changes", () => {
    const r = bindTagInSceneText(demo, { assetId: "cell", key: "heartbeat", nodeId: "ns=1;s=Other.Heartbeat", dataType: "UInt32" });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.created, false);
    assert.deepEqual(changedLines(demo, r.text), { added: ["        nodeId: ns=1;s=Other.Heartbeat"], removed: ["        nodeId: ns=1;s=DemoCell.Cell.Heartbeat"] });
    assert.equal(r.scene.assets[0]!.tags.heartbeat!.role, "heartbeat", "the role is kept");
  });

  it("adds a new tag at the indentation of its neighbours, before the blank line that ends the asset", () => {
    const r = bindTagInSceneText(demo, { assetId: "cell", key: "pumpSpeed", nodeId: "ns=2;s=Line1.Pump1.Speed", connection: "plc1", dataType: "Double", unit: "rpm", range: [0, 3000] });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.created, true);
    const { added, removed } = changedLines(demo, r.text);
    assert.deepEqual(removed, []);
    assert.deepEqual(added, ["      pumpSpeed:", "        nodeId: ns=2;s=Line1.Pump1.Speed", "        connection: plc1", "        dataType: Double", "        role: measurement", "        unit: rpm", "        range: [0, 3000]"]);
    const lines = r.text.split("\n");
    const at = lines.indexOf("      pumpSpeed:");
    assert.equal(lines[at - 1], "        write: { min: 0, max: 1, approveRole: operator }");
    assert.equal(lines[at + 7], "", "the blank line between assets stays after the asset");
    assert.deepEqual(r.scene.assets[0]!.tags.pumpSpeed, { nodeId: "ns=2;s=Line1.Pump1.Speed", connection: "plc1", dataType: "Double", role: "measurement", unit: "rpm", range: [0, 3000], access: "read", samplingMs: 100, trend: false });
  });

  it("edits flow-style maps in their own style, quoting what a flow scalar cannot hold", () => {
    const text = "scene: 1\nname: x\nconnections: [{ id: plc1, endpoint: \"opc.tcp://h:4840\" }]\nassets:\n  - { id: a, name: A, level: plant, tags: { t: { nodeId: \"ns=1;s=A\", dataType: Double, role: measurement } } }\n";
    const rebound = bindTagInSceneText(text, { assetId: "a", key: "t", nodeId: "ns=1;s=B,C", dataType: "Double", unit: "bar" });
    assert.ok(rebound.ok, JSON.stringify(rebound));
    assert.equal(rebound.text.split("\n")[4], '  - { id: a, name: A, level: plant, tags: { t: { nodeId: "ns=1;s=B,C", dataType: Double, role: measurement, unit: bar } } }');
    const added = bindTagInSceneText(text, { assetId: "a", key: "u", nodeId: "ns=1;s=U", dataType: "Boolean", role: "state" });
    assert.ok(added.ok, JSON.stringify(added));
    assert.match(added.text.split("\n")[4]!, /, u: \{ nodeId: ns=1;s=U, dataType: Boolean, role: state \} \} \}$/);
  });

  it("creates the tags map of an asset that has none", () => {
    const text = "scene: 1\nname: x\nconnections:\n  - id: plc1\n    endpoint: opc.tcp://h:4840\nassets:\n  - id: a\n    name: A\n    level: plant\n";
    const r = bindTagInSceneText(text, { assetId: "a", key: "level", nodeId: "ns=1;s=L", dataType: "Float" });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.text, text + "    tags:\n      level:\n        nodeId: ns=1;s=L\n        dataType: Float\n        role: measurement\n");
  });

  it("refuses what would not be a valid scene, naming the problem, and an unknown asset", () => {
    const unknownConnection = bindTagInSceneText(demo, { assetId: "cell", key: "x", nodeId: "ns=1;s=X", connection: "plc9", dataType: "Double" });
    assert.ok(!unknownConnection.ok);
    assert.match(unknownConnection.problems[0]!.message, /connection "plc9" is not declared/);
    const taken = bindTagInSceneText(demo, { assetId: "cell", key: "x", nodeId: "ns=1;s=DemoCell.Cell.Heartbeat", dataType: "UInt32" });
    assert.ok(!taken.ok);
    assert.match(taken.problems[0]!.message, /already bound to tag cell\.heartbeat/);
    const noAsset = bindTagInSceneText(demo, { assetId: "nope", key: "x", nodeId: "ns=1;s=X", dataType: "Double" });
    assert.deepEqual(!noAsset.ok && noAsset.problems, [{ path: "assets", message: 'no asset with id "nope"' }]);
  });
});

describe("sceneDataTypeOf", () => {
  it("maps browsed DataTypes the scene knows, and says why for the others", () => {
    assert.deepEqual(sceneDataTypeOf({ dataType: "Double", valueRank: -1 }), { ok: true, dataType: "Double" });
    assert.deepEqual(sceneDataTypeOf({ dataType: "Double", valueRank: 1 }), { ok: true, dataType: "DoubleArray" });
    assert.deepEqual(sceneDataTypeOf({ dataType: "UInt32" }), { ok: true, dataType: "UInt32" });
    const int16 = sceneDataTypeOf({ dataType: "Int16", valueRank: -1 });
    assert.ok(!int16.ok && /Int16 cannot be bound yet/.test(int16.reason));
  });
});
