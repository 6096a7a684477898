import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TagSample } from "../../../src-main/common/api/contract";
import { replayCsv, replayHistorian, replaySamples, type ReplayOptions } from "../../../src-main/historian/replay";
import { sample, T0, tempStore } from "./fixtures";

const tags = [
  { id: "tank.level", index: 0 },
  { id: "pump.running", index: 1 },
];

function recording() {
  const rows = [];
  for (let k = 0; k < 40; k++) {
    rows.push(sample("tank.level", T0 + k * 50, 1 + k / 100, k === 7 ? { quality: "bad", value: null, status: "BadSensorFailure" } : {}));
    if (k % 4 === 0) rows.push(sample("pump.running", T0 + k * 50, k % 8 === 0));
    if (k % 10 === 0) rows.push(sample("other.tag", T0 + k * 50 + 1, 5));
  }
  return rows;
}

async function collect(run: (options: ReplayOptions) => Promise<unknown>, speed: number): Promise<{ batches: [number, TagSample[]][]; result: unknown }> {
  const batches: [number, TagSample[]][] = [];
  const result = await run({ speed, tags, onSamples: (samples, clock) => void batches.push([clock, samples]) });
  return { batches, result };
}

describe("replay", () => {
  it("emits a recorded range in time order, batched by source time, the same at N× as as fast as possible", async () => {
    const { store, done } = tempStore();
    try {
      store.insert(recording());
      const range = { tagIds: ["tank.level", "pump.running", "other.tag"], from: T0, to: T0 + 10_000 };
      const fast = await collect((o) => replayHistorian(store, range, o), Infinity);
      const paced = await collect((o) => replayHistorian(store, range, o), 50);
      assert.deepEqual(paced.batches, fast.batches);
      assert.deepEqual(fast.result, { batches: 40, samples: 50, skippedUnknownTags: 4, cancelled: false, first: T0, last: T0 + 39 * 50 });
      const [clock, first] = fast.batches[0]!;
      assert.equal(clock, T0);
      assert.deepEqual(first, [
        { i: 0, v: 1, q: "good", status: "Good", ts: T0, rx: T0 },
        { i: 1, v: true, q: "good", status: "Good", ts: T0, rx: T0 },
      ]);
      assert.deepEqual(fast.batches[7]![1], [{ i: 0, v: null, q: "bad", status: "BadSensorFailure", ts: T0 + 350, rx: T0 + 350 }]);
      const clocks = fast.batches.map(([c]) => c);
      assert.deepEqual(clocks, [...clocks].sort((a, b) => a - b));
    } finally {
      done();
    }
  });

  it("stops when cancelled, also while waiting for the next batch at 1×", async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await replaySamples(
      [sample("tank.level", T0, 1), sample("tank.level", T0 + 1, 2), sample("tank.level", T0 + 3_600_000, 3)],
      {
        speed: 1,
        tags,
        signal: controller.signal,
        onSamples: () => {
          if (++seen === 2) controller.abort(); // the third batch is an hour away
        },
      },
    );
    assert.equal(result.cancelled, true);
    assert.equal(result.batches, 2);
  });

  it("waits for a listener that returns a promise, and refuses samples out of time order", async () => {
    const order: string[] = [];
    await replaySamples([sample("tank.level", T0, 1), sample("tank.level", T0 + 1, 2)], {
      speed: Infinity,
      tags,
      onSamples: async ([s]) => {
        order.push(`start ${s!.v}`);
        await new Promise((r) => setImmediate(r));
        order.push(`end ${s!.v}`);
      },
    });
    assert.deepEqual(order, ["start 1", "end 1", "start 2", "end 2"]);
    await assert.rejects(
      replaySamples([sample("tank.level", T0 + 5, 1), sample("tank.level", T0, 2)], { speed: Infinity, tags, onSamples: () => undefined }),
      /time order/,
    );
  });

  it("replays a CSV, sorting it by time and reporting its bad lines", async () => {
    const { folder, done } = tempStore();
    try {
      const file = join(folder, "recorded.csv");
      writeFileSync(file, ["tag,time,value", "tank.level,2025-03-01T08:00:00.200Z,3", "tank.level,2025-03-01T08:00:00.000Z,1", "tank.level,never,2", "pump.running,2025-03-01T08:00:00.000Z,true", ""].join("\n"));
      const batches: [number, TagSample[]][] = [];
      const result = await replayCsv(file, { speed: 10, tags, onSamples: (s, clock) => void batches.push([clock, s]) });
      assert.deepEqual(
        batches.map(([clock, s]) => [clock - T0, s.map((x) => x.v)]),
        [
          [0, [1, true]],
          [200, [3]],
        ],
      );
      assert.equal(result.csv.errors[0]!.line, 4);
    } finally {
      done();
    }
  });
});
