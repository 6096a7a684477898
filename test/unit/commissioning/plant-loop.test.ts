// The plant thread's parts without a thread: the frame shared between threads, the cycle schedule and its
// statistics, and the loop that steps the model by elapsed time × speed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CycleSchedule, CycleStats, percentile } from "../../../src-workers/plant/cycle-clock";
import { checkSpeed, PlantLoop } from "../../../src-workers/plant/plant-loop";
import { allocateFrame, FRAME_ARRAY_CAPACITY, frameLayout, FrameReader, FrameWriter } from "../../../src-workers/plant/shared-frame";
import type { SignalSpec } from "../../../src-workers/plant/simulation-types";

describe("shared frame", () => {
  const signals: SignalSpec[] = [
    { name: "a.x", type: "Double", direction: "output" },
    { name: "a.on", type: "Boolean", direction: "output" },
    { name: "a.items", type: "DoubleArray", direction: "output" },
    { name: "a.n", type: "UInt32", direction: "input" },
  ];
  it("carries scalars, Booleans and arrays from writer to reader", () => {
    const layout = frameLayout(signals);
    const buffers = allocateFrame(layout);
    const reader = new FrameReader(layout, buffers);
    assert.equal(reader.read(), false, "nothing written yet");
    const values = [1.5, true, [0.2, 0.7], 9];
    new FrameWriter(layout, buffers).publish(12.5, 3, (i) => values[i] as never);
    assert.equal(reader.read(), true);
    assert.deepEqual([reader.timeS, reader.cycle, reader.scalar(0), reader.scalar(1), reader.scalar(3)], [12.5, 3, 1.5, 1, 9]);
    assert.ok(Number.isNaN(reader.scalar(2)));
    assert.deepEqual(reader.array(2), [0.2, 0.7]);
    assert.deepEqual(reader.array(0), []);
  });
  it("cuts arrays longer than the frame's capacity", () => {
    const layout = frameLayout(signals);
    const buffers = allocateFrame(layout);
    new FrameWriter(layout, buffers).publish(0, 1, (i) => (i === 2 ? Array.from({ length: 100 }, (_, k) => k) : 0));
    const reader = new FrameReader(layout, buffers);
    reader.read();
    assert.equal(reader.array(2).length, FRAME_ARRAY_CAPACITY);
  });
});

describe("cycle schedule and statistics", () => {
  it("aims at start + k·period without drift, and re-anchors after a long stall", () => {
    const s = new CycleSchedule(10, 1000);
    assert.equal(s.nextDeadline, 1010);
    assert.equal(s.begin(1011.5), false);
    assert.equal(s.nextDeadline, 1020, "a late cycle does not push the next deadline");
    assert.equal(s.begin(1200), true, "far behind: re-anchor");
    assert.equal(s.nextDeadline, 1210);
    assert.throws(() => new CycleSchedule(0, 0), /positive/);
  });
  it("reports period jitter percentiles", () => {
    const stats = new CycleStats();
    for (let k = 0; k < 98; k++) stats.record(10);
    stats.record(13);
    stats.record(7.5);
    const s = stats.summary(10);
    assert.equal(s.cycles, 100);
    assert.equal(s.periodP50Ms, 10);
    assert.equal(s.jitterP50Ms, 0);
    assert.equal(s.jitterP99Ms, 2.5);
    assert.equal(s.jitterMaxMs, 3);
    stats.reset();
    assert.equal(stats.summary(10).cycles, 0);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
  });
});

describe("plant loop", () => {
  it("steps the model by the elapsed wall time times the speed and publishes every cycle", () => {
    const loop = new PlantLoop({ model: "demo-cell", seed: 7 }, 10, 5);
    const ready = loop.ready();
    assert.ok(ready.signals.some((s) => s.name === "feedPump.runCommand"));
    assert.ok(ready.states.some((s) => s.name === "bufferTank.level"));
    const reader = new FrameReader(ready.layout, ready.frame);
    loop.cycle(0);
    loop.cycle(10);
    loop.cycle(30);
    reader.read();
    assert.equal(reader.cycle, 3);
    assert.ok(Math.abs(reader.timeS - (0.01 + 0.01 + 0.02) * 5) < 1e-9, `${reader.timeS}`);
    assert.deepEqual(new CycleStats(ready.stats).periods(), [10, 20]);
  });
  it("applies writes, plant states and speed changes, and refuses what the model refuses", () => {
    const loop = new PlantLoop({ model: "demo-cell", seed: 7 }, 10, 1);
    loop.handle({ type: "write", name: "feedPump.runCommand", value: true });
    loop.handle({ type: "setState", name: "bufferTank.level", value: 2 });
    const ready = loop.ready();
    const reader = new FrameReader(ready.layout, ready.frame);
    reader.read();
    assert.ok(Math.abs(reader.scalar(ready.signals.findIndex((s) => s.name === "truth.tankLevel")) - 2) < 1e-9, "a state change shows at once");
    assert.throws(() => loop.handle({ type: "write", name: "bufferTank.level", value: 1 }), /read-only/);
    assert.throws(() => loop.handle({ type: "speed", speed: 20 }), /between ×0\.5 and ×10/);
    assert.throws(() => new PlantLoop({ model: "demo-cell", seed: 1 }, 5, 1), /at least 10 ms/);
    assert.equal(checkSpeed(0.5), 0.5);
  });
});
