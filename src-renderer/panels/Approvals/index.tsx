/**
 * The approvals inbox: open write alarms first, then the proposals waiting for a decision, the selected one in
 * full beside them (change, risk, predicted effect, checks, history, decisions), and what was decided lately.
 * Everything comes from role-checked requests; events only say when to ask again.
 */
import { useMemo, useState } from "react";
import type { Proposal } from "../../../src-main/common/api/governance";
import { roleAtLeast } from "../../stores/auth";
import { hostNow, useWorkbench } from "../../stores/workbench";
import { NewProposalForm } from "./NewProposalForm";
import { setpointById, writableSetpoints } from "./policy";
import { ProposalDetail } from "./ProposalDetail";
import { ProposalTable } from "./ProposalTable";
import { useGovernanceFeed, useNow } from "./useGovernanceFeed";
import { WriteAlarms } from "./WriteAlarms";

export default function ApprovalsPanel() {
  const feed = useGovernanceFeed();
  const scene = useWorkbench((s) => s.scene);
  const user = useWorkbench((s) => s.user);
  const setpointList = useMemo(() => writableSetpoints(scene), [scene]);
  const setpoints = useMemo(() => setpointById(scene), [scene]);
  const now = useNow(1_000, hostNow);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  // A proposal just made or decided may not be in the lists until the next refresh: keep our own copy meanwhile.
  const [justTouched, setJustTouched] = useState<Proposal | null>(null);

  const mayPropose = roleAtLeast(user?.role, "operator");
  const listed = (id: string | null) => (id === null ? undefined : (feed.open.find((p) => p.id === id) ?? feed.recent.find((p) => p.id === id)));
  // With nothing chosen, the oldest waiting proposal is the one to look at first.
  const effectiveId = selectedId ?? feed.open.find((p) => p.state === "pending")?.id ?? null;
  const selected = listed(effectiveId) ?? (justTouched?.id === effectiveId ? justTouched : undefined);

  const select = (id: string) => {
    setSelectedId(id);
    setJustTouched(null);
  };

  return (
    <section className="gov-panel approvals-panel" data-testid="approvals-panel">
      <WriteAlarms alarms={feed.alarms} canAcknowledge={mayPropose} onSelectProposal={select} onChanged={feed.refresh} />
      <div className="approvals-body">
        <div className="approvals-lists">
          <header className="gov-bar">
            <h3>
              Waiting <span className="gov-count" data-testid="pending-count">{feed.open.length}</span>
            </h3>
            {feed.error ? <span className="gov-invalid">{feed.error}</span> : null}
            {mayPropose && !creating ? (
              <button type="button" className="gov-button" data-testid="new-proposal" onClick={() => setCreating(true)}>
                New proposal
              </button>
            ) : null}
          </header>
          {creating ? (
            <NewProposalForm
              setpoints={setpointList}
              onCancel={() => setCreating(false)}
              onCreated={(p) => {
                setCreating(false);
                setSelectedId(p.id);
                setJustTouched(p);
                feed.refresh();
              }}
            />
          ) : null}
          {feed.open.length > 0 ? (
            <ProposalTable rows={feed.open} setpoints={setpoints} selectedId={effectiveId} onSelect={select} now={now} kind="open" testId="pending-proposals" />
          ) : (
            <p className="gov-dim gov-empty">{feed.loaded ? "Nothing waits for a decision." : "Loading…"}</p>
          )}
          <header className="gov-bar">
            <h3>Recent</h3>
          </header>
          {feed.recent.length > 0 ? (
            <ProposalTable rows={feed.recent} setpoints={setpoints} selectedId={effectiveId} onSelect={select} now={now} kind="decided" testId="recent-proposals" />
          ) : (
            <p className="gov-dim gov-empty">No decided proposals yet.</p>
          )}
        </div>
        <div className="approvals-detail">
          {selected ? (
            <ProposalDetail key={selected.id} proposal={selected} setpoint={setpoints.get(selected.tagId)} user={user} now={now} onChanged={feed.refresh} />
          ) : (
            <p className="gov-dim gov-empty">{effectiveId ? "This proposal is no longer listed." : "Select a proposal to see its change, predicted effect and checks."}</p>
          )}
        </div>
      </div>
    </section>
  );
}
