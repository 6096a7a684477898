import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Kpi } from "../../../src-main/common/whatif/schema";
import { KpiMeter } from "../../../src-workers/whatif/kpi";

/** Drives a meter over `horizonS` in steps of dtS with signals given as functions of time. */
function measure(kpis: unknown[], signals: Record<string, (t: number) => number>, horizonS: number, dtS = 1): number[] {
  let t = 0;
  const meter = new KpiMeter(
    kpis.map((k) => Kpi.parse(k)),
    (name) => () => signals[name]!(t),
    horizonS,
  );
  meter.start();
  while (t < horizonS - 1e-9) {
    t += dtS;
    meter.update(t, dtS);
  }
  return Array.from(meter.finish(horizonS));
}

describe("KPIs of a run", () => {
  it("rate: counter increase per hour, across a UInt32 wrap", () => {
    const [a] = measure([{ id: "throughput", kind: "rate", tag: "line.count" }], { "line.count": (t) => 100 + t / 4 }, 1800);
    assert.equal(a, 900);
    const [b] = measure([{ id: "throughput", kind: "rate", tag: "line.count" }], { "line.count": (t) => (2 ** 32 - 10 + t) % 2 ** 32 }, 3600);
    assert.equal(b, 3600);
  });

  it("integral: Σ scale·tag over hours (kW → kWh)", () => {
    const [e] = measure(
      [{ id: "energy", kind: "integral", terms: [{ tag: "tank.heater" }, { tag: "pump.current", scale: 0.5 }] }],
      { "tank.heater": () => 30, "pump.current": () => 4 },
      7200,
    );
    assert.ok(Math.abs(e! - 64) < 1e-9, `${e}`);
  });

  it("deviation: mean distance outside target ± tolerance; violation: minutes outside [min, max]", () => {
    const [dev, viol] = measure(
      [
        { id: "dev", kind: "deviation", tag: "x.t", target: 20, tolerance: 2 },
        { id: "viol", kind: "violation", tag: "x.t", max: 25 },
      ],
      { "x.t": (t) => (t <= 600 ? 26 : 21) },
      1200,
    );
    assert.equal(dev, (600 * 4) / 1200);
    assert.equal(viol, 10);
  });

  it("increase and time to threshold: a crossing inside the run, else extrapolated from the last quarter, capped", () => {
    const kpis = [
      { id: "wear", kind: "increase", tag: "p.wear" },
      { id: "due", kind: "timeToThreshold", terms: [{ tag: "p.wear", threshold: 0.5 }, { tag: "p.fouling", threshold: 0.3 }] },
      { id: "never", kind: "timeToThreshold", terms: [{ tag: "p.flat", threshold: 1 }], capH: 500 },
    ];
    // Wear 0.1 + 0.1/h reaches 0.5 at 4 h (extrapolated); fouling crosses 0.3 at 0.5 h inside the run.
    const [wear, due, never] = measure(kpis, { "p.wear": (t) => 0.1 + t / 36000, "p.fouling": (t) => 0.2 + t / 18000, "p.flat": () => 0.2 }, 3600);
    assert.ok(Math.abs(wear! - 0.1) < 1e-12);
    assert.ok(Math.abs(due! - 0.5) < 1e-9, `${due}`);
    assert.equal(never, 500);
    const [, late] = measure(kpis, { "p.wear": (t) => 0.1 + t / 36000, "p.fouling": () => 0, "p.flat": () => 0 }, 3600);
    assert.ok(Math.abs(late! - 4) < 1e-9, `${late}`);
  });
});
