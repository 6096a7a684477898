import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalQuantile } from "../../../src-workers/estimation/chi-square";
import type { EstimatorConfig } from "../../../src-workers/estimation/config";
import { Estimator } from "../../../src-workers/estimation/estimator";
import { Prognosis } from "../../../src-workers/estimation/prognosis";
import { PRODUCT_COOLER } from "../../../src-workers/models/demo-cell/heat-exchanger";

// A cooler at constant 55 °C product: fouling grows linearly at r₀·f, r₀ = speedup × foulingRatePerS, with the
// rate factor f ~ N(1, 0.2²). From Rf₀ the time to threshold is (Rth − Rf₀)/(r₀·f): its quantiles are those
// of 1/f, and P(T ≤ H) = P(f ≥ (Rth − Rf₀)/(r₀·H)).
const SPEEDUP = 100;
const R0 = SPEEDUP * PRODUCT_COOLER.foulingRatePerS;
const RF0 = 0.1;
const THRESHOLD = 0.3;
const SIGMA_F = 0.2;

function coolerConfig(): EstimatorConfig {
  return {
    model: {
      components: [
        {
          id: "cooler",
          type: "counterflowHeatExchanger",
          params: { degradationSpeedup: SPEEDUP },
          latent: { foulingResistance: { initial: RF0, sigma: 1e-9, processNoise: 0 }, foulingRateFactor: { initial: 1, sigma: SIGMA_F, processNoise: 0 } },
        },
      ],
      constants: [
        { to: "cooler.productInC", value: 55 },
        { to: "cooler.productFlowM3h", value: 1.5 },
        { to: "cooler.coolantInC", value: 15 },
        { to: "cooler.coolantFlowSetpointM3h", value: 6 },
      ],
      measurements: [{ tag: "cooler.productOutTemp", from: "cooler.productOutC", sigma: 0.05 }],
    },
    prognosis: { targets: [{ id: "cleaning", label: "Cooler cleaning", component: "cooler", state: "foulingResistance", threshold: THRESHOLD }] },
  };
}

function prognosisAfterOneStep(samples: number) {
  const estimator = new Estimator(coolerConfig());
  const prognosis = new Prognosis(estimator, { ...estimator.config.prognosis, samples });
  estimator.step(0, new Float64Array(1), new Uint8Array(1));
  prognosis.observe();
  return prognosis;
}

describe("Monte Carlo prognosis", () => {
  it("matches the closed form: median and 90% interval of the time to threshold, failure probability within a horizon", () => {
    const [p] = prognosisAfterOneStep(20_000).predict(2 * 3600);
    assert.ok(p);
    const life = (f: number) => (THRESHOLD - RF0) / (R0 * f);
    const z = normalQuantile(0.95);
    const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual / expected - 1) < 0.015, `${what}: ${actual} vs ${expected}`);
    close(p.medianS, life(1), "median");
    close(p.lowS, life(1 + z * SIGMA_F), "5th percentile");
    close(p.highS, life(1 - z * SIGMA_F), "95th percentile");
    const fNeeded = (THRESHOLD - RF0) / (R0 * 2 * 3600);
    const expected = 1 - cdf((fNeeded - 1) / SIGMA_F);
    assert.ok(Math.abs(p.failureProbability - expected) < 0.01, `P(fail within 2 h) ${p.failureProbability} vs ${expected}`);
    assert.equal(p.variable, "cooler.foulingResistance");
    assert.equal(p.censored, 0);
    assert.ok(Math.abs(p.mean - RF0) < 1e-6 && Math.abs(p.rateFactor - 1) < 1e-9);
  });

  it("reports lives beyond the projection horizon as censored (Infinity), and is reproducible", () => {
    const prognosis = prognosisAfterOneStep(500);
    (prognosis.settings as { maxHorizonS: number }).maxHorizonS = 4000; // the median life: half the paths run past it
    const [a] = prognosis.predict(600);
    const [b] = prognosis.predict(600);
    assert.deepEqual(a, b);
    assert.ok(a!.censored > 0.4 && a!.censored < 0.6, `censored ${a!.censored}`);
    assert.equal(a!.highS, Infinity);
    assert.throws(() => prognosis.predict(0), /horizonS must be > 0/);
  });

  it("rejects a target that is not a degradation of the model", () => {
    const config = coolerConfig();
    const estimator = new Estimator(config);
    assert.throws(
      () => new Prognosis(estimator, { ...estimator.config.prognosis, targets: [{ id: "x", label: "x", component: "cooler", state: "coolantOutC" }] }),
      /cooler\.coolantOutC is not a degradation of the model; degradations: cooler\.foulingResistance/,
    );
  });
});

/** Standard normal CDF by bisection on the quantile (enough for a test). */
function cdf(x: number): number {
  let lo = 1e-12;
  let hi = 1 - 1e-12;
  for (let k = 0; k < 100; k++) {
    const mid = 0.5 * (lo + hi);
    if (normalQuantile(mid) < x) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
