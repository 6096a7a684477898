/**
 * What a commissioning run produced: suites of tests, each with its steps, and for a failure what was
 * expected, what was seen and the recent values of the tags involved. Plain data (JSON-safe): the JUnit
 * writer, the HTML report and the UI all read it.
 */

export type TestStatus = "passed" | "failed" | "error" | "skipped";

export interface StepResult {
  label: string;
  /** Line of the step in the suite file. */
  line?: number;
  status: TestStatus;
  /** Plant time the step started, s. */
  startS: number;
  /** Plant seconds the step took. */
  durationS: number;
  message?: string;
}

/** Recent values of one tag: [plant s, value] (Booleans 0/1, null for no value). */
export interface Trend {
  tag: string;
  unit?: string;
  points: [number, number | null][];
}

export interface Failure {
  /** Index of the failed step in `steps`. */
  step: number;
  /** One paragraph: which step, what was expected, what was seen. */
  message: string;
  expected: string;
  seen: string;
  why?: string;
  /** Faults active at the failure, described. */
  faults: string[];
  /** Plant time of the failure, s. */
  atS: number;
  /** Plant time the failed step started, s (a marker in the plots). */
  stepStartS: number;
  trends: Trend[];
}

export interface TestResult {
  name: string;
  /** JUnit classname: `<suite>.<group>`. */
  classname: string;
  status: TestStatus;
  description?: string;
  line?: number;
  /** Wall seconds. */
  durationS: number;
  /** Plant seconds. */
  plantS: number;
  steps: StepResult[];
  failure?: Failure;
  /** Why it was skipped, when it was. */
  skipped?: string;
}

export interface SuiteResult {
  name: string;
  file?: string;
  kind: "functional" | "io-checkout";
  /** ISO time the suite started. */
  startedAt: string;
  durationS: number;
  tests: TestResult[];
}

export interface RunResult {
  startedAt: string;
  durationS: number;
  scene: string;
  plantEndpoint: string;
  plcEndpoint: string;
  /** Key facts for CI (plant speed, defect, model…). */
  properties: Record<string, string>;
  suites: SuiteResult[];
}

export interface Counts {
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
}

export function countTests(tests: readonly TestResult[]): Counts {
  const c: Counts = { tests: tests.length, passed: 0, failed: 0, errors: 0, skipped: 0 };
  for (const t of tests) {
    if (t.status === "passed") c.passed++;
    else if (t.status === "failed") c.failed++;
    else if (t.status === "error") c.errors++;
    else c.skipped++;
  }
  return c;
}

export function runCounts(run: RunResult): Counts {
  return countTests(run.suites.flatMap((s) => s.tests));
}

/** A run passes when no test failed or errored (skipped tests do not fail it). */
export function runPassed(run: RunResult): boolean {
  const c = runCounts(run);
  return c.failed === 0 && c.errors === 0;
}
