import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { chiSquareBounds } from "../../../src-workers/estimation/chi-square";
import { ExtendedKalmanFilter } from "../../../src-workers/estimation/ekf";
import type { FilterModel, KalmanFilter } from "../../../src-workers/estimation/filter-model";
import { UnscentedKalmanFilter } from "../../../src-workers/estimation/ukf";
import { Random } from "../../../src-workers/random";

/** Constant velocity: position and velocity; measured: position, and position + velocity. */
const Q = [0, 0.04];
const R_SD = [0.5, 1];
const linearModel: FilterModel = {
  size: 2,
  measurementSize: 2,
  processNoise: Float64Array.from(Q),
  lower: Float64Array.from([-Infinity, -Infinity]),
  upper: Float64Array.from([Infinity, Infinity]),
  propagate(z, t0, t1) {
    z[0] = z[0]! + (t1 - t0) * z[1]!;
  },
  measure(z, _t, y) {
    y[0] = z[0]!;
    y[1] = z[0]! + z[1]!;
  },
};

/** The textbook Kalman filter for the same model, with plain arrays. */
class ReferenceKalman {
  x = [0, 1];
  p = [
    [4, 0],
    [0, 1],
  ];
  predict(dt: number) {
    const [x0, x1] = this.x as [number, number];
    this.x = [x0 + dt * x1, x1];
    const f = [
      [1, dt],
      [0, 1],
    ];
    const fp = mul(f, this.p);
    this.p = mul(fp, transpose(f));
    this.p[0]![0]! += Q[0]! * dt;
    this.p[1]![1]! += Q[1]! * dt;
  }
  update(y: number[], mask: number[]) {
    const rows = [0, 1].filter((i) => mask[i]);
    if (rows.length === 0) return;
    const hAll = [
      [1, 0],
      [1, 1],
    ];
    const h = rows.map((i) => hAll[i]!);
    const s = mul(mul(h, this.p), transpose(h)).map((row, a) => row.map((v, b) => v + (a === b ? R_SD[rows[a]!]! ** 2 : 0)));
    const k = mul(mul(this.p, transpose(h)), inverse(s));
    const nu = rows.map((i, a) => y[i]! - (h[a]![0]! * this.x[0]! + h[a]![1]! * this.x[1]!));
    this.x = this.x.map((v, i) => v + k[i]!.reduce((acc, kv, a) => acc + kv * nu[a]!, 0));
    const kh = mul(k, h);
    const ikh = kh.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - v));
    this.p = mul(ikh, this.p);
  }
}

function mul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}
function transpose(a: number[][]): number[][] {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}
function inverse(a: number[][]): number[][] {
  if (a.length === 1) return [[1 / a[0]![0]!]];
  const [[p, q], [r, s]] = a as [[number, number], [number, number]];
  const det = p * s - q * r;
  return [
    [s / det, -q / det],
    [-r / det, p / det],
  ];
}

const init = () => ({ mean: Float64Array.from([0, 1]), sd: Float64Array.from([2, 1]), measurementSd: Float64Array.from(R_SD) });

function compareWithReference(make: () => KalmanFilter, tolerance: number) {
  fc.assert(
    fc.property(
      fc.array(fc.record({ dt: fc.double({ min: 0.01, max: 2, noNaN: true }), y0: fc.double({ min: -20, max: 20, noNaN: true }), y1: fc.double({ min: -20, max: 20, noNaN: true }), m0: fc.boolean(), m1: fc.boolean() }), { minLength: 1, maxLength: 30 }),
      (steps) => {
        const filter = make();
        const ref = new ReferenceKalman();
        let t = 0;
        filter.predict(t);
        for (const s of steps) {
          t += s.dt;
          filter.predict(t);
          ref.predict(s.dt);
          const mask = [s.m0 ? 1 : 0, s.m1 ? 1 : 0];
          filter.update(Float64Array.from([s.y0, s.y1]), Uint8Array.from(mask));
          ref.update([s.y0, s.y1], mask);
          for (let i = 0; i < 2; i++) {
            assert.ok(Math.abs(filter.mean[i]! - ref.x[i]!) < tolerance * (1 + Math.abs(ref.x[i]!)), `mean ${i}: ${filter.mean[i]} vs ${ref.x[i]}`);
            for (let j = 0; j < 2; j++) {
              assert.ok(Math.abs(filter.covariance[i * 2 + j]! - ref.p[i]![j]!) < tolerance * (1 + Math.abs(ref.p[i]![j]!)), `P${i}${j}`);
            }
          }
          assert.equal(filter.report.dof, mask[0]! + mask[1]!);
        }
      },
    ),
    { numRuns: 100 },
  );
}

describe("Kalman filters on a linear model", () => {
  it("the UKF equals the Kalman filter (variable time steps, masked measurements) to 1e-9", () => {
    compareWithReference(() => new UnscentedKalmanFilter(linearModel, init(), { alpha: 1, beta: 2, kappa: 0 }), 1e-9);
  });

  it("so does the UKF with small α (large negative central weight)", () => {
    compareWithReference(() => new UnscentedKalmanFilter(linearModel, init(), { alpha: 0.1, beta: 2, kappa: 0 }), 1e-6);
  });

  it("the EKF (finite-difference Jacobians, Joseph form) equals it to 1e-6", () => {
    compareWithReference(() => new ExtendedKalmanFilter(linearModel, init()), 1e-6);
  });

  for (const [name, make] of [
    ["UKF", () => new UnscentedKalmanFilter(linearModel, init())],
    ["EKF", () => new ExtendedKalmanFilter(linearModel, init())],
  ] as const) {
    it(`${name}: on data from the model, the NIS is χ²-distributed (mean ≈ dof, ~95% inside the 95% bounds)`, () => {
      const filter = make();
      const rnd = new Random(42);
      const truth = [0, 1];
      const [lo, hi] = chiSquareBounds(2, 0.95);
      let sum = 0;
      let inside = 0;
      const steps = 4000;
      filter.predict(0);
      for (let k = 1; k <= steps; k++) {
        truth[1] = truth[1]! + Math.sqrt(Q[1]! * 0.5) * rnd.gaussian();
        truth[0] = truth[0]! + 0.5 * truth[1]!; // the filter's model: position moves with the new velocity over dt
        filter.predict(k * 0.5);
        const y = Float64Array.from([truth[0]! + R_SD[0]! * rnd.gaussian(), truth[0]! + truth[1]! + R_SD[1]! * rnd.gaussian()]);
        filter.update(y, Uint8Array.from([1, 1]));
        sum += filter.report.nis;
        if (filter.report.nis >= lo && filter.report.nis <= hi) inside++;
      }
      assert.ok(Math.abs(sum / steps - 2) < 0.15, `mean NIS ${sum / steps}`);
      assert.ok(Math.abs(inside / steps - 0.95) < 0.015, `inside ${inside / steps}`);
    });
  }

  it("skips every masked or non-finite measurement, and keeps time only forward", () => {
    const filter = new UnscentedKalmanFilter(linearModel, init());
    filter.predict(0);
    filter.predict(1);
    const before = Float64Array.from(filter.covariance);
    filter.update(Float64Array.from([Number.NaN, 3]), Uint8Array.from([1, 0]));
    assert.equal(filter.report.dof, 0);
    assert.ok(Number.isNaN(filter.report.nis));
    assert.deepEqual(Array.from(filter.covariance), Array.from(before));
    assert.throws(() => filter.predict(0.5), /time must not go back/);
  });

  it("repairs a covariance that lost positive definiteness with jitter, and reports it", () => {
    const filter = new UnscentedKalmanFilter(linearModel, init());
    filter.predict(0);
    filter.covariance.set([1, 2, 2, 1]); // indefinite
    filter.predict(0.1);
    assert.equal(filter.report.repairs, 1);
    assert.ok(filter.report.jitter > 0);
    const p = filter.covariance;
    assert.ok(p[0]! > 0 && p[3]! > 0 && p[0]! * p[3]! - p[1]! * p[2]! > 0, `P = ${Array.from(p)}`);
  });
});
