/**
 * Proposals in `governance.db`: the whole proposal as JSON, with the fields queries need as columns. Every
 * save is a compare-and-swap on a version number and an allowed lifecycle step.
 */
import type Database from "better-sqlite3";
import { Proposal, type ProposalState } from "../common/api/governance";
import { assertTransition } from "./proposal-machine";
import type { WriteValue } from "./plc-writer";

export interface StoredProposal {
  proposal: Proposal;
  version: number;
}

export interface ProposalQuery {
  states?: readonly ProposalState[];
  tagId?: string;
  limit?: number;
}

export class ProposalStore {
  constructor(private readonly db: Database.Database) {}

  insert(p: Proposal): void {
    this.db
      .prepare("INSERT INTO proposals (id, tag_id, state, proposed_at, updated_at, version, body) VALUES (?, ?, ?, ?, ?, 1, ?)")
      .run(p.id, p.tagId, p.state, p.proposedAt, p.updatedAt, JSON.stringify(p));
  }

  load(id: string): StoredProposal | null {
    const row = this.db.prepare("SELECT version, body FROM proposals WHERE id = ?").get(id) as { version: number; body: string } | undefined;
    return row ? { proposal: Proposal.parse(JSON.parse(row.body)), version: row.version } : null;
  }

  get(id: string): Proposal | null {
    return this.load(id)?.proposal ?? null;
  }

  /** Replaces `stored` by `next`. Throws for a step the lifecycle does not allow, or when someone saved in between. */
  save(stored: StoredProposal, next: Proposal): StoredProposal {
    const from = stored.proposal.state;
    if (next.state !== from) assertTransition(next.id, from, next.state);
    const r = this.db
      .prepare("UPDATE proposals SET state = ?, updated_at = ?, version = version + 1, body = ? WHERE id = ? AND version = ?")
      .run(next.state, next.updatedAt, JSON.stringify(next), next.id, stored.version);
    if (r.changes !== 1) throw new Error(`proposal ${next.id} changed while it was being updated; nothing was saved`);
    return { proposal: next, version: stored.version + 1 };
  }

  /** Newest first. */
  list(q: ProposalQuery = {}): Proposal[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.states && q.states.length > 0) {
      where.push(`state IN (${q.states.map(() => "?").join(", ")})`);
      args.push(...q.states);
    }
    if (q.tagId !== undefined) {
      where.push("tag_id = ?");
      args.push(q.tagId);
    }
    const sql = `SELECT body FROM proposals ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY proposed_at DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit ?? -1) as { body: string }[]).map((r) => Proposal.parse(JSON.parse(r.body)));
  }

  /** The last value actually sent to this tag's node and when (for maxRatePerS). */
  lastWrite(tagId: string): { value: WriteValue; at: number } | null {
    let best: { value: WriteValue; at: number } | null = null;
    for (const p of this.list({ tagId, states: ["applying", "applied", "failed", "rolled-back"] })) {
      if (p.write && (!best || p.write.sentAt > best.at)) best = { value: p.write.written, at: p.write.sentAt };
    }
    return best;
  }
}
