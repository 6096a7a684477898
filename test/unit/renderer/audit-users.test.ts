// The audit viewer's filter form and paging, and the user-management forms: pure functions, checked against
// the contract's own schemas (a filter the form builds must be one the host accepts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { AuditFilter, governanceRequests, type AuditEntry, type User } from "../../../src-main/common/api/governance";
import {
  compact,
  currentStart,
  EMPTY_FORM,
  exportFileName,
  FIRST_PAGE,
  formatAuditTime,
  isFiltered,
  newestPage,
  nextPage,
  parseLocalTime,
  previousPage,
  toAuditFilter,
  toLocalInput,
} from "../../../src-renderer/panels/Audit/filters";
import { checkNewUser, checkPasswordPair, EMPTY_NEW_USER, sortUsers } from "../../../src-renderer/panels/Users/forms";

const entry = (seq: number): AuditEntry => ({ seq, time: seq * 1000, actor: "a", action: "x", target: "t", before: null, after: null, reason: null, details: null, prevHash: "", hash: "" });

describe("audit viewer: filters", () => {
  it("turns the form into a filter the contract accepts, leaving out what is empty", () => {
    const r = toAuditFilter({ actor: " erik ", action: "proposal.", target: "proposal:abc", since: "2025-03-04T13:05", until: "2025-03-04T14:00" });
    assert.ok("filter" in r);
    assert.equal(r.filter.actor, "erik");
    assert.equal(r.filter.action, "proposal.");
    assert.equal(r.filter.since, new Date(2025, 2, 4, 13, 5).getTime());
    // "to 14:00" includes the whole minute.
    assert.equal(r.filter.until, new Date(2025, 2, 4, 14, 0, 59, 999).getTime());
    assert.ok(AuditFilter.safeParse({ ...r.filter, afterSeq: 0 }).success);
    assert.ok(governanceRequests["audit.export"].params.safeParse({ ...r.filter, format: "csv" }).success);
    const empty = toAuditFilter(EMPTY_FORM);
    assert.deepEqual(empty, { filter: {} });
    assert.equal(isFiltered({}), false);
    assert.equal(isFiltered({ actor: "x" }), true);
  });

  it("refuses unreadable times, impossible dates and a range that ends before it starts", () => {
    assert.match((toAuditFilter({ ...EMPTY_FORM, since: "yesterday" }) as { error: string }).error, /from: "yesterday" is not a date/);
    assert.ok(Number.isNaN(parseLocalTime("2025-02-31T10:00")));
    assert.match((toAuditFilter({ ...EMPTY_FORM, since: "2025-03-04T14:00", until: "2025-03-04T13:00" }) as { error: string }).error, /ends before it starts/);
    assert.equal(parseLocalTime(""), null);
  });

  it("reads back what toLocalInput wrote, to the minute (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (t) => {
        const text = toLocalInput(t);
        const back = parseLocalTime(text);
        assert.ok(back !== null && !Number.isNaN(back), text);
        // Compared as text: in a daylight-saving overlap one local minute names two instants.
        assert.equal(toLocalInput(back), text);
        assert.ok(Math.abs(back - t) < 60_000 + 3_600_000);
      }),
    );
  });

  it("pages forward by sequence number and back through the pages seen", () => {
    const page1 = [1, 2, 3].map(entry);
    const p2 = nextPage(FIRST_PAGE, page1, 3);
    assert.ok(p2);
    assert.equal(currentStart(p2), 3);
    const p3 = nextPage(p2, [4, 5, 6].map(entry), 3)!;
    assert.equal(currentStart(p3), 6);
    // A short page is the last one.
    assert.equal(nextPage(p3, [7].map(entry), 3), null);
    assert.equal(currentStart(previousPage(p3)!), 3);
    assert.equal(previousPage(FIRST_PAGE), null);
    assert.equal(currentStart(newestPage(250, 100)), 150);
    assert.equal(newestPage(80, 100), FIRST_PAGE);
  });

  it("names exports by date and cuts long values", () => {
    assert.equal(exportFileName("csv", new Date(2025, 2, 4, 13, 5).getTime()), "twinbench-audit-20250304-1305.csv");
    assert.equal(compact({ value: 45 }), '{"value":45}');
    assert.equal(compact(null), "");
    const long = compact({ text: "x".repeat(500) }, 40);
    assert.equal(long.length, 40);
    assert.ok(long.endsWith("…"));
  });
});

describe("users: forms", () => {
  const base = { ...EMPTY_NEW_USER, username: "erik", role: "engineer" as const, password: "correct horse battery", confirm: "correct horse battery" };

  it("builds users.create params the contract accepts", () => {
    const r = checkNewUser({ ...base, displayName: "  Erik E. " });
    assert.ok("params" in r);
    assert.deepEqual(r.params, { username: "erik", password: "correct horse battery", role: "engineer", displayName: "Erik E." });
    assert.ok(governanceRequests["users.create"].params.safeParse(r.params).success);
    const noName = checkNewUser(base);
    assert.ok("params" in noName && !("displayName" in noName.params));
  });

  it("refuses a username the contract refuses, with its rule, and passwords that differ", () => {
    const bad = checkNewUser({ ...base, username: "Erik Smith" });
    assert.ok("error" in bad);
    assert.match(bad.error, /^username: 2 to 32 characters/);
    assert.match((checkNewUser({ ...base, confirm: "other" }) as { error: string }).error, /differ/);
    assert.equal(checkPasswordPair("a", "a"), null);
    assert.match(checkPasswordPair("", "") ?? "", /enter/);
  });

  it("lists admins first, disabled accounts last", () => {
    const u = (id: number, username: string, role: User["role"], disabled = false): User => ({ id, username, displayName: username, role, disabled, createdAt: 0, createdBy: "admin", lastLoginAt: null });
    const sorted = sortUsers([u(1, "vera", "viewer"), u(2, "zed", "admin", true), u(3, "anna", "admin"), u(4, "erik", "engineer")]);
    assert.deepEqual(sorted.map((x) => x.username), ["anna", "erik", "vera", "zed"]);
  });
});

describe("audit viewer: times", () => {
  it("shows the time alone for today's entries, the date too for older ones", () => {
    const now = new Date(2025, 2, 4, 18, 0).getTime();
    assert.equal(formatAuditTime(new Date(2025, 2, 4, 13, 5, 9).getTime(), now), "13:05:09");
    assert.equal(formatAuditTime(new Date(2025, 2, 3, 13, 5, 9).getTime(), now), "2025-03-03 13:05:09");
  });
});
