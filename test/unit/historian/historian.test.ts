import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TagSample } from "../../../src-main/common/api/contract";
import { parseScene } from "../../../src-main/common/scene/parse";
import { Historian, historianTagsOfScene, type HistorianTag } from "../../../src-main/historian/historian";
import { flagNames } from "../../../src-main/historian/sample";
import { tagsOfScene } from "../../../src-main/runtime/tag-table";
import { tempFolder } from "../../support/temp";
import { T0, withoutN } from "./fixtures";

const tags: HistorianTag[] = [
  { id: "bufferTank.level", index: 0, connection: "plc1", unit: "m", range: [0, 2.5], role: "measurement", samplingMs: 100, validation: { maxRatePerS: 0.5, staleAfter: 10 } },
  { id: "feedPump.running", index: 1, connection: "plc2", dataType: "Boolean", role: "state" },
];

const live = (i: number, v: TagSample["v"], dt: number, extra: Partial<TagSample> = {}): TagSample => ({ i, v, q: "good", status: "Good", ts: T0 + dt, rx: T0 + dt + 5, ...extra });

describe("historian", () => {
  it("takes live samples: validates, stores them with their connection and flags, and answers queries", async () => {
    const temp = tempFolder("historian");
    const historian = Historian.open({ folder: temp.path, tags, pruneEveryMs: 0 });
    try {
      const { rows, stored } = historian.receive(
        [live(0, 1.0, 0), live(1, true, 0), live(0, 1.34, 100), live(7, 3, 100), live(0, null, 200, { q: "bad", status: "BadSensorFailure" })],
        [T0 + 1, null, T0 + 101, null, null],
      );
      assert.equal(stored, true);
      assert.deepEqual(rows.map((r) => [r.tagId, flagNames(r.flags)]), [
        ["bufferTank.level", []],
        ["feedPump.running", []],
        ["bufferTank.level", ["rate", "quarantined"]],
        ["bufferTank.level", []],
      ]);
      assert.equal(rows[2]!.serverTs, T0 + 101, "server times line up with their samples, the unknown one skipped");
      assert.equal(historian.stats.unknownTagSamples, 1);
      await historian.flush();
      assert.deepEqual(withoutN(historian.store.samples("feedPump.running")), [
        { tagId: "feedPump.running", sourceTs: T0, serverTs: null, value: true, quality: "good", status: "Good", connection: "plc2", flags: 0 },
      ]);
      const chart = historian.query("bufferTank.level", T0, T0 + 1_000, 100);
      assert.deepEqual(chart.v, [1, 1.34, null]);
      assert.deepEqual(historian.validationStates().find((s) => s.tagId === "bufferTank.level")!.active.map((a) => a.rule), ["rate"]);
      historian.tick(T0 + 5_000);
      assert.deepEqual(historian.validationStates().find((s) => s.tagId === "bufferTank.level")!.active.map((a) => a.rule), ["rate", "stale"]);
    } finally {
      await historian.close();
      temp.remove();
    }
  });

  it("tells the producer when its queue is full, keeps validating, and counts what it could not store", async () => {
    const temp = tempFolder("historian");
    const historian = Historian.open({ folder: temp.path, tags, pruneEveryMs: 0, writer: { batchRows: 2, capacityRows: 4, maxDelayMs: 60_000 } });
    try {
      assert.equal(historian.receive([live(0, 1, 0), live(0, 1.01, 100), live(0, 1.02, 200)]).stored, true);
      const refused = historian.receive([live(0, 2.4, 300), live(0, 1.03, 400)]);
      assert.equal(refused.stored, false);
      assert.deepEqual(flagNames(refused.rows[0]!.flags), ["rate", "quarantined"], "validated all the same");
      assert.equal(historian.stats.refusedRows, 2);
      await historian.flush();
      assert.equal(historian.store.count("bufferTank.level"), 3);
    } finally {
      await historian.close();
      temp.remove();
    }
  });

  it("exports and imports CSV, and prunes in the background", async () => {
    const temp = tempFolder("historian");
    const day = 86_400_000;
    const historian = Historian.open({ folder: join(temp.path, "a"), tags, pruneEveryMs: 0, rawDays: 1 });
    const other = Historian.open({ folder: join(temp.path, "b"), tags, pruneEveryMs: 0 });
    try {
      historian.receive([live(0, 1, 0), live(0, 1.01, 100), live(1, false, day), live(0, 1.02, 2 * day)]);
      const file = join(temp.path, "out.csv");
      const written = await historian.exportCsv(file, { tagIds: ["bufferTank.level", "feedPump.running"], from: T0, to: T0 + 3 * day, format: "wide" });
      assert.deepEqual(written, { samples: 4, lines: 5 });
      const report = await other.importCsv(file);
      assert.equal(report.samples, 4);
      assert.deepEqual(other.store.samples("bufferTank.level"), historian.store.samples("bufferTank.level"));
      const pruned = await historian.prune(T0 + 2 * day + 1);
      assert.equal(pruned.rawDeleted, 3);
      assert.equal(pruned.done, true);
      assert.equal(historian.store.count("bufferTank.level"), 1);
      assert.match(readFileSync(file, "utf8"), /^time,bufferTank\.level,bufferTank\.level#quality,/);
    } finally {
      await historian.close();
      await other.close();
      temp.remove();
    }
  });

  it("knows the demo scene's tags: index, connection, sampling and the defaults of their rules", async () => {
    const parsed = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
    if (!parsed.ok) throw new Error("demo scene invalid");
    const infos = tagsOfScene(parsed.scene);
    const list = historianTagsOfScene(parsed.scene, infos);
    assert.equal(list.length, infos.length);
    const items = list.find((t) => t.id === "fillingStation.itemPositions")!;
    assert.deepEqual([items.index, items.connection, items.samplingMs, items.dataType], [infos.find((i) => i.id === items.id)!.index, "plc1", 50, "DoubleArray"]);
    const temp = tempFolder("historian");
    const historian = Historian.open({ folder: temp.path, tags: list, pruneEveryMs: 0 });
    try {
      assert.deepEqual(historian.rules.rulesOf("bufferTank.level")!.range, [0, 2.5]);
      assert.equal(historian.rules.rulesOf("cell.heartbeat")!.staleAfterMs, 1_000);
    } finally {
      await historian.close();
      temp.remove();
    }
  });
});
