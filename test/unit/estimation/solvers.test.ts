import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Dopri5 } from "../../../src-workers/solvers/dopri5";
import { Rk4, type Derivative } from "../../../src-workers/solvers/rk4";

// Closed-form problems: y' = −λy (y = e^(−λt)) and the harmonic oscillator x'' = −ω²x (x = cos ωt).
const LAMBDA = 1.3;
const OMEGA = 2;
const decay: Derivative = (_t, y, dydt) => {
  dydt[0] = -LAMBDA * y[0]!;
};
const oscillator: Derivative = (_t, y, dydt) => {
  dydt[0] = y[1]!;
  dydt[1] = -OMEGA * OMEGA * y[0]!;
};
const exactDecay = (t: number) => [Math.exp(-LAMBDA * t)];
const exactOscillator = (t: number) => [Math.cos(OMEGA * t), -OMEGA * Math.sin(OMEGA * t)];

function error(y: Float64Array, exact: number[]): number {
  return Math.hypot(...Array.from(y, (v, i) => v - exact[i]!));
}

/** Global error at T of fixed steps h with the given one-step method. */
function fixedStepError(step: (f: Derivative, t: number, y: Float64Array, h: number) => void, f: Derivative, y0: number[], exact: number[], T: number, h: number): number {
  const y = Float64Array.from(y0);
  const n = Math.round(T / h);
  for (let k = 0; k < n; k++) step(f, k * h, y, h);
  return error(y, exact);
}

const rk4Step = (size: number) => {
  const rk4 = new Rk4(size);
  return (f: Derivative, t: number, y: Float64Array, h: number) => void rk4.step(f, t, y, h);
};
const dopriStep = (size: number) => {
  const d = new Dopri5(size);
  return (f: Derivative, t: number, y: Float64Array, h: number) => void d.stepFixed(f, t, y, h);
};

/** log2 of the error ratio when h is halved: the observed order. */
function observedOrder(step: ReturnType<typeof rk4Step>, f: Derivative, y0: number[], exact: number[], T: number, h: number): number {
  return Math.log2(fixedStepError(step, f, y0, exact, T, h) / fixedStepError(step, f, y0, exact, T, h / 2));
}

describe("fixed-step convergence orders", () => {
  it("RK4 is 4th order: halving h divides the global error by ~16 (decay and oscillator)", () => {
    const onDecay = observedOrder(rk4Step(1), decay, [1], exactDecay(2), 2, 0.1);
    const onOscillator = observedOrder(rk4Step(2), oscillator, [1, 0], exactOscillator(5), 5, 0.04);
    for (const order of [onDecay, onOscillator]) assert.ok(order > 3.8 && order < 4.2, `observed order ${order}`);
  });

  it("DOPRI5 at fixed step is 5th order: halving h divides the global error by ~32 (decay and oscillator)", () => {
    const onDecay = observedOrder(dopriStep(1), decay, [1], exactDecay(2), 2, 0.1);
    const onOscillator = observedOrder(dopriStep(2), oscillator, [1, 0], exactOscillator(5), 5, 0.05);
    for (const order of [onDecay, onOscillator]) assert.ok(order > 4.8 && order < 5.4, `observed order ${order}`);
  });

  it("keeps its 5th order for any decay rate and step in the asymptotic range (property)", () => {
    // λh sets how far into the asymptotic range a step is; errors must stay well above rounding (≥ 1e-12).
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 3, noNaN: true }), fc.double({ min: 0.08, max: 0.3, noNaN: true }), fc.integer({ min: 8, max: 20 }), (lambda, lambdaH, steps) => {
        const f: Derivative = (_t, y, dydt) => {
          dydt[0] = -lambda * y[0]!;
        };
        const h = lambdaH / lambda;
        const T = steps * h;
        const order = observedOrder(dopriStep(1), f, [1], [Math.exp(-lambda * T)], T, h);
        return order > 4.8 && order < 5.4;
      }),
      { numRuns: 100 },
    );
  });
});

describe("DOPRI5 with error control", () => {
  it("error scales with the tolerance: one decade of rtol gives about one decade of global error", () => {
    const errs = [1e-5, 1e-6, 1e-7, 1e-8, 1e-9].map((tol) => {
      const d = new Dopri5(2, { rtol: tol, atol: tol });
      const y = Float64Array.from([1, 0]);
      d.integrate(oscillator, 0, y, 10);
      return error(y, exactOscillator(10));
    });
    for (let k = 1; k < errs.length; k++) {
      const ratio = errs[k - 1]! / errs[k]!;
      assert.ok(ratio > 5 && ratio < 20, `error ratio per decade ${ratio} (errors ${errs.join(", ")})`);
    }
    // And the error stays within a small multiple of the tolerance over 3 periods.
    assert.ok(errs[2]! < 20 * 1e-7, `error ${errs[2]} at rtol 1e-7`);
  });

  it("takes fewer steps on smooth stretches and more where the solution moves fast", () => {
    const d = new Dopri5(1, { rtol: 1e-8, atol: 1e-12 });
    const widths: number[] = [];
    d.integrate(decay, 0, Float64Array.from([1]), 10, (a, b) => {
      widths.push(b - a);
      return undefined;
    });
    assert.ok(widths.at(-2)! > 3 * widths[1]!, `late steps ${widths.at(-2)} vs early ${widths[1]}`);
    assert.ok(d.stats.accepted < 200);
  });

  it("dense output is accurate between steps (4th-order continuous extension)", () => {
    const d = new Dopri5(2, { rtol: 1e-9, atol: 1e-12 });
    const tmp = new Float64Array(2);
    let worst = 0;
    d.integrate(oscillator, 0, Float64Array.from([1, 0]), 6, (a, b) => {
      for (let k = 1; k < 8; k++) {
        const t = a + ((b - a) * k) / 8;
        d.interpolate(t, tmp);
        worst = Math.max(worst, error(tmp, exactOscillator(t)));
      }
      return undefined;
    });
    assert.ok(worst < 1e-7, `worst interpolation error ${worst}`);
  });

  it("stops where an observer asks, with the state interpolated there", () => {
    const d = new Dopri5(1, { rtol: 1e-10, atol: 1e-14 });
    const y = Float64Array.from([1]);
    const reached = d.integrate(decay, 0, y, 5, (a, b) => (a < 1.234 && b >= 1.234 ? 1.234 : undefined));
    assert.equal(reached, 1.234);
    assert.ok(Math.abs(y[0]! - Math.exp(-LAMBDA * 1.234)) < 1e-9);
  });

  it("rejects backwards integration and a state of the wrong size", () => {
    const d = new Dopri5(1);
    assert.throws(() => d.integrate(decay, 1, Float64Array.from([1]), 0), /forward only/);
    assert.throws(() => d.integrate(decay, 0, new Float64Array(2), 1), /2 elements.*1/);
    assert.throws(() => new Dopri5(1, { rtol: 0, atol: 0 }), /not both 0/);
  });
});
