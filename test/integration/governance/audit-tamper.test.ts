// Tampering with a real governance.db as an attacker would (better-sqlite3 directly, dropping the append-only
// triggers first), then running `twinbench audit verify` in a child process: each attack is detected, and
// the first bad entry is named.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { hashAuditRow, type AuditRow } from "../../../src-main/governance/audit-hash";
import { verifyAuditExport } from "../../../src-main/governance/audit-export";
import { tempFolder } from "../../support/temp";
import { openTestGovernance, PASSWORD } from "../../unit/governance/support/fixtures";

const CLI = "test/integration/governance/support/audit-cli.ts";

function twinbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8" }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

type Row = { seq: number; time: number; actor: string; action: string; target: string; before: string; after: string; reason: string | null; details: string; prev_hash: string; hash: string };

describe("audit tamper detection (twinbench audit verify on a real SQLite file)", () => {
  const temp = tempFolder("audit-tamper");
  let original = "";
  let entries = 0;

  after(() => temp.remove());

  before(async () => {
    // A real trail (setup, logins, user changes, proposals, decisions, writes), kept as the pristine file.
    const t = await openTestGovernance();
    const eng = { kind: "user" as const, userId: t.as.engineer.user.id, username: "engineer1", role: "engineer" as const };
    const p = await t.gov.proposals.propose(eng, { tagId: "bufferTank.temperatureSetpoint", value: 58, reason: "warmer product" });
    await t.gov.proposals.approve(t.as.second.engineer, p.id, { password: PASSWORD });
    await t.gov.proposals.approve(t.as.admin, p.id, { password: PASSWORD });
    await t.gov.proposals.propose(eng, { tagId: "bufferTank.temperatureSetpoint", value: 99, reason: "too hot" });
    entries = t.gov.audit.list({ limit: 5_000 }).length;
    t.gov.close();
    original = join(temp.path, "governance.db");
    copyFileSync(t.gov.dbFile, original);
    t.close();
  });

  /** A copy of the pristine file, attacked by `attack` with the triggers dropped. */
  function tampered(name: string, attack: (db: Database.Database) => void): string {
    const file = join(temp.path, `${name}.db`);
    copyFileSync(original, file);
    const db = new Database(file);
    db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
    db.transaction(() => attack(db))();
    db.close();
    return file;
  }
  const row = (db: Database.Database, seq: number) => db.prepare("SELECT * FROM audit WHERE seq = ?").get(seq) as Row;
  const toAuditRow = (r: Row): AuditRow => ({ ...r, prevHash: r.prev_hash });
  /** Moves rows from `from` on by `by` places (two steps, so the primary key never collides). */
  const shift = (db: Database.Database, from: number, by: number) => {
    db.prepare("UPDATE audit SET seq = -seq WHERE seq >= ?").run(from);
    db.prepare("UPDATE audit SET seq = -seq + ? WHERE seq < 0").run(by);
  };

  it("the untouched file verifies: exit 0 with the entry count and head hash", async () => {
    assert.ok(entries > 30, `${entries} entries`);
    const r = await twinbench("audit", "verify", "--db", original);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^chain intact: ${entries} entries, head hash [0-9a-f]{64}\\n$`));
  });

  it("the database itself refuses UPDATE and DELETE while the triggers are there", () => {
    const db = new Database(original);
    try {
      assert.throws(() => db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 3").run(), /append-only/);
      assert.throws(() => db.prepare("DELETE FROM audit WHERE seq = 3").run(), /append-only/);
    } finally {
      db.close();
    }
  });

  it("detects an edited entry and names it", async () => {
    const file = tampered("edited", (db) => db.prepare("UPDATE audit SET reason = 'nothing to see' WHERE seq = 10").run());
    const r = await twinbench("audit", "verify", "--db", file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /chain broken at entry #10 \(edited\): entry #10 was edited/);
    assert.match(r.stderr, /warning: the append-only triggers are missing/);
  });

  it("detects an edit hidden by recomputing that entry's hash", async () => {
    const file = tampered("rehashed", (db) => {
      const r = { ...toAuditRow(row(db, 12)), actor: "mallory" };
      db.prepare("UPDATE audit SET actor = ?, hash = ? WHERE seq = 12").run(r.actor, hashAuditRow(r));
    });
    const r = await twinbench("audit", "verify", "--db", file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /chain broken at entry #12 \(relinked\)/);
  });

  it("detects a deleted entry and names the missing sequence number", async () => {
    const file = tampered("deleted", (db) => db.prepare("DELETE FROM audit WHERE seq = 7").run());
    const r = await twinbench("audit", "verify", "--db", file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /chain broken at entry #7 \(deleted\): entry #7 is missing/);
  });

  it("detects a deletion hidden by renumbering the rest", async () => {
    const file = tampered("deleted-renumbered", (db) => {
      db.prepare("DELETE FROM audit WHERE seq = 7").run();
      shift(db, 8, -1);
    });
    const r = await twinbench("audit", "verify", "--db", file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /chain broken at entry #7 \(deleted\)/);
  });

  it("detects entries cut off the end", async () => {
    const file = tampered("truncated", (db) => db.prepare("DELETE FROM audit WHERE seq > ?").run(entries - 2));
    const r = await twinbench("audit", "verify", "--db", file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`chain broken at entry #${entries - 1} \\(truncated\\)`));
  });

  it("detects an inserted entry, even one with a correctly computed hash, and names it", async () => {
    const file = tampered("inserted", (db) => {
      const prev = toAuditRow(row(db, 14));
      shift(db, 15, 1);
      const fake = { ...prev, seq: 15, actor: "mallory", action: "proposal.approved", reason: "looks legitimate", prevHash: prev.hash };
      const full = { ...fake, hash: hashAuditRow(fake) };
      db.prepare("INSERT INTO audit (seq, time, actor, action, target, before, after, reason, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
        full.seq, full.time, full.actor, full.action, full.target, full.before, full.after, full.reason, full.details, full.prevHash, full.hash,
      );
    });
    const r = await twinbench("audit", "verify", "--db", file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /chain broken at entry #15 \(inserted\): entry #15 was inserted/);
  });

  it("detects two entries swapped and names the first", async () => {
    const file = tampered("reordered", (db) => {
      db.prepare("UPDATE audit SET seq = -1 WHERE seq = 20").run();
      db.prepare("UPDATE audit SET seq = 20 WHERE seq = 21").run();
      db.prepare("UPDATE audit SET seq = 21 WHERE seq = -1").run();
    });
    const r = await twinbench("audit", "verify", "--db", file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /chain broken at entry #20 \(reordered\): entry #20 holds the entry written as #21/);
  });

  it("a head hash recorded earlier (an anchor) catches a chain rewritten from scratch", async () => {
    const intact = await twinbench("audit", "verify", "--db", original);
    const head = /head hash ([0-9a-f]{64})/.exec(intact.stdout)![1]!;
    const file = tampered("rewritten", (db) => {
      // Rewrite every hash after editing entry #5: internally consistent again.
      let prev = toAuditRow(row(db, 4)).hash;
      for (let seq = 5; seq <= entries; seq++) {
        const r = { ...toAuditRow(row(db, seq)), prevHash: prev, ...(seq === 5 ? { reason: "rewritten" } : {}) };
        const hash = hashAuditRow(r);
        db.prepare("UPDATE audit SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?").run(r.reason, r.prevHash, hash, seq);
        prev = hash;
      }
    });
    assert.equal((await twinbench("audit", "verify", "--db", file)).code, 0, "without an anchor a full rewrite is consistent");
    const r = await twinbench("audit", "verify", "--db", file, "--anchor", `${entries}:${head}`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`chain broken at entry #${entries} \\(anchor\\)`));
  });

  it("exports CSV and JSON; the JSON export verifies again", async () => {
    const csv = join(temp.path, "audit.csv");
    const json = join(temp.path, "audit.json");
    assert.equal((await twinbench("audit", "export", "--db", original, "--format", "csv", "--out", csv)).code, 0);
    const c = await twinbench("audit", "export", "--db", original, "--format", "json", "--out", json);
    assert.equal(c.code, 0);
    assert.match(c.stdout, new RegExp(`exported ${entries} audit entries`));
    assert.equal(readFileSync(csv, "utf8").trimEnd().split("\r\n").length, entries + 1);
    assert.equal(verifyAuditExport(readFileSync(json, "utf8")).ok, true);
    const bad = await twinbench("audit", "export", "--db", original, "--format", "xml", "--out", json);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Allowed choices are csv, json/);
  });

  it("a missing file is exit 2", async () => {
    const r = await twinbench("audit", "verify", "--db", join(temp.path, "nope.db"));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such file/);
  });
});
