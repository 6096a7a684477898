/**
 * The proposal lifecycle as an explicit state machine. Every change of state in the store goes through
 * `assertTransition`, so no code path can, say, apply a rejected proposal or revive an expired one.
 *
 *   proposed → pending | rejected (a hard rule failed)
 *   pending  → approved | modified-and-approved | rejected | expired | superseded
 *   approved, modified-and-approved → applying | failed (refused at write time, or the host stopped)
 *   applying → applied (read back and confirmed) | failed (read-back differs, bad status, timeout: never retried)
 *   applied, failed → rolled-back (a linked rollback proposal was applied)
 */
import type { ProposalState } from "../common/api/governance";

export const TRANSITIONS: Readonly<Record<ProposalState, readonly ProposalState[]>> = {
  proposed: ["pending", "rejected"],
  pending: ["approved", "modified-and-approved", "rejected", "expired", "superseded"],
  approved: ["applying", "failed"],
  "modified-and-approved": ["applying", "failed"],
  applying: ["applied", "failed"],
  applied: ["rolled-back"],
  failed: ["rolled-back"],
  rejected: [],
  expired: [],
  superseded: [],
  "rolled-back": [],
};

/** States in which a proposal is approved and waiting for the write path. */
export const APPROVED_STATES: ReadonlySet<ProposalState> = new Set(["approved", "modified-and-approved"]);
/** States that end a proposal's life. */
export const FINAL_STATES: ReadonlySet<ProposalState> = new Set(
  (Object.keys(TRANSITIONS) as ProposalState[]).filter((s) => TRANSITIONS[s].length === 0),
);
/** States after which a proposal may be rolled back (the write was attempted). */
export const ROLLBACK_FROM: ReadonlySet<ProposalState> = new Set(["applied", "failed"]);

export function canTransition(from: ProposalState, to: ProposalState): boolean {
  return TRANSITIONS[from].includes(to);
}

export class IllegalTransition extends Error {
  constructor(
    readonly proposalId: string,
    readonly from: ProposalState,
    readonly to: ProposalState,
  ) {
    super(`proposal ${proposalId}: ${from} → ${to} is not a step of the proposal lifecycle (from ${from}: ${TRANSITIONS[from].join(", ") || "none, it is final"})`);
    this.name = "IllegalTransition";
  }
}

export function assertTransition(proposalId: string, from: ProposalState, to: ProposalState): void {
  if (!canTransition(from, to)) throw new IllegalTransition(proposalId, from, to);
}
