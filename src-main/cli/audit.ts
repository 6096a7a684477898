/**
 * `twinbench audit verify --db FILE` and `twinbench audit export --db FILE --format csv|json --out FILE`.
 * Verify exits 0 with the head hash when the chain is intact, 1 naming the first bad entry, 2 when the file
 * cannot be read as a governance database.
 */
import { writeFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import Database from "better-sqlite3";
import { auditToCsv, auditToJson } from "../governance/audit-export";
import { AuditLog } from "../governance/audit-log";
import { verifyAuditChain, type AuditAnchor } from "../governance/audit-verify";

function anchor(value: string, previous: AuditAnchor[] = []): AuditAnchor[] {
  const m = /^(\d+):([0-9a-fA-F]{64})$/.exec(value);
  if (!m) throw new InvalidArgumentError(`"${value}" is not SEQ:HASH (a sequence number and a 64-digit hex hash)`);
  return [...previous, { seq: Number(m[1]), hash: m[2]!.toLowerCase() }];
}

/** `twinbench audit verify|export`; returns the exit code. */
export function auditVerifyCommand(o: { db: string; anchor?: AuditAnchor[] }): number {
  let report;
  try {
    report = verifyAuditChain(o.db, { anchors: o.anchor ?? [] });
  } catch (err) {
    console.error(`twinbench audit verify: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  for (const w of report.warnings) console.error(`warning: ${w}`);
  if (report.ok) {
    console.log(`chain intact: ${report.entries} entries, head hash ${report.headHash ?? "(empty trail)"}`);
    return 0;
  }
  console.error(`chain broken at entry #${report.firstBad!.seq} (${report.firstBad!.problem}): ${report.firstBad!.message}`);
  return 1;
}

export function auditExportCommand(o: { db: string; format: "csv" | "json"; out: string }): number {
  let entries;
  try {
    const db = new Database(o.db, { readonly: true, fileMustExist: true });
    try {
      entries = new AuditLog(db, Date.now).all();
    } finally {
      db.close();
    }
  } catch (err) {
    console.error(`twinbench audit export: ${o.db}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  writeFileSync(o.out, o.format === "csv" ? auditToCsv(entries) : auditToJson(entries, Date.now(), {}));
  console.log(`exported ${entries.length} audit entries to ${o.out} (${o.format})`);
  return 0;
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command("audit").description("Check and export the tamper-evident audit trail (governance.db).");
  audit
    .command("verify")
    .description("Recompute the hash chain; names the first entry that was edited, deleted, inserted or reordered.")
    .requiredOption("--db <file>", "governance.db file")
    .option("--anchor <seq:hash>", "a head hash recorded earlier (repeatable): catches a chain rewritten from scratch", anchor)
    .action((o: { db: string; anchor?: AuditAnchor[] }) => {
      process.exitCode = auditVerifyCommand(o);
    });
  audit
    .command("export")
    .description("Write every audit entry to a CSV or JSON file (JSON keeps what is needed to verify it again).")
    .requiredOption("--db <file>", "governance.db file")
    .addOption(new Option("--format <format>", "csv or json").choices(["csv", "json"]).makeOptionMandatory())
    .requiredOption("--out <file>", "output file")
    .action((o: { db: string; format: "csv" | "json"; out: string }) => {
      process.exitCode = auditExportCommand(o);
    });
}
