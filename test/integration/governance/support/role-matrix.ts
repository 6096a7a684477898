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
  "history.query": () => ({ tagIds: ["bufferTank.level"], from: 0, to: 60_000 }),
  "history.validation": () => ({}),
  "history.export": () => ({ tagIds: ["bufferTank.level"], from: 0, to: 60_000 }),
  "history.import": () => ({ content: "tag,time,value\nbufferTank.level,2025-03-01T08:00:00Z,1.25\n" }),
  "connections.list": () => ({}),
  "connections.retry": () => ({ connection: "plc1" }),
  "endpoints.discover": () => ({ endpointUrl: "opc.tcp://127.0.0.1:4840/twinbench" }),
  "certificates.pending": () => ({}),
  "certificates.trust": () => ({ thumbprint: "00".repeat(20), reason: "role matrix" }),
  "certificates.reject": () => ({ thumbprint: "00".repeat(20), reason: "role matrix" }),
  "browse.children": () => ({ connection: "plc1" }),
  "browse.search": () => ({ connection: "plc1", name: "Level" }),
  "node.read": () => ({ connection: "plc1", nodeId: "ns=1;s=DemoCell.BufferTank.Level" }),
  "scene.bindTag": () => ({ connection: "plc1", assetId: "bufferTank", key: "level", nodeId: "ns=1;s=DemoCell.BufferTank.Level" }),
  "whatif.info": () => ({}),
  "whatif.scenarios.list": () => ({}),
  "whatif.scenarios.get": () => ({ name: "hotter-tank" }),
  "whatif.scenarios.save": () => ({ scenario: { name: "matrix", horizonS: 600, edits: [] } }),
  "whatif.scenarios.delete": () => ({ name: "matrix" }),
  "whatif.study.start": () => ({ scenarios: ["hotter-tank"] }),
  "whatif.recommend": () => ({}),
  "whatif.jobs.list": () => ({}),
  "whatif.jobs.status": () => ({ jobId: "job-1" }),
  "whatif.jobs.result": () => ({ jobId: "job-1" }),
  "whatif.jobs.cancel": () => ({ jobId: "job-1" }),
  "whatif.propose": () => ({ jobId: "job-1", scenario: "hotter-tank" }),
  "whatif.recommender.get": () => ({}),
  "whatif.recommender.set": () => ({ periodS: null }),
  "commissioning.status": () => ({}),
  "commissioning.io": () => ({}),
  "commissioning.force": () => ({ tag: "bufferTank.levelHighHigh", value: true, reason: "role matrix" }),
  "commissioning.unforce": () => ({ tags: ["bufferTank.levelHighHigh"] }),
  "commissioning.faults": () => ({}),
  "commissioning.injectFault": () => ({ fault: { tag: "bufferTank.level", kind: "stuck", value: 1 } }),
  "commissioning.clearFaults": () => ({}),
  "commissioning.dropConnection": () => ({ seconds: 1 }),
  "commissioning.suites": () => ({}),
  "commissioning.run": () => ({ suite: "demo-cell", tests: ["start-up runs the cell and fills bottles to volume"], speed: 5 }),
  "commissioning.cancel": () => ({ runId: "run-1" }),
  "commissioning.result": () => ({}),
  "commissioning.runs": () => ({}),
  "commissioning.report": () => ({ runId: "run-1", format: "junit" }),
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
