/**
 * The History panel's pure parts: the time range (quick ranges, zoom, pan, drag selection) and the chart
 * rows built from history series (one grid for all tags, min/max kept, hold between points, gaps for bad
 * values, markers with the rule).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { HistorySeries } from "../../../src-main/common/api/history";
import { clampRange, MIN_SPAN_MS, pan, quickRange, selection, timeTicks, zoomAbout } from "../../../src-renderer/panels/History/range";
import { buildRows, keys, type RowSeries } from "../../../src-renderer/panels/History/rows";

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);

function series(points: [number, number | null, string?][], extra: Partial<HistorySeries> = {}): HistorySeries {
  return {
    tagId: "a.b",
    source: "raw",
    bucketMs: null,
    before: null,
    holdMs: null,
    t: points.map((p) => p[0]),
    v: points.map((p) => p[1]),
    q: points.map((p) => (p[1] === null ? "bad" : "good")),
    markers: points.filter((p) => p[2]).map((p) => ({ t: p[0], v: p[1], rules: [p[2] as "range"], quarantined: true })),
    ...extra,
  };
}

const identity: Pick<RowSeries, "scale"> = { scale: (v) => v };

describe("history range", () => {
  it("a quick range ends now and follows; zooming in about a point keeps it in place", () => {
    const r = quickRange(3_600_000, NOW);
    assert.deepEqual(r, { from: NOW - 3_600_000, to: NOW, follow: true });
    const at = NOW - 1_800_000;
    const z = zoomAbout(r, at, 0.5, NOW);
    assert.equal(z.to - z.from, 1_800_000);
    assert.equal((at - z.from) / (z.to - z.from), (at - r.from) / (r.to - r.from), "the time under the pointer stays under it");
    assert.equal(z.follow, false);
  });

  it("zooming out of a following range keeps following; panning back stops, panning past now follows again", () => {
    const r = quickRange(900_000, NOW);
    const out = zoomAbout(r, NOW - 100_000, 2, NOW);
    assert.deepEqual(out, { from: NOW - 1_800_000, to: NOW, follow: true });
    const back = pan(r, -0.5, NOW);
    assert.deepEqual(back, { from: NOW - 1_350_000, to: NOW - 450_000, follow: false });
    assert.deepEqual(pan(back, 1, NOW), { from: NOW - 900_000, to: NOW, follow: true });
  });

  it("a drag selects its range in either direction; a click is no selection", () => {
    assert.deepEqual(selection(NOW - 1_000, NOW - 60_000, NOW), { from: NOW - 60_000, to: NOW - 1_000, follow: false });
    assert.equal(selection(NOW - 1_000, NOW - 900, NOW), null);
  });

  it("keeps every range at least a second long and never wholly in the future (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.double({ min: 0, max: 1e11, noNaN: true }), (start, len) => {
        const r = clampRange(NOW + start, NOW + start + len, NOW);
        return r.to - r.from >= MIN_SPAN_MS - 1 && r.from <= NOW - MIN_SPAN_MS + 1;
      }),
    );
  });

  it("time ticks are round and inside the range", () => {
    const ticks = timeTicks(NOW - 3_600_000, NOW);
    assert.ok(ticks.length >= 3 && ticks.length <= 7, `${ticks.length} ticks`);
    assert.ok(ticks.every((t) => t >= NOW - 3_600_000 && t <= NOW && t % 60_000 === 0));
  });
});

describe("history rows", () => {
  it("puts several series on one grid, holding each tag's value between its points", () => {
    const a = series([[10, 1], [50, 2]]);
    const b = { ...series([[30, 5]]), tagId: "c.d" };
    const rows = buildRows([{ ...identity, data: a, holdUntil: 100 }, { ...identity, data: b, holdUntil: 100 }], 0, 100, 5);
    assert.equal(rows.length, 10);
    assert.deepEqual(rows.map((r) => r[keys(0).plot]), [1, 1, 1, 1, 2, 2, 2, 2, 2, 2], "a: each column holds its point, then the value is held");
    assert.deepEqual(rows.map((r) => r[keys(1).plot]), [null, null, 5, 5, 5, 5, 5, 5, 5, 5], "b: nothing before its first point");
  });

  it("starts from the value in force before the range and stops holding where the tag went silent", () => {
    const a = series([[50, 2]], { before: { t: -500, v: 1, q: "good" } });
    const rows = buildRows([{ ...identity, data: a, holdUntil: 70 }], 0, 100, 5);
    assert.deepEqual(rows.map((r) => r[keys(0).plot]), [1, 1, 1, 1, 2, 2, 2, 2, null, null]);
  });

  it("holds a measurement's value only up to its stale limit: a stretch without data is a gap", () => {
    const a = series([[10, 1], [70, 2]], { before: { t: -500, v: 5, q: "good" }, holdMs: 25 });
    const rows = buildRows([{ ...identity, data: a, holdUntil: 100 }], 0, 100, 5);
    assert.deepEqual(rows.map((r) => r[keys(0).plot]), [1, 1, 1, 1, null, null, 2, 2, 2, 2]);
  });

  it("draws a bad value as a gap until the next good one, and marks a flagged value with its rule", () => {
    const a = series([[10, 1], [30, null], [50, 3, "range"], [70, 1]]);
    const rows = buildRows([{ ...identity, data: a, holdUntil: 100 }], 0, 100, 5);
    assert.deepEqual(rows.map((r) => r[keys(0).plot]), [1, 1, null, null, 3, 3, 1, 1, 1, 1]);
    assert.equal(rows[2]![keys(0).quality], "bad");
    assert.equal(rows[2]![keys(0).mark], undefined);
    assert.equal(rows[4]![keys(0).mark], 3);
    assert.equal(rows[4]![keys(0).why], "range — quarantined");
    assert.equal(rows[4]![keys(0).quarantined], 1);
  });

  it("keeps the lowest and highest value of every column, in time order (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer(),
        (times, columns, seed) => {
          times.sort((x, y) => x - y);
          const values = times.map((t, k) => Math.sin(t + seed) * 100 + k);
          const data = series(times.map((t, k) => [t, values[k]!]));
          const rows = buildRows([{ ...identity, data, holdUntil: 1_000 }], 0, 1_000, columns);
          const plotted = rows.map((r) => r[keys(0).plot]).filter((v): v is number => typeof v === "number");
          // Every plotted value is a real one, and the extremes of the whole series are plotted.
          const real = new Set(values);
          return plotted.every((v) => real.has(v)) && plotted.includes(Math.min(...values)) && plotted.includes(Math.max(...values));
        },
      ),
    );
  });
});
