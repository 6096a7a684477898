/**
 * The audit trail: append-only, hash-chained entries in `governance.db`. This class only ever INSERTs;
 * the database triggers refuse UPDATE and DELETE to everyone else.
 */
import type Database from "better-sqlite3";
import type { AuditEntry, AuditFilter } from "../common/api/governance";
import { AuditFilter as AuditFilterSchema } from "../common/api/governance";
import { canonicalJson, GENESIS_HASH, hashAuditRow, type AuditRow } from "./audit-hash";
import type { Clock } from "./clock";

/** Everything governance records. Dotted: the part before the dot is the subject. */
export type AuditAction =
  | "auth.setup-admin"
  | "auth.login"
  | "auth.login-failed"
  | "auth.login-locked"
  | "auth.logout"
  | "auth.session-expired"
  | "auth.reauth-failed"
  | "auth.password-changed"
  | "user.created"
  | "user.role-changed"
  | "user.disabled"
  | "user.enabled"
  | "user.password-reset"
  | "api.refused"
  | "proposal.proposed"
  | "proposal.pending"
  | "proposal.rejected"
  | "proposal.superseded"
  | "proposal.expired"
  | "proposal.approval-recorded"
  | "proposal.approve-refused"
  | "proposal.approved"
  | "proposal.modified-and-approved"
  | "proposal.rolled-back"
  | "write.sent"
  | "write.confirmed"
  | "write.failed"
  | "write.late-result"
  | "alarm.raised"
  | "alarm.acknowledged"
  | "certificate.trust"
  | "scene.changed"
  | "policy.changed"
  | "audit.exported"
  // Values written into the historian from a CSV: they feed the charts and replays, so who and what is kept.
  | "history.imported"
  // What-if scenarios and the periodic recommender (which may propose on its own) are shared state.
  | "whatif.scenario-saved"
  | "whatif.scenario-deleted"
  | "whatif.recommender-changed"
  // Virtual commissioning on the simulated plant the workbench started (never the twin's PLC connections).
  | "commissioning.force"
  | "commissioning.unforce"
  | "commissioning.fault-injected"
  | "commissioning.faults-cleared"
  | "commissioning.connection-dropped"
  | "commissioning.run-started"
  | "commissioning.run-cancelled";

export interface AuditRecord {
  /** A username, `anonymous`, or `system:<part>` (e.g. `system:optimiser`). */
  actor: string;
  action: AuditAction;
  /** What was acted on, e.g. `user:alice`, `proposal:…`, `tag:bufferTank.levelSetpoint`. */
  target: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  details?: unknown;
}

interface DbRow {
  seq: number;
  time: number;
  actor: string;
  action: string;
  target: string;
  before: string;
  after: string;
  reason: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = "seq, time, actor, action, target, before, after, reason, details, prev_hash, hash";

export class AuditLog {
  private readonly insert: Database.Statement;
  private readonly last: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(`INSERT INTO audit (${COLUMNS}) VALUES (@seq, @time, @actor, @action, @target, @before, @after, @reason, @details, @prevHash, @hash)`);
    this.last = db.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
  }

  /**
   * Appends one entry. Inside a caller's transaction it commits (or rolls back) with the change it records,
   * so the trail never shows a change that did not happen, nor misses one that did.
   */
  append(record: AuditRecord): AuditEntry {
    return this.db.transaction(() => {
      const head = this.last.get() as { seq: number; hash: string } | undefined;
      const row: Omit<AuditRow, "hash"> = {
        seq: (head?.seq ?? 0) + 1,
        time: this.clock(),
        actor: record.actor,
        action: record.action,
        target: record.target,
        before: canonicalJson(record.before ?? null),
        after: canonicalJson(record.after ?? null),
        reason: record.reason ?? null,
        details: canonicalJson(record.details ?? null),
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const full: AuditRow = { ...row, hash: hashAuditRow(row) };
      this.insert.run(full);
      return toEntry(full);
    })();
  }

  /** The newest entry's sequence number and hash (null for an empty trail). */
  head(): { seq: number; hash: string } | null {
    return (this.last.get() as { seq: number; hash: string } | undefined) ?? null;
  }

  /** Entries matching the filter, oldest first. */
  list(filter: AuditFilter = {}): AuditEntry[] {
    const f = AuditFilterSchema.parse(filter);
    return this.query(f, f.limit);
  }

  /** Every entry matching the filter (no limit), for export. */
  all(filter: Omit<AuditFilter, "limit"> = {}): AuditEntry[] {
    return this.query(AuditFilterSchema.parse(filter), -1);
  }

  private query(f: ReturnType<typeof AuditFilterSchema.parse>, limit: number): AuditEntry[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit };
    const add = (clause: string, name: string, value: unknown) => {
      where.push(clause);
      args[name] = value;
    };
    if (f.actor !== undefined) add("actor = @actor", "actor", f.actor);
    // `proposal.` selects every proposal action; anything else matches exactly.
    if (f.action !== undefined) add(f.action.endsWith(".") ? "substr(action, 1, length(@action)) = @action" : "action = @action", "action", f.action);
    if (f.target !== undefined) add("target = @target", "target", f.target);
    if (f.since !== undefined) add("time >= @since", "since", f.since);
    if (f.until !== undefined) add("time <= @until", "until", f.until);
    if (f.afterSeq !== undefined) add("seq > @afterSeq", "afterSeq", f.afterSeq);
    const sql = `SELECT ${COLUMNS} FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq LIMIT @limit`;
    return (this.db.prepare(sql).all(args) as DbRow[]).map(fromDb).map(toEntry);
  }
}

export function fromDb(r: DbRow): AuditRow {
  return { ...r, prevHash: r.prev_hash };
}

/** A stored row as the API shows it: JSON columns parsed. */
export function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    time: r.time,
    actor: r.actor,
    action: r.action,
    target: r.target,
    before: parseJson(r.before),
    after: parseJson(r.after),
    reason: r.reason,
    details: parseJson(r.details),
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export type { DbRow as AuditDbRow };
