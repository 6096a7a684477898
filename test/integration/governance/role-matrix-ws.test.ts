// The role matrix over the WebSocket API of the real headless host: the same table as the in-process test,
// each caller (no session, viewer, operator, engineer, admin) against every method of the contract, through
// the real runtime (no stubs) with the simulated PLC behind it. Only the role check is judged: an allowed call
// may still fail for its own reasons (a proposal already decided, a wrong password).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError, requests, type Method } from "../../../src-main/common/api/contract";
import { startDemoStack, type DemoStack } from "../../support/demo-stack";
import { TEST_PASSWORD, userSession } from "../../support/sessions";
import { connectWsApi, type WsApi } from "../../support/ws-client";
import { CALLERS, expectedAllowed, ROLE_MATRIX, type Caller, type MatrixFixture } from "./support/role-matrix";

describe("role matrix (over the WebSocket API of the headless host)", () => {
  let stack: DemoStack;
  let api: WsApi;
  const tokens = new Map<Caller, string>();
  before(async () => {
    stack = await startDemoStack();
    api = await connectWsApi(stack.host.port, stack.host.token);
    for (const role of ["viewer", "operator", "engineer"] as const) {
      tokens.set(role, await userSession(stack.runtime, stack.adminToken, `${role}1`, role));
    }
    tokens.set("admin", stack.adminToken);
    await userSession(stack.runtime, stack.adminToken, "target1", "viewer");
  });
  after(async () => {
    await api?.close();
    await stack?.close();
  });

  async function callAs(caller: Caller, method: Method, params: unknown): Promise<"allowed" | "refused"> {
    api.client.setSession(caller === "none" ? undefined : tokens.get(caller));
    try {
      await api.client.request(method, params as never, 60_000);
      return "allowed";
    } catch (err) {
      if (err instanceof ApiError && err.code === "unauthorised") return "refused";
      // The dispatcher's schema check (not a handler's own refusal of, say, an unknown thumbprint).
      if (err instanceof ApiError && err.code === "invalid_params" && err.message === `${method}: invalid params`) throw new Error(`${method}: the matrix's params are invalid: ${err.message} ${JSON.stringify(err.issues)}`);
      return "allowed";
    }
  }

  it("each caller reaches exactly the methods its role allows", { timeout: 600_000 }, async () => {
    assert.deepEqual(ROLE_MATRIX.map((r) => r.method).sort(), Object.keys(requests).sort(), "the table covers the whole contract");
    const users = await (async () => {
      api.client.setSession(stack.adminToken);
      return api.client.request("users.list", {});
    })();
    let n = 0;
    const fixture: MatrixFixture = {
      pendingProposalId: "set per cell",
      appliedProposalId: "none",
      targetUserId: users.find((u) => u.username === "target1")!.id,
      alarmId: 1,
      uniqueName: () => `wsmatrix${++n}`,
      password: TEST_PASSWORD,
    };
    const unexpected: string[] = [];
    const outcomes: string[] = [];
    for (const row of ROLE_MATRIX) {
      for (const caller of CALLERS) {
        // A fresh pending proposal per cell, proposed by the operator (a refused approve must leave it so).
        api.client.setSession(tokens.get("operator"));
        // (An interlock may refuse it on a busy machine; the role check of the cell is judged all the same.)
        const created = await api.client
          .request("proposals.create", { tagId: "heatExchanger.coolantFlowSetpoint", value: 6.5, reason: "role matrix over WebSocket" })
          .catch(() => null);
        if (created) fixture.pendingProposalId = created.id;
        // auth.logout ends the caller's session: log in again afterwards.
        const outcome = await callAs(caller, row.method as Method, row.params(fixture));
        if (row.method === "auth.logout" && caller !== "none" && outcome === "allowed") {
          api.client.setSession(undefined);
          const username = caller === "admin" ? "admin" : `${caller}1`;
          tokens.set(caller, (await api.client.request("auth.login", { username, password: TEST_PASSWORD })).token);
        }
        if (row.method === "users.disable" && outcome === "allowed") {
          api.client.setSession(tokens.get("admin"));
          await api.client.request("users.enable", { userId: fixture.targetUserId });
        }
        outcomes.push(`${row.method} ${caller}: ${outcome}`);
        if ((outcome === "allowed") !== expectedAllowed(row.access, caller)) unexpected.push(`${row.method} by ${caller}: ${outcome}, access ${row.access}`);
      }
    }
    assert.deepEqual(unexpected, []);
    assert.equal(outcomes.length, ROLE_MATRIX.length * CALLERS.length);
    assert.ok(outcomes.includes("tags.snapshot none: refused"));
    assert.ok(outcomes.includes("proposals.approve viewer: refused"));
    assert.ok(outcomes.includes("users.create engineer: refused"));
    assert.ok(outcomes.includes("audit.verify engineer: allowed"));
  });
});
