/**
 * How a study runs (from the live estimate or a historian moment; Monte Carlo runs over the estimator's
 * posterior), the Run and Cancel buttons, and the progress bar: runs done of all, and time left.
 */
import type { StateSource, WhatifJob } from "../../../src-main/common/api/whatif";
import { formatEta } from "./format";
import { NumberField } from "./NumberField";

export interface RunOptions {
  source: "live" | "historian";
  /** datetime-local text of the historian moment. */
  at: string;
  runs: number;
  posterior: boolean;
}

export function stateSource(o: RunOptions): StateSource {
  const at = Date.parse(o.at);
  return o.source === "historian" && Number.isFinite(at) ? { kind: "historian", at } : { kind: "live" };
}

/** Now, as a datetime-local value in the page's time zone. */
export function localNow(offsetMs = 0): string {
  const d = new Date(Date.now() + offsetMs);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

export function ProgressBar({ job, testId }: { job: WhatifJob; testId: string }) {
  const { done, total, etaMs, phase } = job.progress;
  const share = total > 0 ? done / total : 0;
  const running = job.state === "running";
  return (
    <div className={`whatif-progress state-${job.state}`} data-testid={testId} data-state={job.state} data-done={done} data-total={total}>
      <div className="whatif-progress-bar" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      <span className="whatif-progress-text">
        {phase !== "study" ? `${phase}: ` : ""}
        {done} / {total || "…"} runs · {running ? formatEta(etaMs) : job.state}
      </span>
    </div>
  );
}

interface Props {
  options: RunOptions;
  onOptions(o: RunOptions): void;
  job: WhatifJob | null;
  starting: boolean;
  liveDetail: string;
  onRun(): void;
  onCancel(): void;
}

export function RunControls({ options, onOptions, job, starting, liveDetail, onRun, onCancel }: Props) {
  const running = job?.state === "running";
  return (
    <div className="whatif-run" data-testid="whatif-run">
      <div className="whatif-row">
        <label title={liveDetail}>
          From
          <select value={options.source} onChange={(e) => onOptions({ ...options, source: e.target.value as RunOptions["source"] })} data-testid="run-source">
            <option value="live">live estimate</option>
            <option value="historian">historian at…</option>
          </select>
        </label>
        {options.source === "historian" ? (
          <input type="datetime-local" step={1} value={options.at} onChange={(e) => onOptions({ ...options, at: e.target.value })} data-testid="run-at" />
        ) : null}
        <label title="Monte Carlo runs per arm (1: one deterministic run)">
          Runs
          <NumberField value={options.runs} min={1} max={500} step={1} width={56} onChange={(runs) => runs !== undefined && onOptions({ ...options, runs: Math.round(runs) })} testId="run-count" />
        </label>
        <label className="whatif-check" title="draw latent parameters from the estimator's posterior">
          <input type="checkbox" checked={options.posterior} onChange={(e) => onOptions({ ...options, posterior: e.target.checked })} />
          posterior
        </label>
        {running ? (
          <button type="button" className="ghost whatif-cancel" onClick={onCancel} data-testid="run-cancel">
            Cancel
          </button>
        ) : (
          <button type="button" className="whatif-primary" onClick={onRun} disabled={starting} data-testid="run-study">
            Run against baseline
          </button>
        )}
      </div>
      {job ? <ProgressBar job={job} testId="run-progress" /> : null}
    </div>
  );
}
