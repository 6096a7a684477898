import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Rk4, type Derivative } from "../../../src-workers/solvers/rk4";

/** Global error at time T of integrating `f` from y0 with step h, against `exact`. */
function globalError(f: Derivative, y0: number[], exact: number[], T: number, h: number): number {
  const y = Float64Array.from(y0);
  const steps = Math.round(T / h);
  new Rk4(y.length).integrate(f, 0, y, h, steps);
  return Math.hypot(...Array.from(y, (v, i) => v - exact[i]!));
}

describe("Rk4", () => {
  it("is 4th order on exponential decay: halving h divides the error by ~16", () => {
    const lambda = 1.3;
    const f: Derivative = (_t, y, dydt) => {
      dydt[0] = -lambda * y[0]!;
    };
    const T = 2;
    const exact = [Math.exp(-lambda * T)];
    const e1 = globalError(f, [1], exact, T, 0.1);
    const e2 = globalError(f, [1], exact, T, 0.05);
    const ratio = e1 / e2;
    assert.ok(ratio >= 12 && ratio <= 20, `error ratio ${ratio} (errors ${e1}, ${e2})`);
    assert.ok(e1 < 1e-5);
  });

  it("is 4th order on the harmonic oscillator (and keeps its energy to O(h^4))", () => {
    const omega = 2;
    const f: Derivative = (_t, y, dydt) => {
      dydt[0] = y[1]!;
      dydt[1] = -omega * omega * y[0]!;
    };
    const T = 5;
    const exact = [Math.cos(omega * T), -omega * Math.sin(omega * T)];
    const e1 = globalError(f, [1, 0], exact, T, 0.04);
    const e2 = globalError(f, [1, 0], exact, T, 0.02);
    const ratio = e1 / e2;
    assert.ok(ratio >= 12 && ratio <= 20, `error ratio ${ratio} (errors ${e1}, ${e2})`);
  });

  it("keeps the 4th-order error ratio for any decay rate in the asymptotic range (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 3, noNaN: true }), fc.double({ min: 0.5, max: 3, noNaN: true }), (lambda, T) => {
        const f: Derivative = (_t, y, dydt) => {
          dydt[0] = -lambda * y[0]!;
        };
        const h = T / 20;
        const exact = [Math.exp(-lambda * T)];
        const ratio = globalError(f, [1], exact, T, h) / globalError(f, [1], exact, T, h / 2);
        return ratio >= 12 && ratio <= 20;
      }),
      { numRuns: 200 },
    );
  });

  it("passes time to the derivative (non-autonomous y' = cos t is integrated exactly to O(h^5))", () => {
    const f: Derivative = (t, _y, dydt) => {
      dydt[0] = Math.cos(t);
    };
    const y = new Float64Array(1);
    const tEnd = new Rk4(1).integrate(f, 0, y, 0.01, 100);
    assert.ok(Math.abs(tEnd - 1) < 1e-12);
    assert.ok(Math.abs(y[0]! - Math.sin(1)) < 1e-10);
  });

  it("rejects a state of the wrong size", () => {
    assert.throws(() => new Rk4(2).step(() => {}, 0, new Float64Array(3), 0.1), /3 elements.*2/);
    assert.throws(() => new Rk4(0), RangeError);
  });
});
