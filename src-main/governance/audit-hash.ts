/**
 * The audit chain's arithmetic: a canonical serialisation and SHA-256. Each entry's hash covers its own
 * fields (the JSON columns exactly as stored) and the previous entry's hash, so changing, removing, adding
 * or moving any entry breaks the chain from that entry on.
 */
import { createHash } from "node:crypto";

/** The hash the first entry links to. */
export const GENESIS_HASH = "0".repeat(64);
/** Bumped if the hashed fields ever change; part of every hash. */
export const AUDIT_HASH_VERSION = 1;

/** One audit row as stored: JSON columns are canonical JSON text. */
export interface AuditRow {
  seq: number;
  time: number;
  actor: string;
  action: string;
  target: string;
  before: string;
  after: string;
  reason: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

/**
 * JSON with object keys sorted at every level and no spaces: the same value always gives the same text.
 * `undefined` members are left out (as JSON.stringify does); non-finite numbers are refused, since JSON
 * would silently turn them into null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) throw new Error(`cannot serialise ${value} in an audit entry`);
      return JSON.stringify(value);
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    default:
      throw new Error(`cannot serialise a ${typeof value} in an audit entry`);
  }
}

/** SHA-256 (hex) of an entry's fields and the previous hash. */
export function hashAuditRow(row: Omit<AuditRow, "hash">): string {
  const text = canonicalJson({
    v: AUDIT_HASH_VERSION,
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: row.before,
    after: row.after,
    reason: row.reason,
    details: row.details,
    prevHash: row.prevHash,
  });
  return createHash("sha256").update(text, "utf8").digest("hex");
}
