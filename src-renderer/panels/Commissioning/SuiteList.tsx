/**
 * The suites beside the scene, each with its tests, and (for engineers) how to run it: all tests or one, the
 * plant speed for the run. A suite that cannot run shows why (the file, line and tag).
 */
import { useState } from "react";
import type { SuiteInfo } from "../../../src-main/common/api/commissioning";

export interface RunRequest {
  suite: string;
  tests?: string[];
  speed: number;
}

const SPEEDS = [1, 2, 5, 10];

export function SuiteList(props: { suites: SuiteInfo[]; canRun: boolean; running: boolean; onRun(request: RunRequest): void }) {
  if (props.suites.length === 0) return <p className="cx-note">No suites beside the scene (suites/*.yaml).</p>;
  return (
    <ul className="cx-suites">
      {props.suites.map((s) => (
        <SuiteItem key={s.id} suite={s} canRun={props.canRun} running={props.running} onRun={props.onRun} />
      ))}
    </ul>
  );
}

function SuiteItem(props: { suite: SuiteInfo; canRun: boolean; running: boolean; onRun(request: RunRequest): void }) {
  const { suite } = props;
  const [test, setTest] = useState("");
  const [speed, setSpeed] = useState(5);
  return (
    <li className="cx-suite" data-testid="suite" data-suite={suite.id}>
      <div className="cx-suite-head">
        <span className="cx-suite-name">{suite.name}</span>
        <span className="cx-suite-meta">
          {suite.id}.yaml · {suite.tests.length} tests{suite.ioCheckout ? " · IO checkout" : ""}
        </span>
      </div>
      {suite.description && <div className="cx-suite-description">{suite.description}</div>}
      {suite.problem ? (
        <pre className="cx-problem">{suite.problem}</pre>
      ) : (
        props.canRun && (
          <div className="cx-run-controls">
            <select data-testid="suite-test" value={test} onChange={(e) => setTest(e.target.value)} title="Run every test, or one">
              <option value="">{suite.ioCheckout && suite.tests.length === 0 ? "IO checkout" : `all ${suite.tests.length} tests${suite.ioCheckout ? " + IO checkout" : ""}`}</option>
              {suite.tests.map((t) => (
                <option key={t.name} value={t.name} title={t.description}>
                  {t.name}
                </option>
              ))}
            </select>
            <select data-testid="suite-speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))} title="Plant speed during the run (times real time)">
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  ×{s}
                </option>
              ))}
            </select>
            <button className="gov-button primary" data-testid="suite-run" disabled={props.running} onClick={() => props.onRun({ suite: suite.id, ...(test ? { tests: [test] } : {}), speed })}>
              Run
            </button>
          </div>
        )
      )}
    </li>
  );
}
