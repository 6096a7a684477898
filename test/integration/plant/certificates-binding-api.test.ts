// Certificate decisions and tag binding through the API of the real runtime, on a scene (a temp copy of the
// demo) that asks the simulated PLC for SignAndEncrypt/Basic256Sha256: the server certificate waits for a
// decision, a rejection blocks (audited), a trust lets the twin connect (audited); then tags are bound from
// the browser into the scene file, which keeps its comments and still parses.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../../src-main/common/api/contract";
import type { ConnectionInfo } from "../../../src-main/common/api/connections";
import { parseScene } from "../../../src-main/common/scene/parse";
import { as, userSession } from "../../support/sessions";
import { eventually, startRuntimeStack, type RuntimeStack } from "./fixtures/runtime-stack";

const SECURE = (text: string) =>
  text.replace(/(\n {4}endpoint: opc\.tcp:\/\/[^\n]+\n)/, "$1    securityMode: SignAndEncrypt\n    securityPolicy: Basic256Sha256\n");

const rejectsWith = (code: string, pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, pattern);
  return true;
};

describe("certificate decisions and tag binding over the API", () => {
  let stack: RuntimeStack;
  let admin: never;
  let engineer: never;
  const awaiting: { thumbprint: string; connections: string[] }[] = [];
  const bound: { tagId: string; by: string }[] = [];

  before(async () => {
    stack = await startRuntimeStack({
      editScene: SECURE,
      beforeStart: (runtime) => {
        runtime.on("certificates.awaitingDecision", (e) => awaiting.push(e));
        runtime.on("scene.tagBound", (e) => bound.push(e));
      },
    });
    admin = as(stack.adminToken);
    engineer = as(await userSession(stack.runtime, stack.adminToken, "engineer1", "engineer"));
  });
  after(() => stack?.close());

  const plc1 = async (): Promise<ConnectionInfo> => (await stack.runtime.handlers["connections.list"]({}, admin))[0]!;
  const audit = (action: string) => stack.runtime.governance.audit.list({ action, limit: 100 });

  it("holds the connection on the untrusted server certificate and shows it", async () => {
    const waiting = await eventually(async () => {
      const c = await plc1();
      return c.state === "certificate-untrusted" ? c : undefined;
    }, "plc1 waiting for a certificate decision");
    assert.equal(waiting.securityMode, "SignAndEncrypt");
    assert.equal(waiting.securityPolicy, "Basic256Sha256");
    assert.equal(waiting.certificate?.trust, "pending");
    assert.match(waiting.message ?? "", /not trusted yet/);
    const [pending, ...more] = await stack.runtime.handlers["certificates.pending"]({}, admin);
    assert.deepEqual(more, []);
    assert.equal(pending!.blockedBecause, "untrusted");
    assert.equal(pending!.certificate.thumbprint, waiting.certificate!.thumbprint);
    assert.deepEqual(pending!.connections, [{ id: "plc1", endpoint: stack.plc.endpoint }]);
    assert.ok(Date.parse(pending!.certificate.validFrom) < Date.now() && Date.now() < Date.parse(pending!.certificate.validTo));
    assert.ok(pending!.certificate.subject.length > 0);
    assert.deepEqual(awaiting.map((e) => [e.thumbprint, e.connections]), [[waiting.certificate!.thumbprint, ["plc1"]]]);
  });

  it("an engineer may reject it (the connection blocks, saying why) but not trust it; both audited", async () => {
    const { certificate } = await plc1().then((c) => ({ certificate: c.certificate! }));
    await assert.rejects(Promise.resolve().then(() => stack.runtime.handlers["certificates.trust"]({ thumbprint: certificate.thumbprint }, engineer)), rejectsWith("unauthorised", /admin/));
    const decided = await stack.runtime.handlers["certificates.reject"]({ thumbprint: certificate.thumbprint, reason: "unexpected certificate" }, engineer);
    assert.deepEqual(decided.connections, ["plc1"]);
    assert.equal(decided.certificate.trust, "rejected");
    const blocked = await eventually(async () => {
      const c = await plc1();
      return c.state === "blocked" ? c : undefined;
    }, "plc1 blocked");
    assert.match(blocked.message ?? "", new RegExp(`${certificate.thumbprint}.*rejected|rejected.*${certificate.thumbprint}`));
    const [pending] = await stack.runtime.handlers["certificates.pending"]({}, admin);
    assert.equal(pending?.blockedBecause, "rejected");
    assert.match(pending!.message, /stay blocked until it is trusted/);
    const entry = audit("certificate.trust").at(-1);
    assert.equal(entry?.actor, "engineer1");
    assert.deepEqual(entry?.after, { decision: "rejected" });
    assert.equal(entry?.reason, "unexpected certificate");
    assert.deepEqual(entry?.details, { connection: "plc1", endpoint: stack.plc.endpoint, subject: certificate.subject });
    assert.ok(audit("api.refused").some((e) => e.target === "api:certificates.trust" && e.actor === "engineer1"));
  });

  it("an unknown thumbprint is named as such", async () => {
    await assert.rejects(
      Promise.resolve().then(() => stack.runtime.handlers["certificates.trust"]({ thumbprint: "AB".repeat(20) }, admin)),
      rejectsWith("invalid_params", /no server certificate with thumbprint (AB){20} is pending, trusted or rejected/),
    );
  });

  it("an admin trusts it: the twin connects, values flow, nothing is pending; audited", async () => {
    const thumbprint = (await plc1()).certificate!.thumbprint;
    const colons = thumbprint.replace(/(..)(?!$)/g, "$1:").toLowerCase();
    const decided = await stack.runtime.handlers["certificates.trust"]({ thumbprint: colons, reason: "checked with the PLC's owner" }, admin);
    assert.equal(decided.certificate.thumbprint, thumbprint);
    assert.equal(decided.certificate.trust, "trusted");
    const connected = await eventually(async () => {
      const c = await plc1();
      return c.state === "connected" && c.statistics.delivered > 0 ? c : undefined;
    }, "plc1 connected with values");
    assert.equal(connected.certificate?.trust, "trusted");
    assert.match(connected.lastError?.message ?? "", /rejected/, "the last problem stays visible after recovery");
    assert.deepEqual(await stack.runtime.handlers["certificates.pending"]({}, admin), []);
    const entry = audit("certificate.trust").at(-1);
    assert.equal(entry?.actor, "admin");
    assert.deepEqual(entry?.after, { decision: "trusted" });
    assert.equal(entry?.reason, "checked with the PLC's owner");
  });

  describe("binding tags into the scene file", () => {
    let original: string;
    let hidden: { nodeId: string; dataType: string };
    let another: string;
    before(async () => {
      await stack.runtime.whenFirstValue();
      original = readFileSync(stack.sceneFile, "utf8");
      // A Double the PLC serves that no scene tag is bound to: the simulation's hidden truth.
      const { hits } = await stack.runtime.handlers["browse.search"]({ connection: "plc1", name: "Simulation", maxDepth: 3, maxResults: 5 }, engineer);
      const folder = hits.find((h) => h.nodeClass === "Object")!;
      const { children } = await stack.runtime.handlers["browse.children"]({ connection: "plc1", nodeId: folder.nodeId }, engineer);
      const [variable, second] = children.filter((n) => n.nodeClass === "Variable" && n.dataType === "Double" && (n.valueRank ?? -1) < 1);
      hidden = { nodeId: variable!.nodeId, dataType: variable!.dataType! };
      another = second!.nodeId;
    });

    it("rebinds an existing tag: one line changes, comments and layout stay, the file parses; audited", async () => {
      const result = await stack.runtime.handlers["scene.bindTag"]({ connection: "plc1", assetId: "bufferTank", key: "level", nodeId: hidden.nodeId, reason: "commissioning" }, engineer);
      assert.deepEqual(result, { tagId: "bufferTank.level", created: false, file: stack.sceneFile, restartRequired: true });
      const text = readFileSync(stack.sceneFile, "utf8");
      const before = original.split("\n");
      const after = text.split("\n");
      assert.equal(after.length, before.length);
      const changed = after.map((line, k) => [before[k], line]).filter(([a, b]) => a !== b);
      assert.deepEqual(changed, [["        nodeId: ns=1;s=DemoCell.BufferTank.Level", `        nodeId: ${hidden.nodeId}`]]);
      const parsed = parseScene(text);
      assert.ok(parsed.ok);
      assert.equal(parsed.scene.assets.find((a) => a.id === "bufferTank")!.tags.level!.nodeId, hidden.nodeId);
      const entry = audit("scene.changed").at(-1);
      assert.equal(entry?.actor, "engineer1");
      assert.match(entry?.reason ?? "", new RegExp(`bound bufferTank\\.level to ${hidden.nodeId.replace(/[.]/g, "\\.")} on plc1: commissioning`));
      assert.deepEqual(bound.at(-1), { tagId: "bufferTank.level", connection: "plc1", nodeId: hidden.nodeId, file: stack.sceneFile, by: "engineer1", restartRequired: true });
      // Not live: the running twin keeps its binding until it restarts.
      assert.equal(stack.runtime.table.tag("bufferTank.level")?.nodeId, "ns=1;s=DemoCell.BufferTank.Level");
    });

    it("adds a new tag to an asset, with the node's type, unit and range as given", async () => {
      const result = await stack.runtime.handlers["scene.bindTag"]({ connection: "plc1", assetId: "feedPump", key: "hiddenTruth", nodeId: another, unit: "1", range: [0, 1] }, engineer);
      assert.equal(result.created, true);
      const text = readFileSync(stack.sceneFile, "utf8");
      for (const line of original.split("\n").filter((l) => l.trimStart().startsWith("#"))) assert.ok(text.includes(line), `comment kept: ${line}`);
      const parsed = parseScene(text);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
      assert.deepEqual(parsed.scene.assets.find((a) => a.id === "feedPump")!.tags.hiddenTruth, {
        nodeId: another, dataType: "Double", role: "measurement", unit: "1", range: [0, 1], access: "read", samplingMs: 100, trend: false,
      });
    });

    it("rebinding a writable tag needs an admin (refused and audited for an engineer, the file untouched)", async () => {
      const before = readFileSync(stack.sceneFile, "utf8");
      const params = { connection: "plc1", assetId: "heatExchanger", key: "coolantFlowSetpoint", nodeId: "ns=1;s=DemoCell.HeatExchanger.CoolantFlowSetpoint", unit: "m3/h" };
      await assert.rejects(Promise.resolve().then(() => stack.runtime.handlers["scene.bindTag"](params, engineer)), rejectsWith("refused", /heatExchanger\.coolantFlowSetpoint is writable.*needs an admin/));
      assert.equal(readFileSync(stack.sceneFile, "utf8"), before);
      assert.ok(audit("api.refused").some((e) => e.target === "api:scene.bindTag" && e.actor === "engineer1"));
      const result = await stack.runtime.handlers["scene.bindTag"](params, admin);
      assert.equal(result.created, false);
      assert.ok(parseScene(readFileSync(stack.sceneFile, "utf8")).ok);
    });

    it("refuses bad bindings with the field at fault, leaving the file as it was", async () => {
      const before = readFileSync(stack.sceneFile, "utf8");
      const bind = (p: Record<string, unknown>) => Promise.resolve().then(() => stack.runtime.handlers["scene.bindTag"]({ connection: "plc1", assetId: "bufferTank", key: "level", nodeId: hidden.nodeId, ...p } as never, engineer));
      await assert.rejects(bind({ dataType: "Boolean" }), rejectsWith("invalid_params", /holds Double \(scene data type Double\), not Boolean/));
      await assert.rejects(bind({ nodeId: "i=85" }), rejectsWith("invalid_params", /cannot be bound: a Object node has no value/));
      await assert.rejects(bind({ assetId: "noSuchAsset" }), rejectsWith("invalid_params", /no asset "noSuchAsset"/));
      await assert.rejects(bind({ connection: "plc2" }), rejectsWith("invalid_params", /no connection "plc2"/));
      await assert.rejects(bind({ nodeId: "ns=1;s=DemoCell.Nothing" }), rejectsWith("failed", /BadNodeIdUnknown/));
      await assert.rejects(bind({ range: [5, 1] }), rejectsWith("invalid_params", /binding was not saved.*range/));
      assert.equal(readFileSync(stack.sceneFile, "utf8"), before);
    });

    it("says when the scene file itself is broken now, instead of editing it", async () => {
      const good = readFileSync(stack.sceneFile, "utf8");
      writeFileSync(stack.sceneFile, good.replace("scene: 1", "scene: 2"));
      try {
        await assert.rejects(
          Promise.resolve().then(() => stack.runtime.handlers["scene.bindTag"]({ connection: "plc1", assetId: "bufferTank", key: "level", nodeId: hidden.nodeId }, engineer)),
          rejectsWith("invalid_params", /is not valid as it is now \(fix it first\).*line \d+: scene/),
        );
      } finally {
        writeFileSync(stack.sceneFile, good);
      }
    });
  });
});
