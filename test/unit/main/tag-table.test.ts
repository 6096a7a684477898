import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseScene } from "../../../src-main/common/scene/parse";
import { SampleRing, TagTable } from "../../../src-main/runtime/tag-table";

const parsed = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
if (!parsed.ok) throw new Error("demo scene invalid");
const scene = parsed.scene;

describe("SampleRing", () => {
  it("keeps the newest `capacity` samples in order (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.double({ noNaN: true }), { maxLength: 200 }), (capacity, values) => {
        const ring = new SampleRing(capacity);
        values.forEach((v, k) => ring.push(k, v));
        const { t, v } = ring.read(-Infinity, 10_000);
        const expected = values.slice(-capacity);
        assert.deepEqual(v, expected);
        assert.deepEqual(t, expected.map((_, k) => values.length - expected.length + k));
      }),
    );
  });

  it("thins to at most maxPoints and filters by time", () => {
    const ring = new SampleRing(1000);
    for (let k = 0; k < 1000; k++) ring.push(k, k);
    const { t } = ring.read(500, 100);
    assert.ok(t.length <= 100 && t.length >= 50);
    assert.ok(t[0]! >= 500);
  });
});

describe("TagTable", () => {
  it("indexes every scene tag as <asset>.<key>", () => {
    const table = new TagTable(scene);
    assert.ok(table.tag("bufferTank.level"));
    assert.equal(table.tags.filter((t) => t.writable).length, 6);
    assert.deepEqual(table.tags.map((t) => t.index), table.tags.map((_, k) => k));
  });

  it("records samples, keeps bad ones out of the trend, and counts the rate", () => {
    const table = new TagTable(scene, 100);
    const level = table.tag("bufferTank.level")!.index;
    const now = 1_000_000;
    table.record([{ i: level, v: 1.2, q: "good", status: "Good", ts: now, rx: now }], now);
    table.record([{ i: level, v: null, q: "bad", status: "BadSensorFailure", ts: now + 100, rx: now + 100 }], now + 100);
    const [series] = table.trend(["bufferTank.level"], 0, 10);
    assert.deepEqual(series!.v, [1.2, null]);
    assert.equal(table.snapshot()[0]!.status, "BadSensorFailure");
    assert.equal(table.updateRateHz(now + 200), 0.5);
    assert.equal(table.updateRateHz(now + 10_000), 0);
  });

  it("reports a steady stream at its real rate (property over rate and phase)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 10_000 }), (perSecond, phase) => {
        const table = new TagTable(scene, 10);
        const start = 5_000_000 + phase;
        const step = 1000 / perSecond;
        let t = start;
        for (; t < start + 10_000; t += step) table.record([{ i: 0, v: 1, q: "good", status: "Good", ts: t, rx: t }], t);
        const rate = table.updateRateHz(t);
        assert.ok(Math.abs(rate - perSecond) <= perSecond * 0.1 + 0.5, `rate ${rate} for ${perSecond}/s`);
      }),
      { numRuns: 50 },
    );
  });
});
