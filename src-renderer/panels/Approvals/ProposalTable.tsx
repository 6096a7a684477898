/**
 * The inbox: one row per open proposal, or per recently decided one. Two lines per cell keep it narrow beside
 * the detail: the setpoint (asset, origin, proposer below), the change (age and time left below), the state
 * (approvals given of needed and the risk below). Each row carries data-proposal / data-state for tests.
 */
import type { Proposal } from "../../../src-main/common/api/governance";
import { approvalsOf, formatAgo, formatChange, formatTimeLeft, shortId, STATE_LABEL, stateTone } from "./format";
import type { SetpointPolicy } from "./policy";
import { assessRisk } from "./risk";

interface Props {
  rows: readonly Proposal[];
  setpoints: ReadonlyMap<string, SetpointPolicy>;
  selectedId: string | null;
  onSelect(id: string): void;
  now: number;
  /** "open": time left, approvals and risk; "decided": who decided and when. */
  kind: "open" | "decided";
  testId: string;
}

export function ProposalTable({ rows, setpoints, selectedId, onSelect, now, kind, testId }: Props) {
  return (
    <table className="gov-table proposal-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Setpoint · from</th>
          <th>Change · {kind === "open" ? "age, expiry" : "age"}</th>
          <th>{kind === "open" ? "State · approvals, risk" : "State · decided"}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => {
          const sp = setpoints.get(p.tagId);
          const risk = assessRisk(p, sp?.policy);
          return (
            <tr
              key={p.id}
              className={p.id === selectedId ? "selected" : undefined}
              onClick={() => onSelect(p.id)}
              data-testid="proposal-row"
              data-proposal={p.id}
              data-state={p.state}
              data-tag={p.tagId}
              tabIndex={0}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") onSelect(p.id);
              }}
            >
              <td title={p.tagId}>
                <div className="tag-key">{sp?.key ?? p.tagId}</div>
                <div className="gov-dim">
                  {sp?.assetName ?? p.tagId.split(".")[0]} · {p.origin} · {p.proposedBy}
                </div>
              </td>
              <td>
                <div className="value">{formatChange(p.from, p.value, p.unit)}</div>
                <div className="gov-dim">
                  {formatAgo(p.proposedAt, now)}
                  {kind === "open" && p.state === "pending" ? ` · expires ${formatTimeLeft(p.expiresAt, now)}` : ""}
                </div>
              </td>
              <td>
                <div>
                  <span className={`gov-state tone-${stateTone(p.state)}`}>{STATE_LABEL[p.state]}</span>
                  <span className="gov-dim gov-id"> {shortId(p.id)}</span>
                </div>
                {kind === "open" ? (
                  <div>
                    {approvalsOf(p)} ·{" "}
                    <span className={`gov-risk gov-risk-${risk.level}`} title={risk.factors.join("; ") || "small routine change"} data-testid="risk" data-risk={risk.level}>
                      {risk.level} risk
                      {risk.critical ? " · 2-person" : ""}
                    </span>
                  </div>
                ) : (
                  <div className="gov-dim">{p.decision ? `${p.decision.by}, ${formatAgo(p.decision.at, now)}` : formatAgo(p.updatedAt, now)}</div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
