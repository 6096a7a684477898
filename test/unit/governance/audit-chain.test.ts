// The audit chain: canonical serialisation, append-only storage, and verification that names the first bad
// entry for every kind of tampering (property-tested on rows in memory; the SQLite file attacks are in the
// integration tests).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { auditToCsv, auditToJson, verifyAuditExport } from "../../../src-main/governance/audit-export";
import { canonicalJson, GENESIS_HASH, hashAuditRow, type AuditRow } from "../../../src-main/governance/audit-hash";
import { AuditLog } from "../../../src-main/governance/audit-log";
import { verifyAuditRows } from "../../../src-main/governance/audit-verify";
import { openGovernanceDb } from "../../../src-main/governance/db";
import { tempFolder } from "../../support/temp";

/** A valid chain of n rows. */
function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const row = { seq, time: 1_000 * seq, actor: `user${seq % 3}`, action: "proposal.approved", target: `proposal:${seq}`, before: `{"value":${seq}}`, after: `{"value":${seq + 1}}`, reason: seq % 2 ? "ok" : null, details: "null", prevHash: prev };
    const full = { ...row, hash: hashAuditRow(row) };
    rows.push(full);
    prev = full.hash;
  }
  return rows;
}

describe("audit chain", () => {
  const temp = tempFolder("audit");
  after(() => temp.remove());

  it("canonical JSON does not depend on key order, and refuses what JSON would silently change", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        assert.equal(canonicalJson(obj), canonicalJson(reversed));
        assert.deepEqual(JSON.parse(canonicalJson(obj)), JSON.parse(JSON.stringify(obj)));
      }),
    );
    assert.throws(() => canonicalJson({ x: Number.NaN }), /cannot serialise NaN/);
  });

  it("appends linked entries and the database refuses UPDATE and DELETE", () => {
    const db = openGovernanceDb(temp.path);
    const log = new AuditLog(db, () => 42);
    const a = log.append({ actor: "alice", action: "auth.login", target: "user:alice" });
    const b = log.append({ actor: "alice", action: "user.created", target: "user:bob", after: { role: "viewer" } });
    assert.equal(a.seq, 1);
    assert.equal(a.prevHash, GENESIS_HASH);
    assert.equal(b.prevHash, a.hash);
    assert.throws(() => db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 1").run(), /append-only: UPDATE refused/);
    assert.throws(() => db.prepare("DELETE FROM audit WHERE seq = 2").run(), /append-only: DELETE refused/);
    assert.equal(log.list().length, 2);
    db.close();
  });

  it("an intact chain verifies", () => {
    const report = verifyAuditRows(chain(5));
    assert.deepEqual(report, { ok: true, entries: 5, headHash: chain(5)[4]!.hash, warnings: [] });
  });

  it("names the first bad entry for an edit, a deletion, an insertion and a reordering anywhere (property)", () => {
    const attack = fc.oneof(
      fc.record({ kind: fc.constant("edit" as const), field: fc.constantFrom("actor", "action", "target", "before", "after", "reason", "time") }),
      fc.record({ kind: fc.constant("delete" as const) }),
      fc.record({ kind: fc.constant("insert" as const) }),
      fc.record({ kind: fc.constant("swap" as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.nat(), attack, (n, pick, a) => {
        const rows = chain(n);
        const k = (pick % (n - 1)) + 1; // 1 … n-1, so there is always a successor
        let expected: { seq: number; problem: string };
        let tampered: AuditRow[];
        if (a.kind === "edit") {
          tampered = rows.map((r) => (r.seq === k ? { ...r, [a.field]: a.field === "time" ? r.time + 1 : `${String(r[a.field])}x` } : r));
          expected = { seq: k, problem: "edited" };
        } else if (a.kind === "delete") {
          tampered = rows.filter((r) => r.seq !== k);
          expected = { seq: k, problem: "deleted" };
        } else if (a.kind === "insert") {
          const fake = { ...rows[k - 1]!, actor: "mallory", hash: "f".repeat(64) };
          tampered = [...rows.slice(0, k - 1), fake, ...rows.slice(k - 1).map((r) => ({ ...r, seq: r.seq + 1 }))].map((r, i) => ({ ...r, seq: i + 1 }));
          expected = { seq: k, problem: "inserted" };
        } else {
          tampered = rows.map((r) => (r.seq === k ? { ...rows[k]!, seq: k } : r.seq === k + 1 ? { ...rows[k - 1]!, seq: k + 1 } : r));
          expected = { seq: k, problem: "reordered" };
        }
        const report = verifyAuditRows(tampered);
        assert.equal(report.ok, false);
        assert.deepEqual({ seq: report.firstBad!.seq, problem: report.firstBad!.problem }, expected, report.firstBad!.message);
        assert.match(report.firstBad!.message, new RegExp(`#${expected.seq}\\b`));
      }),
    );
  });

  it("an edit hidden by re-hashing that entry is still caught at the next link", () => {
    const rows = chain(5);
    const edited = { ...rows[1]!, actor: "mallory" };
    edited.hash = hashAuditRow(edited);
    const report = verifyAuditRows([rows[0]!, edited, ...rows.slice(2)]);
    assert.deepEqual([report.firstBad?.seq, report.firstBad?.problem], [2, "relinked"]);
  });

  it("an insertion with a well-formed hash is caught, named at the inserted position", () => {
    const rows = chain(5);
    const row = { ...rows[2]!, seq: 3, actor: "mallory", prevHash: rows[1]!.hash };
    const fake = { ...row, hash: hashAuditRow(row) };
    const shifted = [rows[0]!, rows[1]!, fake, ...rows.slice(2).map((r) => ({ ...r, seq: r.seq + 1 }))];
    const report = verifyAuditRows(shifted);
    assert.deepEqual([report.firstBad?.seq, report.firstBad?.problem], [3, "inserted"], report.firstBad?.message);
  });

  it("a deletion hidden by renumbering is named at the gap", () => {
    const rows = chain(6);
    const renumbered = [...rows.slice(0, 2), ...rows.slice(3).map((r) => ({ ...r, seq: r.seq - 1 }))];
    const report = verifyAuditRows(renumbered);
    assert.deepEqual([report.firstBad?.seq, report.firstBad?.problem], [3, "deleted"], report.firstBad?.message);
  });

  it("entries cut off the end are caught through the highest sequence number ever written, and anchors catch a rewrite", () => {
    const rows = chain(5);
    const cut = verifyAuditRows(rows.slice(0, 3), { highestSeqWritten: 5 });
    assert.deepEqual([cut.firstBad?.seq, cut.firstBad?.problem], [4, "truncated"]);
    const anchored = verifyAuditRows(chain(3), { anchors: [{ seq: 3, hash: "a".repeat(64) }] });
    assert.deepEqual([anchored.firstBad?.seq, anchored.firstBad?.problem], [3, "anchor"]);
  });

  it("exports CSV for spreadsheets (formulas neutralised) and JSON that verifies again", () => {
    const db = openGovernanceDb(`${temp.path}/export`);
    const log = new AuditLog(db, () => Date.UTC(2026, 0, 1));
    log.append({ actor: "alice", action: "proposal.rejected", target: "proposal:1", reason: '=HYPERLINK("http://x","y")', before: { value: -5 } });
    log.append({ actor: "bob", action: "auth.login", target: "user:bob", reason: "line one\nline, two" });
    const entries = log.all();
    const csv = auditToCsv(entries);
    const lines = csv.split("\r\n");
    assert.equal(lines[0], "seq,time,time_iso,actor,action,target,before,after,reason,details,prev_hash,hash");
    assert.match(lines[1]!, /^1,1767225600000,2026-01-01T00:00:00\.000Z,alice,proposal\.rejected,proposal:1,"\{""value"":-5\}",null,"'=HYPERLINK\(""http:\/\/x"",""y""\)",null,0{64},[0-9a-f]{64}$/);
    assert.ok(csv.includes('"line one\nline, two"'));
    const json = auditToJson(entries, 0, {});
    assert.equal(verifyAuditExport(json).ok, true);
    const edited = json.replace('"actor": "bob"', '"actor": "eve"');
    assert.deepEqual(verifyAuditExport(edited).firstBad?.seq, 2);
    assert.throws(() => verifyAuditExport(auditToJson(entries.slice(1), 0, { actor: "bob" })), /filtered/);
    db.close();
  });
});
