/**
 * JUnit XML for CI servers, following the common schema CI tools read (Jenkins' junit-10.xsd): <testsuites>
 * with one <testsuite> per suite (counts, time, timestamp, hostname, <properties>), one <testcase> per test
 * (name, classname, time, file, line) holding a <failure> (message attribute, the full report as its body), an
 * <error> or a <skipped>, and the steps as <system-out>.
 */
import { hostname } from "node:os";
import { countTests, runCounts, type RunResult, type TestResult } from "../runner/results";

export function junitXml(run: RunResult): string {
  const total = runCounts(run);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites${attrs({ name: `Twinbench commissioning: ${run.scene}`, tests: total.tests, failures: total.failed, errors: total.errors, time: seconds(run.durationS) })}>`,
  );
  run.suites.forEach((suite, id) => {
    const c = countTests(suite.tests);
    out.push(
      `  <testsuite${attrs({
        name: suite.name,
        tests: c.tests,
        failures: c.failed,
        errors: c.errors,
        skipped: c.skipped,
        time: seconds(suite.durationS),
        timestamp: suite.startedAt.replace(/\.\d+Z$/, ""),
        hostname: hostname(),
        id,
        package: suite.kind === "io-checkout" ? "commissioning.io-checkout" : "commissioning",
        ...(suite.file ? { file: suite.file } : {}),
      })}>`,
    );
    const properties = { ...run.properties, scene: run.scene, plantEndpoint: run.plantEndpoint, plcEndpoint: run.plcEndpoint, kind: suite.kind };
    out.push("    <properties>");
    for (const [name, value] of Object.entries(properties)) out.push(`      <property${attrs({ name, value })}/>`);
    out.push("    </properties>");
    for (const test of suite.tests) out.push(...testcase(test, suite.file));
    out.push("  </testsuite>");
  });
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

function testcase(test: TestResult, file: string | undefined): string[] {
  const head = `    <testcase${attrs({ name: test.name, classname: test.classname, time: seconds(test.durationS), ...(file ? { file } : {}), ...(test.line !== undefined ? { line: test.line } : {}) })}`;
  const body: string[] = [];
  if (test.status === "skipped") body.push(`      <skipped${attrs({ message: test.skipped ?? "skipped" })}/>`);
  if (test.failure && (test.status === "failed" || test.status === "error")) {
    const tag = test.status === "failed" ? "failure" : "error";
    const firstLine = test.failure.message.split("\n")[0]!;
    body.push(`      <${tag}${attrs({ message: firstLine, type: test.status === "failed" ? "CommissioningCheckFailed" : "CommissioningStepError" })}>${text(test.failure.message)}</${tag}>`);
  }
  if (test.steps.length > 0) {
    const log = test.steps.map((s, i) => `${String(i + 1).padStart(2)}. [${s.status}] ${s.label}${s.line !== undefined ? ` (line ${s.line})` : ""} at ${s.startS.toFixed(1)} s, ${s.durationS.toFixed(1)} s${s.message ? `: ${s.message}` : ""}`);
    body.push(`      <system-out>${text(log.join("\n"))}</system-out>`);
  }
  return body.length === 0 ? [`${head}/>`] : [`${head}>`, ...body, "    </testcase>"];
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escape(String(v)).replace(/"/g, "&quot;").replace(/\n/g, "&#10;")}"`)
    .join("");
}

function text(value: string): string {
  return escape(value);
}

/** XML-escapes text and drops characters XML 1.0 does not allow. */
function escape(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function seconds(s: number): string {
  return (Number.isFinite(s) ? Math.max(0, s) : 0).toFixed(3);
}
