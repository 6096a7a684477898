/**
 * One proposal in full: the change and the rules it is held to, its risk, the write and its read-back, the
 * predicted effect, the checks passed and failed, who did what when, and the decisions open to this user.
 */
import type { Proposal, User } from "../../../src-main/common/api/governance";
import { DecisionActions } from "./DecisionActions";
import { EffectView } from "./EffectView";
import { formatChange, formatDateTime, formatSetpoint, formatTimeLeft, approvalsOf, shortId, STATE_LABEL, stateTone } from "./format";
import type { SetpointPolicy } from "./policy";
import { assessRisk } from "./risk";

interface Props {
  proposal: Proposal;
  setpoint: SetpointPolicy | undefined;
  user: User | null;
  now: number;
  onChanged(): void;
}

export function ProposalDetail({ proposal: p, setpoint, user, now, onChanged }: Props) {
  const risk = assessRisk(p, setpoint?.policy);
  const policy = setpoint?.policy;
  const modified = p.value !== p.proposedValue;
  return (
    <article className="proposal-detail" data-testid="proposal-detail" data-proposal={p.id} data-state={p.state}>
      <header className="proposal-head">
        <h3>
          {setpoint ? `${setpoint.assetName} · ` : ""}
          <span className="tag-key">{p.tagId}</span>
        </h3>
        <span className={`gov-state tone-${stateTone(p.state)}`} data-testid="proposal-state">
          {STATE_LABEL[p.state]}
        </span>
        <span className="gov-dim gov-id" title={p.id}>
          #{shortId(p.id)}
        </span>
      </header>

      <section className="proposal-change">
        <div className="proposal-value value" data-testid="proposal-change">
          {formatChange(p.from, p.value, p.unit)}
          {modified ? <span className="gov-dim"> (proposed {formatSetpoint(p.proposedValue, p.unit)})</span> : null}
        </div>
        <div className="gov-dim">
          {p.origin} · by {p.proposedBy} · {formatDateTime(p.proposedAt)}
          {p.state === "pending" ? ` · expires ${formatTimeLeft(p.expiresAt, now)}` : ""} · approvals {approvalsOf(p)}
        </div>
        <p className="proposal-reason">“{p.reason}”</p>
        {policy ? (
          <div className="gov-dim proposal-policy" data-testid="proposal-policy">
            limits {formatSetpoint(policy.min)} … {formatSetpoint(policy.max, setpoint?.unit)}
            {policy.maxStep !== undefined ? ` · max step ${formatSetpoint(policy.maxStep, setpoint?.unit)}` : ""}
            {policy.maxRatePerS !== undefined ? ` · max rate ${formatSetpoint(policy.maxRatePerS)} ${setpoint?.unit ?? ""}/s` : ""}
            {` · approved by ${policy.approveRole}`}
            {policy.twoPerson ? " · two-person, password re-entry" : ""}
          </div>
        ) : (
          <div className="gov-invalid">This tag has no write policy in the current scene.</div>
        )}
        <div className={`gov-risk-line gov-risk-${risk.level}`} data-testid="proposal-risk" data-risk={risk.level}>
          Risk <strong>{risk.level}</strong>
          {risk.factors.length > 0 ? `: ${risk.factors.join(", ")}` : ": small routine change"}
        </div>
      </section>

      {p.write || p.failure ? (
        <section className={`proposal-write${p.state === "failed" ? " failed" : ""}`} data-testid="proposal-write">
          <h4>Write</h4>
          {p.write ? (
            <div data-testid="write-outcome" data-confirmed={String(p.write.confirmed)}>
              wrote <span className="value">{formatSetpoint(p.write.written, p.unit)}</span> at {formatDateTime(p.write.sentAt)}, read back{" "}
              <span className="value" data-testid="read-back">
                {formatSetpoint(p.write.readBack, p.unit)}
              </span>{" "}
              ({p.write.statusName}) {p.write.confirmed ? "— confirmed" : "— NOT confirmed"}
            </div>
          ) : null}
          {p.failure ? <div className="gov-invalid" data-testid="proposal-failure">{p.failure}</div> : null}
          {p.rolledBackBy ? <div className="gov-dim">rolled back by #{shortId(p.rolledBackBy)}</div> : null}
        </section>
      ) : null}
      {p.rollbackOf ? <div className="gov-dim">Rollback of #{shortId(p.rollbackOf)}</div> : null}
      {p.supersededBy ? <div className="gov-dim">Superseded by #{shortId(p.supersededBy)}</div> : null}

      <DecisionActions key={`${p.id}:${p.state}`} proposal={p} setpoint={setpoint} user={user} onDone={onChanged} />

      <section>
        <h4>Predicted effect</h4>
        <EffectView effect={p.predictedEffect} tagId={p.tagId} />
      </section>

      <section>
        <h4>Checks</h4>
        <ul className="gov-checks" data-testid="proposal-checks">
          {p.checks.map((c, k) => (
            <li key={k} className={c.pass ? "pass" : "fail"} data-rule={c.rule} data-pass={String(c.pass)}>
              <span className="mark">{c.pass ? "✓" : "✗"}</span> <span className="gov-rule">{c.rule}</span> {c.reason}
            </li>
          ))}
        </ul>
      </section>

      <section>
        <h4>History</h4>
        <ol className="gov-history" data-testid="proposal-history">
          {p.history.map((h, k) => (
            <li key={k}>
              <span className="gov-dim">{formatDateTime(h.at)}</span> <strong>{h.actor}</strong> {h.action}
              {h.note ? <span className="gov-dim"> — {h.note}</span> : null}
            </li>
          ))}
        </ol>
        {p.approvals.length > 0 ? (
          <ul className="gov-history">
            {p.approvals.map((a, k) => (
              <li key={k}>
                approval by <strong>{a.username}</strong> ({a.role}) of {formatSetpoint(a.value, p.unit)} at {formatDateTime(a.at)}
                {a.reauthenticated ? ", password re-entered" : ""}
                {a.comment ? <span className="gov-dim"> — “{a.comment}”</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {p.decision ? (
          <div className="gov-dim">
            decision: {p.decision.by} at {formatDateTime(p.decision.at)} — {p.decision.reason}
          </div>
        ) : null}
      </section>
    </article>
  );
}
