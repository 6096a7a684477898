/**
 * Which decisions the logged-in user is offered on a proposal. Only shapes the UI (an action the user may not
 * take is not offered, or is shown with why not); the main process checks every call again.
 */
import { roleAtLeast, type Proposal, type Role, type User } from "../../../src-main/common/api/governance";
import type { WritePolicy } from "../../../src-main/common/scene/schema";

export interface Rights {
  /** Approve, or modify within limits then approve. */
  decide: boolean;
  /** Reject: someone allowed to approve, or the proposer withdrawing their own. */
  reject: boolean;
  /** Propose writing back the value before an applied or failed proposal. */
  rollback: boolean;
  /** Two-person (critical) tag: the password must be typed again to approve or modify. */
  needsPassword: boolean;
  /** Why `decide` is false although the role would allow it (two-person rule), for the user to read. */
  blocked?: string;
}

const NONE: Rights = { decide: false, reject: false, rollback: false, needsPassword: false };

export function decisionRights(user: Pick<User, "id" | "role" | "username"> | null, p: Proposal, policy: WritePolicy | undefined): Rights {
  if (!user) return NONE;
  // A tag that left the scene can no longer be approved; engineers may still reject what waits for it.
  const approveRole: Role = policy?.approveRole ?? "engineer";
  const mayApprove = roleAtLeast(user.role, approveRole);
  const own = p.proposerUserId === user.id;
  const twoPerson = policy?.twoPerson ?? p.approvalsNeeded > 1;
  const rollback = roleAtLeast(user.role, "operator") && (p.state === "applied" || p.state === "failed") && p.from !== null && !p.rolledBackBy;
  if (p.state !== "pending") return { ...NONE, rollback };
  let blocked: string | undefined;
  if (mayApprove && twoPerson && own) blocked = "You proposed this change: on a two-person tag two other users must approve it.";
  else if (mayApprove && twoPerson && p.approvals.some((a) => a.userId === user.id && a.value === p.value)) {
    blocked = "You have approved already: a second, different user must approve.";
  }
  return {
    decide: mayApprove && policy !== undefined && blocked === undefined,
    reject: mayApprove || own,
    rollback: false,
    needsPassword: twoPerson,
    ...(blocked ? { blocked } : {}),
  };
}
