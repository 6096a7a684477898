/**
 * Checking the audit chain: recomputes every entry's hash and link, and names the first entry that is not
 * what was written, with what happened to it (edited, deleted, inserted, reordered, cut off the end).
 *
 * Limits, said plainly: the chain proves the trail is internally consistent. Someone who can write the file
 * and recomputes every hash after a change (or appends well-formed entries) is caught only by comparing
 * the head hash with one recorded elsewhere: pass such records as `anchors`.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { ChainReport } from "../common/api/governance";
import { GENESIS_HASH, hashAuditRow, type AuditRow } from "./audit-hash";
import { AUDIT_TRIGGERS } from "./db";
import { fromDb, type AuditDbRow } from "./audit-log";

export type ChainProblem = "malformed" | "deleted" | "inserted" | "reordered" | "edited" | "relinked" | "truncated" | "anchor";

/** A hash recorded outside the database for entry `seq` (from an earlier verify or export). */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  /** Highest sequence number ever written (sqlite_sequence); reveals entries cut off the end. */
  highestSeqWritten?: number | null;
  anchors?: readonly AuditAnchor[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Verifies rows given in ascending `seq` order. Pure: used on the database and on a JSON export alike. */
export function verifyAuditRows(rows: readonly AuditRow[], options: VerifyOptions = {}): ChainReport {
  const report = (firstBad?: { seq: number; problem: ChainProblem; message: string }): ChainReport => ({
    ok: firstBad === undefined,
    entries: rows.length,
    headHash: rows.at(-1)?.hash ?? null,
    ...(firstBad ? { firstBad } : {}),
    warnings: [],
  });
  // Which row links to a given hash: the successor an entry had when it was written.
  const successorOf = new Map<string, number>();
  for (const r of rows) if (!successorOf.has(r.prevHash)) successorOf.set(r.prevHash, r.seq);
  const seqOfHash = new Map<string, number>();
  let prev = GENESIS_HASH;
  let expected = 1;

  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const next = rows[i + 1];
    const malformed = malformedField(r);
    if (malformed) return report({ seq: r.seq, problem: "malformed", message: `entry #${r.seq}: ${malformed}` });
    if (r.seq !== expected) {
      const message =
        expected === 1
          ? `entry #1 is missing (deleted): the chain starts at #${r.seq}`
          : `entry #${expected} is missing (deleted): the chain goes from #${expected - 1} to #${r.seq}`;
      return report({ seq: expected, problem: "deleted", message });
    }
    if (hashAuditRow(r) !== r.hash) {
      const writtenAs = originalSeq(r, successorOf);
      if (writtenAs !== undefined && writtenAs > r.seq) {
        // Its content belongs further on. If some later row holds what was written here, rows were moved;
        // otherwise the entry written here is gone and the rest were renumbered to hide the gap.
        const moved = rows.slice(i + 1).some((o) => hashAuditRow({ ...o, seq: r.seq }) === o.hash);
        if (moved) {
          return report({ seq: r.seq, problem: "reordered", message: `entry #${r.seq} holds the entry written as #${writtenAs}: entries were reordered` });
        }
        return report({
          seq: r.seq,
          problem: "deleted",
          message: `entry #${r.seq} is missing (deleted) and the later entries were renumbered: the entry now at #${r.seq} was written as #${writtenAs}`,
        });
      }
      if (writtenAs !== undefined && writtenAs < r.seq) {
        return report({
          seq: writtenAs,
          problem: "inserted",
          message: `entry #${writtenAs} was inserted: the entry now at #${r.seq} was written as #${writtenAs}`,
        });
      }
      if (next && next.prevHash === prev) {
        return report({ seq: r.seq, problem: "inserted", message: `entry #${r.seq} was inserted: it is not part of the chain (entry #${next.seq} links straight to #${r.seq - 1})` });
      }
      return report({ seq: r.seq, problem: "edited", message: `entry #${r.seq} was edited: its content (${r.action} by ${r.actor}) does not match its hash` });
    }
    if (r.prevHash !== prev) {
      const linkedTo = seqOfHash.get(r.prevHash);
      if (linkedTo !== undefined && linkedTo < r.seq - 1) {
        return report({
          seq: linkedTo + 1,
          problem: "inserted",
          message: `entry #${linkedTo + 1} was inserted: entry #${r.seq} was written right after #${linkedTo}`,
        });
      }
      if (r.seq === 1) return report({ seq: 1, problem: "relinked", message: "entry #1 does not start the chain: its previous hash is not the genesis hash" });
      return report({
        seq: r.seq - 1,
        problem: "relinked",
        message: `entry #${r.seq - 1} was changed and re-hashed: entry #${r.seq} links to a different hash`,
      });
    }
    seqOfHash.set(r.hash, r.seq);
    prev = r.hash;
    expected++;
  }

  const last = rows.at(-1)?.seq ?? 0;
  const highest = options.highestSeqWritten ?? null;
  if (highest !== null && highest > last) {
    return report({ seq: last + 1, problem: "truncated", message: `entries #${last + 1} to #${highest} are missing (deleted from the end)` });
  }
  for (const anchor of options.anchors ?? []) {
    const row = rows.find((r) => r.seq === anchor.seq);
    if (!row) return report({ seq: anchor.seq, problem: "anchor", message: `entry #${anchor.seq} is missing, but an anchor records it` });
    if (row.hash !== anchor.hash.toLowerCase()) {
      return report({ seq: anchor.seq, problem: "anchor", message: `entry #${anchor.seq} has hash ${row.hash}, but an anchor records ${anchor.hash}: the chain was rewritten` });
    }
  }
  return report();
}

/**
 * The position an entry was written at, when its hash is right for another position: first where its old
 * successor says it was, then a few positions either side (rows renumbered after a deletion or insertion).
 */
function originalSeq(r: AuditRow, successorOf: Map<string, number>): number | undefined {
  const successor = successorOf.get(r.hash);
  const candidates = successor !== undefined ? [successor - 1] : [];
  for (let d = 1; d <= 8; d++) candidates.push(r.seq + d, r.seq - d);
  return candidates.find((k) => k >= 1 && k !== r.seq && hashAuditRow({ ...r, seq: k }) === r.hash);
}

function malformedField(r: AuditRow): string | undefined {
  if (!Number.isSafeInteger(r.seq) || r.seq < 1) return `sequence number ${String(r.seq)} is not a positive integer`;
  if (!Number.isSafeInteger(r.time)) return `time ${String(r.time)} is not an integer`;
  for (const field of ["actor", "action", "target", "before", "after", "details"] as const) {
    if (typeof r[field] !== "string") return `${field} is not text`;
  }
  if (r.reason !== null && typeof r.reason !== "string") return "reason is neither text nor null";
  if (typeof r.prevHash !== "string" || !HEX64.test(r.prevHash)) return "previous hash is not 64 hex digits";
  if (typeof r.hash !== "string" || !HEX64.test(r.hash)) return "hash is not 64 hex digits";
  return undefined;
}

/** Verifies the audit chain of a `governance.db` file, read-only. Throws when the file is not one. */
export function verifyAuditChain(dbFile: string, options: Pick<VerifyOptions, "anchors"> = {}): ChainReport {
  if (!existsSync(dbFile)) throw new Error(`${dbFile}: no such file`);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get();
    if (!table) throw new Error(`${dbFile}: not a governance database (no audit table)`);
    const rows = (db.prepare("SELECT seq, time, actor, action, target, before, after, reason, details, prev_hash, hash FROM audit ORDER BY seq").all() as AuditDbRow[]).map(fromDb);
    const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get() as { seq: number } | undefined;
    const report = verifyAuditRows(rows, { highestSeqWritten: sequence?.seq ?? null, anchors: options.anchors ?? [] });
    const triggers = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").all() as { name: string }[]).map((t) => t.name));
    const missing = AUDIT_TRIGGERS.filter((t) => !triggers.has(t));
    if (missing.length > 0) report.warnings.push(`the append-only triggers are missing (${missing.join(", ")}): someone changed the database schema`);
    return report;
  } finally {
    db.close();
  }
}
