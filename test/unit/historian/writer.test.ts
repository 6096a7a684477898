import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HistorianSample } from "../../../src-main/historian/sample";
import { HistorianWriter, type SampleSink } from "../../../src-main/historian/writer";
import { sample, T0 } from "./fixtures";

/** A sink that records each committed batch, and fails while `failing` is set. */
function recordingSink(): SampleSink & { batches: HistorianSample[][]; failing: boolean } {
  return {
    batches: [],
    failing: false,
    insert(rows) {
      if (this.failing) throw new Error("disk I/O error");
      this.batches.push([...rows]);
    },
  };
}

const rows = (n: number, from = 0) => Array.from({ length: n }, (_, k) => sample("a.x", T0 + from + k, from + k));

describe("historian writer", () => {
  it("accepts without writing, then commits in batches of batchRows, in order", async () => {
    const sink = recordingSink();
    const writer = new HistorianWriter(sink, { batchRows: 4, maxDelayMs: 60_000 });
    for (let k = 0; k < 10; k++) assert.equal(writer.offer(rows(1, k)), true);
    assert.equal(sink.batches.length, 0, "offer never writes");
    assert.equal(writer.stats.queuedRows, 10);
    await writer.flush();
    assert.deepEqual(sink.batches.map((b) => b.length), [4, 4, 2]);
    assert.deepEqual(sink.batches.flat().map((r) => r.value), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(writer.stats, { queuedRows: 0, committedRows: 10, batches: 3, refusedRows: 0, failedCommits: 0, lastError: null });
    await writer.close();
    assert.throws(() => writer.offer(rows(1)), /closed/);
  });

  it("commits on its own: a full batch at once, a partial one after maxDelayMs", async () => {
    const sink = recordingSink();
    const committed: number[] = [];
    let wake: () => void = () => undefined;
    const writer = new HistorianWriter(sink, {
      batchRows: 3,
      maxDelayMs: 5,
      onCommit: (n) => {
        committed.push(n);
        wake();
      },
    });
    const twoCommits = new Promise<void>((resolve) => (wake = () => committed.length === 2 && resolve()));
    writer.offer(rows(4));
    await twoCommits;
    assert.deepEqual(committed, [3, 1]);
    await writer.close();
  });

  it("refuses a whole offer when the queue is full, counts it, and lets a waiting producer in after a commit", async () => {
    const sink = recordingSink();
    const writer = new HistorianWriter(sink, { batchRows: 5, capacityRows: 10, maxDelayMs: 60_000 });
    assert.equal(writer.offer(rows(8)), true);
    assert.equal(writer.offer(rows(3, 8)), false, "3 more do not fit");
    assert.equal(writer.stats.refusedRows, 3);
    assert.equal(writer.stats.queuedRows, 8, "nothing of the refused offer was taken");
    let admitted = false;
    const room = writer.whenRoom(6).then(() => (admitted = true));
    await Promise.resolve();
    assert.equal(admitted, false);
    await writer.flush();
    await room;
    assert.equal(writer.offer(rows(6, 8)), true);
    await assert.rejects(writer.whenRoom(11), /never fit/);
    await writer.close();
    assert.equal(sink.batches.flat().length, 14);
  });

  it("keeps rows queued when a commit fails, reports the error, and retries", async () => {
    const sink = recordingSink();
    const errors: string[] = [];
    let retried: () => void = () => undefined;
    const writer = new HistorianWriter(sink, {
      batchRows: 10,
      retryDelayMs: 1,
      onError: (err) => errors.push((err as Error).message),
      onCommit: () => retried(),
    });
    writer.offer(rows(3));
    sink.failing = true;
    await assert.rejects(writer.flush(), /disk I\/O error/);
    assert.equal(writer.stats.queuedRows, 3);
    assert.equal(writer.stats.failedCommits, 1);
    assert.equal(writer.stats.lastError, "disk I/O error");
    assert.deepEqual(errors, ["disk I/O error"]);
    const committed = new Promise<void>((resolve) => (retried = resolve));
    sink.failing = false;
    await committed; // the retry timer commits without being asked
    assert.equal(writer.stats.committedRows, 3);
    assert.deepEqual(sink.batches.flat().map((r) => r.value), [0, 1, 2]);
    await writer.close();
  });
});
