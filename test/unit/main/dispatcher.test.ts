import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createDispatcher, type ApiHandlers } from "../../../src-main/host/dispatcher";

/** The dispatcher only needs the methods a test calls; the others answer as a failing handler would. */
function withRest(partial: Partial<ApiHandlers>): ApiHandlers {
  return new Proxy(partial, { get: (target, key) => (target as Record<PropertyKey, unknown>)[key] ?? (() => Promise.reject(new Error(`no handler for ${String(key)} in this test`))) }) as ApiHandlers;
}

const handlers = {
  "app.info": () => ({ name: "twinbench", version: "0.0.0", host: "headless", sceneFile: "x", startedAt: 1 }),
  "scene.get": () => {
    throw new Error("no scene in this test");
  },
  "tags.list": () => [],
  "tags.snapshot": () => [],
  "plant.status": () => ({ connections: [], updateRateHz: 0, lastValueAt: null, now: 1 }),
  "trend.history": ({ tagIds, maxPoints }) => tagIds.map((tagId) => ({ tagId, t: [maxPoints], v: [null] })),
} satisfies Partial<ApiHandlers>;

const base = createDispatcher(withRest(handlers));
const ctx = { connectionId: "test:1", transport: "in-process" as const };
const dispatcher = { handle: (raw: unknown) => base.handle(raw, ctx) };

describe("API dispatcher", () => {
  it("answers a valid request with the handler's result", async () => {
    const r = await dispatcher.handle(JSON.stringify({ type: "request", id: 3, method: "app.info", params: {} }));
    assert.deepEqual(r, { type: "response", id: 3, ok: true, result: handlers["app.info"]() });
  });

  it("applies schema defaults to params", async () => {
    const r = await dispatcher.handle({ type: "request", id: 4, method: "trend.history", params: { tagIds: ["a"] } });
    assert.ok(r.ok);
    assert.deepEqual((r.result as { t: number[] }[])[0]!.t, [2000]);
  });

  it("names the unknown method", async () => {
    const r = await dispatcher.handle({ type: "request", id: 5, method: "plant.write", params: {} });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, "unknown_method");
    assert.match(!r.ok ? r.error.message : "", /unknown method "plant.write"/);
  });

  it("names the offending field of invalid params", async () => {
    const r = await dispatcher.handle({ type: "request", id: 6, method: "trend.history", params: { tagIds: "level" } });
    assert.ok(!r.ok);
    assert.equal(r.error.code, "invalid_params");
    assert.equal(r.error.issues?.[0]?.path, "tagIds");
  });

  it("turns a failing handler into an error reply", async () => {
    const r = await dispatcher.handle({ type: "request", id: 7, method: "scene.get", params: {} });
    assert.ok(!r.ok);
    assert.equal(r.error.code, "failed");
    assert.match(r.error.message, /no scene in this test/);
  });

  it("rejects non-JSON and non-envelopes with bad_message, keeping the id when it can", async () => {
    const notJson = await dispatcher.handle("{nope");
    assert.ok(!notJson.ok && notJson.error.code === "bad_message" && notJson.id === null);
    const noType = await dispatcher.handle({ id: 9, method: "app.info" });
    assert.ok(!noType.ok && noType.error.code === "bad_message" && noType.id === 9);
  });

  it("never throws, whatever arrives (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.jsonValue(), fc.anything()), async (input) => {
        const r = await dispatcher.handle(input);
        assert.equal(r.type, "response");
      }),
      { numRuns: 300 },
    );
  });
});
