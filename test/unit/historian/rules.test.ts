// Each rule fires on a crafted series and stays quiet on a clean one (property tests for the clean cases).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkDrift, createDriftState } from "../../../src-main/historian/rules/drift";
import { checkNonFinite, checkNonFiniteArray } from "../../../src-main/historian/rules/non-finite";
import { checkRange } from "../../../src-main/historian/rules/range";
import { checkRate, createRateState } from "../../../src-main/historian/rules/rate";
import { checkSpike, createSpikeState, MAX_SPIKE_RUN } from "../../../src-main/historian/rules/spike";
import { checkStale } from "../../../src-main/historian/rules/stale";
import { checkStuck, createStuckState } from "../../../src-main/historian/rules/stuck";

type Series = { ts: number[]; v: number[] };

/** Indices at which a stateful rule fired over a series. */
function firings(series: Series, check: (ts: number, v: number) => string | null): number[] {
  const out: number[] = [];
  series.v.forEach((v, k) => {
    if (check(series.ts[k]!, v) !== null) out.push(k);
  });
  return out;
}

function regular(values: number[], periodMs = 100, t0 = 1_000_000): Series {
  return { ts: values.map((_, k) => t0 + k * periodMs), v: values };
}

/**
 * A smooth series: an offset plus up to three sinusoids whose periods span at least 50 samples, sampled
 * every `periodMs` with ±10 % jitter. Also returns its largest possible rate and its extent.
 */
const smoothSeries = fc
  .record({
    offset: fc.double({ min: -1000, max: 1000, noNaN: true }),
    waves: fc.array(
      fc.record({ amplitude: fc.double({ min: 0, max: 100, noNaN: true }), periodSamples: fc.double({ min: 50, max: 5000, noNaN: true }), phase: fc.double({ min: 0, max: 7, noNaN: true }) }),
      { minLength: 1, maxLength: 3 },
    ),
    periodMs: fc.integer({ min: 10, max: 2000 }),
    jitter: fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 20, maxLength: 300 }),
  })
  .map(({ offset, waves, periodMs, jitter }) => {
    const ts = jitter.map((j, k) => 1_000_000 + (k + j) * periodMs);
    const v = ts.map((t) => offset + waves.reduce((sum, w) => sum + w.amplitude * Math.sin((2 * Math.PI * (t - 1_000_000)) / (w.periodSamples * periodMs) + w.phase), 0));
    const amplitude = waves.reduce((s, w) => s + w.amplitude, 0);
    const maxRatePerS = waves.reduce((s, w) => s + (w.amplitude * 2 * Math.PI) / ((w.periodSamples * periodMs) / 1000), 0);
    return { ts, v, offset, amplitude, maxRatePerS };
  });

/** A deterministic noise source for generated series. */
function noise(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32 - 0.5;
  };
}

describe("range rule", () => {
  it("fires outside the range with a message naming value, range and unit", () => {
    assert.equal(checkRange(2.73, [0, 2.5], "m"), "value 2.73 m outside range [0, 2.5] m");
    assert.equal(checkRange(-0.01, [0, 2.5], "m"), "value -0.01 m outside range [0, 2.5] m");
    assert.equal(checkRange(2.5, [0, 2.5], "m"), null);
    assert.equal(checkRange(0, [0, 2.5], ""), null);
  });

  it("never fires on a smooth series inside its range (property)", () => {
    fc.assert(
      fc.property(smoothSeries, ({ v, offset, amplitude }) => {
        const range: [number, number] = [offset - amplitude - 1e-9 * Math.abs(offset) - 1e-9, offset + amplitude + 1e-9 * Math.abs(offset) + 1e-9];
        assert.deepEqual(v.filter((x) => checkRange(x, range, "") !== null), []);
      }),
    );
  });
});

describe("rate-of-change rule", () => {
  it("fires on a jump faster than the limit, with the rate in units per second, and not on the return", () => {
    const state = createRateState();
    const series = regular([1.0, 1.01, 1.02, 1.34, 1.03]);
    const messages = series.v.map((v, k) => checkRate(state, 0.5, series.ts[k]!, v, "m"));
    assert.deepEqual(messages, [null, null, null, "rate of change 3.2 m/s exceeds 0.5 m/s", null]);
  });

  it("keeps firing on a real step until the limit could have covered it", () => {
    const state = createRateState();
    const series = regular([1.0, 1.0, ...new Array<number>(15).fill(1.5)]);
    // 0.5 m at 0.5 m/s takes 1 s: the values less than 1 s after the last plausible one fire.
    assert.deepEqual(firings(series, (ts, v) => checkRate(state, 0.5, ts, v, "m")), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("never fires on a smooth series whose true rate stays below the limit (property)", () => {
    fc.assert(
      fc.property(smoothSeries, (s) => {
        const state = createRateState();
        const limit = s.maxRatePerS * 1.0001 + 1e-9;
        assert.deepEqual(firings(s, (ts, v) => checkRate(state, limit, ts, v, "")), []);
      }),
    );
  });
});

describe("stuck rule", () => {
  it("fires once a value has stayed within ±epsilon for the window", () => {
    const state = createStuckState();
    const values = [1.0, 1.1, ...new Array<number>(70).fill(1.2), 1.25];
    const fired = firings(regular(values, 1000), (ts, v) => checkStuck(state, { windowMs: 60_000, epsilon: 0.001 }, ts, v, "m"));
    assert.deepEqual(fired, Array.from({ length: 71 - 62 + 1 }, (_, k) => 62 + k), "from 60 s after the flat run began until it moves");
    const again = createStuckState();
    const message = values.slice(0, 63).map((v, k) => checkStuck(again, { windowMs: 60_000, epsilon: 0.001 }, k * 1000, v, "m")).at(-1);
    assert.equal(message, "stuck at 1.2 m for 60 s (within ±0.001 m)");
  });

  it("never fires on a noisy, non-constant series (property)", () => {
    fc.assert(
      fc.property(smoothSeries, fc.integer(), fc.double({ min: 1e-6, max: 1, noNaN: true }), (s, seed, epsilon) => {
        const rnd = noise(seed);
        const noisy = { ts: s.ts, v: s.v.map((x) => x + 20 * epsilon * rnd()) };
        const periodMs = (s.ts.at(-1)! - s.ts[0]!) / (s.ts.length - 1);
        const state = createStuckState();
        assert.deepEqual(firings(noisy, (ts, v) => checkStuck(state, { windowMs: 12 * periodMs, epsilon }, ts, v, "")), []);
      }),
    );
  });
});

describe("spike rule", () => {
  const cfg = { sigma: 6, window: 20, minDelta: 0.125 };

  it("fires on an isolated outlier and on nothing else", () => {
    const rnd = noise(7);
    const values = Array.from({ length: 200 }, (_, k) => 1.2 + 0.3 * Math.sin(k / 30) + 0.002 * rnd());
    values[120] = 1.9;
    const state = createSpikeState();
    const series = regular(values);
    assert.deepEqual(firings(series, (ts, v) => checkSpike(state, cfg, ts, v, "m")), [120]);
    const again = createSpikeState();
    const last = series.v.slice(0, 121).map((v, k) => checkSpike(again, cfg, series.ts[k]!, v, "m")).at(-1);
    assert.match(last!, /^spike: 1\.9 m is 0\.\d+ m off the trend \(limit 0\.125 m\)$/);
  });

  it("accepts a step that persists: it fires only for the first few values", () => {
    const values = [...new Array<number>(50).fill(1), ...new Array<number>(50).fill(2)];
    const state = createSpikeState();
    assert.deepEqual(
      firings(regular(values), (ts, v) => checkSpike(state, cfg, ts, v, "")),
      Array.from({ length: MAX_SPIKE_RUN }, (_, k) => 50 + k),
    );
  });

  it("never fires on a smooth series (property)", () => {
    fc.assert(
      fc.property(smoothSeries, (s) => {
        const state = createSpikeState();
        const minDelta = 0.05 * 2 * (s.amplitude + 1e-6);
        assert.deepEqual(firings(s, (ts, v) => checkSpike(state, { sigma: 6, window: 20, minDelta }, ts, v, "")), []);
      }),
    );
  });
});

describe("NaN/Infinity rule", () => {
  it("flags NaN and ±Infinity, in scalars and arrays", () => {
    assert.equal(checkNonFinite(NaN), "value NaN is not a finite number");
    assert.equal(checkNonFinite(-Infinity), "value -Infinity is not a finite number");
    assert.equal(checkNonFiniteArray([1, 2, Infinity]), "element 2 is Infinity, not a finite number");
  });

  it("never fires on finite numbers (property)", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => checkNonFinite(x) === null));
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })), (xs) => checkNonFiniteArray(xs) === null));
  });
});

describe("stale rule", () => {
  it("fires after the allowed silence, with the silence and the expected interval", () => {
    const cfg = { staleAfterMs: 1_000, expectedIntervalMs: 100 };
    assert.equal(checkStale(5_000, 6_000, cfg), null);
    assert.equal(checkStale(5_000, 6_001, cfg), "no update for 1 s (expected every 0.1 s)");
    assert.equal(checkStale(5_000, 17_300, cfg), "no update for 12.3 s (expected every 0.1 s)");
  });

  it("never fires while updates keep coming within the allowed silence (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 100 }), (gaps) => {
        let last = 0;
        for (const gap of gaps) {
          assert.equal(checkStale(last, last + gap, { staleAfterMs: 1_000, expectedIntervalMs: 100 }), null);
          last += gap;
        }
      }),
    );
  });
});

describe("drift rule", () => {
  const cfg = { against: "bufferTank.levelB", threshold: 0.05, windowMs: 10_000 };

  it("fires when the averaged difference to the reference grows past the threshold, not on one outlier", () => {
    const state = createDriftState();
    const messages: (string | null)[] = [];
    for (let k = 0; k < 600; k++) {
      const reference = 1.2;
      const offset = k < 100 ? 0 : (k - 100) * 0.0005; // drifts 0.5 mm per 100 ms after 10 s
      const outlier = k === 50 ? 0.5 : 0;
      messages.push(checkDrift(state, cfg, k * 100, reference + offset + outlier, reference, "m"));
    }
    const first = messages.findIndex((m) => m !== null);
    assert.ok(first > 200 && first < 400, `first firing at ${first}`);
    assert.match(messages[first]!, /^drift 0\.05\d* m against bufferTank\.levelB exceeds 0\.05 m$/);
    assert.ok(messages.slice(first).every((m) => m !== null));
    const model = createDriftState();
    assert.match(checkDrift(model, { ...cfg, against: "model" }, 0, 2, 1, "m")!, /against the model/);
  });

  it("never fires while the difference stays within the threshold (property)", () => {
    fc.assert(
      fc.property(smoothSeries, fc.integer(), (s, seed) => {
        const rnd = noise(seed);
        const state = createDriftState();
        assert.deepEqual(firings(s, (ts, v) => checkDrift(state, cfg, ts, v + 1.99 * cfg.threshold * rnd(), v, "")), []);
      }),
    );
  });
});
