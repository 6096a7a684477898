// The what-if API over the real runtime (simulated PLC over OPC UA, live estimator, governance, worker
// pool): studies from the live estimate with progress events over the WebSocket, refusals naming the
// limit, cancellation, saved scenarios, a historian moment. Proposals and recommendations: api-proposals.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError, type EventPayload } from "../../../src-main/common/api/contract";
import { whatifStudiesOf } from "../../../src-main/runtime/areas/whatif";
import { openWhatifStack, until, type WhatifStack } from "./support/whatif-stack";

let w: WhatifStack;
before(async () => {
  w = await openWhatifStack();
});
after(() => w?.close());

describe("what-if API: studies", () => {
  it("runs a Monte Carlo study from the live estimate: progress events over the socket, KPI table and bands", { timeout: 240_000 }, async () => {
    const progress: EventPayload<"whatif.progress">[] = [];
    const off = w.ws.client.on("whatif.progress", (p) => progress.push(p));
    const job = await w.ws.client.request("whatif.study.start", { scenarios: ["hotter-tank"], monteCarlo: { runs: 4 }, settings: { substepS: 0.05 } });
    assert.equal(job.state, "running");
    const end = await w.finished(job.id);
    off();
    assert.equal(end.state, "done", end.error);
    assert.equal(end.forkedFrom?.source, "estimator");
    const mine = progress.filter((p) => p.jobId === job.id);
    assert.ok(mine.length >= 2, `progress events: ${mine.length}`);
    assert.deepEqual(mine.at(-1)!.done, 8, "a baseline and a scenario arm of 4 runs");
    assert.ok(mine.every((p, i) => p.total === 8 && (i === 0 || p.done >= mine[i - 1]!.done)));
    assert.ok(mine.some((p) => p.etaMs !== null && p.etaMs > 0 && p.done < p.total), "time left while running");

    const r = await w.ws.client.request("whatif.jobs.result", { jobId: job.id, maxPoints: 100 });
    assert.equal(r.kind, "study");
    if (r.kind !== "study") return;
    const s = r.study.scenarios[0]!;
    assert.equal(r.study.runsPerArm, 4);
    assert.ok(s.timesS.length <= 100 && s.timesS.at(-1) === 3600);
    const energy = s.kpis.find((k) => k.id === "energy")!;
    assert.ok(energy.delta.p05 > 0, `a hotter tank costs heater energy: ${JSON.stringify(energy.delta)}`);
    assert.equal(energy.better, false);
    const temp = s.series.find((x) => x.output === "bufferTank.temperature")!;
    assert.ok(temp, `series: ${s.series.map((x) => x.output).join(", ")}`);
    for (const trace of [temp.baseline, temp.scenario]) {
      trace.p50.forEach((m, i) => assert.ok(trace.p05[i]! <= m! && m! <= trace.p95[i]!, `band order at ${i}`));
    }
    assert.ok(temp.scenario.p50.at(-1)! > temp.baseline.p50.at(-1)! + 2, "the tank ends warmer");
    assert.deepEqual(s.setpointChanges.map((c) => [c.tagId, c.to]), [["bufferTank.temperatureSetpoint", 60]]);
    assert.ok(r.study.assumptions.some((a) => /live estimate/.test(a)));
    // Another output on demand, thinned as asked.
    const again = await w.h()["whatif.jobs.result"]({ jobId: job.id, outputs: ["feedPump.flow"], maxPoints: 10 }, w.admin());
    assert.ok(again.kind === "study" && again.study.scenarios[0]!.series[0]!.output === "feedPump.flow" && again.study.scenarios[0]!.timesS.length <= 10);
  });

  it("refuses a scenario that raises a setpoint above its limit, naming the limit, before any run", async () => {
    const started = whatifStudiesOf(w.stack.runtime)?.jobs().length ?? 0;
    await assert.rejects(async () => w.h()["whatif.study.start"](
        { scenarios: [{ name: "too-hot", horizonS: 600, edits: [{ kind: "setpoint", atS: 60, tag: "bufferTank.temperatureSetpoint", value: 95 }] }], from: { kind: "live" } },
        w.admin(),
      ),
      (err: unknown) => err instanceof ApiError && err.code === "refused" && /bufferTank\.temperatureSetpoint: 95 °C is above write\.max 80 °C/.test(err.message),
    );
    assert.equal(whatifStudiesOf(w.stack.runtime)?.jobs().length ?? 0, started, "no job was started");
  });

  it("cancelling a running Monte Carlo stops every worker within 1 s", { timeout: 120_000 }, async (t) => {
    const job = await w.h()["whatif.study.start"](
      // The reference integration: each run is over a second of work, so the workers are mid-run when cancelled.
      { scenarios: [{ name: "long", horizonS: 7200, edits: [] }], from: { kind: "live" }, monteCarlo: { runs: 200, posterior: true, processNoise: true }, settings: { seed: 1, stepS: 1, fidelity: "exact" } },
      w.admin(),
    );
    const desk = whatifStudiesOf(w.stack.runtime)!;
    const pool = desk.pool;
    // A run has finished, so the workers are up (not still starting) and each is in the middle of another.
    await until("a worker mid-run", () => desk.job(job.id).progress.done >= 1 && pool.busy === pool.size);
    const t0 = performance.now();
    const cancelled = await w.h()["whatif.jobs.cancel"]({ jobId: job.id }, w.admin());
    const stoppedMs = performance.now() - t0;
    t.diagnostic(`every worker stopped ${stoppedMs.toFixed(1)} ms after cancel`);
    assert.equal(cancelled.state, "cancelled");
    assert.equal(pool.busy, 0, "no worker has a run left");
    // Guaranteed by design: runs check their cancel flag every plant second, and a worker that has not
    // stopped after the pool's 500 ms grace is terminated.
    assert.ok(stoppedMs <= 1000, `stopped ${stoppedMs.toFixed(0)} ms after cancel`);
    await assert.rejects(async () => w.h()["whatif.jobs.result"]({ jobId: job.id, maxPoints: 100 }, w.admin()), /was cancelled: it has no result/);
  });

  it("saves, lists, reads and deletes scenarios; a saved one above a limit is refused naming the limit", async () => {
    const listed = await w.h()["whatif.scenarios.list"]({}, w.admin());
    assert.ok(listed.scenarios.some((s) => s.name === "cold-night" && s.origin === "scene"));
    const scenario = { name: "night-shift", description: "cooler feed", horizonS: 3600, edits: [{ kind: "disturbance" as const, atS: 0, input: "feedTemperature", offsetK: -3 }] };
    await w.h()["whatif.scenarios.save"]({ scenario }, w.admin());
    assert.deepEqual((await w.h()["whatif.scenarios.get"]({ name: "night-shift" }, w.admin())).scenario, scenario);
    assert.ok((await w.h()["whatif.scenarios.list"]({}, w.admin())).scenarios.some((s) => s.name === "night-shift" && s.origin === "saved" && s.edits === 1));
    await assert.rejects(async () => w.h()["whatif.scenarios.save"]({ scenario: { name: "bad", horizonS: 600, edits: [{ kind: "setpoint", atS: 0, tag: "heatExchanger.coolantFlowSetpoint", value: 40 }] } }, w.admin()),
      /heatExchanger\.coolantFlowSetpoint: 40 m³\/h is above write\.max 15 m³\/h/,
    );
    await assert.rejects(async () => w.h()["whatif.scenarios.delete"]({ name: "cold-night" }, w.admin()), /declared with the scene/);
    assert.deepEqual(await w.h()["whatif.scenarios.delete"]({ name: "night-shift" }, w.admin()), { deleted: true });
    assert.ok(!(await w.h()["whatif.scenarios.list"]({}, w.admin())).scenarios.some((s) => s.name === "night-shift"));
  });

  it("forks from a historian moment", { timeout: 120_000 }, async () => {
    await w.stack.runtime.historian.flush();
    const at = Date.now() - 1_000;
    const job = await w.h()["whatif.study.start"]({ scenarios: ["hotter-tank"], from: { kind: "historian", at } }, w.admin());
    await whatifStudiesOf(w.stack.runtime)!.settled(job.id);
    const status = await w.h()["whatif.jobs.status"]({ jobId: job.id }, w.admin());
    assert.equal(status.state, "done", status.error);
    assert.deepEqual(status.forkedFrom, { model: "demo-cell", source: "historian", timeS: at / 1000 });
    const r = await w.h()["whatif.jobs.result"]({ jobId: job.id, maxPoints: 50 }, w.admin());
    assert.ok(r.kind === "study" && r.study.assumptions.some((a) => /historian at .*as the twin estimated them then/.test(a)), JSON.stringify(r.kind === "study" && r.study.assumptions));
  });
});
