// Forward-in-time delivery: per-tag sample order (dedupe, out-of-order) and publish-message sequence order
// (gaps held, filled by Republish, given up when the server no longer has them).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MessageOrder, nextSequence, sequenceBefore } from "../../../src-main/plant/message-order";
import { SampleOrder } from "../../../src-main/plant/sample-order";
import type { PlantSample } from "../../../src-main/plant/types";

const sample = (tag: number, ts: number | null, value: PlantSample["value"] = ts, statusCode = 0): PlantSample => ({
  tag,
  value,
  quality: "good",
  status: "Good",
  statusCode,
  sourceTs: ts,
  serverTs: ts,
  receivedAt: 0,
});

describe("SampleOrder", () => {
  it("delivers per tag only forward in time, counting duplicates and older values apart", () => {
    const order = new SampleOrder();
    const accepted = [sample(0, 10), sample(1, 5), sample(0, 10), sample(0, 9), sample(0, 10, 99), sample(0, 11), sample(1, 5)].map((s) => order.accept(s));
    assert.deepEqual(accepted, [true, true, false, false, false, true, false]);
    assert.equal(order.droppedDuplicates, 2);
    assert.equal(order.droppedOutOfOrder, 2);
    assert.equal(order.lastOf(0)?.sourceTs, 11);
  });

  it("orders by the server timestamp when the device gave none, and passes samples without any time", () => {
    const order = new SampleOrder();
    const noSource = { ...sample(0, null), serverTs: 20 };
    assert.equal(order.accept(noSource), true);
    assert.equal(order.accept({ ...noSource }), false);
    assert.equal(order.accept({ ...sample(0, null), serverTs: null }), true);
  });

  it("keeps sub-millisecond order (fractional milliseconds from OPC UA picoseconds)", () => {
    const order = new SampleOrder();
    assert.deepEqual([order.accept(sample(3, 1000.25)), order.accept(sample(3, 1000.5)), order.accept(sample(3, 1000.4))], [true, true, false]);
  });

  it("whatever arrives, what is delivered is strictly increasing per tag and includes every new maximum (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ tag: fc.integer({ min: 0, max: 4 }), ts: fc.integer({ min: 0, max: 30 }) }), { maxLength: 200 }), (input) => {
        const order = new SampleOrder();
        const last = new Map<number, number>();
        let dropped = 0;
        for (const { tag, ts } of input) {
          const ok = order.accept(sample(tag, ts));
          const before = last.get(tag) ?? -Infinity;
          assert.equal(ok, ts > before);
          if (ok) last.set(tag, ts);
          else dropped++;
        }
        assert.equal(order.droppedDuplicates + order.droppedOutOfOrder, dropped);
      }),
    );
  });
});

describe("MessageOrder", () => {
  const collect = (maxWaitMs = 1000) => {
    const released: number[] = [];
    const requested: number[][] = [];
    const order = new MessageOrder<number>((p) => released.push(p), maxWaitMs, (seqs) => requested.push(seqs));
    return { order, released, requested };
  };

  it("releases in order; a message after a gap waits, the gap is asked for once, and fills", () => {
    const { order, released, requested } = collect();
    order.receive(5, 5, 0);
    order.receive(6, 6, 0);
    order.receive(9, 9, 0);
    order.receive(10, 10, 0);
    assert.deepEqual(released, [5, 6]);
    assert.deepEqual(requested, [[7, 8]]);
    order.receive(8, 8, 1);
    assert.deepEqual(released, [5, 6]);
    order.receive(7, 7, 2);
    assert.deepEqual(released, [5, 6, 7, 8, 9, 10]);
    assert.equal(order.holding, 0);
    order.receive(6, 6, 3);
    assert.equal(order.repeatedMessages, 1);
    assert.deepEqual(released, [5, 6, 7, 8, 9, 10]);
  });

  it("skips a message the server no longer has, counting it lost", () => {
    const { order, released } = collect();
    order.receive(1, 1, 0);
    order.receive(3, 3, 0);
    order.unavailable(2);
    assert.deepEqual(released, [1, 3]);
    assert.equal(order.lostMessages, 1);
  });

  it("gives a gap up after maxWaitMs (no answer at all), and only then", () => {
    const { order, released } = collect(1000);
    order.receive(1, 1, 0);
    order.receive(4, 4, 100);
    order.expire(1099);
    assert.deepEqual(released, [1]);
    order.expire(1100);
    assert.deepEqual(released, [1, 4]);
    assert.equal(order.lostMessages, 2);
  });

  it("restarts for a recreated subscription: what was held goes out, numbering starts again", () => {
    const { order, released } = collect();
    order.receive(10, 10, 0);
    order.receive(12, 12, 0);
    order.restart();
    order.receive(1, 101, 0);
    order.receive(2, 102, 0);
    assert.deepEqual(released, [10, 12, 101, 102]);
  });

  it("takes message 1 after many others as a recreated subscription (the server may reuse its id)", () => {
    const { order, released } = collect();
    for (let seq = 40; seq <= 42; seq++) order.receive(seq, seq, 0);
    order.receive(1, 101, 0);
    order.receive(2, 102, 0);
    assert.deepEqual(released, [40, 41, 42, 101, 102]);
    assert.equal(order.repeatedMessages, 0);
  });

  it("wraps from 2^32 − 1 to 1", () => {
    assert.equal(nextSequence(0xffffffff), 1);
    assert.ok(sequenceBefore(0xfffffffe, 2));
    const { order, released } = collect();
    order.receive(0xfffffffe, 1, 0);
    order.receive(1, 3, 0);
    order.receive(0xffffffff, 2, 0);
    assert.deepEqual(released, [1, 2, 3]);
  });

  it("any arrival order with repeats (of any message but the first) releases 1…n once each, in order (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()].map((k) => k + 2), { minLength: n }), fc.array(fc.integer({ min: 2, max: n + 1 }), { maxLength: 10 }))), ([n, rest, repeats]) => {
        const { order, released } = collect();
        order.receive(1, 1, 0);
        for (const seq of [...rest, ...repeats]) order.receive(seq, seq, 0);
        assert.deepEqual(released, [...Array(n + 1).keys()].map((k) => k + 1));
      }),
    );
  });
});
