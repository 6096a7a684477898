/**
 * When a pending proposal stops being decidable: its time ran out, the plant moved away from the state it was
 * computed for, its tag's write binding changed, or a newer proposal for the same tag replaced it. Each runs
 * inside the caller's transaction and is audited.
 */
import type { Proposal } from "../common/api/governance";
import type { AuditLog } from "./audit-log";
import type { Clock } from "./clock";
import type { PlantConditions } from "./plc-writer";
import type { PolicyBook, WritableTag } from "./policy-book";
import { decide } from "./proposal-steps";
import type { ProposalStore, StoredProposal } from "./proposal-store";
import { plantStateCheck } from "./write-policy";

export interface ExpiryDeps {
  store: ProposalStore;
  audit: AuditLog;
  clock: Clock;
  conditions: PlantConditions;
  policies: () => PolicyBook;
  driftTolerance: (tag: WritableTag) => number;
}

export type ExpiryReason = { rule: "ttl" | "plantState" | "writable"; reason: string };

export class ProposalExpiry {
  constructor(private readonly deps: ExpiryDeps) {}

  /** Why a pending proposal can no longer be decided, or null while it can. */
  reasonFor(p: Proposal): ExpiryReason | null {
    const { policies, clock, conditions, driftTolerance } = this.deps;
    const tag = policies().get(p.tagId);
    if (!tag || tag.nodeId !== p.nodeId) return { rule: "writable", reason: `${p.tagId}: the tag's write binding changed in the scene since the proposal` };
    if (clock() >= p.expiresAt) return { rule: "ttl", reason: `${p.tagId}: ttl: the proposal expired at ${new Date(p.expiresAt).toISOString()}` };
    const state = plantStateCheck(tag, p.from, conditions.currentValue(p.tagId), driftTolerance(tag));
    return state.drifted ? { rule: "plantState", reason: state.reason } : null;
  }

  expire(stored: StoredProposal, why: { reason: string }): Proposal {
    const next = this.deps.store.save(stored, decide(stored.proposal, "expired", "system:policy", why.reason, this.deps.clock())).proposal;
    this.deps.audit.append({ actor: "system:policy", action: "proposal.expired", target: `proposal:${next.id}`, reason: why.reason });
    return next;
  }

  /** Expires every pending proposal that ran out; returns them. */
  sweep(): Proposal[] {
    const { store } = this.deps;
    const out: Proposal[] = [];
    for (const p of store.list({ states: ["pending"] })) {
      const why = this.reasonFor(p);
      if (why) out.push(this.expire(store.load(p.id)!, why));
    }
    return out;
  }

  /** The older pending proposals for the same tag as `newer` are superseded by it. */
  supersede(newer: Proposal): Proposal[] {
    const { store, audit, clock } = this.deps;
    const now = clock();
    return store
      .list({ tagId: newer.tagId, states: ["pending"] })
      .filter((o) => o.id !== newer.id)
      .map((o) => {
        const next = store.save(store.load(o.id)!, { ...decide(o, "superseded", "system:policy", `superseded by ${newer.id}`, now), supersededBy: newer.id }).proposal;
        audit.append({ actor: "system:policy", action: "proposal.superseded", target: `proposal:${o.id}`, details: { by: newer.id } });
        return next;
      });
  }
}
