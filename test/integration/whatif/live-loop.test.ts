// The live estimation loop keeps its rate while a what-if Monte Carlo occupies the worker pool: its
// achieved rate (the loop's own timing, estimation.latest().timing over its last 200 ticks) stays near the
// scene's nominal rate. The pool leaves a core to the main process and the live loop (cores − 1 workers).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { whatifStudiesOf } from "../../../src-main/runtime/areas/whatif";
import { startDemoStack, type DemoStack } from "../../support/demo-stack";
import { as } from "../../support/sessions";

let stack: DemoStack;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  stack = await startDemoStack();
  for (let i = 0; i < 900 && !stack.runtime.estimator.latest(); i++) await sleep(100);
});
after(() => stack?.close());

describe("the live loop during a what-if Monte Carlo", () => {
  it("keeps the estimator's nominal rate (within 25 %) while every what-if worker is busy", { timeout: 240_000 }, async (t) => {
    const admin = as(stack.adminToken);
    const info = await stack.runtime.handlers["estimation.info"]({}, admin);
    const nominal = info.rateHz!;
    assert.ok(nominal > 0, "the estimator runs");
    const idle = (await stack.runtime.handlers["estimation.latest"]({}, admin))!.timing.rateHz;

    const job = await stack.runtime.handlers["whatif.study.start"](
      // The reference integration: every run keeps its worker busy for a second or more, for as long as we measure.
      { scenarios: [{ name: "load", horizonS: 3600, edits: [] }], from: { kind: "live" }, monteCarlo: { runs: 300, posterior: true, processNoise: true }, settings: { seed: 1, stepS: 1, fidelity: "exact" } },
      admin,
    );
    const desk = whatifStudiesOf(stack.runtime)!;
    for (let i = 0; i < 1200 && !(desk.job(job.id).progress.done >= 1); i++) await sleep(100);
    // The loop's rate is the mean over its last 200 ticks (10 s at 20 Hz): let the window fill with Monte Carlo time.
    await sleep(11_000);
    const rates: number[] = [];
    for (let k = 0; k < 3; k++) {
      assert.equal(desk.pool.busy, desk.pool.size, "every what-if worker is running a run");
      assert.equal(desk.job(job.id).state, "running");
      rates.push((await stack.runtime.handlers["estimation.latest"]({}, admin))!.timing.rateHz);
      await sleep(2_000);
    }
    const done = desk.job(job.id).progress.done;
    await stack.runtime.handlers["whatif.jobs.cancel"]({ jobId: job.id }, admin);
    t.diagnostic(`nominal ${nominal} Hz; idle ${idle.toFixed(1)} Hz; during Monte Carlo (${done} runs done on ${desk.pool.size} worker(s)): ${rates.map((r) => r.toFixed(1)).join(", ")} Hz`);
    for (const r of rates) assert.ok(r >= 0.75 * nominal, `achieved ${r.toFixed(1)} Hz of the nominal ${nominal} Hz during the Monte Carlo`);
  });
});
