// The role matrix in process: every caller (no session, viewer, operator, engineer, admin) against every API
// method, through the guarded handlers, on a real governance.db. Params are parsed by the contract's schemas
// first, as the dispatcher does.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError, requests, type Method } from "../../../src-main/common/api/contract";
import { guardHandlers } from "../../../src-main/governance/auth-guard";
import { type GovernanceMethod } from "../../../src-main/common/api/governance";
import { METHOD_ACCESS, PASSIVE_METHODS } from "../../../src-main/governance/method-roles";
import { openTestGovernance, PASSWORD, type TestGovernance } from "../../unit/governance/support/fixtures";
import { CALLERS, expectedAllowed, ROLE_MATRIX, type MatrixFixture } from "./support/role-matrix";

describe("role matrix (in process)", () => {
  let t: TestGovernance;
  let fixture: MatrixFixture;
  before(async () => {
    t = await openTestGovernance();
    const eng = { kind: "user" as const, userId: t.as.engineer.user.id, username: "engineer1", role: "engineer" as const };
    const applied = await t.gov.proposals.propose(eng, { tagId: "fillingStation.fillVolumeSetpoint", value: 1.2, reason: "matrix" });
    await t.gov.proposals.approve(t.as.second.engineer, applied.id);
    t.writer.answer = async (c) => ({ written: c.value, readBack: 0.5, confirmed: true, statusName: "Good" });
    const failed = await t.gov.proposals.propose(eng, { tagId: "bufferTank.levelSetpoint", value: 1.4, reason: "matrix" });
    await t.gov.proposals.approve(t.as.second.engineer, failed.id);
    t.writer.answer = async (c) => ({ written: c.value, readBack: c.value, confirmed: true, statusName: "Good" });
    let n = 0;
    fixture = {
      pendingProposalId: "set per row",
      appliedProposalId: applied.id,
      targetUserId: t.as.second.viewer.user.id,
      alarmId: t.gov.alarms.list(true)[0]!.id,
      uniqueName: () => `matrix${++n}`,
      password: PASSWORD,
    };
  });
  after(() => t.close());

  it("covers every method of the contract and of governance", () => {
    assert.deepEqual(ROLE_MATRIX.map((r) => r.method).sort(), Object.keys(requests).sort());
    assert.deepEqual(Object.keys(METHOD_ACCESS).sort(), ROLE_MATRIX.map((r) => r.method).sort());
  });

  it("each caller reaches exactly the methods its role allows", async () => {
    // The runtime's methods are stubs here: the role check is what is under test. The type makes the
    // compiler list every non-governance method of the contract, so a new one cannot be left out.
    const runtime = {
      "app.info": () => ({}),
      "scene.get": () => ({}),
      "tags.list": () => [],
      "tags.snapshot": () => [],
      "plant.status": () => ({}),
      "trend.history": () => [],
      "estimation.info": () => ({}),
      "estimation.latest": () => null,
      "estimation.history": () => [],
      "estimation.predict": () => ({}),
      "history.query": () => ({ from: 0, to: 1, series: [] }),
      "history.validation": () => [],
      "history.export": () => ({ format: "long", samples: 0, lines: 1, fileName: "x.csv", content: "" }),
      "history.import": () => ({ format: "long", lines: 0, samples: 0, skippedLines: 0, errorCount: 0, errors: [] }),
      "connections.list": () => [],
      "connections.retry": () => ({}),
      "endpoints.discover": () => [],
      "certificates.pending": () => [],
      "certificates.trust": () => ({}),
      "certificates.reject": () => ({}),
      "browse.children": () => ({ nodeId: "ns=0;i=85", children: [] }),
      "browse.search": () => ({ hits: [], truncated: false }),
      "node.read": () => ({}),
      "scene.bindTag": () => ({}),
      "whatif.info": () => ({}),
      "whatif.scenarios.list": () => ({ scenarios: [], problems: [] }),
      "whatif.scenarios.get": () => ({}),
      "whatif.scenarios.save": () => ({}),
      "whatif.scenarios.delete": () => ({ deleted: false }),
      "whatif.study.start": () => ({}),
      "whatif.recommend": () => ({}),
      "whatif.jobs.list": () => [],
      "whatif.jobs.status": () => ({}),
      "whatif.jobs.result": () => ({}),
      "whatif.jobs.cancel": () => ({}),
      "whatif.propose": () => ({ proposals: [], refusals: [] }),
      "whatif.recommender.get": () => ({}),
      "whatif.recommender.set": () => ({}),
      "commissioning.status": () => ({}),
      "commissioning.io": () => ({ plantTimeS: null, rows: [] }),
      "commissioning.force": () => ({ forces: [] }),
      "commissioning.unforce": () => ({ released: [] }),
      "commissioning.faults": () => ({ faults: [] }),
      "commissioning.injectFault": () => ({ faults: [] }),
      "commissioning.clearFaults": () => ({ cleared: [] }),
      "commissioning.dropConnection": () => ({}),
      "commissioning.suites": () => ({ suites: [] }),
      "commissioning.run": () => ({}),
      "commissioning.cancel": () => ({ cancelled: false }),
      "commissioning.result": () => null,
      "commissioning.runs": () => ({ runs: [] }),
      "commissioning.report": () => ({ fileName: "x.xml", mimeType: "application/xml", content: "" }),
    } satisfies Record<Exclude<Method, GovernanceMethod>, () => unknown>;
    const api = guardHandlers({ ...runtime, ...t.gov.handlers }, METHOD_ACCESS, { resolve: (token, touch) => t.gov.resolve(token, touch) }, {
      passive: PASSIVE_METHODS,
      onRefused: (method, auth, required) => t.gov.auditRefused(method, auth, required),
    });
    const refusedBefore = t.gov.audit.list({ action: "api.refused", limit: 5_000 }).length;
    const schemas = requests as Record<string, { params: { parse(v: unknown): unknown } }>;
    const outcomes: string[] = [];
    const unexpected: string[] = [];
    for (const row of ROLE_MATRIX) {
      for (const caller of CALLERS) {
        // Fresh state per cell: a pending proposal, and a live session (auth.logout ends the caller's own).
        const eng = { kind: "user" as const, userId: t.as.engineer.user.id, username: "engineer1", role: "engineer" as const };
        t.plant.values.set("heatExchanger.coolantFlowSetpoint", 6);
        t.clock.advance(60_000);
        fixture.pendingProposalId = (await t.gov.proposals.propose(eng, { tagId: "heatExchanger.coolantFlowSetpoint", value: 6.5, reason: "matrix" })).id;
        const username = caller === "none" ? null : caller === "admin" ? "admin" : `${caller}1`;
        const session = username ? (await t.gov.auth.login(username, PASSWORD)).token : undefined;
        const params = schemas[row.method]!.params.parse(row.params(fixture));
        const handler = (api as unknown as Record<string, (p: unknown, c: { session?: string }) => Promise<unknown>>)[row.method]!;
        const refusedByRole = await handler(params, session ? { session } : {}).then(
          () => false,
          (err: unknown) => err instanceof ApiError && err.code === "unauthorised",
        );
        const allowed = !refusedByRole;
        outcomes.push(`${row.method} ${caller}: ${allowed ? "allowed" : "refused"}`);
        if (allowed !== expectedAllowed(row.access, caller)) unexpected.push(`${row.method} by ${caller}: ${allowed ? "allowed" : "refused"}, access ${row.access}`);
      }
    }
    assert.deepEqual(unexpected, []);
    assert.equal(outcomes.length, ROLE_MATRIX.length * CALLERS.length);
    const refusedCells = outcomes.filter((o) => o.endsWith("refused")).length;
    assert.equal(t.gov.audit.list({ action: "api.refused", limit: 5_000 }).length - refusedBefore, refusedCells, "every refused call is in the audit trail");
    // Spot checks of the table itself, as a reader would state them.
    assert.ok(outcomes.includes("proposals.approve operator: allowed"));
    assert.ok(outcomes.includes("proposals.approve viewer: refused"));
    assert.ok(outcomes.includes("users.create engineer: refused"));
    assert.ok(outcomes.includes("audit.list operator: refused"));
    assert.ok(outcomes.includes("auth.login none: allowed"));
    assert.ok(outcomes.includes("tags.snapshot none: refused"));
  });

  it("refused calls change nothing: a viewer's approve leaves the proposal pending and nothing written", async () => {
    const api = guardHandlers(t.gov.handlers, METHOD_ACCESS, { resolve: (token, touch) => t.gov.resolve(token, touch) });
    const eng = { kind: "user" as const, userId: t.as.engineer.user.id, username: "engineer1", role: "engineer" as const };
    t.clock.advance(60_000);
    const p = await t.gov.proposals.propose(eng, { tagId: "heatExchanger.coolantFlowSetpoint", value: 6.5, reason: "matrix" });
    const writes = t.writer.calls.length;
    const { token } = await t.gov.auth.login("viewer1", PASSWORD);
    await assert.rejects(api["proposals.approve"]({ id: p.id }, { session: token }), (e: unknown) => e instanceof ApiError && e.code === "unauthorised");
    assert.equal(t.gov.proposals.get(p.id).state, "pending");
    assert.equal(t.writer.calls.length, writes);
  });
});
