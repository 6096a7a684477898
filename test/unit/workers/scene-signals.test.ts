import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseScene } from "../../../src-main/common/scene/parse";
import { DEMO_CELL_SIGNALS } from "../../../src-workers/models/demo-cell/signals";
import type { SignalType } from "../../../src-workers/plant/simulation-types";

const SCENE = new URL("../../../scenes/demo-cell.scene.yaml", import.meta.url);

const TYPE_OF: Record<string, SignalType> = {
  Double: "Double",
  Float: "Double",
  Int32: "Int32",
  UInt32: "UInt32",
  Boolean: "Boolean",
  DoubleArray: "DoubleArray",
};

describe("demo cell signals against scenes/demo-cell.scene.yaml", () => {
  const parsed = parseScene(readFileSync(SCENE, "utf8"));
  assert.ok(parsed.ok, "the scene parses");
  const scene = parsed.scene;
  const byName = new Map(DEMO_CELL_SIGNALS.map((s) => [s.name, s]));

  it("is the simulation the scene names", () => {
    assert.equal(scene.simulation?.model, "demo-cell");
  });

  it("has a signal of the same name, type and direction for every scene tag; inputs carry the write limits", () => {
    let tags = 0;
    for (const asset of scene.assets) {
      for (const [key, tag] of Object.entries(asset.tags)) {
        tags++;
        const name = `${asset.id}.${key}`;
        const signal = byName.get(name);
        assert.ok(signal, `scene tag ${name} has a simulation signal`);
        assert.equal(signal.type, TYPE_OF[tag.dataType], `${name} type`);
        assert.equal(signal.direction, tag.access === "readWrite" ? "input" : "output", `${name} direction`);
        if (signal.direction === "input") {
          assert.ok(tag.write, `${name} has a write policy`);
          assert.deepEqual(signal.range, [tag.write.min, tag.write.max], `${name} range = write limits`);
        } else if (tag.range) {
          assert.deepEqual(signal.range, tag.range, `${name} expected range`);
        }
        if (tag.unit !== undefined) assert.equal(signal.unit, tag.unit, `${name} unit`);
        assert.ok(!signal.hidden, `${name} is not hidden`);
      }
    }
    assert.ok(tags >= 29);
  });

  it("has no signals beyond the scene's tags except hidden ground truth", () => {
    const tagNames = new Set(scene.assets.flatMap((a) => Object.keys(a.tags).map((k) => `${a.id}.${k}`)));
    const extra = DEMO_CELL_SIGNALS.filter((s) => !tagNames.has(s.name));
    assert.deepEqual(
      extra.map((s) => s.name),
      ["truth.bearingWear", "truth.foulingResistance"],
    );
    for (const s of extra) {
      assert.equal(s.hidden, true);
      assert.equal(s.direction, "output");
    }
    assert.equal(byName.get("truth.foulingResistance")?.unit, "m²K/kW");
    assert.equal(new Set(DEMO_CELL_SIGNALS.map((s) => s.name)).size, DEMO_CELL_SIGNALS.length, "names are unique");
  });
});
