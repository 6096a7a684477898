/**
 * The lifecycle's steps as pure functions: a new proposal, a decision by the policy, and one person's
 * decision (refused, recorded as one of two, or complete). The workflow persists and audits what they return.
 */
import type { Approval, PolicyCheck, Proposal, ProposalOrigin, SetpointValue } from "../common/api/governance";
import type { WritableTag } from "./policy-book";
import { approvalsNeeded, show, type Approver } from "./write-policy";

export interface NewProposal {
  id: string;
  tag: WritableTag;
  origin: ProposalOrigin;
  proposedBy: string;
  proposerUserId: number | null;
  reason: string;
  from: SetpointValue | null;
  value: SetpointValue;
  predictedEffect: unknown;
  checks: PolicyCheck[];
  now: number;
  ttlMs: number;
  rollbackOf?: string;
}

export function newProposal(n: NewProposal): Proposal {
  return {
    id: n.id,
    tagId: n.tag.tagId,
    nodeId: n.tag.nodeId,
    ...(n.tag.unit !== undefined ? { unit: n.tag.unit } : {}),
    origin: n.origin,
    proposedBy: n.proposedBy,
    proposerUserId: n.proposerUserId,
    proposedAt: n.now,
    reason: n.reason,
    from: n.from,
    value: n.value,
    proposedValue: n.value,
    predictedEffect: n.predictedEffect ?? null,
    state: "proposed",
    checks: n.checks,
    approvals: [],
    approvalsNeeded: approvalsNeeded(n.tag),
    expiresAt: n.now + n.ttlMs,
    ...(n.rollbackOf !== undefined ? { rollbackOf: n.rollbackOf } : {}),
    history: [{ at: n.now, actor: n.proposedBy, action: "proposed", note: n.reason }],
    updatedAt: n.now,
  };
}

/** A proposal moved to `state` by `by`, with the reason in its decision and history. */
export function decide(p: Proposal, state: Proposal["state"], by: string, reason: string, at: number): Proposal {
  return { ...p, state, decision: { by, at, reason }, updatedAt: at, history: [...p.history, { at, actor: by, action: state, note: reason }] };
}

export type DecisionResult =
  | { kind: "refused"; next: Proposal; failing: PolicyCheck[] }
  | { kind: "recorded"; next: Proposal; approvals: readonly Approval[] }
  | { kind: "complete"; next: Proposal; modified: boolean; approvals: readonly Approval[] };

/**
 * One person's decision for `value`, given the checks made for it: refused when any check fails; otherwise
 * their approval joins `approvals` (those still valid for `value`), and the proposal is approved once
 * enough different people approved.
 */
export function recordDecision(
  p: Proposal,
  tag: WritableTag,
  who: Approver,
  d: { value: SetpointValue; approvals: readonly Approval[]; checks: PolicyCheck[]; comment?: string; now: number },
): DecisionResult {
  const { now } = d;
  const failing = d.checks.filter((c) => !c.pass);
  if (failing.length > 0) {
    const note = failing.map((c) => c.reason).join("; ");
    return { kind: "refused", failing, next: { ...p, checks: d.checks, updatedAt: now, history: [...p.history, { at: now, actor: who.username, action: "approval refused", note }] } };
  }
  const approval: Approval = { userId: who.userId, username: who.username, role: who.role, at: now, value: d.value, reauthenticated: tag.policy.twoPerson, ...(d.comment ? { comment: d.comment } : {}) };
  const approvals = [...d.approvals, approval];
  const modified = !Object.is(d.value, p.proposedValue);
  const action = !Object.is(d.value, p.value) ? `modified to ${show(d.value, tag.unit)} and approved` : "approved";
  const next: Proposal = { ...p, value: d.value, approvals, checks: d.checks, updatedAt: now, history: [...p.history, { at: now, actor: who.username, action, ...(d.comment ? { note: d.comment } : {}) }] };
  if (new Set(approvals.map((a) => a.userId)).size < p.approvalsNeeded) return { kind: "recorded", next, approvals };
  const state = modified ? "modified-and-approved" : "approved";
  return { kind: "complete", modified, approvals, next: { ...next, state, decision: { by: who.username, at: now, reason: d.comment ?? state } } };
}

/** A plant-state check without its `drifted` flag, as a proposal stores it. */
export function withoutDrift(c: PolicyCheck & { drifted: boolean }): PolicyCheck {
  return { rule: c.rule, pass: c.pass, reason: c.reason };
}
