// "Nothing reaches the PLC without an approved proposal": every public method of the governance module (the
// assembled object, its services and its API handlers) is called with arguments drawn from every role and
// every proposal state, against a recording PlcWriter. At the moment of each write the writer reads the
// database on its own connection and checks that exactly that proposal is being applied, with approvals
// that satisfy the tag's policy and an approval entry in the audit trail.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import fc from "fast-check";
import type { AuthContext } from "../../../src-main/governance/auth";
import { Proposal } from "../../../src-main/common/api/governance";
import { guardHandlers } from "../../../src-main/governance/auth-guard";
import { METHOD_ACCESS } from "../../../src-main/governance/method-roles";
import { PolicyBook } from "../../../src-main/governance/policy-book";
import { demoScene, openTestGovernance, PASSWORD, ROLE_LIST, type TestGovernance, type WriteCall } from "./support/fixtures";

const FLOW = "heatExchanger.coolantFlowSetpoint";
const TEMP = "bufferTank.temperatureSetpoint";
const LEVEL = "bufferTank.levelSetpoint";
const RANK = { viewer: 0, operator: 1, engineer: 2, admin: 3 };

describe("one write path", () => {
  let t: TestGovernance;
  let reader: Database.Database;
  const violations: string[] = [];
  const policies = PolicyBook.fromScene(demoScene());

  /** The invariant, checked from outside at the moment of the write. */
  function checkWrite(call: WriteCall): void {
    const rows = reader.prepare("SELECT body FROM proposals WHERE tag_id = ? AND state = 'applying'").all(call.tagId) as { body: string }[];
    if (rows.length !== 1) return void violations.push(`${call.tagId}: ${rows.length} proposals applying at a write`);
    const p = Proposal.parse(JSON.parse(rows[0]!.body));
    const tag = policies.get(p.tagId)!;
    if (p.value !== call.value || p.nodeId !== call.nodeId) violations.push(`${p.id}: wrote ${String(call.value)} to ${call.nodeId}, approved ${String(p.value)} at ${p.nodeId}`);
    const approvedEntry = reader
      .prepare("SELECT count(*) AS n FROM audit WHERE target = ? AND action IN ('proposal.approved', 'proposal.modified-and-approved')")
      .get(`proposal:${p.id}`) as { n: number };
    if (approvedEntry.n !== 1) violations.push(`${p.id}: no approval in the audit trail before the write`);
    if (p.decision?.by === "system:auto-approve") {
      const band = tag.policy.autoApproveBand;
      if (band === undefined || tag.policy.twoPerson || p.from === null || Math.abs(Number(p.value) - Number(p.from)) > band + 1e-9) violations.push(`${p.id}: auto-approved outside a band`);
      return;
    }
    const valid = new Set(p.approvals.filter((a) => RANK[a.role] >= RANK[tag.policy.approveRole] && a.value === p.value && !(tag.policy.twoPerson && a.userId === p.proposerUserId)).map((a) => a.userId));
    if (valid.size < (tag.policy.twoPerson ? 2 : 1)) violations.push(`${p.id}: written with ${valid.size} valid approvals`);
  }

  before(async () => {
    // The fake clock runs far ahead during the test: sessions must not lapse meanwhile.
    t = await openTestGovernance({ sessions: { idleTimeoutMs: 1e12, maxLifetimeMs: 1e12 } });
    reader = new Database(t.gov.dbFile, { readonly: true });
    t.writer.onWrite = checkWrite;
  });
  after(() => {
    reader.close();
    t.close();
  });

  const user = (a: AuthContext) => ({ kind: "user" as const, userId: a.user.id, username: a.user.username, role: a.user.role });

  /** A fresh proposal on `tagId` in `state`, made the way a user would get there. */
  async function proposalIn(state: string, tagId: string): Promise<string> {
    const g = t.gov;
    const by = user(t.as.engineer);
    t.clock.advance(60_000);
    const value = tagId === TEMP ? 57 : 7;
    switch (state) {
      case "rejected":
        return (await g.proposals.propose(by, { tagId, value: 99, reason: "r" })).id;
      case "superseded": {
        const first = await g.proposals.propose(by, { tagId, value, reason: "r" });
        await g.proposals.propose(by, { tagId, value, reason: "newer" });
        return first.id;
      }
      case "expired": {
        const p = await g.proposals.propose(by, { tagId, value, reason: "r" });
        t.clock.advance(16 * 60_000);
        g.proposals.sweep();
        return p.id;
      }
      case "applied":
      case "failed": {
        const p = await g.proposals.propose(by, { tagId, value: tagId === TEMP ? 57 : 6.5 + Math.random(), reason: "r" });
        if (state === "failed") t.writer.answer = async (c) => ({ written: c.value, readBack: 0, confirmed: true, statusName: "Good" });
        try {
          const approvers = tagId === TEMP ? [t.as.second.engineer, t.as.admin] : [t.as.second.engineer];
          for (const a of approvers) await g.proposals.approve(a, p.id, { password: PASSWORD });
        } finally {
          t.writer.answer = async (c) => ({ written: c.value, readBack: c.value, confirmed: true, statusName: "Good" });
        }
        return p.id;
      }
      default:
        return (await g.proposals.propose(by, { tagId, value, reason: "r" })).id;
    }
  }

  it("every role × every proposal state × every proposal method, through the guarded API: writes only on a complete approval", async () => {
    const api = guardHandlers(t.gov.handlers, METHOD_ACCESS, { resolve: (token, touch) => t.gov.resolve(token, touch) });
    const methods = ["proposals.get", "proposals.create", "proposals.approve", "proposals.modifyAndApprove", "proposals.reject", "proposals.rollback", "proposals.list", "alarms.acknowledge"] as const;
    const states = ["pending", "rejected", "superseded", "expired", "applied", "failed"];
    const callers = [null, ...ROLE_LIST.map((r) => t.as.second[r])];
    let combinations = 0;
    for (const state of states) {
      for (const caller of callers) {
        for (const method of methods) {
          const id = await proposalIn(state, FLOW);
          t.plant.values.set(FLOW, t.gov.proposals.get(id).from ?? 6);
          const before = t.writer.calls.length;
          const params = { id, value: 7.2, reason: "because", tagId: FLOW, comment: "c", password: PASSWORD, open: true };
          const strip = (keys: string[]) => Object.fromEntries(Object.entries(params).filter(([k]) => keys.includes(k)));
          const shaped: Record<(typeof methods)[number], unknown> = {
            "proposals.get": strip(["id"]),
            "proposals.create": strip(["tagId", "value", "reason"]),
            "proposals.approve": strip(["id", "comment", "password"]),
            "proposals.modifyAndApprove": strip(["id", "value", "comment", "password"]),
            "proposals.reject": strip(["id", "reason"]),
            "proposals.rollback": strip(["id", "reason"]),
            "proposals.list": { limit: 10 },
            "alarms.acknowledge": { id: 1 },
          };
          const call = api[method] as (p: unknown, c?: { session?: string }) => Promise<unknown>;
          await call(shaped[method], caller ? { session: caller.token } : {}).catch(() => undefined);
          const wrote = t.writer.calls.length - before;
          // On this single-approval engineer tag, a write follows exactly an approval by an engineer or admin of a pending proposal.
          const expected = state === "pending" && (method === "proposals.approve" || method === "proposals.modifyAndApprove") && caller !== null && RANK[caller.user.role] >= RANK.engineer ? 1 : 0;
          assert.equal(wrote, expected, `${caller?.user.role ?? "no session"} ${method} on a ${state} proposal wrote ${wrote}`);
          combinations++;
        }
      }
    }
    assert.equal(combinations, states.length * callers.length * methods.length);
    assert.deepEqual(violations, []);
  });

  it("only approved proposals are ever written, whatever is called by whom (property over all public functions)", async () => {
    const g = t.gov;
    const auths = [...ROLE_LIST.map((r) => t.as[r]), ...ROLE_LIST.map((r) => t.as.second[r])];
    const fixed: unknown[] = [
      ...auths,
      ...auths.map(user),
      { kind: "system", name: "optimiser" },
      null,
      undefined,
      "no-such-proposal",
      ...[FLOW, TEMP, LEVEL, "cell.startCommand", "bufferTank.level"],
      7, 6.5, 57, 85, 1.22, true, false, -1, Number.NaN, 1, 2,
      PASSWORD, "wrong password", "a reason",
      { comment: "ok", password: PASSWORD },
      ...[FLOW, TEMP, LEVEL].map((tagId) => ({ tagId, value: tagId === LEVEL ? 1.22 : tagId === TEMP ? 57 : 7, reason: "r" })),
    ];
    // Arguments by position, so that calls are often well-formed: (who, which proposal or input, decision, anything).
    // The newest proposals, whatever their state, join the pool each time.
    const subjects = [...auths, ...auths.map(user), { kind: "system", name: "optimiser" }];
    const decisions = [{ comment: "ok", password: PASSWORD }, { password: PASSWORD }, "a reason", 7.2, 1.25];
    const pools = () => {
      const ids = (reader.prepare("SELECT id FROM proposals ORDER BY rowid DESC LIMIT 6").all() as { id: string }[]).map((r) => r.id);
      const inputs = fixed.slice(-3);
      const objects = [...ids, ...ids.map((id) => ({ id, comment: "c", password: PASSWORD, value: 7, reason: "because" })), ...inputs, ...inputs, ...inputs];
      return [subjects, objects, decisions, [...fixed, ...ids]];
    };
    // Every function reachable from the assembled object: its own, its services' methods, and the API handlers.
    const targets: [string, (...args: unknown[]) => unknown][] = [];
    for (const [name, value] of Object.entries(g)) {
      if (typeof value === "function" && name !== "close") targets.push([name, value.bind(g) as (...a: unknown[]) => unknown]);
      if (value && typeof value === "object") {
        const proto = Object.getPrototypeOf(value) as object;
        const names = proto === Object.prototype ? Object.keys(value) : Object.getOwnPropertyNames(proto).filter((n) => n !== "constructor");
        for (const n of names) {
          const f = (value as Record<string, unknown>)[n];
          if (typeof f === "function") targets.push([`${name}.${n}`, f.bind(value) as (...a: unknown[]) => unknown]);
        }
      }
    }
    assert.ok(targets.length >= 40, `found ${targets.length} public functions`);
    const called = new Set<string>();
    const writesBefore = t.writer.calls.length;
    // Every function once with well-formed arguments, then at random.
    for (const [name, f] of targets) {
      called.add(name);
      const [subjects0, objects0, decisions0] = pools();
      await Promise.resolve()
        .then(() => f(subjects0![6], objects0![0], decisions0![0]))
        .catch(() => undefined);
    }
    const proposalTargets = targets.filter(([name]) => name.includes("proposals"));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ arbitrary: fc.constantFrom(...proposalTargets), weight: 4 }, { arbitrary: fc.constantFrom(...targets), weight: 1 }),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(0, 1, 2, 2, 3, 3, 4),
        fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        async ([name, f], picks, arity, shuffled) => {
          called.add(name);
          const p = pools();
          // Mostly by position; sometimes anything anywhere.
          const args = picks.slice(0, arity).map((i, at) => {
            const from = shuffled ? p[3]! : p[at]!;
            return from[i % from.length];
          });
          try {
            await f(...args);
          } catch {
            // Refusals and type errors are expected; the invariant is what the writer saw.
          }
          t.clock.advance(30_000);
          assert.deepEqual(violations, []);
        },
      ),
      { numRuns: 2_000 },
    );
    assert.equal(called.size, targets.length, "every public function was called");
    assert.deepEqual(violations, []);
    // The random calls included legitimate writes (auto-approve band, approvals), so the invariant was exercised.
    assert.ok(t.writer.calls.length > writesBefore, "no write happened during the random calls");
  });

  it("the PlcWriter is not reachable as a property of anything public", () => {
    const seen = new Set<unknown>();
    const walk = (v: unknown, depth: number): void => {
      if (!v || typeof v !== "object" || seen.has(v) || depth > 4) return;
      seen.add(v);
      assert.notEqual(v, t.writer, "the writer is reachable");
      for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key], depth + 1);
    };
    walk(t.gov, 0);
  });
});
