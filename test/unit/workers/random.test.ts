import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deriveSeed, Random } from "../../../src-workers/random";

describe("Random", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 20 }, () => a.gaussian());
    const sb = Array.from({ length: 20 }, () => b.gaussian());
    const sc = Array.from({ length: 20 }, () => c.gaussian());
    assert.deepEqual(sa, sb);
    assert.notDeepEqual(sa, sc);
  });

  it("draws uniforms in [0, 1) and standard normals with mean ~0 and sd ~1", () => {
    const r = new Random(7);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = r.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    assert.ok(min >= 0 && max < 1);
    const n = 50_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const g = r.gaussian(3, 2);
      assert.ok(Number.isFinite(g));
      sum += g;
      sumSq += g * g;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    assert.ok(Math.abs(mean - 3) < 0.05, `mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
  });

  it("derives distinct sub-stream seeds and rejects non-finite seeds", () => {
    assert.notEqual(deriveSeed(7, 1), deriveSeed(7, 2));
    assert.equal(deriveSeed(7, 1), deriveSeed(7, 1));
    assert.throws(() => new Random(Number.NaN), RangeError);
  });
});
