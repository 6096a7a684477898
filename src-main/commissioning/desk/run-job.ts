/**
 * One suite run started from the workbench: its state, where it is (test and step), the tests finished so far
 * and, once done, the full result for the reports. Turns the runner's events into the contract's progress
 * events and its results into the contract's shapes (trends thinned for the UI; the reports keep them whole).
 */
import type { CommissioningProgress, RunDetail, RunPosition, RunState, RunSummary, TestInfo } from "../../common/api/commissioning";
import { countTests, runPassed, type RunResult, type SuiteResult, type TestResult, type Trend } from "../runner/results";
import type { RunEvent } from "../runner/suite-runner";

/** Points per trend sent to the UI. */
const TREND_POINTS = 300;

export class RunJob {
  readonly controller = new AbortController();
  state: RunState = "running";
  private position: RunPosition | undefined;
  private finishedAt: number | undefined;
  private error: string | undefined;
  /** Tests finished so far, by suite name in run order. */
  private readonly partial = new Map<string, { kind: SuiteResult["kind"]; tests: TestResult[] }>();
  private testIndex = 0;
  private testTotal = 0;
  result: RunResult | undefined;

  constructor(
    readonly id: string,
    readonly suite: { id: string; name: string },
    readonly by: string,
    readonly speed: number,
    readonly startedAt = Date.now(),
  ) {}

  /** Records a runner event; returns the progress event to push, if any. */
  onEvent(e: RunEvent): CommissioningProgress | undefined {
    switch (e.type) {
      case "test-started":
        this.testIndex = e.index;
        this.testTotal = e.total;
        return undefined;
      case "step-started": {
        // The IO checkout reports patterns as the steps of one test per direction.
        const checkout = e.test.startsWith("every ");
        this.position = {
          suite: e.suite,
          test: e.test,
          testIndex: checkout ? 0 : this.testIndex,
          testTotal: checkout ? 1 : this.testTotal,
          stepIndex: e.index,
          stepTotal: e.total,
          stepLabel: e.label,
        };
        return { runId: this.id, kind: "step-started", position: this.position };
      }
      case "step-finished":
        return { runId: this.id, kind: "step-finished", suite: e.suite, test: e.test, step: e.step };
      case "test-finished": {
        const kind = e.result.classname === "commissioning.io-checkout" ? "io-checkout" : "functional";
        const entry = this.partial.get(e.suite) ?? { kind, tests: [] };
        entry.tests.push(e.result);
        this.partial.set(e.suite, entry);
        return { runId: this.id, kind: "test-finished", suite: e.suite, test: testInfo(e.result) };
      }
    }
  }

  finish(result: RunResult): void {
    this.result = result;
    this.state = this.controller.signal.aborted ? "cancelled" : runPassed(result) ? "passed" : "failed";
    this.finishedAt = Date.now();
    this.position = undefined;
  }

  fail(err: unknown): void {
    this.error = err instanceof Error ? err.message : String(err);
    this.state = this.controller.signal.aborted ? "cancelled" : "error";
    this.finishedAt = Date.now();
    this.position = undefined;
  }

  summary(): RunSummary {
    const tests = this.result ? this.result.suites.flatMap((s) => s.tests) : [...this.partial.values()].flatMap((s) => s.tests);
    return {
      id: this.id,
      suite: this.suite.id,
      suiteName: this.suite.name,
      state: this.state,
      by: this.by,
      startedAt: this.startedAt,
      ...(this.finishedAt !== undefined ? { finishedAt: this.finishedAt } : {}),
      speed: this.speed,
      counts: countTests(tests),
      ...(this.position ? { position: this.position } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  detail(): RunDetail {
    const suites = this.result
      ? this.result.suites.map((s) => ({ name: s.name, kind: s.kind, tests: s.tests.map(testInfo) }))
      : [...this.partial].map(([name, s]) => ({ name, kind: s.kind, tests: s.tests.map(testInfo) }));
    return { ...this.summary(), suites };
  }
}

export function testInfo(t: TestResult): TestInfo {
  return {
    name: t.name,
    status: t.status,
    ...(t.description ? { description: t.description } : {}),
    durationS: t.durationS,
    plantS: t.plantS,
    steps: t.steps,
    ...(t.failure ? { failure: { ...t.failure, trends: t.failure.trends.map(thin) } } : {}),
    ...(t.skipped ? { skipped: t.skipped } : {}),
  };
}

/** At most TREND_POINTS points, evenly picked, the last one always kept (it is the moment of the failure). */
export function thin(trend: Trend): Trend {
  const n = trend.points.length;
  if (n <= TREND_POINTS) return trend;
  const stride = (n - 1) / (TREND_POINTS - 1);
  const points = Array.from({ length: TREND_POINTS }, (_, k) => trend.points[Math.round(k * stride)]!);
  return { ...trend, points };
}
