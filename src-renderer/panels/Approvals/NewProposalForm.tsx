/**
 * A user's own proposal (operators and above): a writable setpoint, its new value within the limits and the
 * largest step from where it stands now, and a reason. The proposal then waits in the inbox for approval
 * like any other (or is approved at once inside the tag's auto-approve band, if the scene declares one).
 */
import { useState } from "react";
import type { Proposal } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { live } from "../../stores/live";
import { useWorkbench } from "../../stores/workbench";
import { formatSetpoint } from "./format";
import { allowedRange, isBooleanTag, parseSetpointInput, trim, type SetpointPolicy } from "./policy";
import { ProblemNote } from "../../components/ProblemNote";
import { problemOf, type Problem } from "../../components/refusal";

interface Props {
  setpoints: readonly SetpointPolicy[];
  onCreated(p: Proposal): void;
  onCancel(): void;
}

/** The tag's live value as a setpoint value, or null without a usable one. */
function currentValue(index: number | undefined): number | boolean | null {
  if (index === undefined) return null;
  const v = live.raw[index];
  return typeof v === "number" || typeof v === "boolean" ? v : null;
}

export function NewProposalForm({ setpoints, onCreated, onCancel }: Props) {
  const tagById = useWorkbench((s) => s.tagById);
  const [tagId, setTagId] = useState(setpoints[0]?.tagId ?? "");
  const [valueText, setValueText] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const sp = setpoints.find((s) => s.tagId === tagId);
  const current = currentValue(tagById[tagId]?.index);
  const parsed = sp ? parseSetpointInput(valueText, sp, current) : { error: "choose a setpoint" };
  const range = sp && !isBooleanTag(sp) ? allowedRange(sp.policy, current) : null;

  const submit = async () => {
    if (!("value" in parsed)) return;
    setBusy(true);
    setProblem(null);
    try {
      const created = await call(connectApi(), "proposals.create", { tagId, value: parsed.value, reason: reason.trim() });
      setValueText("");
      setReason("");
      onCreated(created);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (setpoints.length === 0) return <p className="gov-dim">The scene declares no writable setpoints.</p>;
  return (
    <form
      className="gov-form new-proposal"
      data-testid="new-proposal-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Setpoint
        <select data-testid="new-proposal-tag" value={tagId} onChange={(e) => setTagId(e.target.value)}>
          {setpoints.map((s) => (
            <option key={s.tagId} value={s.tagId}>
              {s.assetName} · {s.key}
            </option>
          ))}
        </select>
      </label>
      <span className="gov-dim">
        now {formatSetpoint(current, sp?.unit)}
        {range ? ` · allowed ${trim(range.lo)} … ${trim(range.hi)}` : ""}
        {sp ? ` · approved by ${sp.policy.approveRole}${sp.policy.twoPerson ? ", two-person" : ""}` : ""}
      </span>
      <label>
        Value{sp?.unit ? ` [${sp.unit}]` : ""}
        <input data-testid="new-proposal-value" value={valueText} onChange={(e) => setValueText(e.target.value)} placeholder={sp && isBooleanTag(sp) ? "ON / OFF" : ""} />
      </label>
      <label className="grow">
        Reason
        <input data-testid="new-proposal-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} placeholder="why (at least 3 characters)" />
      </label>
      {valueText !== "" && "error" in parsed ? <span className="gov-invalid">{parsed.error}</span> : null}
      <button type="submit" className="gov-button primary" data-testid="new-proposal-submit" disabled={busy || !("value" in parsed) || reason.trim().length < 3}>
        {busy ? "Proposing…" : "Propose"}
      </button>
      <button type="button" className="ghost" onClick={onCancel}>
        Cancel
      </button>
      <ProblemNote problem={problem} />
    </form>
  );
}
