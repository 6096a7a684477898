/**
 * Open write alarms, at the top of the inbox in the alarm colour: a failed write is never retried by itself,
 * so a person has to see it and acknowledge it (operators and above).
 */
import { useState } from "react";
import type { WriteAlarm } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { formatDateTime, shortId } from "./format";
import { ProblemNote } from "../../components/ProblemNote";
import { problemOf, type Problem } from "../../components/refusal";

interface Props {
  alarms: readonly WriteAlarm[];
  canAcknowledge: boolean;
  onSelectProposal(id: string): void;
  onChanged(): void;
}

export function WriteAlarms({ alarms, canAcknowledge, onSelectProposal, onChanged }: Props) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  if (alarms.length === 0) return null;
  const acknowledge = async (id: number) => {
    setBusy(id);
    setProblem(null);
    try {
      await call(connectApi(), "alarms.acknowledge", { id });
      onChanged();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="write-alarms" role="alert" data-testid="write-alarms">
      <h3>
        {alarms.length} write alarm{alarms.length === 1 ? "" : "s"}
      </h3>
      <ul>
        {alarms.map((a) => (
          <li key={a.id} data-testid="write-alarm" data-alarm={a.id} data-proposal={a.proposalId}>
            <span className="gov-dim">{formatDateTime(a.raisedAt)}</span> <span className="tag-key">{a.tagId}</span> {a.message}{" "}
            <button type="button" className="gov-link" onClick={() => onSelectProposal(a.proposalId)}>
              #{shortId(a.proposalId)}
            </button>
            {canAcknowledge ? (
              <button type="button" className="gov-button" data-testid="alarm-acknowledge" disabled={busy !== null} onClick={() => void acknowledge(a.id)}>
                {busy === a.id ? "…" : "Acknowledge"}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <ProblemNote problem={problem} />
    </section>
  );
}
