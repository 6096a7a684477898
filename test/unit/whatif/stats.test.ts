import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { band, cholesky, drawLatent, quantileSorted, seriesBands } from "../../../src-workers/whatif/stats";
import { monteCarloDraws, defaultSampleS } from "../../../src-main/whatif/jobs";

describe("Monte Carlo statistics", () => {
  it("quantiles interpolate between order statistics; bands are ordered (property)", () => {
    assert.equal(quantileSorted(Float64Array.of(1, 2, 3, 4, 5), 0.5), 3);
    assert.equal(quantileSorted(Float64Array.of(0, 10), 0.05), 0.5);
    assert.deepEqual(band([7]), { p05: 7, p50: 7, p95: 7 });
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), (xs) => {
        const b = band(xs);
        assert.ok(Math.min(...xs) <= b.p05 && b.p05 <= b.p50 && b.p50 <= b.p95 && b.p95 <= Math.max(...xs));
      }),
    );
  });

  it("series bands per output and time, and of the paired difference", () => {
    // Two outputs, three samples, four runs; run r is the baseline plus r.
    const base = [0, 1, 2, 3].map(() => Float64Array.of(1, 2, 3, 10, 20, 30));
    const runs = base.map((b, r) => b.map((v) => v + r));
    const s = seriesBands(["a.x", "a.y"], 3, 5, runs);
    assert.deepEqual(Array.from(s.timesS), [0, 5, 10]);
    assert.equal(s.p50[0], 2.5);
    assert.equal(s.p50[4], 21.5);
    const d = seriesBands(["a.x", "a.y"], 3, 5, runs, base);
    assert.deepEqual(Array.from(d.p50), [1.5, 1.5, 1.5, 1.5, 1.5, 1.5]);
    assert.ok(Math.abs(d.p05[0]! - 0.15) < 1e-12 && Math.abs(d.p95[0]! - 2.85) < 1e-12);
  });

  it("draws from a Gaussian posterior reproduce its mean and covariance, reproducibly for a seed", () => {
    const posterior = { names: ["p.a", "p.b"], mean: [0.2, 0.1], covariance: [[0.0004, 0.0003], [0.0003, 0.0009]] };
    const draws = drawLatent(posterior, 20_000, 5);
    assert.deepEqual(drawLatent(posterior, 3, 5), draws.slice(0, 3));
    const a = draws.map((d) => d["p.a"]!);
    const b = draws.map((d) => d["p.b"]!);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const ma = mean(a);
    const mb = mean(b);
    const cov = mean(a.map((x, i) => (x - ma) * (b[i]! - mb)));
    assert.ok(Math.abs(ma - 0.2) < 0.001 && Math.abs(mb - 0.1) < 0.001);
    assert.ok(Math.abs(cov - 0.0003) < 0.00003, `covariance ${cov}`);
    const samples = drawLatent({ names: ["p.a"], samples: [[1], [2], [3]] }, 50, 1);
    assert.ok(samples.every((d) => [1, 2, 3].includes(d["p.a"]!)));
  });

  it("Cholesky rescues a semi-definite covariance and refuses an indefinite one", () => {
    const l = cholesky([[4, 2], [2, 1]]);
    assert.ok(Math.abs(l[0]! - 2) < 1e-9 && Math.abs(l[2]! - 1) < 1e-9);
    assert.throws(() => cholesky([[1, 2], [2, 1]]), /not positive semi-definite/);
  });

  it("paired runs: without Monte Carlo one neutral draw (the state's own noise); with it, distinct reproducible seeds", () => {
    assert.deepEqual(monteCarloDraws(1, 3), [{}]);
    const d = monteCarloDraws(4, 3, { processNoise: true });
    assert.equal(new Set(d.map((x) => x.noiseSeed)).size, 4);
    assert.deepEqual(monteCarloDraws(4, 3, { processNoise: true }), d);
    assert.equal(defaultSampleS(3600, 1), 5);
    assert.equal(defaultSampleS(86_400, 1), 120);
    assert.equal(defaultSampleS(600, 2), 2);
  });
});
