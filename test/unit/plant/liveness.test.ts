// The publish watchdog and backoff, on a clock the test controls: the rule "stale within 2 publishing
// intervals of the loss being detectable" is checked here as arithmetic, not against a wall clock.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { PublishWatchdog, backoffDelayMs, keepAliveCountFor, silenceDeadlineMs, watchdogCheckEveryMs } from "../../../src-main/plant/liveness";
import { TrafficStatistics } from "../../../src-main/plant/statistics";

describe("PublishWatchdog", () => {
  it("is overdue only after keep-alive count + 1 silent publishing intervals, once, until heard again", () => {
    const timing = { publishingMs: 100, keepAliveCount: 3 };
    const w = new PublishWatchdog(timing, 0);
    assert.equal(w.check(400), false);
    assert.equal(w.check(400.5), true);
    assert.equal(w.overdue, true);
    assert.equal(w.check(900), false, "reported once");
    assert.equal(w.heard(950), true, "hearing ends the overdue period");
    assert.equal(w.check(1300), false);
    assert.equal(w.check(1351), true);
  });

  it("marks stale within 2 publishing intervals of the loss being detectable, for any timing and phase (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 60_000 }), fc.integer({ min: 2, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), (publishingMs, keepAliveCount, phase) => {
        const timing = { publishingMs, keepAliveCount };
        const lastHeard = 1_000;
        const w = new PublishWatchdog(timing, lastHeard);
        // The server owes a response keepAliveCount intervals after the last one: from then the loss is detectable.
        const detectable = lastHeard + keepAliveCount * publishingMs;
        const every = watchdogCheckEveryMs(timing);
        let now = lastHeard + phase * every;
        while (!w.check(now)) now += every;
        assert.ok(now > lastHeard + keepAliveCount * publishingMs, "never before the server was due");
        assert.ok(now - detectable <= 2 * publishingMs, `${now - detectable} ms after detectable, publishing ${publishingMs} ms`);
      }),
    );
  });

  it("asks for keep-alives about every second, or every 2 intervals for slow subscriptions", () => {
    assert.deepEqual([10, 50, 100, 250, 1000, 5000].map(keepAliveCountFor), [10, 10, 10, 4, 2, 2]);
    assert.equal(silenceDeadlineMs({ publishingMs: 100, keepAliveCount: 10 }), 1100);
  });
});

describe("backoff", () => {
  it("grows by the factor from the initial delay to the cap, within the jitter", () => {
    const o = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.2 };
    assert.deepEqual([1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, o, () => 0.5)), [250, 500, 1000, 2000, 10_000]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (attempt, r) => {
        const d = backoffDelayMs(attempt, o, () => r);
        const base = Math.min(o.maxMs, o.initialMs * 2 ** (attempt - 1));
        assert.ok(d >= base * 0.8 - 1 && d <= Math.min(o.maxMs, base * 1.2) + 1, `${attempt}: ${d}`);
      }),
    );
  });
});

describe("TrafficStatistics", () => {
  it("gives values per second over the window and latency percentiles", () => {
    const t = new TrafficStatistics(5);
    for (let ms = 0; ms < 10_000; ms += 10) t.count(5, 1_000_000 + ms); // 500 values/s
    assert.ok(Math.abs(t.ratePerS(1_000_000 + 10_000) - 500) < 30, String(t.ratePerS(1_010_000)));
    assert.equal(t.ratePerS(1_000_000 + 20_000), 0, "nothing for longer than the window: no rate");
    assert.equal(t.delivered, 5000);
    for (let k = 0; k < 8 * 100; k++) t.latency(k % 100);
    assert.equal(t.latencyPercentile(0.5), 48);
    assert.equal(new TrafficStatistics().latencyPercentile(0.5), null);
  });

  it("does not understate the rate in the first seconds", () => {
    const t = new TrafficStatistics(5);
    for (let ms = 0; ms <= 1_500; ms += 10) t.count(1, 2_000_000 + ms);
    assert.ok(Math.abs(t.ratePerS(2_001_500) - 100) < 10, String(t.ratePerS(2_001_500)));
  });
});
