/**
 * "Propose these setpoints": the changes a finished study (or recommendation) would make, handed to the
 * approval workflow as proposals. Shows the proposals created with their ids and states, and every
 * refusal verbatim. Only operators and above see the button; the host checks the role again.
 */
import { useState } from "react";
import type { Result } from "../../../src-main/common/api/contract";
import type { SetpointChangeInfo } from "../../../src-main/common/api/whatif";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { formatSeconds, unitText } from "./format";

type Outcome = Result<"whatif.propose">;

interface Props {
  jobId: string;
  scenario?: string;
  changes: readonly SetpointChangeInfo[];
  canPropose: boolean;
  label?: string;
  testId?: string;
}

export function ProposeBox({ jobId, scenario, changes, canPropose, label = "Propose these setpoints", testId = "whatif-propose" }: Props) {
  const [state, setState] = useState<{ busy: boolean; outcome: Outcome | null; error: string | null; forJob: string | null }>({ busy: false, outcome: null, error: null, forJob: null });
  const mine = state.forJob === jobId ? state : { busy: false, outcome: null, error: null };
  const propose = () => {
    setState({ busy: true, outcome: null, error: null, forJob: jobId });
    call(connectApi(), "whatif.propose", { jobId, ...(scenario ? { scenario } : {}) }).then(
      (outcome) => setState({ busy: false, outcome, error: null, forJob: jobId }),
      (err: unknown) => setState({ busy: false, outcome: null, error: err instanceof Error ? err.message : String(err), forJob: jobId }),
    );
  };
  return (
    <div className="whatif-propose" data-testid={testId}>
      {changes.length === 0 ? (
        <p className="whatif-hint">No setpoint changes to propose.</p>
      ) : (
        <ul className="whatif-changes">
          {changes.map((c) => (
            <li key={c.tagId} data-testid="setpoint-change">
              <strong>{c.tagId}</strong> {Number(c.from.toPrecision(6))} → {Number(c.to.toPrecision(6))} {unitText(c.unit)}
              {c.rampS > 0 ? <span className="whatif-hint"> (ramped over {formatSeconds(c.rampS)})</span> : null}
            </li>
          ))}
        </ul>
      )}
      {canPropose && changes.length > 0 ? (
        <button type="button" className="whatif-primary" disabled={mine.busy || mine.outcome !== null} onClick={propose} data-testid="propose-button">
          {label}
        </button>
      ) : null}
      {!canPropose && changes.length > 0 ? <p className="whatif-hint">Proposing needs an operator.</p> : null}
      {mine.error ? (
        <p className="whatif-error" data-testid="propose-error">
          {mine.error}
        </p>
      ) : null}
      {mine.outcome ? (
        <ul className="whatif-proposals">
          {mine.outcome.proposals.map((p) => (
            <li key={p.id} data-testid="proposal-created" data-id={p.id} data-state={p.state}>
              Proposal <code title={p.id}>{p.id.slice(0, 8)}</code> {p.tagId} → {String(p.value)}: <span className={`state-badge state-${p.state}`}>{p.state}</span>
              {p.state === "rejected" && p.decision ? <span className="whatif-error"> {p.decision.reason}</span> : null}
            </li>
          ))}
          {mine.outcome.refusals.map((r) => (
            <li key={r.tagId} className="whatif-error" data-testid="proposal-refused">
              {r.tagId}: {r.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
