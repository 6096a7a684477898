import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compileObjective, scoreSamples } from "../../../src-workers/optimise/objective";
import { isBetter, patternSearch, type Score } from "../../../src-workers/optimise/pattern-search";
import { Kpi, Objective } from "../../../src-main/common/whatif/schema";

const quadratic = (target: number[]) => async (points: number[][]): Promise<Score[]> =>
  points.map((p) => ({ value: p.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0), violation: 0 }));

describe("bounded pattern search", () => {
  it("finds the grid point nearest an interior minimum and never leaves the bounds (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), async (a, b) => {
        const seen: number[][] = [];
        const f = quadratic([a, b]);
        const r = await patternSearch(
          async (pts) => {
            seen.push(...pts);
            return f(pts);
          },
          { x0: [0, 0], lower: [-2, -1], upper: [2, 1], resolution: [0.25, 0.1] },
          { maxEvaluations: 200 },
        );
        for (const p of seen) assert.ok(p[0]! >= -2 && p[0]! <= 2 && p[1]! >= -1 && p[1]! <= 1, `${p}`);
        const want = [Math.min(2, Math.max(-2, a)), Math.min(1, Math.max(-1, b))];
        assert.ok(Math.abs(r.x[0]! - want[0]!) <= 0.125 + 1e-9 && Math.abs(r.x[1]! - want[1]!) <= 0.05 + 1e-9, `${r.x} vs ${want}`);
        assert.ok(r.evaluations <= 200 && r.score.value <= r.start.value);
      }),
      { numRuns: 40 },
    );
  });

  it("prefers feasible points, moves out of an infeasible start, respects the budget and batches each poll", async () => {
    const batches: number[] = [];
    const r = await patternSearch(
      async (pts) => {
        batches.push(pts.length);
        return pts.map(([x]) => ({ value: x!, violation: Math.max(0, 1 - x!) })); // feasible for x ≥ 1, minimise x
      },
      { x0: [0], lower: [-5], upper: [5], resolution: [0.5] },
      { maxEvaluations: 30 },
    );
    assert.equal(r.x[0], 1);
    assert.equal(r.score.violation, 0);
    assert.ok(r.start.violation > 0);
    assert.equal(batches[0], 1, "the start alone");
    assert.ok(batches.slice(1).every((n) => n <= 2), "one batch of ± polls per iteration");
    const capped = await patternSearch(quadratic([3]), { x0: [0], lower: [-5], upper: [5], resolution: [0.01] }, { maxEvaluations: 5 });
    assert.equal(capped.evaluations, 5);
  });

  it("does not move for less than minImprovement", async () => {
    const r = await patternSearch(async (pts) => pts.map(([x]) => ({ value: -0.001 * x!, violation: 0 })), { x0: [0], lower: [0], upper: [1], resolution: [0.5] }, { maxEvaluations: 20, minImprovement: 0.01 });
    assert.deepEqual(r.x, [0]);
    assert.ok(isBetter({ value: 1, violation: 0 }, { value: 0, violation: 0.1 }));
  });

  it("scores an objective over common-random-number samples: mean value, worst violation", () => {
    const kpis = [Kpi.parse({ id: "energy", kind: "integral", terms: [{ tag: "a.p" }] }), Kpi.parse({ id: "cold", kind: "violation", tag: "a.t", min: 45 })];
    const o = compileObjective(Objective.parse({ setpoints: ["a.sp"], terms: [{ kpi: "energy", weight: 2 }], constraints: [{ kpi: "cold", max: 0 }] }), kpis);
    const s = scoreSamples(o, [Float64Array.of(10, 0), Float64Array.of(14, 3)]);
    assert.deepEqual(s, { value: 24, violation: 3 });
    assert.throws(() => compileObjective(Objective.parse({ setpoints: ["a.sp"], terms: [{ kpi: "nope", weight: 1 }] }), kpis), /"nope" is not a declared KPI \(energy, cold\)/);
  });
});
