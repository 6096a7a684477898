import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ResidualMonitor } from "../../../src-workers/estimation/anomaly";
import { learnPca, PcaMonitor, symmetricEigen } from "../../../src-workers/estimation/pca";
import { Random } from "../../../src-workers/random";

const SETTINGS = { cusumK: 1, cusumH: 15, nisK: 1, nisH: 25, stuckVarianceRatio: 0.1, stuckH: 20 };
const TAGS = ["a.flow", "a.pressure", "b.temperature"];

/** Feeds n steps of normalised innovations from `draw`; returns the alarm ids seen and when first. */
function feed(monitor: ResidualMonitor, rnd: Random, steps: number, t0: number, draw: (i: number, g: number) => number): Map<string, number> {
  const seen = new Map<string, number>();
  const z = new Float64Array(TAGS.length);
  for (let k = 0; k < steps; k++) {
    let nis = 0;
    for (let i = 0; i < z.length; i++) {
      z[i] = draw(i, rnd.gaussian());
      nis += z[i]! * z[i]!;
    }
    const t = t0 + k * 0.05;
    monitor.update(t, z, nis, z.length);
    for (const a of monitor.active()) if (!seen.has(a.id)) seen.set(a.id, t);
  }
  return seen;
}

describe("residual monitor", () => {
  it("stays quiet on healthy innovations: 100 000 steps (> 1.3 h at 20 Hz) of N(0, 1) on three tags", () => {
    const seen = feed(new ResidualMonitor(TAGS, SETTINGS), new Random(3), 100_000, 0, (_i, g) => g);
    assert.deepEqual([...seen.keys()], []);
  });

  it("a step on one tag raises its CUSUM alarm within seconds, naming that tag; it clears after the step ends", () => {
    const monitor = new ResidualMonitor(TAGS, SETTINGS);
    const rnd = new Random(5);
    feed(monitor, rnd, 200, 0, (_i, g) => g);
    const seen = feed(monitor, rnd, 100, 10, (i, g) => g + (i === 1 ? 3 : 0));
    assert.ok(seen.has("cusum:a.pressure"), `alarms ${[...seen.keys()]}`);
    assert.ok(seen.get("cusum:a.pressure")! < 10 + 0.5, "within 10 steps");
    assert.equal([...seen.keys()].filter((id) => id.startsWith("cusum:")).length, 1);
    const alarm = monitor.active().find((a) => a.id === "cusum:a.pressure")!;
    assert.deepEqual(alarm.tags, [{ tag: "a.pressure", share: 1 }]);
    assert.match(alarm.message, /positive deviation/);
    feed(monitor, rnd, 200, 15, (_i, g) => g);
    assert.equal(monitor.active().some((a) => a.id === "cusum:a.pressure"), false);
  });

  it("a stuck sensor (innovations collapse) raises the stuck alarm naming it", () => {
    const monitor = new ResidualMonitor(TAGS, SETTINGS);
    const rnd = new Random(7);
    feed(monitor, rnd, 200, 0, (_i, g) => g);
    const seen = feed(monitor, rnd, 60, 10, (i, g) => (i === 2 ? 0.05 * g : g));
    assert.deepEqual([...seen.keys()], ["stuck:b.temperature"]);
    assert.ok(seen.get("stuck:b.temperature")! < 10 + 1.5, "within 30 steps");
  });

  it("the NIS CUSUM names the tags carrying the excess", () => {
    const monitor = new ResidualMonitor(TAGS, { ...SETTINGS, cusumH: 1e9 });
    const rnd = new Random(9);
    feed(monitor, rnd, 200, 0, (_i, g) => g);
    // Variance up on the temperature only: no mean shift for the CUSUMs, but the NIS grows.
    feed(monitor, rnd, 200, 10, (i, g) => (i === 2 ? 4 * g : g));
    const nis = monitor.active().find((a) => a.id === "nis");
    assert.ok(nis, "NIS alarm");
    assert.equal(nis.tags[0]!.tag, "b.temperature");
    assert.ok(nis.tags[0]!.share > 0.8);
  });
});

describe("PCA detector", () => {
  it("eigen-decomposes symmetric matrices: A = V·Λ·Vᵀ with orthonormal V, values descending (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 49, maxLength: 49 }), (n, raw) => {
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = raw[i * 7 + j]!;
        const { values, vectors } = symmetricEigen(a, n);
        for (let k = 1; k < n; k++) assert.ok(values[k - 1]! >= values[k]! - 1e-12);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let rec = 0;
          let ortho = 0;
          for (let k = 0; k < n; k++) {
            rec += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
            ortho += vectors[k * n + i]! * vectors[k * n + j]!;
          }
          assert.ok(Math.abs(rec - a[i * n + j]!) < 1e-9, "reconstruction");
          assert.ok(Math.abs(ortho - (i === j ? 1 : 0)) < 1e-9, "orthonormal");
        }
      }),
      { numRuns: 150 },
    );
  });

  it("learns correlated normal data, keeps the components for the variance asked, and sets χ²/Box limits", () => {
    const rnd = new Random(11);
    const rows = 3000;
    const data = new Float64Array(rows * 3);
    for (let r = 0; r < rows; r++) {
      const common = rnd.gaussian();
      data[r * 3] = common + 0.1 * rnd.gaussian();
      data[r * 3 + 1] = 2 * common + 0.2 * rnd.gaussian();
      data[r * 3 + 2] = rnd.gaussian();
    }
    const model = learnPca(data, rows, 3, 0.9, 0.01);
    assert.equal(model.components, 2);
    assert.ok(model.eigenvalues[0]! > 1.9 && model.eigenvalues[0]! < 2.1, `λ1 ${model.eigenvalues[0]}`);
    assert.ok(Math.abs(model.t2Limit - 9.2103) < 1e-3, `T² limit ${model.t2Limit}`);
    assert.ok(model.speLimit > 0 && Number.isFinite(model.speLimit));
  });

  it("alarms on a broken correlation (SPE) naming the tags that broke it, not on 20 000 normal samples", () => {
    const rnd = new Random(13);
    const monitor = new PcaMonitor(TAGS, { enabled: true, warmupS: 1, trainingS: 100, varianceFraction: 0.9, alpha: 0.01, window: 20, count: 10 });
    const x = new Float64Array(3);
    const sample = (t: number, broken: boolean) => {
      const common = rnd.gaussian();
      x[0] = common + 0.1 * rnd.gaussian();
      x[1] = (broken ? -2 : 2) * common + 0.2 * rnd.gaussian();
      x[2] = rnd.gaussian();
      monitor.update(t, x);
    };
    let t = 0;
    for (; t < 200; t += 0.05) sample(t, false);
    assert.equal(monitor.state, "monitoring");
    for (let k = 0; k < 20_000; k++, t += 0.05) sample(t, false);
    assert.deepEqual(monitor.active(), []);
    for (let k = 0; k < 40; k++, t += 0.05) sample(t, true);
    const spe = monitor.active().find((a) => a.detector === "pca-spe");
    assert.ok(spe, `alarms: ${JSON.stringify(monitor.active())}`);
    assert.deepEqual(spe.tags.slice(0, 2).map((c) => c.tag).sort(), ["a.flow", "a.pressure"]);
  });
});
