import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { QualityFlag } from "../../../src-main/historian/sample";
import { copyFrame, Synchronizer, type TickFrame } from "../../../src-main/historian/synchronizer";
import { sample } from "./fixtures";

function collect(sync: Synchronizer, now: number, into: TickFrame[]): void {
  sync.advance(now, (f) => into.push(copyFrame(f)));
}

const plain = (f: TickFrame) => ({ t: f.t, values: [...f.values], ages: [...f.ages], valid: [...f.valid] });

describe("synchronizer", () => {
  it("holds or interpolates each input exactly, and knows the age of each", () => {
    const sync = new Synchronizer({ inputs: [{ tagId: "a.hold" }, { tagId: "a.lin", mode: "linear" }], periodMs: 50, startTs: 0, delayMs: 200 });
    for (const [t, v] of [[0, 1], [100, 2], [250, 5]] as const) {
      sync.push(0, t, v);
      sync.push(1, t, v);
    }
    const ticks: TickFrame[] = [];
    collect(sync, 500, ticks);
    assert.deepEqual(ticks.map(plain), [
      { t: 0, values: [1, 1], ages: [0, 0], valid: [1, 1] },
      { t: 50, values: [1, 1.5], ages: [50, 50], valid: [1, 1] },
      { t: 100, values: [2, 2], ages: [0, 0], valid: [1, 1] },
      { t: 150, values: [2, 3], ages: [50, 50], valid: [1, 1] },
      { t: 200, values: [2, 4], ages: [100, 100], valid: [1, 1] },
      { t: 250, values: [5, 5], ages: [0, 0], valid: [1, 1] },
      { t: 300, values: [5, 5], ages: [50, 50], valid: [1, 1] },
    ]);
  });

  it("interpolates only with a value the delay has waited for", () => {
    const sync = new Synchronizer({ inputs: [{ tagId: "a.lin", mode: "linear" }], periodMs: 100, startTs: 100, delayMs: 50 });
    sync.push(0, 0, 0);
    sync.push(0, 200, 10);
    assert.equal(sync.tickAt(100).values[0], 0, "the next value (at 200) is beyond 100 + 50: hold");
    assert.equal(sync.tickAt(150).values[0], 7.5);
  });

  it("skips bad and quarantined values: the input grows older instead, and goes invalid past maxAgeMs", () => {
    const sync = new Synchronizer({ inputs: [{ tagId: "tank.level", maxAgeMs: 150 }, { tagId: "pump.running" }], periodMs: 100, startTs: 100 });
    assert.equal(sync.pushSample(sample("tank.level", 0, 1.2)), true);
    assert.equal(sync.pushSample(sample("tank.level", 100, 9.9, { flags: QualityFlag.spike | QualityFlag.quarantined })), false);
    assert.equal(sync.pushSample(sample("tank.level", 150, null, { quality: "bad" })), false);
    assert.equal(sync.pushSample(sample("tank.level", 160, NaN)), false);
    assert.equal(sync.pushSample(sample("tank.level", 170, [1, 2])), false);
    assert.equal(sync.pushSample(sample("tank.flow", 170, 1)), false, "not an input");
    assert.equal(sync.pushSample(sample("tank.level", 180, 1.3, { quality: "uncertain", flags: QualityFlag.drift })), true, "flag-only rules do not quarantine");
    sync.pushSample(sample("pump.running", 50, true));
    const ticks: TickFrame[] = [];
    collect(sync, 300, ticks);
    assert.deepEqual(ticks.map(plain), [
      { t: 100, values: [1.2, 1], ages: [100, 50], valid: [1, 1] },
      { t: 200, values: [1.3, 1], ages: [20, 150], valid: [1, 1] },
      { t: 300, values: [1.3, 1], ages: [120, 250], valid: [1, 1] },
    ]);
    const fresh = new Synchronizer({ inputs: [{ tagId: "x.y", maxAgeMs: 50 }], periodMs: 10 });
    fresh.push(0, 100, 1);
    assert.deepEqual(plain(fresh.tickAt(90)), { t: 90, values: [NaN], ages: [Infinity], valid: [0] }, "nothing before the first value");
    assert.deepEqual(plain(fresh.tickAt(151)), { t: 151, values: [1], ages: [51], valid: [0] }, "too old: value kept, not valid");
  });

  it("gives the same ticks however the values are batched and paced (property)", () => {
    const event = fc.record({ slot: fc.integer({ min: 0, max: 2 }), dt: fc.integer({ min: 0, max: 120 }), v: fc.double({ min: -100, max: 100, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 150 }), fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 120 }), (events, cuts, delayMs) => {
        let t = 1_000;
        const values = events.map((e) => ({ ...e, t: (t += e.dt) }));
        const end = t + 1_000;
        const make = () => new Synchronizer({ inputs: [{ tagId: "a" }, { tagId: "b", mode: "linear" }, { tagId: "c", mode: "linear" }], periodMs: 33, delayMs, startTs: 990 });
        // All at once.
        const once = make();
        for (const e of values) once.push(e.slot, e.t, e.v);
        const expected: TickFrame[] = [];
        collect(once, end, expected);
        // In batches of equal-time runs cut at random places, advancing to the newest time after each.
        const paced = make();
        const actual: TickFrame[] = [];
        let k = 0;
        let c = 0;
        while (k < values.length) {
          let stop = Math.min(values.length, k + cuts[c++ % cuts.length]!);
          while (stop < values.length && values[stop]!.t === values[stop - 1]!.t) stop++; // a time's values arrive together
          for (; k < stop; k++) paced.push(values[k]!.slot, values[k]!.t, values[k]!.v);
          collect(paced, values[stop - 1]!.t, actual);
        }
        collect(paced, end, actual);
        assert.deepEqual(actual.map(plain), expected.map(plain));
      }),
    );
  });

  it("starts its grid on a multiple of the period when not told where", () => {
    const sync = new Synchronizer({ inputs: [{ tagId: "a" }], periodMs: 50 });
    sync.push(0, 1_012, 1);
    const ticks: TickFrame[] = [];
    collect(sync, 1_012, ticks);
    collect(sync, 1_160, ticks);
    assert.deepEqual(ticks.map((f) => f.t), [1_050, 1_100, 1_150]);
    assert.equal(sync.nextTickAt, 1_200);
  });
});
