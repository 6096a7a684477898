/**
 * A suite run: while it runs, where it is (test i of n, step s of m and the step itself) with Cancel; then the
 * verdict, each test passed or failed with its failure (which step, what was expected, what was seen, the
 * faults active), and the reports to download (HTML for people, JUnit XML for CI).
 */
import type { RunDetail, RunPosition, RunSummary, TestInfo } from "../../../src-main/common/api/commissioning";

const MARK: Record<TestInfo["status"], string> = { passed: "✓", failed: "✗", error: "!", skipped: "–" };

export function RunView(props: { run: RunSummary; position: RunPosition | null; detail: RunDetail | null; canAct: boolean; busy: boolean; onCancel(): void; onExport(format: "html" | "junit"): void }) {
  const { run, position, detail } = props;
  const running = run.state === "running";
  const c = run.counts;
  return (
    <section className="cx-run" data-testid="run" data-run={run.id} data-state={run.state}>
      <div className="cx-run-head">
        <span className={`cx-verdict cx-verdict-${run.state}`} data-testid="run-state">
          {run.state.toUpperCase()}
        </span>
        <span className="cx-run-name">{run.suiteName}</span>
        <span className="cx-run-meta">
          {run.id} · ×{run.speed} · by {run.by} · {c.passed} passed, {c.failed} failed{c.errors ? `, ${c.errors} errors` : ""}
          {c.skipped ? `, ${c.skipped} skipped` : ""}
        </span>
        {running && props.canAct && (
          <button className="gov-button danger" data-testid="run-cancel" disabled={props.busy} onClick={props.onCancel}>
            Cancel
          </button>
        )}
        {!running && run.state !== "error" && (
          <span className="cx-export">
            <button className="ghost" data-testid="export-html" onClick={() => props.onExport("html")}>
              HTML report
            </button>
            <button className="ghost" data-testid="export-junit" onClick={() => props.onExport("junit")}>
              JUnit XML
            </button>
          </span>
        )}
      </div>
      {running && position && (
        <div className="cx-progress" data-testid="run-progress">
          <div>
            Test {position.testIndex + 1} of {position.testTotal}: <b>{position.test}</b>
          </div>
          <div data-testid="run-step">
            Step {position.stepIndex + 1} of {position.stepTotal}: <code>{position.stepLabel}</code>
          </div>
          <progress max={position.stepTotal} value={position.stepIndex} />
        </div>
      )}
      {run.error && <pre className="cx-problem">{run.error}</pre>}
      {detail?.suites.map((s) => (
        <div key={s.name} className="cx-result-suite">
          <div className="cx-result-suite-name">{s.name}</div>
          <ul className="cx-tests">
            {s.tests.map((t) => (
              <TestItem key={t.name} test={t} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function TestItem({ test }: { test: TestInfo }) {
  return (
    <li className={`cx-test cx-test-${test.status}`} data-testid="test-result" data-status={test.status} data-test={test.name}>
      <span className="cx-mark">{MARK[test.status]}</span> {test.name} <span className="cx-run-meta">{test.durationS.toFixed(1)} s</span>
      {test.failure && (
        <pre className="cx-failure" data-testid="failure-message">
          {test.failure.message}
        </pre>
      )}
      {test.skipped && <div className="cx-note">{test.skipped}</div>}
    </li>
  );
}
