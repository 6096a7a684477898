import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { chiSquareBounds, chiSquareCdf, chiSquareQuantile, normalQuantile } from "../../../src-workers/estimation/chi-square";
import { cholesky, choleskyWithJitter, solveLower, solveLowerTransposed } from "../../../src-workers/estimation/linalg";

const close = (actual: number, expected: number, relative: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual} vs ${expected}`);

describe("chi-square and normal quantiles", () => {
  it("match published table values (4–5 significant digits)", () => {
    const table: [p: number, k: number, q: number][] = [
      [0.95, 1, 3.8415],
      [0.975, 1, 5.0239],
      [0.025, 1, 0.00098207],
      [0.001, 1, 1.5709e-6],
      [0.025, 2, 0.050636],
      [0.975, 2, 7.3778],
      [0.95, 3, 7.8147],
      [0.025, 5, 0.83121],
      [0.975, 5, 12.833],
      [0.025, 10, 3.2470],
      [0.975, 10, 20.483],
      [0.025, 11, 3.8157],
      [0.975, 11, 21.920],
      [0.99, 20, 37.566],
      [0.95, 100, 124.34],
      [0.05, 100, 77.929],
    ];
    for (const [p, k, q] of table) close(chiSquareQuantile(p, k), q, 2e-4, `χ²(${k}) ${p}-quantile`);
    close(normalQuantile(0.975), 1.959964, 1e-6, "z 0.975");
    close(normalQuantile(0.95), 1.644854, 1e-6, "z 0.95");
    close(normalQuantile(1e-6), -4.753424, 1e-6, "z 1e-6");
    assert.equal(normalQuantile(0.5), 0);
  });

  it("inverts the CDF for any probability and degrees of freedom (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 0.5, max: 300, noNaN: true }), (p, k) => {
        const q = chiSquareQuantile(p, k);
        return q > 0 && Math.abs(chiSquareCdf(q, k) - p) < 1e-9;
      }),
      { numRuns: 300 },
    );
  });

  it("gives two-sided bounds holding the coverage, and rejects impossible arguments", () => {
    const [lo, hi] = chiSquareBounds(11, 0.95);
    close(chiSquareCdf(hi, 11) - chiSquareCdf(lo, 11), 0.95, 1e-12, "coverage");
    assert.throws(() => chiSquareQuantile(1, 3), /p must be in \(0, 1\)/);
    assert.throws(() => chiSquareQuantile(0.5, 0), /degrees of freedom/);
    assert.throws(() => normalQuantile(0), /p must be in \(0, 1\)/);
  });
});

describe("linear algebra", () => {
  it("Cholesky reproduces a random SPD matrix and solves with it (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 64, maxLength: 64 }), (n, raw) => {
        // A = B·Bᵀ + n·I is symmetric positive definite.
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let s = i === j ? n : 0;
          for (let k = 0; k < n; k++) s += raw[i * 8 + k]! * raw[j * 8 + k]!;
          a[i * n + j] = s;
        }
        const l = new Float64Array(n * n);
        assert.ok(cholesky(a, n, l));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
          assert.ok(Math.abs(s - a[i * n + j]!) < 1e-9 * (1 + Math.abs(a[i * n + j]!)));
        }
        const b = Float64Array.from({ length: n }, (_, i) => i + 1);
        const x = new Float64Array(n);
        solveLower(l, n, b, x);
        solveLowerTransposed(l, n, x, x);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
          assert.ok(Math.abs(s - b[i]!) < 1e-8);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("reports a matrix that is not positive definite, and repairs it with the smallest jitter that works", () => {
    const a = Float64Array.from([1, 1, 1, 1]); // singular
    const l = new Float64Array(4);
    assert.equal(cholesky(Float64Array.from([1, 2, 2, 1]), 2, l), false);
    const jitter = choleskyWithJitter(a, 2, l);
    assert.ok(jitter > 0 && jitter < 1e-6, `jitter ${jitter}`);
    assert.ok(Number.isNaN(choleskyWithJitter(Float64Array.from([Number.NaN, 0, 0, 1]), 2, l)));
  });
});
