/**
 * The proposal workflow: making a proposal, deciding on it (approve, modify and approve, reject), expiry,
 * supersession and rollback. Decisions are checked against the tag's write policy as it stands at the moment
 * of the decision; a complete approval hands the proposal to the write path, the only way to the PLC.
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { PolicyCheck, Proposal, ProposalOrigin, SetpointValue } from "../common/api/governance";
import { actorName, assertActor, type Actor } from "./actor";
import type { AuditLog } from "./audit-log";
import { userActor, type AuthContext, type Authenticator } from "./auth";
import type { Clock } from "./clock";
import type { PlantConditions } from "./plc-writer";
import type { PolicyBook, WritableTag } from "./policy-book";
import { ROLLBACK_FROM } from "./proposal-machine";
import { ProposalExpiry } from "./proposal-expiry";
import { decide, newProposal, recordDecision, withoutDrift } from "./proposal-steps";
import type { ProposalQuery, ProposalStore, StoredProposal } from "./proposal-store";
import { Refusal } from "./refusal";
import { atLeast } from "./roles";
import { AUTO_APPROVER, type GovernedWritePath } from "./write-path";
import * as rules from "./write-policy";

export interface ProposeInput {
  tagId: string;
  value: SetpointValue;
  reason: string;
  /** The value the proposal was computed from; default: the current value. */
  from?: SetpointValue | null;
  /** Opaque JSON: the optimiser's predicted effect, shown in the inbox. */
  predictedEffect?: unknown;
  /** Time to live, ms; default from the workflow options. */
  ttlMs?: number;
}

export interface WorkflowDeps {
  db: Database.Database;
  store: ProposalStore;
  audit: AuditLog;
  auth: Authenticator;
  clock: Clock;
  conditions: PlantConditions;
  policies: () => PolicyBook;
  writePath: GovernedWritePath;
  driftTolerance: (tag: WritableTag) => number;
  /** Default time to live of a proposal, ms. */
  ttlMs: number;
  changed: (p: Proposal) => void;
}

export interface Decision {
  comment?: string;
  /** Required on two-person (critical) tags: the approver types the password again. */
  password?: string;
}

const MAX_EFFECT_BYTES = 256_000;
const MAX_TTL_MS = 24 * 3_600_000;

type Outcome = { proposal: Proposal; touched: Proposal[]; refusal?: Refusal; write?: boolean };

export class ProposalWorkflow {
  readonly #deps: WorkflowDeps;
  readonly #expiry: ProposalExpiry;

  constructor(deps: WorkflowDeps) {
    this.#deps = deps;
    this.#expiry = new ProposalExpiry(deps);
  }

  get(id: string): Proposal {
    const p = this.#deps.store.get(id);
    if (!p) throw Refusal.of("notFound", `proposal ${id}: no such proposal`);
    return p;
  }

  list(q: ProposalQuery = {}): Proposal[] {
    this.sweep();
    return this.#deps.store.list(q);
  }

  /** A new proposal from a user, the optimiser or a what-if scenario. */
  async propose(actor: Actor, input: ProposeInput, link?: { rollbackOf: string }): Promise<Proposal> {
    assertActor(actor);
    const { conditions, clock } = this.#deps;
    const tag = this.#deps.policies().get(input.tagId);
    if (!tag) throw Refusal.of("writable", `${input.tagId}: not a writable tag in the scene (it has no write policy)`);
    if (actor.kind === "user" && !atLeast(actor.role, "operator")) throw Refusal.of("role", `${input.tagId}: a ${actor.role} may not propose writes (operator or above)`);
    if (input.predictedEffect !== undefined && JSON.stringify(input.predictedEffect).length > MAX_EFFECT_BYTES) {
      throw Refusal.of("predictedEffect", `${input.tagId}: the predicted effect is larger than ${MAX_EFFECT_BYTES} bytes`);
    }
    const origin: ProposalOrigin = link ? "rollback" : actor.kind === "user" ? "user" : actor.name === "what-if" ? "what-if" : "optimiser";
    const normal = rules.normaliseValue(tag, input.value);
    const value = "value" in normal ? normal.value : input.value;
    const current = conditions.currentValue(tag.tagId);
    const from = input.from !== undefined ? input.from : current;
    const state = rules.plantStateCheck(tag, from, current, this.#deps.driftTolerance(tag));
    const checks = "check" in normal ? [normal.check] : [...this.evaluate(tag, value, from), withoutDrift(state)];
    const now = clock();
    const fresh = newProposal({
      id: randomUUID(),
      tag,
      origin,
      proposedBy: actorName(actor),
      proposerUserId: actor.kind === "user" ? actor.userId : null,
      reason: input.reason,
      from,
      value,
      predictedEffect: input.predictedEffect,
      checks,
      now,
      ttlMs: Math.min(MAX_TTL_MS, Math.max(1, input.ttlMs ?? this.#deps.ttlMs)),
      ...(link ? { rollbackOf: link.rollbackOf } : {}),
    });
    const hard = checks.filter((c) => !c.pass && (rules.HARD_RULES.has(c.rule) || (c.rule === "plantState" && state.drifted)));
    const auto = hard.length === 0 ? rules.autoApproveCheck(tag, from, value, checks) : null;
    const out = this.#deps.db.transaction((): Outcome => {
      const { store, audit } = this.#deps;
      store.insert(fresh);
      audit.append({ actor: fresh.proposedBy, action: "proposal.proposed", target: `proposal:${fresh.id}`, before: { value: from }, after: { value }, reason: input.reason, details: { tagId: tag.tagId, origin, checks, predictedEffect: fresh.predictedEffect, rollbackOf: link?.rollbackOf } });
      let stored: StoredProposal = { proposal: fresh, version: 1 };
      if (hard.length > 0) {
        const reason = hard.map((c) => c.reason).join("; ");
        stored = store.save(stored, decide(fresh, "rejected", "system:policy", reason, now));
        audit.append({ actor: "system:policy", action: "proposal.rejected", target: `proposal:${fresh.id}`, reason, details: { rules: hard.map((c) => c.rule) } });
        return { proposal: stored.proposal, touched: [] };
      }
      stored = store.save(stored, { ...fresh, state: "pending", checks: auto ? [...checks, auto] : checks });
      audit.append({ actor: "system:policy", action: "proposal.pending", target: `proposal:${fresh.id}`, details: { failing: checks.filter((c) => !c.pass).map((c) => c.rule) } });
      const touched = this.#expiry.supersede(stored.proposal);
      if (auto?.pass) {
        stored = store.save(stored, decide(stored.proposal, "approved", AUTO_APPROVER, auto.reason, now));
        audit.append({ actor: AUTO_APPROVER, action: "proposal.approved", target: `proposal:${fresh.id}`, reason: auto.reason });
        return { proposal: stored.proposal, touched, write: true };
      }
      return { proposal: stored.proposal, touched };
    })();
    return this.conclude(out);
  }

  async approve(auth: AuthContext, id: string, d: Decision = {}): Promise<Proposal> {
    const tag = await this.reauthenticateIfCritical(auth, id, d.password, "approving");
    const out = this.#deps.db.transaction(() =>
      this.decideOn(id, tag, auth, (p) => {
        const checks = [...this.evaluate(tag, p.value, p.from), ...rules.approverChecks(tag, p, userActor(auth))];
        return { value: p.value, approvals: p.approvals, checks };
      }, d),
    )();
    return this.conclude(out);
  }

  /** The approver changes the value (within every rule) and approves the new value. Earlier approvals lapse. */
  async modifyAndApprove(auth: AuthContext, id: string, newValue: SetpointValue, d: Decision = {}): Promise<Proposal> {
    const tag = await this.reauthenticateIfCritical(auth, id, d.password, "modifying");
    const out = this.#deps.db.transaction(() =>
      this.decideOn(id, tag, auth, (p) => {
        const normal = rules.normaliseValue(tag, newValue);
        if ("check" in normal) return { value: newValue, approvals: [], checks: [normal.check] };
        const checks = [...this.evaluate(tag, normal.value, p.from), ...rules.approverChecks(tag, { ...p, approvals: [] }, userActor(auth))];
        return { value: normal.value, approvals: [], checks };
      }, d),
    )();
    return this.conclude(out);
  }

  /** Rejects a pending proposal: someone allowed to approve it, or its proposer withdrawing it. */
  reject(auth: AuthContext, id: string, reason: string): Proposal {
    const { db, store, audit, clock } = this.#deps;
    const out = db.transaction((): Outcome => {
      const stored = this.loadPending(id, "rejected");
      const p = stored.proposal;
      const tag = this.#deps.policies().get(p.tagId);
      const mayApprove = tag ? atLeast(auth.user.role, tag.policy.approveRole) : atLeast(auth.user.role, "engineer");
      if (!mayApprove && p.proposerUserId !== auth.user.id) {
        throw Refusal.of("approveRole", `${p.tagId}: approveRole ${tag?.policy.approveRole ?? "engineer"} required to reject; ${auth.user.username} is ${auth.user.role}`);
      }
      const next = store.save(stored, decide(p, "rejected", auth.user.username, reason, clock())).proposal;
      audit.append({ actor: auth.user.username, action: "proposal.rejected", target: `proposal:${id}`, before: { state: p.state }, after: { state: "rejected" }, reason });
      return { proposal: next, touched: [] };
    })();
    out.touched.push(out.proposal);
    out.touched.forEach((p) => this.#deps.changed(p));
    return out.proposal;
  }

  /** Proposes writing back the value an applied (or failed) proposal replaced; approved like any other. */
  async rollback(auth: AuthContext, id: string, reason: string): Promise<Proposal> {
    const target = this.get(id);
    if (!ROLLBACK_FROM.has(target.state)) throw Refusal.of("state", `proposal ${id} is ${target.state}: only an applied or failed proposal can be rolled back`);
    if (target.from === null) throw Refusal.of("state", `proposal ${id}: the value before it is unknown, so there is nothing to roll back to`);
    const open = this.#deps.store.list({ tagId: target.tagId, states: ["pending", "approved", "modified-and-approved", "applying"] }).find((p) => p.rollbackOf === id);
    if (open) throw Refusal.of("state", `proposal ${id}: rollback ${open.id} is already ${open.state}`);
    return this.propose(userActor(auth), { tagId: target.tagId, value: target.from, reason: `rollback of ${id}: ${reason}` }, { rollbackOf: id });
  }

  /** Expires pending proposals whose time ran out or whose plant state moved away. Call now and then. */
  sweep(): Proposal[] {
    const expired = this.#deps.db.transaction(() => this.#expiry.sweep())();
    expired.forEach((p) => this.#deps.changed(p));
    return expired;
  }


  /** The checks that depend on the plant and the clock, for a value. */
  private evaluate(tag: WritableTag, value: SetpointValue, from: SetpointValue | null): PolicyCheck[] {
    const { conditions, store, clock } = this.#deps;
    const checks = [
      ...rules.valueChecks(tag, value, from),
      ...rules.interlockChecks(tag, {
        connection: conditions.connectionState(tag.tagId),
        staleInputs: conditions.staleInputs(tag.tagId),
        anomalies: conditions.anomalyOnRelated(tag.tagId),
      }),
    ];
    const rate = rules.rateCheck(tag, value, store.lastWrite(tag.tagId), clock());
    if (rate) checks.push(rate);
    return checks;
  }

  /** One more decision on a pending proposal; refused decisions are audited, and thrown once committed. */
  private decideOn(
    id: string,
    tag: WritableTag,
    auth: AuthContext,
    judge: (p: Proposal) => { value: SetpointValue; approvals: Proposal["approvals"]; checks: PolicyCheck[] },
    d: Decision,
  ): Outcome {
    const { store, audit, clock, conditions, driftTolerance } = this.#deps;
    const stored = this.loadPending(id, "approved");
    const p = stored.proposal;
    const expiry = this.#expiry.reasonFor(p);
    if (expiry) return { proposal: this.#expiry.expire(stored, expiry), touched: [], refusal: Refusal.of(expiry.rule, expiry.reason) };
    const judged = judge(p);
    const plant = withoutDrift(rules.plantStateCheck(tag, p.from, conditions.currentValue(p.tagId), driftTolerance(tag)));
    const who = auth.user.username;
    const r = recordDecision(p, tag, userActor(auth), { ...judged, checks: [...judged.checks, plant], now: clock(), ...(d.comment ? { comment: d.comment } : {}) });
    const next = store.save(stored, r.next).proposal;
    const target = `proposal:${id}`;
    if (r.kind === "refused") {
      const reason = r.failing.map((c) => c.reason).join("; ");
      audit.append({ actor: who, action: "proposal.approve-refused", target, reason, details: { rules: r.failing.map((c) => c.rule), value: judged.value } });
      return { proposal: next, touched: [], refusal: new Refusal(r.failing[0]!.rule, r.failing.map((c) => c.reason)) };
    }
    if (r.kind === "recorded") {
      audit.append({ actor: who, action: "proposal.approval-recorded", target, before: { value: p.value }, after: { value: judged.value }, reason: d.comment ?? null, details: { approvals: r.approvals.length, needed: p.approvalsNeeded } });
      return { proposal: next, touched: [] };
    }
    const action = r.modified ? "proposal.modified-and-approved" : "proposal.approved";
    audit.append({ actor: who, action, target, before: { value: p.proposedValue }, after: { value: judged.value }, reason: d.comment ?? null, details: { approvers: r.approvals.map((a) => a.username) } });
    return { proposal: next, touched: [], write: true };
  }

  private async reauthenticateIfCritical(auth: AuthContext, id: string, password: string | undefined, doing: string): Promise<WritableTag> {
    const p = this.get(id);
    const tag = this.#deps.policies().get(p.tagId);
    if (!tag) throw Refusal.of("writable", `${p.tagId}: no longer a writable tag in the scene`);
    if (tag.policy.twoPerson) await this.#deps.auth.reauthenticate(auth, password, `${p.tagId}: ${doing} a two-person (critical) change`);
    return tag;
  }

  private loadPending(id: string, verb: string): StoredProposal {
    const stored = this.#deps.store.load(id);
    if (!stored) throw Refusal.of("notFound", `proposal ${id}: no such proposal`);
    if (stored.proposal.state !== "pending") throw Refusal.of("state", `proposal ${id} is ${stored.proposal.state}: only a pending proposal can be ${verb}`);
    return stored;
  }




  /** Announces what changed, throws a committed refusal, or hands a completed approval to the write path. */
  private async conclude(out: Outcome): Promise<Proposal> {
    for (const p of [...out.touched, out.proposal]) this.#deps.changed(p);
    if (out.refusal) throw out.refusal;
    return out.write ? this.#deps.writePath.apply(out.proposal.id) : out.proposal;
  }
}
