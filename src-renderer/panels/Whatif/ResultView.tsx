/**
 * A finished study's scenario against its baseline: pick an output, see both with their 90 % bands, the
 * KPI table with the differences, the objective, the assumptions, and "propose these setpoints".
 */
import { useEffect, useState } from "react";
import type { StudyResultInfo } from "../../../src-main/common/api/whatif";
import { formatBand, formatSeconds } from "./format";
import { KpiTable } from "./KpiTable";
import { OverlayChart } from "./OverlayChart";
import { ProposeBox } from "./ProposeBox";

interface Props {
  study: StudyResultInfo;
  canPropose: boolean;
  fetchOutputs(outputs: string[]): void;
}

export function ResultView({ study, canPropose, fetchOutputs }: Props) {
  const s = study.scenarios[0]!;
  const [output, setOutput] = useState<string>(s.series[0]?.output ?? study.outputs[0] ?? "");
  const series = s.series.find((x) => x.output === output);
  useEffect(() => {
    if (output && !series) fetchOutputs([output]);
  }, [output, series, fetchOutputs]);

  return (
    <div className="whatif-result" data-testid="whatif-result" data-runs={study.runsPerArm}>
      <div className="whatif-row">
        <strong>{s.name}</strong>
        <span className="whatif-hint">
          against baseline · {formatSeconds(s.horizonS)} · {study.runsPerArm} run{study.runsPerArm === 1 ? "" : "s"} per arm · from the {study.state.source} · {(study.wallMs / 1000).toFixed(1)} s
        </span>
        <select value={output} onChange={(e) => setOutput(e.target.value)} data-testid="result-output">
          {study.outputs.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
      {series ? <OverlayChart timesS={s.timesS} series={series} /> : <div className="whatif-chart whatif-hint">loading {output}…</div>}
      <div className="whatif-legend">
        <span className="whatif-key baseline" /> baseline <span className="whatif-key scenario" /> {s.name} <span className="whatif-hint">shaded: 90 % band</span>
      </div>
      <KpiTable rows={s.kpis} />
      {s.objective ? (
        <p className="whatif-objective" data-testid="whatif-objective">
          Objective (lower is better): {formatBand(s.objective.baseline)} → {formatBand(s.objective.scenario)}, Δ {formatBand(s.objective.delta, true)}
        </p>
      ) : null}
      <ProposeBox jobId={study.jobId} scenario={s.name} changes={s.setpointChanges} canPropose={canPropose} />
      <details className="whatif-assumptions">
        <summary>Assumptions</summary>
        <ul>
          {study.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
