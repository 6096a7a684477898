/**
 * The one write path: the only code that holds the PlcWriter. It writes a proposal only when the stored
 * proposal is approved and its approvals satisfy the tag's policy, re-checks limits and interlocks at the
 * moment of writing, reads the value back, and marks the proposal applied or failed. A failure raises an
 * alarm and is never retried.
 */
import type Database from "better-sqlite3";
import type { PolicyCheck, Proposal, WriteAlarm, WriteOutcome } from "../common/api/governance";
import type { AlarmLog } from "./alarms";
import type { AuditLog } from "./audit-log";
import type { Clock } from "./clock";
import type { PlantConditions, PlcWriter, PlcWriteResult } from "./plc-writer";
import type { PolicyBook, WritableTag } from "./policy-book";
import { APPROVED_STATES } from "./proposal-machine";
import type { ProposalStore, StoredProposal } from "./proposal-store";
import { Refusal } from "./refusal";
import { atLeast } from "./roles";
import { approvalsNeeded, autoApproveCheck, interlockChecks, plantStateCheck, rateCheck, sameValue, show, valueChecks } from "./write-policy";

export interface WritePathDeps {
  db: Database.Database;
  store: ProposalStore;
  audit: AuditLog;
  alarms: AlarmLog;
  clock: Clock;
  conditions: PlantConditions;
  policies: () => PolicyBook;
  driftTolerance: (tag: WritableTag) => number;
  /** How long a write and its read-back may take before the proposal fails. */
  writeTimeoutMs: number;
  /** Told of every committed change of a proposal. */
  changed: (p: Proposal) => void;
}

export const AUTO_APPROVER = "system:auto-approve";

type Outcome = { kind: "done"; result: PlcWriteResult } | { kind: "error"; message: string } | { kind: "timeout" };

export class GovernedWritePath {
  readonly #writer: PlcWriter;

  constructor(
    writer: PlcWriter,
    private readonly deps: WritePathDeps,
  ) {
    this.#writer = writer;
  }

  /** Writes an approved proposal and reads it back. The only call in Twinbench that reaches `PlcWriter.write`. */
  async apply(id: string): Promise<Proposal> {
    const { db, store, audit, clock } = this.deps;
    const start = db.transaction(() => {
      const stored = store.load(id);
      if (!stored) throw Refusal.of("notFound", `proposal ${id}: no such proposal`);
      const p = stored.proposal;
      if (!APPROVED_STATES.has(p.state)) throw Refusal.of("state", `proposal ${id} is ${p.state}: only an approved proposal is written`);
      const tag = this.deps.policies().get(p.tagId);
      const problems = tag ? this.problemsBeforeWrite(p, tag) : [`${p.tagId}: no longer a writable tag in the scene`];
      if (problems.length > 0 || !tag) return { tag: null, ...this.fail(stored, `not written: ${problems.join("; ")}`, undefined) };
      const now = clock();
      const write: WriteOutcome = { sentAt: now, finishedAt: null, written: p.value, readBack: null, statusName: "Pending", confirmed: false };
      const next = store.save(stored, { ...p, state: "applying", write, updatedAt: now, history: [...p.history, { at: now, actor: "system:write-path", action: "write sent" }] });
      audit.append({
        actor: "system:write-path",
        action: "write.sent",
        target: `proposal:${p.id}`,
        before: { value: this.deps.conditions.currentValue(p.tagId) },
        after: { value: p.value },
        details: { tagId: p.tagId, nodeId: tag.nodeId },
      });
      return { tag, proposal: next.proposal, alarm: null };
    })();
    this.deps.changed(start.proposal);
    if (start.alarm) this.deps.alarms.announce(start.alarm);
    if (!start.tag) return start.proposal;

    const outcome = await this.send(start.proposal, start.tag);
    return this.finish(id, start.tag, outcome);
  }

  /**
   * After a restart: a proposal approved but never sent, or sent without an answer, did not complete. Both
   * fail with an alarm (the value in the PLC may be unknown); neither is written now.
   */
  recover(): Proposal[] {
    const { db, store } = this.deps;
    const failed = db.transaction(() =>
      store.list({ states: ["approved", "modified-and-approved", "applying"] }).map((p) => {
        const stored = store.load(p.id)!;
        const why = p.state === "applying" ? "the workbench stopped during the write: the value in the PLC is unknown" : "the workbench stopped before the write: not written";
        return this.fail(stored, why, p.write);
      }),
    )();
    for (const { proposal, alarm } of failed) {
      this.deps.changed(proposal);
      this.deps.alarms.announce(alarm);
    }
    return failed.map((f) => f.proposal);
  }

  /** Everything that must still hold at the moment of writing; empty when the write may go. */
  private problemsBeforeWrite(p: Proposal, tag: WritableTag): string[] {
    const { conditions, clock, store } = this.deps;
    if (tag.nodeId !== p.nodeId) return [`${p.tagId}: the node changed from ${p.nodeId} to ${tag.nodeId} since the proposal`];
    const checks: PolicyCheck[] = [
      ...valueChecks(tag, p.value, p.from),
      ...interlockChecks(tag, {
        connection: conditions.connectionState(p.tagId),
        staleInputs: conditions.staleInputs(p.tagId),
        anomalies: conditions.anomalyOnRelated(p.tagId),
      }),
      plantStateCheck(tag, p.from, conditions.currentValue(p.tagId), this.deps.driftTolerance(tag)),
    ];
    const rate = rateCheck(tag, p.value, store.lastWrite(p.tagId), clock());
    if (rate) checks.push(rate);
    const problems = checks.filter((c) => !c.pass).map((c) => c.reason);
    if (p.decision?.by === AUTO_APPROVER) {
      const auto = autoApproveCheck(tag, p.from, p.value, checks);
      if (!auto.pass) problems.push(auto.reason);
      return problems;
    }
    // The approvals as stored must satisfy the policy on their own: the write path trusts no caller.
    const valid = p.approvals.filter((a) => sameValue(tag, a.value, p.value) && atLeast(a.role, tag.policy.approveRole));
    const people = new Set(valid.map((a) => a.userId));
    if (tag.policy.twoPerson && p.proposerUserId !== null) people.delete(p.proposerUserId);
    if (people.size < approvalsNeeded(tag)) {
      problems.push(`${p.tagId}: ${people.size} valid approval${people.size === 1 ? "" : "s"} of ${show(p.value, tag.unit)}, ${approvalsNeeded(tag)} needed (approveRole ${tag.policy.approveRole}${tag.policy.twoPerson ? ", twoPerson" : ""})`);
    }
    return problems;
  }

  private async send(p: Proposal, tag: WritableTag): Promise<Outcome> {
    const writing = Promise.resolve().then(() => this.#writer.write(p.tagId, tag.nodeId, p.value));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "timeout" }), this.deps.writeTimeoutMs);
    });
    const answered = writing.then(
      (result): Outcome => ({ kind: "done", result }),
      (err: unknown): Outcome => ({ kind: "error", message: err instanceof Error ? err.message : String(err) }),
    );
    const outcome = await Promise.race([answered, timeout]);
    clearTimeout(timer);
    if (outcome.kind === "timeout") {
      // The answer may still come: record it, but change nothing (the proposal already failed).
      void answered.then((late) => {
        this.deps.audit.append({
          actor: "system:write-path",
          action: "write.late-result",
          target: `proposal:${p.id}`,
          after: late.kind === "done" ? { readBack: late.result.readBack, statusName: late.result.statusName } : { error: late.kind === "error" ? late.message : "" },
        });
      });
    }
    return outcome;
  }

  private finish(id: string, tag: WritableTag, outcome: Outcome): Proposal {
    const { db, store, audit, clock } = this.deps;
    const done = db.transaction(() => {
      const stored = store.load(id)!;
      const p = stored.proposal;
      const now = clock();
      if (p.state !== "applying" || !p.write) {
        // Another run already settled it (recovered as failed after a restart): keep the answer on record only.
        audit.append({ actor: "system:write-path", action: "write.late-result", target: `proposal:${p.id}`, after: outcome.kind === "done" ? { readBack: outcome.result.readBack, statusName: outcome.result.statusName } : { outcome: outcome.kind } });
        return { proposal: p, alarm: null, original: null };
      }
      const sent = p.write;
      if (outcome.kind !== "done") {
        const why = outcome.kind === "timeout" ? `write timed out after ${this.deps.writeTimeoutMs} ms: the value in the PLC is unknown` : `write failed: ${outcome.message}`;
        return { ...this.fail(stored, `${p.tagId}: ${why}; not retried`, { ...sent, finishedAt: now, statusName: outcome.kind === "timeout" ? "Timeout" : "Error" }), original: null };
      }
      const r = outcome.result;
      const write: WriteOutcome = { ...sent, finishedAt: now, written: r.written, readBack: r.readBack, statusName: r.statusName };
      const why = this.discrepancy(tag, p.value, r);
      if (why) return { ...this.fail(stored, `${p.tagId}: ${why}; not retried`, write), original: null };
      const applied = store.save(stored, { ...p, state: "applied", write: { ...write, confirmed: true }, updatedAt: now, history: [...p.history, { at: now, actor: "system:write-path", action: "applied", note: `read back ${show(r.readBack!, tag.unit)}` }] }).proposal;
      audit.append({ actor: "system:write-path", action: "write.confirmed", target: `proposal:${p.id}`, before: { value: p.from }, after: { value: r.readBack }, details: { tagId: p.tagId, statusName: r.statusName } });
      const original = p.rollbackOf ? this.markRolledBack(p.rollbackOf, p.id, now) : null;
      return { proposal: applied, alarm: null, original };
    })();
    this.deps.changed(done.proposal);
    if (done.original) this.deps.changed(done.original);
    if (done.alarm) this.deps.alarms.announce(done.alarm);
    return done.proposal;
  }

  /** Why a write result is not a confirmed write of `value`, or null. */
  private discrepancy(tag: WritableTag, value: Proposal["value"], r: PlcWriteResult): string | null {
    if (!r.statusName.startsWith("Good")) return `the PLC refused the write (${r.statusName})`;
    if (r.readBack === null) return "the read-back failed: the value in the PLC is unknown";
    if (!sameValue(tag, value, r.readBack)) return `read-back ${show(r.readBack, tag.unit)} differs from the written ${show(value, tag.unit)}: the PLC changed the value`;
    if (!r.confirmed) return "the client could not confirm the write";
    return null;
  }

  /** Marks a proposal failed and raises its alarm, inside the caller's transaction. */
  private fail(stored: StoredProposal, reason: string, write: WriteOutcome | undefined): { proposal: Proposal; alarm: WriteAlarm } {
    const { store, audit, alarms, clock } = this.deps;
    const p = stored.proposal;
    const now = clock();
    const next = store.save(stored, {
      ...p,
      state: "failed",
      failure: reason,
      ...(write ? { write: { ...write, confirmed: false } } : {}),
      updatedAt: now,
      history: [...p.history, { at: now, actor: "system:write-path", action: "failed", note: reason }],
    }).proposal;
    audit.append({ actor: "system:write-path", action: "write.failed", target: `proposal:${p.id}`, before: { value: p.from }, after: { readBack: write?.readBack ?? null }, reason, details: { tagId: p.tagId, statusName: write?.statusName ?? null } });
    const alarm = alarms.raise(p.tagId, p.id, reason);
    return { proposal: next, alarm };
  }

  private markRolledBack(originalId: string, rollbackId: string, now: number): Proposal | null {
    const { store, audit } = this.deps;
    const stored = store.load(originalId);
    if (!stored || (stored.proposal.state !== "applied" && stored.proposal.state !== "failed")) return null;
    const o = stored.proposal;
    const next = store.save(stored, { ...o, state: "rolled-back", rolledBackBy: rollbackId, updatedAt: now, history: [...o.history, { at: now, actor: "system:write-path", action: "rolled back", note: `by ${rollbackId}` }] }).proposal;
    audit.append({ actor: "system:write-path", action: "proposal.rolled-back", target: `proposal:${o.id}`, before: { state: o.state }, after: { state: "rolled-back" }, details: { rollback: rollbackId } });
    return next;
  }
}
