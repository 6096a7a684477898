import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Pid } from "../../../src-workers/models/demo-cell/pid";

const configArb = fc
  .record({
    kp: fc.double({ min: 0.01, max: 100, noNaN: true }),
    tiS: fc.double({ min: 0.05, max: 1000, noNaN: true }),
    tdS: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })),
    lo: fc.double({ min: -1000, max: 1000, noNaN: true }),
    span: fc.double({ min: 0.01, max: 2000, noNaN: true }),
    reverse: fc.boolean(),
  })
  .map((c) => ({ kp: c.kp, tiS: c.tiS, tdS: c.tdS, outMin: c.lo, outMax: c.lo + c.span, reverse: c.reverse }));

const sampleArb = fc.record({
  sp: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  pv: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  dt: fc.double({ min: 0, max: 5, noNaN: true }),
});

describe("Pid", () => {
  it("keeps its output and integral within the limits for any input sequence (property)", () => {
    fc.assert(
      fc.property(configArb, fc.array(sampleArb, { minLength: 1, maxLength: 200 }), (config, samples) => {
        const pid = new Pid(config);
        for (const { sp, pv, dt } of samples) {
          const out = pid.update(sp, pv, dt);
          if (!(out >= config.outMin && out <= config.outMax)) return false;
          if (!(pid.integralTerm >= config.outMin && pid.integralTerm <= config.outMax)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("does not wind up: after any time saturated at the top, the first opposite error leaves the limit (property)", () => {
    fc.assert(
      fc.property(
        configArb.map((c) => ({ ...c, tdS: 0, reverse: false })),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        (config, saturatedSteps, dt, opposite) => {
          const pid = new Pid(config);
          // A large positive error drives the output to the top and holds it there.
          const big = (config.outMax - config.outMin) / config.kp + 1000;
          for (let i = 0; i < saturatedSteps; i++) pid.update(big, 0, dt);
          if (pid.output !== config.outMax) return false;
          const out = pid.update(0, opposite, dt);
          return out < config.outMax;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("recovers from saturation equally fast whether saturated briefly or for long", () => {
    const run = (steps: number) => {
      const pid = new Pid({ kp: 2, tiS: 10, outMin: 0, outMax: 100 });
      for (let i = 0; i < steps; i++) pid.update(100, 0, 0.1);
      const after: number[] = [];
      for (let i = 0; i < 50; i++) after.push(pid.update(0, 5, 0.1));
      return after;
    };
    assert.deepEqual(run(100_000), run(1_000));
  });

  it("removes a steady offset with the integral on a first-order process", () => {
    const pid = new Pid({ kp: 0.5, tiS: 5, outMin: 0, outMax: 10 });
    let y = 0;
    const dt = 0.05;
    for (let i = 0; i < 20_000; i++) {
      const u = pid.update(3, y, dt);
      y += (dt * (-y + 0.8 * u)) / 4; // gain 0.8, time constant 4 s
    }
    assert.ok(Math.abs(y - 3) < 1e-3, `settled at ${y}`);
  });

  it("transfers bumplessly from tracking", () => {
    const pid = new Pid({ kp: 10, tiS: 30, outMin: 0, outMax: 100 });
    pid.track(42, 5, 4);
    const out = pid.update(5, 4, 0.01);
    assert.ok(Math.abs(out - 42) < 0.01, `first output ${out}`);
  });

  it("holds its output on non-finite inputs and rejects bad configurations", () => {
    const pid = new Pid({ kp: 1, tiS: 1, outMin: 0, outMax: 10 });
    const out = pid.update(5, 1, 0.1);
    assert.equal(pid.update(Number.NaN, 1, 0.1), out);
    assert.equal(pid.update(5, Number.POSITIVE_INFINITY, 0.1), out);
    assert.throws(() => new Pid({ kp: 1, tiS: 1, outMin: 5, outMax: 5 }), RangeError);
    assert.throws(() => new Pid({ kp: -1, tiS: 1, outMin: 0, outMax: 5 }), RangeError);
  });
});
