/**
 * The decisions the logged-in user may take on the selected proposal: approve with a comment, modify within
 * the limits then approve, reject with a reason (password re-entry on two-person tags), or roll back an
 * applied one. A refusal from the main process is shown verbatim under the form.
 */
import { useState } from "react";
import type { Proposal, User } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { formatSetpoint } from "./format";
import { allowedRange, isBooleanTag, parseSetpointInput, trim, type SetpointPolicy } from "./policy";
import { ProblemNote } from "../../components/ProblemNote";
import { problemOf, type Problem } from "../../components/refusal";
import { decisionRights } from "./rights";

type Mode = "approve" | "modify" | "reject";

interface Props {
  proposal: Proposal;
  setpoint: SetpointPolicy | undefined;
  user: User | null;
  onDone(): void;
}

export function DecisionActions({ proposal: p, setpoint, user, onDone }: Props) {
  const rights = decisionRights(user, p, setpoint?.policy);
  const [mode, setMode] = useState<Mode>(rights.decide ? "approve" : "reject");
  const [comment, setComment] = useState("");
  const [password, setPassword] = useState("");
  const [reason, setReason] = useState("");
  const [valueText, setValueText] = useState(formatSetpoint(p.value));
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  if (!rights.decide && !rights.reject && !rights.rollback) {
    return rights.blocked ? <p className="gov-note" data-testid="decision-blocked">{rights.blocked}</p> : null;
  }

  // Approving resolves once the write path is done (written and read back, or failed: 5 s at most there).
  const run = async (label: string, action: () => Promise<unknown>) => {
    setBusy(label);
    setProblem(null);
    try {
      await action();
      setComment("");
      setPassword("");
      setReason("");
      onDone();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(null);
    }
  };
  const client = connectApi();
  const secret = rights.needsPassword ? { password } : {};
  const note = comment.trim() ? { comment: comment.trim() } : {};

  if (p.state !== "pending") {
    return (
      <form
        className="gov-form"
        data-testid="rollback-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run("rolling back", () => call(client, "proposals.rollback", { id: p.id, reason }));
        }}
      >
        <label className="grow">
          Roll back to {formatSetpoint(p.from, p.unit)}: reason
          <input data-testid="rollback-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} placeholder="why the old value should return" />
        </label>
        <button type="submit" className="gov-button" data-testid="rollback-button" disabled={busy !== null || reason.trim().length < 3}>
          {busy ?? "Propose rollback"}
        </button>
        <ProblemNote problem={problem} />
      </form>
    );
  }

  const parsed = setpoint ? parseSetpointInput(valueText, setpoint, p.from) : { error: "the tag is no longer writable in the scene" };
  const range = setpoint && !isBooleanTag(setpoint) ? allowedRange(setpoint.policy, p.from) : null;
  const passwordMissing = rights.needsPassword && password.length === 0;

  return (
    <div className="gov-actions" data-testid="decision-actions">
      {rights.blocked ? <p className="gov-note" data-testid="decision-blocked">{rights.blocked}</p> : null}
      <div className="segmented" role="tablist">
        {rights.decide ? (
          <>
            <button type="button" className={mode === "approve" ? "active" : ""} onClick={() => setMode("approve")} data-testid="mode-approve">
              Approve
            </button>
            <button type="button" className={mode === "modify" ? "active" : ""} onClick={() => setMode("modify")} data-testid="mode-modify">
              Modify
            </button>
          </>
        ) : null}
        {rights.reject ? (
          <button type="button" className={mode === "reject" ? "active" : ""} onClick={() => setMode("reject")} data-testid="mode-reject">
            {rights.decide || user?.id !== p.proposerUserId ? "Reject" : "Withdraw"}
          </button>
        ) : null}
      </div>
      <form
        className="gov-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (mode === "approve") void run("writing…", () => call(client, "proposals.approve", { id: p.id, ...note, ...secret }));
          else if (mode === "modify" && "value" in parsed) {
            void run("writing…", () => call(client, "proposals.modifyAndApprove", { id: p.id, value: parsed.value, ...note, ...secret }));
          } else if (mode === "reject") void run("rejecting…", () => call(client, "proposals.reject", { id: p.id, reason }));
        }}
      >
        {mode === "modify" ? (
          <label>
            New value{setpoint?.unit ? ` [${setpoint.unit}]` : ""}
            {range ? <span className="gov-dim"> allowed {trim(range.lo)} … {trim(range.hi)}</span> : null}
            <input data-testid="decision-value" value={valueText} onChange={(e) => setValueText(e.target.value)} inputMode={setpoint && isBooleanTag(setpoint) ? "text" : "decimal"} />
            {"error" in parsed ? <span className="gov-invalid" data-testid="decision-value-error">{parsed.error}</span> : null}
          </label>
        ) : null}
        {mode === "reject" ? (
          <label className="grow">
            Reason
            <input data-testid="decision-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} placeholder="why not (at least 3 characters)" />
          </label>
        ) : (
          <label className="grow">
            Comment
            <input data-testid="decision-comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} placeholder="optional" />
          </label>
        )}
        {mode !== "reject" && rights.needsPassword ? (
          <label>
            Your password (critical tag: typed again to approve)
            <input data-testid="decision-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
        ) : null}
        <button
          type="submit"
          className={`gov-button${mode === "reject" ? " danger" : " primary"}`}
          data-testid={`${mode}-button`}
          disabled={busy !== null || (mode === "reject" ? reason.trim().length < 3 : passwordMissing || (mode === "modify" && "error" in parsed))}
        >
          {busy ?? (mode === "approve" ? `Approve ${formatSetpoint(p.value, p.unit)}` : mode === "modify" ? "Modify and approve" : "Reject")}
        </button>
      </form>
      <ProblemNote problem={problem} />
    </div>
  );
}
