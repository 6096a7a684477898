/**
 * KPIs side by side: baseline, scenario (or proposed), and their difference per run pair, each as the
 * median with its 90 % band; the verdict says whether the whole band of the difference is on the better
 * side, the worse side, or straddles zero.
 */
import type { KpiRow, WhatifBand } from "../../../src-main/common/api/whatif";
import { bandParts, unitText, verdict } from "./format";

/** Median on top, its 90 % band small below (absent for a single run). */
function BandCell({ band, signed = false, className = "num" }: { band: WhatifBand; signed?: boolean; className?: string }) {
  const { median, band: range } = bandParts(band, signed);
  return (
    <td className={className}>
      <span className="whatif-median">{median}</span>
      {range ? <span className="whatif-range">{range}</span> : null}
    </td>
  );
}

const VERDICT_TEXT = { better: "better", worse: "worse", unclear: "unclear", none: "no change" } as const;

export function KpiTable({ rows, scenarioLabel = "scenario", testId = "whatif-kpis" }: { rows: readonly KpiRow[]; scenarioLabel?: string; testId?: string }) {
  return (
    <table className="gov-table whatif-kpis" data-testid={testId}>
      <thead>
        <tr>
          <th>KPI</th>
          <th className="num">baseline</th>
          <th className="num">{scenarioLabel}</th>
          <th className="num">Δ</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((k) => {
          const v = verdict(k.delta, k.better);
          return (
            <tr key={k.id} data-kpi={k.id} data-verdict={v}>
              <td>
                {k.label} <span className="whatif-hint">{unitText(k.unit)}</span>
              </td>
              <BandCell band={k.baseline} />
              <BandCell band={k.scenario} />
              <BandCell band={k.delta} signed className="num whatif-delta" />
              <td className={`whatif-verdict verdict-${v}`}>{VERDICT_TEXT[v]}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
