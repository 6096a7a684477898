/**
 * Audit exports. JSON is the faithful one: a complete export can be verified again (`verifyAuditExport`).
 * CSV is for spreadsheets: text cells that a spreadsheet would run as a formula get a leading quote.
 */
import { z } from "zod";
import { AuditEntry, type ChainReport } from "../common/api/governance";
import { canonicalJson, type AuditRow } from "./audit-hash";
import { verifyAuditRows } from "./audit-verify";

export const AUDIT_EXPORT_FORMAT = "twinbench-audit";

export const AuditExport = z.object({
  format: z.literal(AUDIT_EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.number(),
  /** False when a filter left entries out: such an export cannot be verified as a chain. */
  complete: z.boolean(),
  filter: z.record(z.string(), z.unknown()),
  entries: z.array(AuditEntry),
});
export type AuditExport = z.infer<typeof AuditExport>;

export function auditToJson(entries: readonly AuditEntry[], exportedAt: number, filter: Record<string, unknown>): string {
  const complete = Object.values(filter).every((v) => v === undefined);
  const doc: AuditExport = { format: AUDIT_EXPORT_FORMAT, version: 1, exportedAt, complete, filter, entries: [...entries] };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const CSV_HEADER = ["seq", "time", "time_iso", "actor", "action", "target", "before", "after", "reason", "details", "prev_hash", "hash"];

export function auditToCsv(entries: readonly AuditEntry[]): string {
  const lines = [CSV_HEADER.join(",")];
  for (const e of entries) {
    const cells = [
      String(e.seq),
      String(e.time),
      new Date(e.time).toISOString(),
      e.actor,
      e.action,
      e.target,
      canonicalJson(e.before),
      canonicalJson(e.after),
      e.reason ?? "",
      canonicalJson(e.details),
      e.prevHash,
      e.hash,
    ];
    lines.push(cells.map(csvCell).join(","));
  }
  // RFC 4180 line ends.
  return `${lines.join("\r\n")}\r\n`;
}

/** Quotes as RFC 4180 asks; neutralises cells a spreadsheet would evaluate (=, +, -, @, tab, CR) unless they are numbers. */
function csvCell(text: string): string {
  let cell = text;
  if (/^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Verifies a JSON export as a chain (only a complete one can be). */
export function verifyAuditExport(text: string): ChainReport {
  const doc = AuditExport.parse(JSON.parse(text));
  if (!doc.complete) throw new Error("this export was filtered: entries are left out, so it cannot be verified as a chain");
  const rows: AuditRow[] = doc.entries.map((e) => ({
    seq: e.seq,
    time: e.time,
    actor: e.actor,
    action: e.action,
    target: e.target,
    before: canonicalJson(e.before),
    after: canonicalJson(e.after),
    reason: e.reason,
    details: canonicalJson(e.details),
    prevHash: e.prevHash,
    hash: e.hash,
  }));
  return verifyAuditRows(rows);
}
