import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import fc from "fast-check";
import { join } from "node:path";
import { DEFAULT_ROLLUP_LEVELS } from "../../../src-main/historian/rollups";
import { HISTORIAN_FILE, HistorianStore } from "../../../src-main/historian/store";
import { HistorianSchemaError, SCHEMA_VERSION } from "../../../src-main/historian/store-schema";
import { tempFolder } from "../../support/temp";
import { arbitraryRows, bruteForceRollups, byTime, sample, T0, tempStore, withoutN } from "./fixtures";

describe("historian store", () => {
  it("reads back every value with quality, status, both timestamps and connection", () => {
    const { store, done } = tempStore();
    try {
      const rows = [
        sample("bufferTank.level", T0, 1.25, { serverTs: T0 + 3 }),
        sample("bufferTank.level", T0 + 100, 1.26, { quality: "uncertain", status: "UncertainLastUsableValue", serverTs: null }),
        sample("bufferTank.level", T0 + 200, null, { quality: "bad", status: "BadSensorFailure", connection: "plc2" }),
        sample("feedPump.running", T0 + 50, true, { serverTs: T0 + 51 }),
        sample("feedPump.running", T0 + 150, false),
        sample("fillingStation.itemPositions", T0 + 60, [0.5, 1.25, 3.75]),
        sample("fillingStation.itemPositions", T0 + 70, []),
        sample("bufferTank.temperature", T0, NaN, { flags: 16 | 128 }),
        sample("bufferTank.temperature", T0 + 10, Infinity, { flags: 16 | 128 }),
        sample("bufferTank.temperature", T0 + 20, -Infinity),
      ];
      store.insert(rows);
      for (const tagId of new Set(rows.map((r) => r.tagId))) {
        assert.deepEqual(withoutN(store.samples(tagId)), byTime(rows.filter((r) => r.tagId === tagId)), tagId);
      }
      assert.deepEqual(store.storedTagIds(), ["bufferTank.level", "feedPump.running", "fillingStation.itemPositions", "bufferTank.temperature"]);
    } finally {
      done();
    }
  });

  it("keeps values with equal source times apart, also across batches and reopening, and out-of-order ones", () => {
    const temp = tempFolder("historian");
    try {
      let store = HistorianStore.open(temp.path);
      store.insert([sample("a.x", T0 + 10, 1), sample("a.x", T0 + 10, 2)]);
      store.insert([sample("a.x", T0 + 10, 3), sample("a.x", T0 + 5, 4)]);
      store.close();
      store = HistorianStore.open(temp.path);
      store.insert([sample("a.x", T0 + 10, 5), sample("a.x", T0 + 5, 6), sample("a.x", T0 + 20, 7)]);
      assert.deepEqual(
        store.samples("a.x").map((s) => [s.sourceTs - T0, s.n, s.value]),
        [[5, 0, 4], [5, 1, 6], [10, 0, 1], [10, 1, 2], [10, 2, 3], [10, 3, 5], [20, 0, 7]],
      );
      store.close();
    } finally {
      temp.remove();
    }
  });

  it("round-trips any rows (property): values of every kind, qualities, flags, repeated and backward times", () => {
    fc.assert(
      fc.property(arbitraryRows(), fc.integer({ min: 1, max: 20 }), (rows, batch) => {
        const { store, done } = tempStore();
        try {
          for (let k = 0; k < rows.length; k += batch) store.insert(rows.slice(k, k + batch));
          for (const tagId of ["a.x", "a.y", "b.z"]) {
            assert.deepEqual(withoutN(store.samples(tagId)), byTime(rows.filter((r) => r.tagId === tagId)));
          }
        } finally {
          done();
        }
      }),
      { numRuns: 40 },
    );
  });

  it("keeps rollups equal to a brute-force recomputation (property)", () => {
    const sizes = DEFAULT_ROLLUP_LEVELS.map((l) => l.sizeMs);
    fc.assert(
      fc.property(arbitraryRows({ maxLength: 120, spanMs: 3 * 3_600_000 }), fc.integer({ min: 1, max: 40 }), (rows, batch) => {
        const { store, done } = tempStore();
        try {
          for (let k = 0; k < rows.length; k += batch) store.insert(rows.slice(k, k + batch));
          const expected = bruteForceRollups(rows, (id) => store.tagKey(id)!, sizes);
          const actual = store.db.prepare("SELECT * FROM rollups").all() as Record<string, number | null>[];
          assert.equal(actual.length, expected.size);
          for (const r of actual) {
            const e = expected.get(`${r.tag}/${r.size}/${r.start}`);
            assert.ok(e, `unexpected bucket ${r.tag}/${r.size}/${r.start}`);
            assert.deepEqual(
              [r.lo, r.lo_ts, r.hi, r.hi_ts, r.n, r.uncertain, r.quarantined, r.bad],
              [e.lo, e.loTs, e.hi, e.hiTs, e.n, e.uncertain, e.quarantined, e.bad],
            );
            // Sums are added in a different order (per batch, then in SQL): equal up to rounding.
            assert.ok(Math.abs(r.sum! - e.sum) <= 1e-9 * Math.max(1, Math.abs(e.sum)) * e.n, `sum ${r.sum} vs ${e.sum}`);
          }
        } finally {
          done();
        }
      }),
      { numRuns: 40 },
    );
  });

  it("prunes raw values and rollups by retention, per tag, in bounded chunks", () => {
    const { store, done } = tempStore({ rawDays: 2, rollupDays: 10 });
    try {
      const day = 86_400_000;
      const now = T0 + 20 * day;
      const rows = [];
      for (let d = 0; d < 20; d++) for (let k = 0; k < 50; k++) rows.push(sample("a.x", T0 + d * day + k * 1000, k), sample("a.y", T0 + d * day + k * 1000, k));
      store.insert(rows);
      store.setRetention("a.y", { rawDays: 5 });
      // One chunk at a time, as the historian runs it between writes.
      let report = store.prune(now, { chunkRows: 40, maxChunks: 1 });
      assert.equal(report.done, false);
      assert.equal(report.rawDeleted, 40);
      let calls = 1;
      while (!report.done) {
        report = store.prune(now, { chunkRows: 40, maxChunks: 1 });
        calls++;
      }
      assert.ok(calls > 10, `${calls} chunks`);
      const oldest = (tagId: string) => store.samples(tagId)[0]!.sourceTs;
      assert.equal(oldest("a.x"), T0 + 18 * day, "2 days of raw values");
      assert.equal(oldest("a.y"), T0 + 15 * day, "a.y keeps 5 days");
      assert.equal(store.count("a.x"), 2 * 50);
      const range = (size: number, key: number) =>
        store.db.prepare("SELECT min(start) AS first, count(*) AS n FROM rollups WHERE tag = ? AND size = ?").get(key, size) as { first: number; n: number };
      const x = store.tagKey("a.x")!;
      assert.equal(range(1_000, x).first, T0 + 18 * day, "1 s rollups follow raw retention");
      assert.equal(range(60_000, x).first, T0 + 10 * day, "1 min rollups kept 10 days");
      assert.equal(range(3_600_000, x).first, T0 + 10 * day);
      assert.deepEqual(store.prune(now), { rawDeleted: 0, rollupsDeleted: 0, chunks: 0, done: true });
    } finally {
      done();
    }
  });

  it("refuses a database written by a newer schema, and a foreign SQLite file, with a clear error", () => {
    const temp = tempFolder("historian");
    try {
      HistorianStore.open(temp.path).close();
      const db = new Database(join(temp.path, HISTORIAN_FILE));
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
      db.close();
      assert.throws(
        () => HistorianStore.open(temp.path),
        (err: unknown) => err instanceof HistorianSchemaError && /newer Twinbench \(historian schema version 2; this build reads up to 1\)/.test(err.message),
      );
      const other = tempFolder("historian");
      const foreign = new Database(join(other.path, HISTORIAN_FILE));
      foreign.exec("CREATE TABLE notes (text TEXT)");
      foreign.close();
      assert.throws(() => HistorianStore.open(other.path), /not a Twinbench historian/);
      other.remove();
    } finally {
      temp.remove();
    }
  });

  it("uses WAL with synchronous=NORMAL and leaves nothing behind on a failed batch", () => {
    const { store, done } = tempStore();
    try {
      assert.equal(store.db.pragma("journal_mode", { simple: true }), "wal");
      assert.equal(store.db.pragma("synchronous", { simple: true }), 1);
      store.insert([sample("a.x", T0, 1)]);
      assert.throws(() => store.insert([sample("new.tag", T0, 2), sample("a.x", NaN, 3)]), /source time NaN/);
      assert.equal(store.tagKey("new.tag"), undefined, "the tag registered in the rolled-back batch is forgotten");
      store.insert([sample("new.tag", T0, 2)]);
      assert.deepEqual(withoutN(store.samples("new.tag")), [sample("new.tag", T0, 2)]);
      assert.equal(store.count("a.x"), 1);
    } finally {
      done();
    }
  });
});
