// The predicted effect as the inbox shows it: parsing (or falling back to JSON), bands, verdicts on the
// difference, chart rows; and the small formats of the inbox (values, changes, ages, approvals).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { PredictedEffect } from "../../../src-main/common/api/whatif";
import { deltaVerdict, formatBand, formatHorizon, otherChanges, parseEffect, trajectoryRows } from "../../../src-renderer/panels/Approvals/effect";
import { approvalsOf, formatAgo, formatChange, formatSetpoint, formatTimeLeft, shortId } from "../../../src-renderer/panels/Approvals/format";

const band = (median: number, p05: number, p95: number) => ({ median, p05, p95 });

function effect(n = 11): PredictedEffect {
  const t = Array.from({ length: n }, (_, i) => i * 30);
  const line = (k: number) => t.map((s) => 50 + k * s / 300);
  return {
    horizonS: 300,
    runs: 20,
    kpis: [{ id: "energy", name: "Heater energy", unit: "kWh", baseline: band(12, 11.5, 12.6), proposed: band(11, 10.4, 11.5), delta: band(-1, -1.4, -0.6), better: true }],
    series: [
      {
        id: "bufferTank.temperature",
        name: "Tank temperature",
        unit: "°C",
        t,
        baseline: { median: line(0), p05: line(0).map((v) => v - 0.5), p95: line(0).map((v) => v + 0.5) },
        proposed: { median: line(5), p05: line(5).map((v) => v - 0.7), p95: line(5).map((v) => v + 0.7) },
      },
    ],
    constraints: [{ name: "temperature ≤ 80 °C", ok: true, detail: "max 55.4 °C" }],
    assumptions: ["feed temperature stays at its estimate"],
  };
}

describe("approvals: predicted effect", () => {
  it("parses an effect of the known shape, keeps anything else as formatted JSON with the first problem", () => {
    const e = effect();
    const ok = parseEffect(e);
    assert.equal(ok.kind, "effect");
    assert.equal(parseEffect(undefined).kind, "none");
    assert.equal(parseEffect(null).kind, "none");
    const raw = parseEffect({ note: "from an older optimiser", gain: 3 });
    assert.equal(raw.kind, "raw");
    if (raw.kind === "raw") {
      assert.equal(raw.json, JSON.stringify({ note: "from an older optimiser", gain: 3 }, null, 2));
      assert.match(raw.problem, /horizonS/);
    }
    const broken = parseEffect({ ...e, runs: 0 });
    assert.equal(broken.kind, "raw");
  });

  it("writes a band as median (p05 … p95) with two significant digits of its half-width, signed for differences", () => {
    assert.equal(formatBand(band(12, 11.5, 12.6), "kWh"), "12.00 (11.50 … 12.60) kWh");
    assert.equal(formatBand(band(120, 100, 150), "kg"), "120 (100 … 150) kg");
    assert.equal(formatBand(band(-1, -1.4, -0.6), "kWh", true), "−1.00 (−1.40 … −0.60) kWh");
    assert.equal(formatBand(band(0.5, -0.25, 1.25), undefined, true), "+0.50 (−0.25 … +1.25)");
    // One deterministic run: the value alone.
    assert.equal(formatBand(band(3.25, 3.25, 3.25), "m"), "3.250 m");
    // Runs that agree to float noise: one value, four significant digits.
    assert.equal(formatBand(band(0.49902, 0.4990199999, 0.4990200001), "m³", true), "+0.4990 m³");
    // No "−0.0" for a difference that rounds to nothing.
    assert.equal(formatBand(band(-0.001, -0.001, -0.001), undefined, true).startsWith("−"), true);
    assert.equal(formatBand(band(-0.00001, -0.2, 0.2), undefined, true), "0.00 (−0.20 … +0.20)");
  });

  it("judges a difference only when its whole band is on one side of zero", () => {
    assert.equal(deltaVerdict(band(-1, -1.4, -0.6), true), "better");
    assert.equal(deltaVerdict(band(-1, -1.4, -0.6), false), "worse");
    assert.equal(deltaVerdict(band(0.2, -0.1, 0.5), true), "unclear");
    assert.equal(deltaVerdict(band(0, 0, 0), true), "none");
  });

  it("verdict is unclear exactly when p05 ≤ 0 ≤ p95 (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.boolean(), (a, b, better) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const v = deltaVerdict(band((lo + hi) / 2, lo, hi), better);
        if (lo <= 0 && hi >= 0) assert.ok(v === "unclear" || v === "none");
        else assert.equal(v, better ? "better" : "worse");
      }),
    );
  });

  it("thins trajectories to the chart's budget, keeping the first and last points and ordered bands", () => {
    const e = effect(1_001);
    const rows = trajectoryRows(e.series[0]!, 100);
    assert.ok(rows.length <= 101, `${rows.length} rows`);
    assert.equal(rows[0]!.t, 0);
    assert.equal(rows[rows.length - 1]!.t, 30_000);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]!.t > rows[i - 1]!.t);
    for (const r of rows) assert.ok(r.proposedBand![0] <= r.proposed! && r.proposed! <= r.proposedBand![1]);
    assert.equal(trajectoryRows(effect(11).series[0]!).length, 11);
  });

  it("marks missing or non-finite points as gaps", () => {
    const s = effect(3).series[0]!;
    const rows = trajectoryRows({ ...s, proposed: { median: [1, Number.NaN], p05: [0], p95: [2, 3] } });
    assert.equal(rows[1]!.proposed, null);
    assert.equal(rows[1]!.proposedBand, null);
    assert.deepEqual(rows[0]!.proposedBand, [0, 2]);
  });

  it("names the other changes a joint prediction assumes", () => {
    const joint = { ...effect(), changes: [{ tagId: "a.x", from: 1, to: 2 }, { tagId: "b.y", from: 55, to: 50, unit: "°C" }] };
    assert.deepEqual(otherChanges(joint, "a.x"), [{ tagId: "b.y", from: 55, to: 50, unit: "°C" }]);
    assert.deepEqual(otherChanges(effect(), "a.x"), []);
    // Parsing keeps them (the contract declares them), so the inbox can say so.
    const parsed = parseEffect(joint);
    assert.ok(parsed.kind === "effect" && parsed.effect.changes?.length === 2);
  });

  it("says the horizon as people do", () => {
    assert.equal(formatHorizon(90), "90 s");
    assert.equal(formatHorizon(300), "5 min");
    assert.equal(formatHorizon(5_400), "90 min");
    assert.equal(formatHorizon(36_000), "10 h");
  });
});

describe("approvals: formats", () => {
  it("values, changes and ids", () => {
    assert.equal(formatSetpoint(42.50000001, "°C"), "42.5 °C");
    assert.equal(formatSetpoint(true), "ON");
    assert.equal(formatSetpoint(null, "°C"), "—");
    assert.equal(formatChange(40, 45, "°C"), "40 → 45 °C");
    assert.equal(formatChange(null, false), "— → OFF");
    assert.equal(shortId("0f0e0d0c-1111-2222-3333-444455556666"), "0f0e0d0c");
  });

  it("ages and time left", () => {
    assert.equal(formatAgo(10_000, 10_400), "just now");
    assert.equal(formatAgo(0, 185_000), "3 min ago");
    assert.equal(formatTimeLeft(900_000, 180_000), "in 12 min");
    assert.equal(formatTimeLeft(1_000, 2_000), "expired");
  });

  it("counts only approvals of the current value (a modification voids the others)", () => {
    const approval = (value: number) => ({ userId: 1, username: "a", role: "engineer" as const, at: 1, value, reauthenticated: true });
    assert.equal(approvalsOf({ approvals: [approval(51)], approvalsNeeded: 2, value: 51 }), "1 of 2");
    assert.equal(approvalsOf({ approvals: [approval(51)], approvalsNeeded: 2, value: 52 }), "0 of 2");
  });
});
