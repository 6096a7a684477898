/**
 * What the proposal predicts: KPIs baseline against proposed with the difference and its 90 % band, the
 * trajectories with bands, the constraints and assumptions. An effect in an unknown shape is shown as JSON
 * (never hidden: it is part of what the approver is asked to trust).
 */
import type { PredictedEffect } from "../../../src-main/common/api/whatif";
import { deltaVerdict, formatBand, formatHorizon, formatMedian, otherChanges, parseEffect } from "./effect";
import { EffectChart } from "./EffectChart";
import { formatChange } from "./format";

const VERDICT_LABEL = { better: "better", worse: "worse", unclear: "within noise", none: "no change" } as const;

export function EffectView({ effect, tagId }: { effect: unknown; tagId: string }) {
  const parsed = parseEffect(effect);
  if (parsed.kind === "none") return <p className="gov-dim" data-testid="effect-none">No predicted effect came with this proposal.</p>;
  if (parsed.kind === "raw") {
    return (
      <div data-testid="effect-raw">
        <p className="gov-dim">Not a predicted effect this version knows ({parsed.problem}); as sent:</p>
        <pre className="gov-json">{parsed.json}</pre>
      </div>
    );
  }
  return <KnownEffect effect={parsed.effect} tagId={tagId} />;
}

function KnownEffect({ effect, tagId }: { effect: PredictedEffect; tagId: string }) {
  const others = otherChanges(effect, tagId);
  return (
    <div className="effect" data-testid="effect">
      {others.length > 0 ? (
        <p className="gov-note" data-testid="effect-joint">
          Predicted for this change together with {others.map((c) => `${c.tagId} ${formatChange(c.from, c.to, c.unit)}`).join(", ")}: each is a proposal
          of its own, and this effect is only expected if all are applied.
        </p>
      ) : null}
      <p className="gov-dim">
        {effect.source ? `From the ${effect.source.kind}${effect.source.scenario ? ` scenario "${effect.source.scenario}"` : ""} (job ${effect.source.jobId}). ` : ""}
        Over {formatHorizon(effect.horizonS)}, {effect.runs === 1 ? "one deterministic run" : `${effect.runs} Monte Carlo runs`} per side; bands are 90 % (5th–95th percentile); medians shown, hover for their bands.
      </p>
      <table className="gov-table effect-kpis" data-testid="effect-kpis">
        <thead>
          <tr>
            <th>KPI</th>
            <th>Baseline</th>
            <th>Proposed</th>
            <th>Difference (90 % band)</th>
          </tr>
        </thead>
        <tbody>
          {effect.objective ? (
            <tr data-kpi="objective">
              <td>Objective (lower is better)</td>
              <td className="value" title={formatBand(effect.objective.baseline)}>
                {formatMedian(effect.objective.baseline)}
              </td>
              <td className="value" title={formatBand(effect.objective.proposed)}>
                {formatMedian(effect.objective.proposed)}
              </td>
              <td />
            </tr>
          ) : null}
          {effect.kpis.map((k) => {
            const verdict = deltaVerdict(k.delta, k.better);
            return (
              <tr key={k.id} data-testid="effect-kpi" data-kpi={k.id} data-verdict={verdict}>
                <td>{k.name}</td>
                <td className="value" title={`90 %: ${formatBand(k.baseline, k.unit)}`}>
                  {formatMedian(k.baseline, k.unit)}
                </td>
                <td className="value" title={`90 %: ${formatBand(k.proposed, k.unit)}`}>
                  {formatMedian(k.proposed, k.unit)}
                </td>
                <td className={`value verdict-${verdict}`}>
                  {formatBand(k.delta, k.unit, true)} <span className="verdict">{VERDICT_LABEL[verdict]}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {effect.series.length > 0 ? (
        <div className="effect-charts">
          {effect.series.map((s) => (
            <EffectChart key={s.id} series={s} />
          ))}
        </div>
      ) : null}
      {effect.constraints.length > 0 ? (
        <ul className="gov-checks">
          {effect.constraints.map((c, k) => (
            <li key={k} className={c.ok ? "pass" : "fail"}>
              <span className="mark">{c.ok ? "✓" : "✗"}</span> {c.name}: <span className="gov-dim">{c.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {effect.assumptions.length > 0 ? (
        <details className="gov-assumptions">
          <summary>Assumptions ({effect.assumptions.length})</summary>
          <ul>
            {effect.assumptions.map((a, k) => (
              <li key={k}>{a}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
