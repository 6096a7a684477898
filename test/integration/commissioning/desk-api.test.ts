// The commissioning API on the embedded demo, in process over real OPC UA: the IO list with live values,
// a forced sensor the soft PLC reacts to (seen by the twin), faults, a suite run with its progress per step,
// a sensor stuck in the middle of a sequence that the suite catches, cancellation, and bad input named.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError, requests, type Method, type ParamsIn, type Result } from "../../../src-main/common/api/contract";
import { as, userSession } from "../../support/sessions";
import { startDeskStack, type DeskStack } from "./support/desk-stack";

let stack: DeskStack;
let viewerToken: string;

before(async () => {
  stack = await startDeskStack();
  viewerToken = await userSession(stack.runtime, stack.adminToken, "vera", "viewer");
});
after(() => stack?.close());

/** A call as the dispatcher makes it: params parsed by the contract, then the guarded handler; the result checked. */
async function call<M extends Method>(method: M, params: ParamsIn<M>, token = stack.adminToken): Promise<Result<M>> {
  const parsed = requests[method].params.parse(params);
  const handler = stack.runtime.handlers[method] as (p: unknown, c: never) => Promise<unknown>;
  const result = await handler(parsed, as(token));
  return requests[method].result.parse(result) as Result<M>;
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail("the call succeeded");
}

/** The twin's latest value of a scene tag (what the live view shows). */
function twin(tagId: string): unknown {
  const tag = stack.runtime.table.tag(tagId);
  assert.ok(tag, `no tag ${tagId}`);
  return stack.runtime.table.latestOf(tag.index)?.v;
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finished = (runId: string) => stack.waitForEvent("commissioning.runChanged", (r) => r.id === runId && r.state !== "running", 240_000);
const START_UP = "start-up runs the cell and fills bottles to volume";

describe("commissioning API on the embedded demo", () => {
  it("shows the IO list with live plant values and what each signal accepts, and the suites beside the scene", async () => {
    const status = await call("commissioning.status", {}, viewerToken);
    assert.equal(status.available, true);
    assert.equal(status.source, "embedded-demo");
    assert.equal(status.plantEndpoint, stack.virtual.plant.endpoint);
    assert.equal(status.plcEndpoint, stack.virtual.plc.endpoint);
    assert.equal(status.connected, true);
    assert.ok((status.plantTimeS ?? 0) > 0);

    const io = await call("commissioning.io", {}, viewerToken);
    assert.equal(io.rows.length, 27);
    const row = (tag: string) => io.rows.find((r) => r.tag === tag)!;
    const level = row("bufferTank.level");
    assert.equal(level.nodeId, "ns=1;s=DemoCell.BufferTank.Level");
    assert.equal(level.direction, "input");
    assert.equal(typeof level.value, "number");
    assert.equal(level.quality, "good");
    assert.deepEqual(level.faultKinds, ["stuck", "offset", "drift", "noise", "bad"]);
    assert.deepEqual(row("bufferTank.levelHighHigh").faultKinds, ["stuck", "bad"]);
    assert.deepEqual(row("feedPump.runCommand").faultKinds, ["stuck", "trip"]);
    assert.equal(row("feedPump.runCommand").direction, "output");
    assert.equal(row("fillingStation.itemPositions").forceable, false);

    const { suites } = await call("commissioning.suites", {}, viewerToken);
    const demo = suites.find((s) => s.id === "demo-cell");
    assert.ok(demo && !demo.problem, JSON.stringify(suites));
    assert.equal(demo.tests.length, 7);
    assert.ok(demo.tests.some((t) => t.name === START_UP));
    assert.equal(suites.find((s) => s.id === "io-checkout")?.ioCheckout, true);

    const refused = await refusal(call("commissioning.force", { tag: "bufferTank.levelHighHigh", value: true }, viewerToken));
    assert.equal(refused.code, "unauthorised");
  });

  it("a forced sensor makes the soft PLC react (the twin sees it); the force is audited and releasing it restores the cell", async () => {
    await waitFor("the demo cell running", () => twin("cell.state") === 2 && twin("feedPump.running") === true);
    const { forces } = await call("commissioning.force", { tag: "bufferTank.levelHighHigh", value: true, reason: "interlock check" });
    assert.deepEqual(forces, [{ tag: "bufferTank.levelHighHigh", value: true }]);
    await waitFor("the interlock to trip the feed pump", () => twin("cell.interlockActive") === true && twin("feedPump.running") === false);
    const io = await call("commissioning.io", {});
    const hh = io.rows.find((r) => r.tag === "bufferTank.levelHighHigh")!;
    assert.equal(hh.forced, true);
    assert.equal(hh.value, true);

    const entry = stack.runtime.governance.audit.list({ action: "commissioning.force", limit: 10 }).at(-1);
    assert.ok(entry, "the force is in the audit trail");
    assert.equal(entry.actor, "admin");
    assert.equal(entry.target, "signal:bufferTank.levelHighHigh");
    assert.equal(entry.reason, "interlock check");

    assert.deepEqual(await call("commissioning.unforce", { tags: ["bufferTank.levelHighHigh"] }), { released: ["bufferTank.levelHighHigh"] });
    await waitFor("the interlock to clear", () => twin("cell.interlockActive") === false && twin("feedPump.running") === true);
    assert.equal(stack.runtime.governance.audit.list({ action: "commissioning.unforce", limit: 10 }).length, 1);
  });

  it("injects and clears faults; bad input is refused naming the signal, suite, test or run", async () => {
    const { faults } = await call("commissioning.injectFault", { fault: { tag: "bufferTank.temperature", kind: "offset", offset: 5 } });
    assert.deepEqual(faults.map((f) => [f.spec.tag, f.state, f.description]), [["bufferTank.temperature", "active", "bufferTank.temperature offset +5"]]);
    assert.equal((await call("commissioning.io", {})).rows.find((r) => r.tag === "bufferTank.temperature")?.fault?.spec.kind, "offset");
    assert.deepEqual(await call("commissioning.clearFaults", {}), { cleared: ["bufferTank.temperature"] });
    assert.deepEqual((await call("commissioning.faults", {})).faults, []);

    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => call("commissioning.force", { tag: "nope.signal", value: 1 }), /unknown signal "nope\.signal".*demo-cell\.io\.csv/],
      [() => call("commissioning.injectFault", { fault: { tag: "nope.signal", kind: "trip" } }), /unknown signal "nope\.signal"/],
      [() => call("commissioning.injectFault", { fault: { tag: "bufferTank.levelHighHigh", kind: "offset", offset: 1 } }), /offset on bufferTank\.levelHighHigh: applies to analog signals/],
      [() => call("commissioning.injectFault", { fault: { tag: "bufferTank.level", kind: "trip" } }), /bufferTank\.level is a sensor; its faults are stuck, offset, drift, noise, bad/],
      [() => call("commissioning.force", { tag: "feedPump.speedCommand", value: 99_999 }), /feedPump\.speedCommand: 99999 is outside the actuator's range \[0, 2900\] rpm/],
      [() => call("commissioning.force", { tag: "fillingStation.itemPositions", value: 1 }), /itemPositions: an array signal cannot be forced/],
      [() => call("commissioning.run", { suite: "nope" }), /unknown suite "nope"; the suites beside the scene are: demo-cell, io-checkout/],
      [() => call("commissioning.run", { suite: "demo-cell", tests: ["no such test"] }), /suite "demo-cell" has no test "no such test"/],
      [() => call("commissioning.report", { runId: "run-999", format: "html" }), /unknown run run-999/],
    ];
    for (const [attempt, message] of cases) {
      const err = await refusal(attempt());
      assert.equal(err.code, "invalid_params", err.message);
      assert.match(err.message, message);
    }
    assert.deepEqual((await call("commissioning.faults", {})).faults, [], "a refused fault changes nothing");
  });

  it("a run reports each step as it starts and ends, passes, restores the plant speed, and its reports download", async () => {
    const started = await call("commissioning.run", { suite: "demo-cell", tests: [START_UP], speed: 10 });
    assert.equal(started.state, "running");
    assert.equal(started.speed, 10);
    assert.equal((await call("commissioning.status", {})).run?.id, started.id);
    const end = await finished(started.id);
    const detail = await call("commissioning.result", { runId: started.id });
    assert.equal(end.state, "passed", JSON.stringify(detail?.suites[0]?.tests[0]?.failure ?? end));
    assert.deepEqual(end.counts, { tests: 1, passed: 1, failed: 0, errors: 0, skipped: 0 });

    const progress = stack.events("commissioning.progress").filter((p) => p.runId === started.id);
    const starts = progress.flatMap((p) => (p.kind === "step-started" ? [p.position] : []));
    const test = detail!.suites[0]!.tests[0]!;
    assert.equal(test.status, "passed");
    assert.equal(starts.length, test.steps.length, "one step-started event per step");
    assert.deepEqual(starts.map((s) => s.stepIndex), test.steps.map((_, i) => i));
    assert.ok(starts.every((s) => s.stepTotal === test.steps.length && s.test === START_UP && s.testTotal === 1));
    assert.deepEqual(starts.map((s) => s.stepLabel), test.steps.map((s) => s.label));
    assert.equal(progress.filter((p) => p.kind === "step-finished").length, test.steps.length);
    assert.equal(progress.filter((p) => p.kind === "test-finished").length, 1);
    await waitFor("the plant speed restored", () => stack.virtual.plant.speed() === 1, 10_000);

    const junit = await call("commissioning.report", { runId: started.id, format: "junit" }, viewerToken);
    assert.equal(junit.mimeType, "application/xml");
    assert.match(junit.fileName, /^commissioning-demo-cell-run-\d+\.xml$/);
    assert.match(junit.content, /<testsuite [^>]*tests="1"[^>]*failures="0"/);
    const html = await call("commissioning.report", { runId: started.id, format: "html" }, viewerToken);
    assert.match(html.content, /data-test="verdict">PASSED</);
  });

  it("catches a sensor stuck in the middle of the filling sequence: the failure names the step, the expectation and the fault", async () => {
    const run = await call("commissioning.run", { suite: "demo-cell", tests: [START_UP], speed: 10 });
    // Wait until the line is producing bottles, then freeze the filler flowmeter at zero.
    await stack.waitForEvent("commissioning.progress", (p) => p.runId === run.id && p.kind === "step-started" && p.position.stepLabel.includes("itemsProduced >= $bottles + 3"));
    await call("commissioning.injectFault", { fault: { tag: "fillingStation.fillVolume", kind: "stuck", value: 0 }, reason: "mid-sequence" });
    const end = await finished(run.id);
    assert.equal(end.state, "failed");
    const test = (await call("commissioning.result", { runId: run.id }))!.suites[0]!.tests[0]!;
    assert.equal(test.status, "failed");
    const failure = test.failure!;
    assert.match(test.steps[failure.step]!.label, /itemsProduced >= \$bottles \+ 3/);
    assert.match(failure.message, /timed out after 40 s: fillingStation\.itemsProduced >= \$bottles \+ 3 did not become true/);
    assert.match(failure.expected, /within 40 s/);
    assert.ok(failure.faults.includes("fillingStation.fillVolume stuck at 0"), failure.faults.join("; "));
    assert.ok(failure.trends.some((t) => t.tag.includes("fillingStation.fillVolume") && t.points.length > 0), failure.trends.map((t) => t.tag).join(", "));
    assert.deepEqual((await call("commissioning.faults", {})).faults, [], "the runner clears the faults after the test");
    assert.ok(stack.runtime.governance.audit.list({ action: "commissioning.fault-injected", limit: 10 }).some((e) => e.reason === "mid-sequence"));
  });

  it("runs one at a time; cancel ends a run at once and reports the rest as skipped", async () => {
    const run = await call("commissioning.run", { suite: "demo-cell", ioCheckout: false });
    const busy = await refusal(call("commissioning.run", { suite: "demo-cell" }));
    assert.equal(busy.code, "refused");
    assert.match(busy.message, new RegExp(`${run.id} \\(Demo cell functional tests, started by admin\\) is still running`));
    await stack.waitForEvent("commissioning.progress", (p) => p.runId === run.id && p.kind === "step-started");
    assert.deepEqual(await call("commissioning.cancel", { runId: run.id }), { cancelled: true });
    const end = await finished(run.id);
    assert.equal(end.state, "cancelled");
    assert.equal(end.counts.tests, 7);
    assert.equal(end.counts.skipped, 7);
    const first = (await call("commissioning.result", { runId: run.id }))!.suites[0]!.tests[0]!;
    assert.match(first.skipped ?? "", /the run was cancelled at step \d+/);
    assert.deepEqual(await call("commissioning.cancel", { runId: run.id }), { cancelled: false });
    assert.deepEqual((await call("commissioning.runs", {}, viewerToken)).runs.map((r) => r.state).slice(0, 3), ["cancelled", "failed", "passed"]);
  });
});
