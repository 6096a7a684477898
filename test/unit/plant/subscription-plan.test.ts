// Which subscription and monitored-item group each tag joins.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planSubscriptions, publishingIntervalOf, queueSizeOf } from "../../../src-main/plant/subscription-plan";
import type { TagBinding } from "../../../src-main/plant/types";

const tag = (index: number, samplingMs: number, extra: Partial<TagBinding> = {}): TagBinding => ({ index, connection: "plc", nodeId: `ns=1;s=T${index}`, samplingMs, ...extra });

describe("subscription plan", () => {
  it("rounds sampling intervals up to a few publishing intervals; exception-based tags publish at 100 ms", () => {
    assert.deepEqual([0, 1, 20, 21, 100, 101, 999, 1000, 3_600_000].map((s) => publishingIntervalOf(tag(0, s))), [100, 10, 20, 50, 100, 250, 1000, 1000, 60_000]);
    assert.equal(publishingIntervalOf(tag(0, 100, { publishingMs: 500 })), 500);
  });

  it("gives each queue room for the samples between two publishes, never less than 10", () => {
    assert.equal(queueSizeOf(tag(0, 100), 100), 10);
    assert.equal(queueSizeOf(tag(0, 10), 500), 51);
    assert.equal(queueSizeOf(tag(0, 10, { queueSize: 3 }), 500), 3, "an explicit queue size is kept");
  });

  it("groups by publishing interval, then by sampling, queue and deadband; cuts groups to the per-call limit", () => {
    const tags = [
      tag(0, 100),
      tag(1, 100),
      tag(2, 100, { deadband: { type: "absolute", value: 0.5 } }),
      tag(3, 100, { queueSize: 50 }),
      tag(4, 1000),
      tag(5, 50, { publishingMs: 100 }),
      ...Array.from({ length: 5 }, (_, k) => tag(10 + k, 1000)),
    ];
    const plan = planSubscriptions(tags, 4);
    assert.deepEqual(plan.map((p) => p.publishingMs), [100, 1000]);
    const at100 = plan[0]!.groups.map((g) => [g.samplingMs, g.queueSize, g.deadband?.value ?? null, g.tags.map((t) => t.index)]);
    assert.deepEqual(at100, [
      [100, 10, null, [0, 1]],
      [100, 10, 0.5, [2]],
      [100, 50, null, [3]],
      [50, 10, null, [5]],
    ]);
    assert.deepEqual(plan[1]!.groups.map((g) => g.tags.map((t) => t.index)), [[4, 10, 11, 12], [13, 14]]);
  });
});
