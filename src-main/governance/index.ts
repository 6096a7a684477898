/**
 * Governance, assembled: open it once per workbench with the data folder, the scene, and the two narrow
 * doors to the plant (a PlcWriter and the PlantConditions). What it returns is the whole public surface;
 * the PlcWriter stays inside the GovernedWritePath and is reachable from nowhere else.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Scene } from "../common/scene/schema";
import { AlarmLog } from "./alarms";
import { governanceHandlers, type GovernanceHandlers } from "./api-handlers";
import { canonicalJson } from "./audit-hash";
import { AuditLog } from "./audit-log";
import { auditExpiry, Authenticator, type AuthContext } from "./auth";
import { systemClock, type Clock } from "./clock";
import type { Access, Proposal, WriteAlarm } from "../common/api/governance";
import { GOVERNANCE_DB_FILE, openGovernanceDb } from "./db";
import { actorName, system, type Actor } from "./actor";
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottleOptions } from "./login-throttle";
import { DEFAULT_SCRYPT_COST, type ScryptCost } from "./passwords";
import type { PlantConditions, PlcWriter } from "./plc-writer";
import { PolicyBook, policyChanges, type WritableTag } from "./policy-book";
import { ProposalStore } from "./proposal-store";
import { ProposalWorkflow } from "./proposals";
import { DEFAULT_SESSION_OPTIONS, Sessions, type SessionOptions } from "./sessions";
import { UserDirectory } from "./users";
import { listen, notifyAll } from "./listeners";
import { GovernedWritePath } from "./write-path";
import { defaultDriftTolerance } from "./write-policy";

export interface GovernanceOptions {
  /** Folder of `governance.db`. */
  dataFolder: string;
  scene: Scene;
  /** The scene's file, for the audit trail. */
  sceneFile: string;
  writer: PlcWriter;
  conditions: PlantConditions;
  clock?: Clock;
  sessions?: Partial<SessionOptions>;
  throttle?: Partial<ThrottleOptions>;
  /** scrypt cost of new password hashes. Default OWASP's minimum (N = 2^17). */
  passwordCost?: ScryptCost;
  /** Time to live of a proposal, ms. Default 15 minutes. */
  proposalTtlMs?: number;
  /** A write and its read-back must finish within this, ms. Default 5 s. */
  writeTimeoutMs?: number;
  /** How far the plant may move from a proposal's `from` before it expires. Default 0.5 % of the span. */
  driftTolerance?: (tag: WritableTag) => number;
}

export interface CertificateTrustDecision {
  actor: Actor;
  connection: string;
  endpoint: string;
  thumbprint: string;
  subject: string;
  decision: "trusted" | "rejected" | "removed";
  reason?: string;
}

export interface Governance {
  readonly dbFile: string;
  readonly auth: Authenticator;
  readonly users: UserDirectory;
  readonly proposals: ProposalWorkflow;
  readonly alarms: AlarmLog;
  readonly audit: AuditLog;
  /** The governance API methods, to be wrapped by guardHandlers together with the rest of the contract. */
  readonly handlers: GovernanceHandlers;
  /** For guardHandlers: token → user. */
  resolve(token: string | undefined, touch: boolean): AuthContext | null;
  /** For guardHandlers' `onRefused`: records an API call refused by the role check. */
  auditRefused(method: string, auth: AuthContext | null, required: Access): void;
  /** Hook for the OPC UA layer: a certificate was trusted, rejected or removed. */
  auditTrust(d: CertificateTrustDecision): void;
  /** Hook for the runtime: a (new) scene is in force. Audits it and each write-policy change, and applies it. */
  auditSceneChange(actor: Actor, scene: Scene, details: { file: string; reason?: string }): void;
  onDidChangeProposal(listener: (p: Proposal) => void): () => void;
  onDidRaiseAlarm(listener: (a: WriteAlarm) => void): () => void;
  /** Expires idle sessions and stale proposals; the runtime calls it every few seconds. */
  sweep(): void;
  close(): void;
}

export function openGovernance(o: GovernanceOptions): Governance {
  const clock = o.clock ?? systemClock;
  const db = openGovernanceDb(o.dataFolder);
  const audit = new AuditLog(db, clock);
  const users = new UserDirectory(db, audit, clock, o.passwordCost ?? DEFAULT_SCRYPT_COST);
  const sessions = new Sessions(clock, { ...DEFAULT_SESSION_OPTIONS, ...o.sessions }, auditExpiry(audit, users, clock));
  const auth = new Authenticator(users, sessions, new LoginThrottle(clock, { ...DEFAULT_THROTTLE, ...o.throttle }), audit, clock);
  const alarms = new AlarmLog(db, audit, clock);
  const store = new ProposalStore(db);
  let policies = PolicyBook.fromScene(o.scene);
  const listeners = new Set<(p: Proposal) => void>();
  // A listener that throws must not stop the workflow half way (e.g. between approval and write).
  const changed = (p: Proposal) => notifyAll(listeners, p, "proposal");
  const driftTolerance = o.driftTolerance ?? defaultDriftTolerance;
  const writePath = new GovernedWritePath(o.writer, {
    db,
    store,
    audit,
    alarms,
    clock,
    conditions: o.conditions,
    policies: () => policies,
    driftTolerance,
    writeTimeoutMs: o.writeTimeoutMs ?? 5_000,
    changed,
  });
  const proposals = new ProposalWorkflow({
    db,
    store,
    audit,
    auth,
    clock,
    conditions: o.conditions,
    policies: () => policies,
    writePath,
    driftTolerance,
    ttlMs: o.proposalTtlMs ?? 15 * 60_000,
    changed,
  });
  /**
   * Makes `scene` the one in force. Audits it when asked to (an explicit change) or when it differs from the
   * scene governance last knew (edited between runs), with one entry per changed write policy.
   */
  function applyScene(actor: Actor, scene: Scene, details: { file: string; reason?: string }, always: boolean): void {
    const next = PolicyBook.fromScene(scene);
    const sceneHash = createHash("sha256").update(canonicalJson(scene)).digest("hex");
    const known = (key: string) => (db.prepare("SELECT value FROM scene_state WHERE key = ?").get(key) as { value: string } | undefined)?.value;
    const knownPolicies = known("policies");
    const before = knownPolicies === undefined ? null : PolicyBook.fromTags(JSON.parse(knownPolicies) as WritableTag[]);
    const changes = policyChanges(before, next);
    if (always || changes.length > 0 || known("sceneHash") !== sceneHash) {
      db.transaction(() => {
        audit.append({ actor: actorName(actor), action: "scene.changed", target: `scene:${details.file}`, reason: details.reason ?? null, details: { name: scene.name, sha256: sceneHash } });
        for (const c of changes) {
          audit.append({ actor: actorName(actor), action: "policy.changed", target: `tag:${c.tagId}`, before: c.before, after: c.after, reason: details.reason ?? null });
        }
        const put = db.prepare("INSERT INTO scene_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        put.run("sceneHash", sceneHash);
        put.run("policies", JSON.stringify(next.tags()));
      })();
    }
    policies = next;
    // Pending proposals on tags whose binding went away expire now; rule changes apply at the next decision.
    proposals.sweep();
  }

  applyScene(system("host"), o.scene, { file: o.sceneFile, reason: "scene in force at start" }, false);
  writePath.recover();
  const dbFile = join(o.dataFolder, GOVERNANCE_DB_FILE);

  return {
    dbFile,
    auth,
    users,
    proposals,
    alarms,
    audit,
    handlers: governanceHandlers({ auth, users, proposals, alarms, audit, clock, dbFile }),
    resolve: (token, touch) => auth.resolve(token, touch),
    auditRefused(method, caller, required) {
      const who = caller?.user.username ?? "anonymous";
      audit.append({ actor: who, action: "api.refused", target: `api:${method}`, reason: caller ? `needs ${required}; ${who} is ${caller.user.role}` : `needs ${required}; no session` });
    },
    auditTrust(d) {
      audit.append({
        actor: actorName(d.actor),
        action: "certificate.trust",
        target: `certificate:${d.thumbprint}`,
        after: { decision: d.decision },
        reason: d.reason ?? null,
        details: { connection: d.connection, endpoint: d.endpoint, subject: d.subject },
      });
    },
    auditSceneChange(actor, scene, details) {
      applyScene(actor, scene, details, true);
    },
    onDidChangeProposal: (listener) => listen(listeners, listener, "proposal"),
    onDidRaiseAlarm: (listener) => alarms.onDidRaise(listener),
    sweep() {
      sessions.sweep();
      proposals.sweep();
    },
    close() {
      db.close();
    },
  };
}

export { guardHandlers, type CallContext, type GuardedHandlers } from "./auth-guard";
export { METHOD_ACCESS, PASSIVE_METHODS } from "./method-roles";
export { verifyAuditChain } from "./audit-verify";
export type { PlantConditions, PlcWriter, PlcWriteResult, ConnectionHealth } from "./plc-writer";
export { system, type Actor } from "./actor";
export type { AuthContext } from "./auth";
export type { ProposeInput } from "./proposals";
export { Refusal } from "./refusal";
