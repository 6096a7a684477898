/**
 * Runs a suite's tests on the rig: for each test the setup steps, its steps up to the first failure, then its
 * teardown steps; afterwards every fault is cleared and every force removed, so each test starts from the
 * plant as the suite's setup leaves it. A failure keeps the recent values of the tags involved (those of the
 * failed step, its `watch` list and every faulted signal) for the report's plots. A run cancelled through its
 * AbortSignal stops at once (a waiting step ends at its next poll): the rest is reported as skipped.
 */
import type { FaultSpec } from "../faults/fault-spec";
import type { Value } from "../suite/expression";
import type { Step, Suite, Test } from "../suite/suite-parse";
import type { Failure, StepResult, SuiteResult, TestResult, Trend } from "./results";
import type { Rig } from "./rig";
import { Sampler } from "./sampler";
import { faultLines, runStep, type StepContext, type StepOutcome } from "./step-runner";
import type { ResolvedTag, TagDirectory } from "./tag-directory";
import { plantControlNodeIds } from "../plant/plant-layout";

export type RunEvent =
  | { type: "test-started"; suite: string; test: string; index: number; total: number }
  /** `index` of `total` steps of the test (setup and teardown included), 0-based. */
  | { type: "step-started"; suite: string; test: string; index: number; total: number; label: string }
  | { type: "step-finished"; suite: string; test: string; step: StepResult }
  | { type: "test-finished"; suite: string; result: TestResult };

export interface SuiteRunOptions {
  suite: Suite;
  file?: string;
  rig: Rig;
  directory: TagDirectory;
  /** Run only the tests with these names. */
  only?: readonly string[];
  /** Polling period, wall ms. Default 25. */
  pollMs?: number;
  onEvent?: (event: RunEvent) => void;
  /** Cancels the run: the step in progress ends, the remaining steps and tests are skipped. */
  signal?: AbortSignal;
}

/** Why the steps and tests after a cancellation were skipped. */
export const CANCELLED = "the run was cancelled";

/** Plant seconds of history shown before a failure. */
const TREND_WINDOW_S = 120;

export function suiteClassname(name: string): string {
  return `commissioning.${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

export async function runFunctionalSuite(options: SuiteRunOptions): Promise<SuiteResult> {
  const { suite, rig, directory } = options;
  const started = new Date();
  const t0 = performance.now();
  const sampler = new Sampler(rig.plant, rig.plc, plantControlNodeIds(rig.root).simulationTime, rig.speed);
  const tests = options.only ? suite.tests.filter((t) => options.only!.includes(t.name)) : suite.tests;
  const results: TestResult[] = [];
  for (const [index, test] of tests.entries()) {
    if (options.signal?.aborted) {
      const skipped: TestResult = { name: test.name, classname: suiteClassname(suite.name), status: "skipped", skipped: CANCELLED, durationS: 0, plantS: 0, steps: [] };
      results.push(skipped);
      options.onEvent?.({ type: "test-finished", suite: suite.name, result: skipped });
      continue;
    }
    options.onEvent?.({ type: "test-started", suite: suite.name, test: test.name, index, total: tests.length });
    const ctx: StepContext = { rig, sampler, directory, vars: new Map<string, Value>(), pollMs: options.pollMs ?? 25, ...(options.signal ? { signal: options.signal } : {}) };
    const result = await runTest(test, suite, ctx, {
      started: (i, total, label) => options.onEvent?.({ type: "step-started", suite: suite.name, test: test.name, index: i, total, label }),
      finished: (step) => options.onEvent?.({ type: "step-finished", suite: suite.name, test: test.name, step }),
    });
    results.push(result);
    options.onEvent?.({ type: "test-finished", suite: suite.name, result });
  }
  return {
    name: suite.name,
    ...(options.file ? { file: options.file } : {}),
    kind: "functional",
    startedAt: started.toISOString(),
    durationS: (performance.now() - t0) / 1000,
    tests: results,
  };
}

interface StepListener {
  started(index: number, total: number, label: string): void;
  finished(step: StepResult): void;
}

async function runTest(test: Test, suite: Suite, ctx: StepContext, onStep: StepListener): Promise<TestResult> {
  const wall0 = performance.now();
  ctx.sampler.reset();
  const all = [...suite.setup, ...test.steps, ...suite.teardown];
  ctx.sampler.watch(watchedTags(all, ctx.directory));
  await ctx.sampler.poll();
  const plant0 = ctx.sampler.now();
  const steps: StepResult[] = [];
  let failure: Failure | undefined;
  let status: TestResult["status"] = "passed";
  let cancelledAt: number | undefined;

  const run = async (list: Step[], phase: "setup" | "test" | "teardown") => {
    for (const step of list) {
      const label = phase === "test" ? step.label : `${phase}: ${step.label}`;
      if ((phase !== "teardown" && status !== "passed") || ctx.signal?.aborted) {
        cancelledAt ??= ctx.signal?.aborted && status === "passed" ? steps.length : undefined;
        steps.push({ label, ...(step.line !== undefined ? { line: step.line } : {}), status: "skipped", startS: ctx.sampler.now(), durationS: 0 });
        continue;
      }
      onStep.started(steps.length, all.length, label);
      const outcome = await runStep(step, ctx);
      if (ctx.signal?.aborted) {
        // The step ended because the run was cancelled: what it saw says nothing about the PLC.
        cancelledAt ??= steps.length;
        steps.push({ label, ...(step.line !== undefined ? { line: step.line } : {}), status: "skipped", startS: outcome.startS, durationS: outcome.endS - outcome.startS, message: CANCELLED });
        continue;
      }
      const result: StepResult = {
        label,
        ...(step.line !== undefined ? { line: step.line } : {}),
        status: outcome.status,
        startS: outcome.startS,
        durationS: outcome.endS - outcome.startS,
        ...(outcome.message ? { message: outcome.message } : {}),
      };
      steps.push(result);
      onStep.finished(result);
      if (outcome.status !== "passed" && status === "passed") {
        // A setup or teardown that fails is an error of the rig, not a finding about the PLC.
        status = outcome.status === "failed" && phase === "test" ? "failed" : "error";
        failure = await describeFailure(step, steps.length - 1, outcome, phase, ctx, plant0);
      }
    }
  };
  await run(suite.setup, "setup");
  await run(test.steps, "test");
  await run(suite.teardown, "teardown");
  await ctx.rig.clearFaults().catch(() => {});
  await ctx.rig.unforce().catch(() => {});
  const cancelled = status === "passed" && cancelledAt !== undefined;

  return {
    name: test.name,
    classname: suiteClassname(suite.name),
    status: cancelled ? "skipped" : status,
    ...(cancelled ? { skipped: `${CANCELLED} at step ${cancelledAt! + 1}` } : {}),
    ...(test.description ? { description: test.description } : {}),
    ...(test.line !== undefined ? { line: test.line } : {}),
    durationS: (performance.now() - wall0) / 1000,
    plantS: ctx.sampler.now() - plant0,
    steps,
    ...(failure ? { failure } : {}),
  };
}

function watchedTags(steps: readonly Step[], directory: TagDirectory): ResolvedTag[] {
  const out = new Map<string, ResolvedTag>();
  for (const step of steps) {
    const refs = [...step.tags];
    // A faulted signal is worth seeing on both sides: what the plant serves and what the PLC makes of it.
    if (step.action.kind === "fault") for (const f of step.action.faults as FaultSpec[]) refs.push({ id: f.tag, side: "plant" }, { id: f.tag });
    for (const ref of refs) {
      const r = directory.resolve(ref);
      if (typeof r !== "string") out.set(r.key, r);
    }
  }
  return [...out.values()];
}

async function describeFailure(step: Step, index: number, outcome: StepOutcome, phase: string, ctx: StepContext, plant0: number): Promise<Failure> {
  const faults = await ctx.rig.activeFaults().catch(() => []);
  const described = faultLines(faults);
  const where = `${phase === "test" ? "Step" : `The ${phase} step`} ${index + 1}${step.line !== undefined ? ` (line ${step.line})` : ""} "${step.label}"`;
  const lines = [
    `${where} ${outcome.status === "error" ? "could not be carried out" : "failed"}: ${outcome.message ?? "no reason given"}.`,
    ...(outcome.expected ? [`Expected: ${outcome.expected}.`] : []),
    ...(outcome.seen ? [`Seen: ${outcome.seen}.`] : []),
    ...(step.why ? [`Why it matters: ${step.why}`] : []),
    ...(described.length ? [`Active faults: ${described.join("; ")}.`] : []),
  ];
  const from = Math.max(plant0, outcome.endS - TREND_WINDOW_S);
  const keys = new Map<string, ResolvedTag>();
  const add = (ref: { id: string; side?: "plant" | "plc" }) => {
    const r = ctx.directory.resolve(ref);
    if (typeof r !== "string") keys.set(r.key, r);
  };
  step.tags.forEach(add);
  for (const f of faults) {
    add({ id: f.spec.tag, side: "plant" });
    add({ id: f.spec.tag });
  }
  const trends: Trend[] = [...keys.values()]
    .map((tag) => ({
      tag: tag.key,
      ...(tag.unit ? { unit: tag.unit } : {}),
      points: ctx.sampler.series(tag.key, from).map((s) => [s.t, s.v === undefined ? null : Number(s.v)] as [number, number | null]),
    }))
    .filter((t) => t.points.length > 0);
  return {
    step: index,
    message: lines.join("\n"),
    expected: outcome.expected ?? "",
    seen: outcome.seen ?? outcome.message ?? "",
    ...(step.why ? { why: step.why } : {}),
    faults: described,
    atS: outcome.endS,
    stepStartS: outcome.startS,
    trends,
  };
}
