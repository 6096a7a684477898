import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { threadId } from "node:worker_threads";
import { spawnWorker } from "../../../src-main/runtime/workers";
import type { SimulationWorkerApi } from "../../../src-workers/plant/simulation-types";

describe("plant.worker", () => {
  it("runs the simulation in a worker thread: init, 20 frames, a setpoint write, dispose", { timeout: 60_000 }, async () => {
    const handle = spawnWorker<SimulationWorkerApi>("plant.worker");
    try {
      assert.notEqual(handle.worker.threadId, threadId, "a separate thread");
      const signals = await handle.api.init({ model: "demo-cell", seed: 7, degradationSpeedup: 60 });
      const at = (name: string) => signals.findIndex((s) => s.name === name);
      assert.ok(at("bufferTank.levelSetpoint") >= 0);

      let frame = await handle.api.frame();
      for (let k = 0; k < 20; k++) frame = await handle.api.step(0.05);
      assert.ok(Math.abs(frame.timeS - 1) < 1e-9);
      assert.ok(frame.scalars instanceof Float64Array);
      assert.equal(frame.scalars.length, signals.length);
      assert.equal(frame.scalars[at("cell.state")], 2);
      assert.ok(frame.scalars[at("cell.heartbeat")]! >= 100);
      assert.ok(frame.arrays["fillingStation.itemPositions"] instanceof Float64Array);

      await handle.api.write("bufferTank.levelSetpoint", 1.5);
      frame = await handle.api.step(0.05);
      assert.equal(frame.scalars[at("bufferTank.levelSetpoint")], 1.5);
      assert.ok(Math.abs(frame.timeS - 1.05) < 1e-9);

      await assert.rejects(handle.api.write("bufferTank.levelSetpoint", 3), /bufferTank\.levelSetpoint = 3.*\[0\.4, 2\]/);
      await assert.rejects(handle.api.init({ model: "nope", seed: 1 }), /nope.*demo-cell/);
    } finally {
      await handle.dispose();
    }
  });
});
