// A run as the workbench follows it: the runner's events become positions (test i of n, step s of m) and
// progress events, the summary counts what finished, the end state says passed / failed / cancelled / error,
// and failure trends are thinned for the UI without losing the moment of the failure.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RunJob, thin } from "../../../src-main/commissioning/desk/run-job";
import type { RunResult, TestResult } from "../../../src-main/commissioning/runner/results";

const test = (name: string, status: TestResult["status"]): TestResult => ({ name, classname: "commissioning.demo", status, durationS: 1, plantS: 10, steps: [] });
const result = (tests: TestResult[]): RunResult => ({
  startedAt: "2025-01-01T00:00:00.000Z",
  durationS: 2,
  scene: "Demo",
  plantEndpoint: "opc.tcp://127.0.0.1:1/twinbench",
  plcEndpoint: "opc.tcp://127.0.0.1:2/twinbench",
  properties: {},
  suites: [{ name: "Suite", kind: "functional", startedAt: "2025-01-01T00:00:00.000Z", durationS: 2, tests }],
});

describe("run job", () => {
  it("tracks where the run is and what finished, and ends passed or failed", () => {
    const job = new RunJob("run-1", { id: "demo-cell", name: "Suite" }, "alice", 5);
    assert.equal(job.onEvent({ type: "test-started", suite: "Suite", test: "a", index: 0, total: 2 }), undefined);
    const progress = job.onEvent({ type: "step-started", suite: "Suite", test: "a", index: 3, total: 9, label: "waitUntil x" });
    assert.deepEqual(progress, { runId: "run-1", kind: "step-started", position: { suite: "Suite", test: "a", testIndex: 0, testTotal: 2, stepIndex: 3, stepTotal: 9, stepLabel: "waitUntil x" } });
    assert.equal(job.summary().position?.stepIndex, 3);
    job.onEvent({ type: "test-finished", suite: "Suite", result: test("a", "passed") });
    assert.deepEqual(job.summary().counts, { tests: 1, passed: 1, failed: 0, errors: 0, skipped: 0 });
    assert.deepEqual(job.detail().suites, [{ name: "Suite", kind: "functional", tests: [{ name: "a", status: "passed", durationS: 1, plantS: 10, steps: [] }] }]);
    job.finish(result([test("a", "passed"), test("b", "failed")]));
    const s = job.summary();
    assert.equal(s.state, "failed");
    assert.equal(s.position, undefined);
    assert.deepEqual(s.counts, { tests: 2, passed: 1, failed: 1, errors: 0, skipped: 0 });
    assert.ok(s.finishedAt! >= s.startedAt);
  });

  it("a cancelled run ends cancelled; a run that could not be carried out ends in error with the reason", () => {
    const cancelled = new RunJob("run-2", { id: "x", name: "X" }, "bob", 1);
    cancelled.controller.abort();
    cancelled.finish(result([test("a", "skipped")]));
    assert.equal(cancelled.summary().state, "cancelled");
    const broken = new RunJob("run-3", { id: "x", name: "X" }, "bob", 1);
    broken.fail(new Error("connecting to opc.tcp://127.0.0.1:1/twinbench: no answer within 20000 ms"));
    assert.equal(broken.summary().state, "error");
    assert.match(broken.summary().error ?? "", /no answer within/);
  });

  it("thins a trend to at most 300 points, evenly, keeping the first and the last", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), (n) => {
        const points = Array.from({ length: n }, (_, k) => [k * 0.1, k] as [number, number]);
        const thinned = thin({ tag: "x", points }).points;
        assert.equal(thinned.length, Math.min(n, 300));
        assert.deepEqual(thinned[0], points[0]);
        assert.deepEqual(thinned.at(-1), points.at(-1));
        for (let k = 1; k < thinned.length; k++) assert.ok(thinned[k]![0] > thinned[k - 1]![0], "in time order, no repeats");
      }),
    );
  });
});
