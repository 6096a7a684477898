// The plant clock's allocation-free frame path: for both plant models, what the shared frame carries after any
// sequence of steps and commands is exactly what the model's read() says, signal by signal (property test).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createPlantModel } from "../../../src-workers/plant/create-plant-model";
import { PlantLoop } from "../../../src-workers/plant/plant-loop";
import type { PlantModelOptions } from "../../../src-workers/plant/plant-model-types";
import { FrameReader } from "../../../src-workers/plant/shared-frame";
import type { SignalSpec } from "../../../src-workers/plant/simulation-types";

const RIG_SIGNALS: SignalSpec[] = [
  { name: "m.level", type: "Double", direction: "output", range: [0, 2.5] },
  { name: "m.on", type: "Boolean", direction: "output" },
  { name: "m.count", type: "Int32", direction: "output", range: [0, 1000] },
  { name: "m.items", type: "DoubleArray", direction: "output", range: [0, 4] },
  { name: "m.valve", type: "Boolean", direction: "input", range: [0, 1] },
  { name: "m.speed", type: "Double", direction: "input", range: [0, 100] },
  { name: "m.positions", type: "DoubleArray", direction: "input" },
];

const MODELS: [string, PlantModelOptions][] = [
  ["io-rig", { model: "io-rig", seed: 3, signals: RIG_SIGNALS }],
  ["demo-cell", { model: "demo-cell", seed: 3, degradationSpeedup: 600 }],
];

function assertFrameMatchesModel(loop: PlantLoop): void {
  const reader = new FrameReader(loop.layout, loop.buffers);
  assert.ok(reader.read());
  assert.equal(reader.timeS, loop.model.timeS);
  loop.model.signals.forEach((s, i) => {
    const v = loop.model.read(s.name);
    if (Array.isArray(v)) assert.deepEqual(reader.array(i), v.slice(0, 64), s.name);
    else assert.equal(reader.scalar(i), typeof v === "boolean" ? (v ? 1 : 0) : v, s.name);
  });
}

describe("plant frame fast path", () => {
  for (const [name, options] of MODELS) {
    it(`${name}: the model offers its frame without read() and the frame equals read() after any steps and commands`, () => {
      assert.equal(typeof createPlantModel(options).frameScalars, "function");
      fc.assert(
        fc.property(fc.array(fc.record({ dtMs: fc.integer({ min: 1, max: 200 }), command: fc.boolean(), on: fc.boolean() }), { minLength: 1, maxLength: 25 }), (steps) => {
          const loop = new PlantLoop(options, 10, 1);
          let now = 0;
          for (const s of steps) {
            if (s.command) {
              const actuator = loop.model.signals.find((x) => x.direction === "input" && x.type === "Boolean");
              if (actuator) loop.handle({ type: "write", name: actuator.name, value: s.on });
            }
            now += s.dtMs;
            loop.cycle(now);
          }
          assertFrameMatchesModel(loop);
        }),
        { numRuns: 40 },
      );
    });
  }

  it("io-rig: an array written to an actuator shows in the frame", () => {
    const loop = new PlantLoop({ model: "io-rig", seed: 1, signals: RIG_SIGNALS }, 10, 1);
    loop.handle({ type: "write", name: "m.positions", value: [0.5, 1.5, 2.5] });
    loop.cycle(10);
    loop.cycle(20);
    assertFrameMatchesModel(loop);
    const reader = new FrameReader(loop.layout, loop.buffers);
    reader.read();
    assert.deepEqual(reader.array(6), [0.5, 1.5, 2.5]);
  });
});
