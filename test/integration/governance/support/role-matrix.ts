/**
 * The role matrix as data: every API method, the role it needs, and valid params for it. The in-process test
 * runs it through guardHandlers; the WebSocket test (once wired) runs the same table through the host.
 *
 * "allowed" means the role check let the call through: the handler may still refuse it for its own reasons
 * (a proposal no longer pending, a wrong password), which is not an authorisation failure.
 */
import type { Method } from "../../../../src-main/common/api/contract";
import type { Access, GovernanceMethod, Role } from "../../../../src-main/common/api/governance";
import { METHOD_ACCESS } from "../../../../src-main/governance/method-roles";

export type Caller = "none" | Role;
export const CALLERS: readonly Caller[] = ["none", "viewer", "operator", "engineer", "admin"];

/** Ids the params refer to, made by the test before it runs the matrix. */
export interface MatrixFixture {
  pendingProposalId: string;
  appliedProposalId: string;
  /** A user the admin methods act on (not the admin). */
  targetUserId: number;
  alarmId: number;
  /** A fresh username each call (users.create). */
  uniqueName(): string;
  password: string;
}

export interface MatrixRow {
  method: Method | GovernanceMethod;
  access: Access;
  params(f: MatrixFixture): unknown;
}

const rows: Record<Method | GovernanceMethod, (f: MatrixFixture) => unknown> = {
  "app.info": () => ({}),
  "scene.get": () => ({}),
  "tags.list": () => ({}),
  "tags.snapshot": () => ({}),
  "plant.status": () => ({}),
  "trend.history": () => ({ tagIds: ["bufferTank.level"] }),
  "estimation.info": () => ({}),
  "estimation.latest": () => ({}),
  "estimation.history": () => ({ variables: ["feedPump.bearingWear"] }),
  "estimation.predict": () => ({}),
  "auth.whoami": () => ({}),
  "auth.setupAdmin": (f) => ({ username: f.uniqueName(), password: f.password }),
  "auth.login": () => ({ username: "nobody", password: "not a real password" }),
  "auth.logout": () => ({}),
  "auth.changePassword": (f) => ({ current: f.password, next: f.password }),
  "users.list": () => ({}),
  "users.create": (f) => ({ username: f.uniqueName(), password: f.password, role: "viewer" }),
  "users.setRole": (f) => ({ userId: f.targetUserId, role: "viewer" }),
  "users.disable": (f) => ({ userId: f.targetUserId, reason: "role matrix" }),
  "users.enable": (f) => ({ userId: f.targetUserId }),
  "users.resetPassword": (f) => ({ userId: f.targetUserId, password: f.password }),
  "proposals.list": () => ({}),
  "proposals.get": (f) => ({ id: f.pendingProposalId }),
  "proposals.create": () => ({ tagId: "heatExchanger.coolantFlowSetpoint", value: 6.5, reason: "role matrix" }),
  "proposals.approve": (f) => ({ id: f.pendingProposalId, comment: "role matrix" }),
  "proposals.modifyAndApprove": (f) => ({ id: f.pendingProposalId, value: 6.4 }),
  "proposals.reject": (f) => ({ id: f.pendingProposalId, reason: "role matrix" }),
  "proposals.rollback": (f) => ({ id: f.appliedProposalId, reason: "role matrix" }),
  "alarms.list": () => ({}),
  "alarms.acknowledge": (f) => ({ id: f.alarmId }),
  "audit.list": () => ({ limit: 5 }),
  "audit.export": () => ({ format: "json" }),
  "audit.verify": () => ({}),
};

export const ROLE_MATRIX: readonly MatrixRow[] = (Object.keys(rows) as (Method | GovernanceMethod)[]).map((method) => ({
  method,
  access: METHOD_ACCESS[method],
  params: rows[method],
}));

const RANK: Record<Role, number> = { viewer: 0, operator: 1, engineer: 2, admin: 3 };

/** Whether the role check lets `caller` call a method guarded by `access`. */
export function expectedAllowed(access: Access, caller: Caller): boolean {
  if (access === "public") return true;
  return caller !== "none" && RANK[caller] >= RANK[access];
}
