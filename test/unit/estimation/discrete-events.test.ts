import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EventQueue, HybridIntegrator, type HybridSystem } from "../../../src-workers/solvers/discrete-events";

const G = 9.81;

/** A ball dropped from 1 m, bouncing with restitution e: bounce k at t₁ + 2v₁(e + … + e^(k−1))/g, v₁ = √(2g·h₀). */
function bouncingBall(restitution: number): HybridSystem & { bounces: number[] } {
  const bounces: number[] = [];
  return {
    size: 2,
    bounces,
    derivative: (_t, y, dydt) => {
      dydt[0] = y[1]!;
      dydt[1] = -G;
    },
    indicatorCount: 1,
    indicators: (_t, y, g) => {
      g[0] = y[0]!;
    },
    onStateEvent: (_i, t, y, direction) => {
      if (direction !== -1) return;
      bounces.push(t);
      y[0] = 0;
      y[1] = -restitution * y[1]!;
    },
  };
}

function exactBounces(restitution: number, count: number): number[] {
  const v1 = Math.sqrt(2 * G * 1);
  const out = [v1 / G];
  let v = v1;
  for (let k = 1; k < count; k++) {
    v *= restitution;
    out.push(out[k - 1]! + (2 * v) / G);
  }
  return out;
}

describe("EventQueue", () => {
  it("pops by time, events at the same time in the order scheduled; cancelled events never fire", () => {
    const q = new EventQueue();
    const order: string[] = [];
    const at = (label: string) => () => void order.push(label);
    q.schedule(2, at("c"), "c");
    q.schedule(1, at("a"), "a");
    q.schedule(2, at("d"), "d");
    const cancelled = q.schedule(1.5, at("x"), "x");
    q.schedule(1, at("b"), "b");
    q.cancel(cancelled);
    assert.equal(q.size, 4);
    for (let e = q.pop(); e; e = q.pop()) e.action(e.time, new Float64Array(0));
    assert.deepEqual(order, ["a", "b", "c", "d"]);
    assert.equal(q.peekTime(), Infinity);
    assert.throws(() => q.schedule(Number.NaN, at("n")), /finite time/);
  });

  it("always pops in (time, insertion) order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 60 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => q.schedule(t, () => {}, String(i)));
        const popped: [number, number][] = [];
        for (let e = q.pop(); e; e = q.pop()) popped.push([e.time, Number(e.label)]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        assert.deepEqual(popped, expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe("HybridIntegrator", () => {
  it("fires time events at their exact times, in order, with the continuous state integrated up to them", () => {
    // y' = 1; at t = 0.3 add 10, at t = 0.7 schedule another event at 0.9 that doubles y.
    const system: HybridSystem = {
      size: 1,
      derivative: (_t, _y, dydt) => {
        dydt[0] = 1;
      },
      indicatorCount: 0,
    };
    const sim = new HybridIntegrator(system, { step: 0.25 });
    const seen: number[] = [];
    sim.queue.schedule(0.3, (t, y) => {
      seen.push(y[0]!);
      y[0] = y[0]! + 10;
    }, "add");
    sim.queue.schedule(0.7, (t) => {
      sim.queue.schedule(t + 0.2, (_t, y) => {
        y[0] = 2 * y[0]!;
      }, "double");
    }, "plan");
    const y = Float64Array.from([0]);
    sim.advance(0, y, 1);
    assert.ok(Math.abs(seen[0]! - 0.3) < 1e-12, `y at the first event ${seen[0]}`);
    assert.ok(Math.abs(y[0]! - (2 * (10.9) + 0.1)) < 1e-12, `y(1) = ${y[0]}`);
    assert.deepEqual(sim.takeFired().map((e) => [e.label, Math.round(e.time * 1e9) / 1e9]), [["add", 0.3], ["plan", 0.7], ["double", 0.9]]);
  });

  for (const method of ["rk4", "dopri5"] as const) {
    it(`locates state events by zero crossing to 1e-9 s (${method}, bouncing ball against the closed form)`, () => {
      const ball = bouncingBall(0.8);
      const sim = new HybridIntegrator(ball, { method, step: 0.01, tolerances: { rtol: 1e-10, atol: 1e-12 } });
      const y = Float64Array.from([1, 0]);
      sim.advance(0, y, 3);
      const exact = exactBounces(0.8, 5);
      assert.ok(ball.bounces.length >= 5, `bounces ${ball.bounces.length}`);
      ball.bounces.slice(0, 5).forEach((t, k) => assert.ok(Math.abs(t - exact[k]!) < 1e-9, `bounce ${k}: ${t} vs ${exact[k]}`));
    });
  }

  it("locates a crossing inside a large step as precisely as inside a small one (property over step sizes)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.2, noNaN: true }), (step) => {
        const ball = bouncingBall(0.5);
        new HybridIntegrator(ball, { step }).advance(0, Float64Array.from([1, 0]), 1);
        return ball.bounces.length >= 1 && Math.abs(ball.bounces[0]! - exactBounces(0.5, 1)[0]!) < 1e-9;
      }),
      { numRuns: 60 },
    );
  });

  it("advanceUntilEvent stops at the first event", () => {
    const ball = bouncingBall(0.8);
    const sim = new HybridIntegrator(ball, { method: "dopri5", step: 1 });
    const y = Float64Array.from([1, 0]);
    const t = sim.advanceUntilEvent(0, y, 10);
    assert.ok(Math.abs(t - exactBounces(0.8, 1)[0]!) < 1e-9);
    assert.equal(ball.bounces.length, 1);
  });

  it("refuses a system that declares indicators without handlers, and going back in time", () => {
    assert.throws(() => new HybridIntegrator({ size: 1, derivative: () => {}, indicatorCount: 1 }), /indicators/);
    const sim = new HybridIntegrator({ size: 1, derivative: () => {}, indicatorCount: 0 });
    assert.throws(() => sim.advance(1, new Float64Array(1), 0), /forward only/);
  });
});
