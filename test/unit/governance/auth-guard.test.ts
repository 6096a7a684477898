// The role check in front of the API: fails closed, needs a live session, compares roles, passes the user to
// the handler, and reports refusals by rule.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../../src-main/common/api/contract";
import type { AuthContext } from "../../../src-main/governance/auth";
import { guardHandlers, type SessionResolver } from "../../../src-main/governance/auth-guard";
import type { Role } from "../../../src-main/common/api/governance";
import { METHOD_ACCESS } from "../../../src-main/governance/method-roles";
import { GOVERNANCE_METHODS } from "../../../src-main/common/api/governance";
import { Refusal } from "../../../src-main/governance/refusal";

function ctx(role: Role, token: string): AuthContext {
  return {
    token,
    session: { id: token, userId: 1, createdAt: 0, lastSeenAt: 0 },
    user: { id: 1, username: `${role}1`, displayName: role, role, disabled: false, createdAt: 0, createdBy: "x", lastLoginAt: null },
  };
}

/** Sessions by token, recording whether each resolve counted as activity. */
function sessions(): SessionResolver & { touches: boolean[] } {
  const byToken: Record<string, AuthContext> = { v: ctx("viewer", "v"), e: ctx("engineer", "e") };
  const touches: boolean[] = [];
  return {
    touches,
    resolve(token, touch) {
      touches.push(touch);
      return token ? (byToken[token] ?? null) : null;
    },
  };
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail("expected an ApiError");
}

describe("guardHandlers", () => {
  const handlers = {
    "app.info": () => "info",
    "audit.list": (_p: { limit: number }, auth: AuthContext | null) => `list for ${auth?.user.username}`,
    "proposals.approve": () => {
      throw Refusal.of("twoPerson", "bufferTank.temperatureSetpoint: twoPerson rule: engineer1 has already approved");
    },
    "tags.snapshot": () => [],
  };
  const required = { "app.info": "public", "audit.list": "engineer", "proposals.approve": "operator", "tags.snapshot": "viewer" } as const;

  it("refuses to build when a method has no declared role (fails closed)", () => {
    assert.throws(() => guardHandlers({ ...handlers, "plant.write": () => 1 }, required as never, sessions()), /no required role declared for "plant.write"/);
  });

  it("public methods need no session; others need one, and a high enough role", async () => {
    const api = guardHandlers(handlers, required, sessions());
    assert.equal(await api["app.info"]({} as never), "info");
    const none = await apiError(api["audit.list"]({ limit: 1 }));
    assert.equal(none.code, "unauthorised");
    assert.deepEqual(none.issues?.[0]?.path, "session");
    assert.match(none.message, /audit\.list needs a login/);
    const low = await apiError(api["audit.list"]({ limit: 1 }, { session: "v" }));
    assert.equal(low.issues?.[0]?.path, "role");
    assert.equal(low.message, "audit.list needs role engineer or above; viewer1 is viewer");
    assert.equal(await api["audit.list"]({ limit: 1 }, { session: "e" }), "list for engineer1");
    assert.equal((await apiError(api["tags.snapshot"]({} as never, { session: "forged" }))).code, "unauthorised");
  });

  it("reports a governance refusal with its rule", async () => {
    const api = guardHandlers(handlers, required, sessions());
    const err = await apiError(api["proposals.approve"]({} as never, { session: "e" }));
    assert.equal(err.code, "refused");
    assert.match(err.message, /^proposals\.approve refused: bufferTank\.temperatureSetpoint: twoPerson rule/);
    assert.deepEqual(err.issues, [{ path: "twoPerson", message: "bufferTank.temperatureSetpoint: twoPerson rule: engineer1 has already approved" }]);
  });

  it("passive methods do not count as activity", async () => {
    const s = sessions();
    const api = guardHandlers(handlers, required, s, { passive: new Set(["tags.snapshot"]) });
    await api["tags.snapshot"]({} as never, { session: "v" });
    await api["audit.list"]({ limit: 1 }, { session: "e" });
    assert.deepEqual(s.touches, [false, true]);
  });

  it("an anonymous role can be granted (a desktop without login), but never by default", async () => {
    const api = guardHandlers(handlers, required, sessions(), { anonymousRole: "viewer" });
    assert.deepEqual(await api["tags.snapshot"]({} as never), []);
    assert.equal((await apiError(api["audit.list"]({ limit: 1 }))).code, "unauthorised");
  });

  it("every governance method has a declared role", () => {
    for (const m of GOVERNANCE_METHODS) assert.ok(METHOD_ACCESS[m], m);
  });
});
