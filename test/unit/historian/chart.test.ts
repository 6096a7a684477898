import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MinMaxColumns } from "../../../src-main/historian/downsample";
import { QualityFlag, type HistorianSample } from "../../../src-main/historian/sample";
import { sample, T0, tempStore } from "./fixtures";

describe("min/max downsampling", () => {
  it("keeps the min and the max of every column, in time order, within 2 points per column (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 9_999 }), v: fc.double({ noNaN: true, noDefaultInfinity: true }) }), { maxLength: 400 }),
        (columns, raw) => {
          const from = 1_000;
          const to = 11_000;
          const points = raw.map((p) => ({ t: from + p.dt, v: p.v })).sort((a, b) => a.t - b.t);
          const cols = new MinMaxColumns(from, to, columns);
          for (const p of points) cols.addValue(p.t, p.v, false, 0);
          const out = cols.finish();
          assert.ok(out.t.length <= 2 * columns);
          for (let k = 1; k < out.t.length; k++) assert.ok(out.t[k]! >= out.t[k - 1]!, "ascending times");
          for (let c = 0; c < columns; c++) {
            const inColumn = points.filter((p) => cols.columnOf(p.t) === c);
            if (inColumn.length === 0) continue;
            const values = inColumn.map((p) => p.v);
            const lo = Math.min(...values);
            const hi = Math.max(...values);
            const shown = out.t.map((t, k) => ({ t, v: out.v[k] })).filter((p) => cols.columnOf(p.t) === c);
            assert.ok(shown.some((p) => Object.is(p.v, lo) || p.v === lo), `column ${c} shows its min ${lo}`);
            assert.ok(shown.some((p) => Object.is(p.v, hi) || p.v === hi), `column ${c} shows its max ${hi}`);
            assert.ok(shown.every((p) => inColumn.some((q) => q.t === p.t && q.v === p.v)), "every point is a real sample");
          }
        },
      ),
    );
  });

  it("shows a column with only bad samples as a gap, and a mixed one as uncertain", () => {
    const cols = new MinMaxColumns(0, 300, 3);
    cols.addValue(10, 1, false, 0);
    cols.addValue(20, 3, false, QualityFlag.spike | QualityFlag.quarantined);
    cols.addBad(150, 0);
    cols.addValue(210, 2, false, 0);
    cols.addBad(250, 0);
    assert.deepEqual(cols.finish(), {
      t: [10, 20, 150, 210],
      v: [1, 3, null, 2],
      q: ["good", "good", "bad", "uncertain"],
      flags: [QualityFlag.spike | QualityFlag.quarantined, QualityFlag.spike | QualityFlag.quarantined, 0, 0],
    });
  });
});

describe("chart queries", () => {
  it("returns short ranges as stored: bad samples as gaps, quarantined ones flagged, quality per point", () => {
    const { store, done } = tempStore();
    try {
      store.insert([
        sample("a.x", T0, 1),
        sample("a.x", T0 + 100, 5, { flags: QualityFlag.spike | QualityFlag.quarantined }),
        sample("a.x", T0 + 200, null, { quality: "bad", status: "BadSensorFailure" }),
        sample("a.x", T0 + 300, 2, { quality: "uncertain" }),
        sample("a.x", T0 + 400, true),
        sample("a.x", T0 + 500, [1, 2]),
        sample("a.x", T0 + 600, NaN),
      ]);
      assert.deepEqual(store.query("a.x", T0, T0 + 1_000, 100), {
        tagId: "a.x",
        from: T0,
        to: T0 + 1_000,
        source: "raw",
        bucketMs: null,
        t: [T0, T0 + 100, T0 + 200, T0 + 300, T0 + 400, T0 + 600],
        v: [1, 5, null, 2, 1, null],
        q: ["good", "good", "bad", "uncertain", "good", "bad"],
        flags: [0, QualityFlag.spike | QualityFlag.quarantined, 0, 0, 0, 0],
      });
      assert.equal(store.query("nope.tag", T0, T0 + 1, 10).t.length, 0);
    } finally {
      done();
    }
  });

  it("serves long ranges from rollups and short dense ones from raw rows, within maxPoints", () => {
    const { store, done } = tempStore();
    try {
      const rows: HistorianSample[] = [];
      for (let k = 0; k < 36_000; k++) rows.push(sample("a.x", T0 + k * 100, Math.sin(k / 500) + (k === 20_000 ? 5 : 0)));
      store.insert(rows);
      const hour = store.query("a.x", T0, T0 + 3_600_000, 100);
      assert.equal(hour.source, "rollup-minmax");
      assert.equal(hour.bucketMs, 60_000, "the coarsest rollup with at least 50 buckets (one per column)");
      assert.ok(hour.t.length <= 100);
      assert.equal(store.query("a.x", T0, T0 + 3_600_000, 200).bucketMs, 1_000, "60 one-minute buckets are too few for 100 columns");
      assert.ok(hour.v.includes(Math.sin(20_000 / 500) + 5), "the spike survives");
      const day = store.query("a.x", T0, T0 + 86_400_000, 40);
      assert.equal(day.bucketMs, 3_600_000);
      const minutes = store.query("a.x", T0, T0 + 30_000, 200);
      assert.equal(minutes.source, "raw-minmax", "shorter than 100 one-second buckets");
      assert.ok(minutes.t.length <= 200 && minutes.t.length > 100);
    } finally {
      done();
    }
  });

  it("agrees between raw rows and rollups on the min and max of each column (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer(), (columns, seed) => {
        let s = seed >>> 0 || 1;
        const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
        const rows: HistorianSample[] = [];
        for (let t = T0; t < T0 + columns * 60_000; t += 1 + Math.floor(rnd() * 3_000)) {
          const r = rnd();
          if (r < 0.05) rows.push(sample("a.x", t, null, { quality: "bad" }));
          else rows.push(sample("a.x", t, Math.round(rnd() * 1000) / 10, { quality: r < 0.1 ? "uncertain" : "good" }));
        }
        const withRollups = tempStore();
        const rawOnly = tempStore({ levels: [] });
        try {
          withRollups.store.insert(rows);
          rawOnly.store.insert(rows);
          const a = withRollups.store.query("a.x", T0, T0 + columns * 60_000, 2 * columns);
          const b = rawOnly.store.query("a.x", T0, T0 + columns * 60_000, 2 * columns);
          assert.equal(a.source, "rollup-minmax");
          assert.equal(b.source, "raw-minmax");
          const values = (x: typeof a) => x.t.map((t, k) => [t, x.v[k], x.q[k]]).filter((p) => p[1] !== null);
          assert.deepEqual(values(a), values(b));
          const gaps = (x: typeof a) => x.t.filter((_, k) => x.v[k] === null).map((t) => Math.floor((t - T0) / 60_000));
          assert.deepEqual(gaps(a), gaps(b));
        } finally {
          withRollups.done();
          rawOnly.done();
        }
      }),
      { numRuns: 25 },
    );
  });
});
