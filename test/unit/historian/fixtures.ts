/** Shared helpers of the historian tests: rows, temp stores, brute-force rollups. */
import fc from "fast-check";
import type { Quality } from "../../../src-main/common/api/contract";
import { bucketStart, type RollupBucket } from "../../../src-main/historian/rollups";
import { QualityFlag, type HistorianSample } from "../../../src-main/historian/sample";
import { HistorianStore, type StoreOptions } from "../../../src-main/historian/store";
import { tempFolder } from "../../support/temp";

export const T0 = Date.UTC(2025, 2, 1, 8, 0, 0);

export function sample(tagId: string, sourceTs: number, value: HistorianSample["value"], extra: Partial<HistorianSample> = {}): HistorianSample {
  return { tagId, sourceTs, serverTs: null, value, quality: "good", status: "Good", connection: "plc1", flags: 0, ...extra };
}

/** A store in a fresh temp folder; `done()` closes it and removes the folder. */
export function tempStore(options: StoreOptions = {}): { store: HistorianStore; folder: string; done(): void } {
  const temp = tempFolder("historian");
  const store = HistorianStore.open(temp.path, options);
  return {
    store,
    folder: temp.path,
    done: () => {
      store.close();
      temp.remove();
    },
  };
}

/** Strips the tie-breaker n so stored rows compare with the rows written. */
export function withoutN(rows: readonly (HistorianSample & { n?: number })[]): HistorianSample[] {
  return rows.map(({ n: _n, ...rest }) => rest);
}

const qualities: Quality[] = ["good", "uncertain", "bad"];

/** Arbitrary rows of a few tags: any value kind, quality, flags, server time; times may repeat and go back. */
export function arbitraryRows(options: { tags?: string[]; maxLength?: number; spanMs?: number } = {}): fc.Arbitrary<HistorianSample[]> {
  const tags = options.tags ?? ["a.x", "a.y", "b.z"];
  const span = options.spanMs ?? 10 * 60_000;
  // -0 is stored as 0 (SQLite's REAL keeps no sign of zero): leave it out of exact round trips.
  const number = fc.double({ noDefaultInfinity: false, min: -1e9, max: 1e9 }).filter((x) => !Object.is(x, -0));
  const value = fc.oneof(
    { weight: 6, arbitrary: number },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
    { weight: 1, arbitrary: fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }).filter((x) => !Object.is(x, -0)), { maxLength: 5 }) },
  );
  const row = fc.record({
    tagId: fc.constantFrom(...tags),
    sourceTs: fc.integer({ min: 0, max: span }).map((d) => T0 + d),
    serverTs: fc.option(fc.integer({ min: 0, max: span }).map((d) => T0 + d), { nil: null }),
    value,
    quality: fc.constantFrom(...qualities),
    status: fc.constantFrom("Good", "UncertainLastUsableValue", "BadSensorFailure", "Good, with \"quotes\", and commas"),
    connection: fc.constantFrom("plc1", "plc2"),
    flags: fc.constantFrom(0, 0, 0, QualityFlag.spike | QualityFlag.quarantined, QualityFlag.range),
  });
  // fast-check may build records without a prototype; strict deep equality would tell them apart.
  return fc.array(row.map((r) => ({ ...r })), { minLength: 1, maxLength: options.maxLength ?? 60 });
}

/** Rollups recomputed from scratch, the way the store documents them. */
export function bruteForceRollups(rows: readonly HistorianSample[], tagKey: (id: string) => number, sizes: readonly number[]): Map<string, RollupBucket> {
  const out = new Map<string, RollupBucket>();
  for (const r of rows) {
    if (Array.isArray(r.value)) continue;
    const numeric = typeof r.value === "boolean" ? (r.value ? 1 : 0) : r.value;
    const usable = r.quality !== "bad" && numeric !== null && Number.isFinite(numeric);
    for (const size of sizes) {
      const start = bucketStart(r.sourceTs, size);
      const key = `${tagKey(r.tagId)}/${size}/${start}`;
      let b = out.get(key);
      if (!b) {
        b = { tag: tagKey(r.tagId), size, start, lo: null, loTs: null, hi: null, hiTs: null, sum: 0, n: 0, uncertain: 0, quarantined: 0, bad: 0 };
        out.set(key, b);
      }
      if (!usable) {
        b.bad++;
        continue;
      }
      const v = numeric;
      if (b.lo === null || v < b.lo || (v === b.lo && r.sourceTs < b.loTs!)) [b.lo, b.loTs] = [v, r.sourceTs];
      if (b.hi === null || v > b.hi || (v === b.hi && r.sourceTs < b.hiTs!)) [b.hi, b.hiTs] = [v, r.sourceTs];
      b.sum += v;
      b.n++;
      if (r.quality === "uncertain") b.uncertain++;
      if (r.flags & QualityFlag.quarantined) b.quarantined++;
    }
  }
  return out;
}

/** Sorts rows the way the store returns them: by source time, then in insertion order. */
export function byTime(rows: readonly HistorianSample[]): HistorianSample[] {
  return rows.map((r, k) => ({ r, k })).sort((a, b) => a.r.sourceTs - b.r.sourceTs || a.k - b.k).map(({ r }) => r);
}
