/**
 * Write alarms: raised when a write failed (read-back differs, bad status, timeout, refused at write time),
 * kept until a person acknowledges them. A failed write is never retried by itself; the alarm is how people
 * find out.
 */
import type Database from "better-sqlite3";
import type { WriteAlarm } from "../common/api/governance";
import type { AuditLog } from "./audit-log";
import type { Clock } from "./clock";
import { actorName, assertActor, type Actor } from "./actor";
import { listen, notifyAll } from "./listeners";
import { Refusal } from "./refusal";

interface AlarmRow {
  id: number;
  raised_at: number;
  tag_id: string;
  proposal_id: string;
  message: string;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
}

export class AlarmLog {
  private readonly listeners = new Set<(alarm: WriteAlarm) => void>();

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Raises an alarm (audited in the caller's transaction). Listeners hear of it once the caller commits. */
  raise(tagId: string, proposalId: string, message: string): WriteAlarm {
    const r = this.db.prepare("INSERT INTO alarms (raised_at, tag_id, proposal_id, message) VALUES (?, ?, ?, ?)").run(this.clock(), tagId, proposalId, message);
    const alarm = this.get(Number(r.lastInsertRowid))!;
    this.audit.append({ actor: "system:write-path", action: "alarm.raised", target: `tag:${tagId}`, reason: message, details: { alarm: alarm.id, proposal: proposalId } });
    return alarm;
  }

  /** Tells listeners (the UI event, a log) about an alarm after its transaction committed. */
  announce(alarm: WriteAlarm): void {
    notifyAll(this.listeners, alarm, "write alarm");
  }

  onDidRaise(listener: (alarm: WriteAlarm) => void): () => void {
    return listen(this.listeners, listener, "write alarm");
  }

  acknowledge(actor: Actor, id: number): WriteAlarm {
    assertActor(actor);
    return this.db.transaction(() => {
      const alarm = this.get(id);
      if (!alarm) throw Refusal.of("notFound", `alarm #${id}: no such alarm`);
      if (alarm.acknowledgedBy !== null) throw Refusal.of("state", `alarm #${id}: already acknowledged by ${alarm.acknowledgedBy}`);
      this.db.prepare("UPDATE alarms SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?").run(actorName(actor), this.clock(), id);
      this.audit.append({ actor: actorName(actor), action: "alarm.acknowledged", target: `tag:${alarm.tagId}`, details: { alarm: id, proposal: alarm.proposalId } });
      return this.get(id)!;
    })();
  }

  list(open: boolean): WriteAlarm[] {
    const sql = open ? "SELECT * FROM alarms WHERE acknowledged_at IS NULL ORDER BY id DESC" : "SELECT * FROM alarms ORDER BY id DESC LIMIT 1000";
    return (this.db.prepare(sql).all() as AlarmRow[]).map(toAlarm);
  }

  get(id: number): WriteAlarm | null {
    const row = this.db.prepare("SELECT * FROM alarms WHERE id = ?").get(id) as AlarmRow | undefined;
    return row ? toAlarm(row) : null;
  }
}

function toAlarm(r: AlarmRow): WriteAlarm {
  return {
    id: r.id,
    raisedAt: r.raised_at,
    tagId: r.tag_id,
    proposalId: r.proposal_id,
    message: r.message,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
  };
}
