// The connections API over the real runtime and the simulated PLC (loopback OPC UA): statuses and
// statistics, retry, endpoint discovery, the address-space browser and node reads, with the errors that bad
// input gets (in process, and over the WebSocket where the contract's schemas check params first).
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../../src-main/common/api/contract";
import { as, userSession } from "../../support/sessions";
import { connectWsApi, type WsApi } from "../../support/ws-client";
import { eventually, startRuntimeStack, type RuntimeStack } from "./fixtures/runtime-stack";

const LEVEL = "ns=1;s=DemoCell.BufferTank.Level";

const rejectsWith = (code: string, pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, pattern);
  return true;
};

describe("connections API on the running twin", () => {
  let stack: RuntimeStack;
  let admin: never;
  let viewer: never;
  let engineer: never;
  let ws: WsApi;
  const changes: { id: string; state: string }[] = [];

  before(async () => {
    stack = await startRuntimeStack({ beforeStart: (runtime) => void runtime.on("connections.changed", (c) => changes.push(c)) });
    admin = as(stack.adminToken);
    viewer = as(await userSession(stack.runtime, stack.adminToken, "viewer1", "viewer"));
    const engineerToken = await userSession(stack.runtime, stack.adminToken, "engineer1", "engineer");
    engineer = as(engineerToken);
    ws = await connectWsApi(stack.host.port, stack.host.token, engineerToken);
    await stack.runtime.whenFirstValue();
  });
  after(async () => {
    await ws?.close();
    await stack?.close();
  });

  it("lists the connection with its security, identity and statistics, for a viewer", async () => {
    const info = await eventually(async () => {
      const [c] = await stack.runtime.handlers["connections.list"]({}, viewer);
      return c && c.state === "connected" && c.statistics.delivered > 0 && c.statistics.notificationsPerS > 0 ? c : undefined;
    }, "plc1 connected with traffic");
    assert.equal(info.id, "plc1");
    assert.equal(info.endpoint, stack.plc.endpoint);
    assert.equal(info.securityMode, "None");
    assert.deepEqual(info.identity, { kind: "anonymous" });
    assert.equal(info.tagCount, stack.runtime.table.tags.length);
    assert.equal(info.staleTags, 0);
    assert.ok(info.statistics.latencyP50Ms !== null && info.statistics.latencyP50Ms >= 0);
    assert.equal(info.statistics.reconnects, 0);
    // The states the connection went through were announced as events.
    assert.deepEqual(changes.filter((c) => c.id === "plc1").map((c) => c.state).slice(-1), ["connected"]);
  });

  it("retry names an unknown connection and answers with the status of a known one", async () => {
    await assert.rejects(Promise.resolve().then(() => stack.runtime.handlers["connections.retry"]({ connection: "plc9" }, admin)), rejectsWith("invalid_params", /no connection "plc9".*plc1/));
    const info = await stack.runtime.handlers["connections.retry"]({ connection: "plc1" }, admin);
    assert.equal(info.id, "plc1");
    await assert.rejects(Promise.resolve().then(() => stack.runtime.handlers["connections.retry"]({ connection: "plc1" }, viewer)), rejectsWith("unauthorised", /operator/));
  });

  it("discovers the endpoints of a URL, and says when nothing answers there", async () => {
    const endpoints = await stack.runtime.handlers["endpoints.discover"]({ endpointUrl: stack.plc.endpoint }, engineer);
    const offered = endpoints.map((e) => `${e.securityMode}/${e.securityPolicy}`);
    assert.ok(offered.includes("None/None") && offered.includes("SignAndEncrypt/Basic256Sha256"), offered.join(", "));
    const secure = endpoints.find((e) => e.securityMode === "SignAndEncrypt")!;
    assert.match(secure.certificate?.thumbprint ?? "", /^[0-9A-F]{40}$/);
    assert.ok(secure.userIdentityTokens.includes("anonymous"));
    assert.equal(secure.certificate?.trust, "undecided", "nobody was asked about it: the twin connects with security None");

    const port = await closedPort();
    await assert.rejects(
      Promise.resolve().then(() => stack.runtime.handlers["endpoints.discover"]({ endpointUrl: `opc.tcp://127.0.0.1:${port}` }, engineer)),
      rejectsWith("failed", new RegExp(`no endpoints from opc\\.tcp://127\\.0\\.0\\.1:${port}`)),
    );
  });

  it("browses the address space lazily from the Objects folder", async () => {
    const root = await stack.runtime.handlers["browse.children"]({ connection: "plc1" }, engineer);
    assert.equal(root.nodeId, "ns=0;i=85");
    // The simulated PLC nests a folder per asset, as the scene's hierarchy, under one named after the scene.
    const scene = stack.runtime.scene;
    const names = [scene.name, scene.assets.find((x) => x.id === "cell")!.name, scene.assets.find((x) => x.id === "bufferTank")!.name];
    let children = root.children;
    for (const name of names) {
      const folder = children.find((n) => n.displayName === name);
      assert.ok(folder, `${name} among ${children.map((n) => n.displayName).join(", ")}`);
      assert.equal(folder.nodeClass, "Object");
      assert.equal(folder.hasChildren, true);
      const next = await stack.runtime.handlers["browse.children"]({ connection: "plc1", nodeId: folder.nodeId }, engineer);
      assert.equal(next.nodeId, folder.nodeId);
      children = next.children;
    }
    const tags = { children };
    const level = tags.children.find((n) => n.nodeId === LEVEL);
    assert.ok(level, tags.children.map((n) => n.nodeId).join(", "));
    assert.equal(level.dataType, "Double");
    assert.ok(level.accessLevel?.includes("CurrentRead"));
  });

  it("reads one node in full: DataType, AccessLevel, value, EngineeringUnits, EURange, and who is bound to it", async () => {
    const node = await stack.runtime.handlers["node.read"]({ connection: "plc1", nodeId: LEVEL }, engineer);
    assert.equal(node.nodeClass, "Variable");
    assert.equal(node.dataType, "Double");
    assert.equal(typeof node.value, "number");
    assert.equal(node.quality, "good");
    assert.ok(node.accessLevel?.includes("CurrentRead"));
    assert.ok(node.engineeringUnits?.displayName, "the simulated PLC serves EngineeringUnits");
    assert.ok(node.euRange && node.euRange.low < node.euRange.high);
    assert.deepEqual(node.bindable, { dataType: "Double" });
    assert.deepEqual(node.boundTags, ["bufferTank.level"]);
    const folder = await stack.runtime.handlers["node.read"]({ connection: "plc1", nodeId: "i=85" }, engineer);
    assert.equal(folder.nodeClass, "Object");
    assert.match(folder.bindable.reason ?? "", /Object node has no value/);
  });

  it("searches by name", async () => {
    const { hits, truncated } = await stack.runtime.handlers["browse.search"]({ connection: "plc1", name: "level", maxDepth: 6, maxResults: 50 }, engineer);
    const level = hits.find((h) => h.nodeId === LEVEL);
    assert.ok(level, hits.map((h) => h.nodeId).join(", "));
    assert.equal(level.path, `${stack.runtime.scene.name}/Process cell 1/Heated buffer tank T-201/Level`);
    assert.equal(truncated, false);
    // The Server object's thousands of diagnostics nodes are searched only when asked for.
    assert.deepEqual((await stack.runtime.handlers["browse.search"]({ connection: "plc1", name: "ServiceLevel", maxDepth: 6, maxResults: 50 }, engineer)).hits, []);
    const inServer = await stack.runtime.handlers["browse.search"]({ connection: "plc1", name: "ServiceLevel", from: "i=2253", maxDepth: 2, maxResults: 50 }, engineer);
    assert.deepEqual(inServer.hits.map((h) => h.path), ["ServiceLevel"]);
    const few = await stack.runtime.handlers["browse.search"]({ connection: "plc1", name: "e", maxDepth: 6, maxResults: 2 }, engineer);
    assert.equal(few.hits.length, 2);
    assert.equal(few.truncated, true);
  });

  it("gives clear errors for unknown connections, malformed and unknown NodeIds", async () => {
    const h = stack.runtime.handlers;
    await assert.rejects(Promise.resolve().then(() => h["browse.children"]({ connection: "nope" }, engineer)), rejectsWith("invalid_params", /no connection "nope"/));
    await assert.rejects(Promise.resolve().then(() => h["node.read"]({ connection: "plc1", nodeId: "ns=1;i=abc" }, engineer)), rejectsWith("invalid_params", /"ns=1;i=abc" is not a NodeId/));
    await assert.rejects(Promise.resolve().then(() => h["node.read"]({ connection: "plc1", nodeId: "ns=1;s=DemoCell.NoSuchNode" }, engineer)), rejectsWith("failed", /ns=1;s=DemoCell\.NoSuchNode does not exist.*BadNodeIdUnknown.*|BadNodeIdUnknown/));
    await assert.rejects(Promise.resolve().then(() => h["browse.children"]({ connection: "plc1", nodeId: "ns=1;s=DemoCell.NoSuchNode" }, engineer)), rejectsWith("failed", /cannot be browsed.*BadNodeIdUnknown/));
    await assert.rejects(Promise.resolve().then(() => h["node.read"]({ connection: "plc1", nodeId: LEVEL }, viewer)), rejectsWith("unauthorised", /engineer/));
  });

  it("over the WebSocket, the contract refuses malformed params with the field at fault", async () => {
    await assert.rejects(ws.client.request("node.read", { connection: "plc1", nodeId: "Level" }), (err: unknown) => {
      assert.ok(err instanceof ApiError && err.code === "invalid_params", String(err));
      assert.deepEqual(err.issues?.map((i) => i.path), ["nodeId"]);
      assert.match(err.issues![0]!.message, /OPC UA NodeId/);
      return true;
    });
    await assert.rejects(ws.client.request("endpoints.discover", { endpointUrl: "http://example.com" }), (err: unknown) => err instanceof ApiError && err.code === "invalid_params");
    await assert.rejects(ws.client.request("certificates.trust", { thumbprint: "xyz" }), (err: unknown) => err instanceof ApiError && err.code === "invalid_params");
    const node = await ws.client.request("node.read", { connection: "plc1", nodeId: LEVEL });
    assert.equal(node.dataType, "Double");
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
