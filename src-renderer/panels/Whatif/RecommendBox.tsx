/**
 * "Recommend": the optimiser searches the objective's setpoints within their write limits from the live
 * estimate and shows its proposal: the changes, the objective and KPIs with bands, the constraints
 * checked and the assumptions; an operator hands it to the approval workflow.
 */
import type { KpiRow, PredictedEffect } from "../../../src-main/common/api/whatif";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { formatBand } from "./format";
import { KpiTable } from "./KpiTable";
import { ProposeBox } from "./ProposeBox";
import { ProgressBar } from "./RunControls";
import { useWhatifJob } from "./useWhatifJob";

const toBand = (b: PredictedEffect["kpis"][number]["baseline"]) => ({ p05: b.p05, p50: b.median, p95: b.p95 });

function rowsOf(effect: PredictedEffect): KpiRow[] {
  return effect.kpis.map((k) => {
    const delta = toBand(k.delta);
    return { id: k.id, label: k.name, unit: k.unit ?? "", baseline: toBand(k.baseline), scenario: toBand(k.proposed), delta, better: delta.p50 === 0 ? null : k.better };
  });
}

export function RecommendBox({ canPropose, objective }: { canPropose: boolean; objective: string | null }) {
  const job = useWhatifJob();
  const running = job.job?.state === "running";
  const r = job.result?.kind === "recommendation" ? job.result.recommendation : null;
  return (
    <section className="whatif-recommend" data-testid="whatif-recommend">
      <div className="whatif-row">
        <h3>Recommendation</h3>
        {objective ? <span className="whatif-hint">{objective}</span> : <span className="whatif-hint">the scene declares no objective</span>}
        {running ? (
          <button type="button" className="ghost" onClick={job.cancel} data-testid="recommend-cancel">
            Cancel
          </button>
        ) : (
          <button type="button" className="whatif-primary" disabled={!objective || job.starting} data-testid="recommend-button" onClick={() => job.start(() => call(connectApi(), "whatif.recommend", {}))}>
            Recommend
          </button>
        )}
      </div>
      {job.job ? <ProgressBar job={job.job} testId="recommend-progress" /> : null}
      {job.error ? (
        <p className="whatif-error" data-testid="recommend-error">
          {job.error}
        </p>
      ) : null}
      {r ? (
        <div data-testid="recommend-result" data-improved={r.improved}>
          <p className="whatif-objective">
            {r.improved ? "Found a better operating point." : "Nothing better than the setpoints as they stand."}
            {r.effect.objective ? ` Objective: ${formatBand(toBand(r.effect.objective.baseline))} → ${formatBand(toBand(r.effect.objective.proposed))}.` : ""}{" "}
            <span className="whatif-hint">
              {r.search.evaluations} candidates, {r.search.runs} runs
            </span>
          </p>
          <KpiTable rows={rowsOf(r.effect)} scenarioLabel="proposed" testId="recommend-kpis" />
          <ul className="whatif-constraints">
            {r.effect.constraints.map((c) => (
              <li key={c.name} className={c.ok ? "ok" : "fail"}>
                {c.ok ? "✓" : "✗"} {c.name}: <span className="whatif-hint">{c.detail}</span>
              </li>
            ))}
          </ul>
          <ProposeBox jobId={r.jobId} changes={r.changes} canPropose={canPropose} label="Propose the recommendation" testId="recommend-propose" />
          <details className="whatif-assumptions">
            <summary>Assumptions</summary>
            <ul>
              {r.effect.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        </div>
      ) : null}
    </section>
  );
}
