// Typed writes with read-back, refused writes, the address-space browser and binding a browsed node into a
// scene file, against a node-opcua server over real sockets.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tempFolder } from "../../support/temp";
import { NODES, startTestServer, type TestServer } from "./fixtures/test-server";
import { recordLink, type Recorded } from "./fixtures/link-harness";
import { bindTagInSceneText, sceneDataTypeOf } from "../../../src-main/plant/scene-binding";
import type { PlcWriter } from "../../../src-main/plant/plc-writer";

describe("plant writes and browsing", () => {
  const temp = tempFolder("plant-writes");
  let server: TestServer;
  let r: Recorded;
  let writer: PlcWriter;

  before(async () => {
    server = await startTestServer({ port: 0, pkiFolder: join(temp.path, "pki-server"), counterPeriodMs: 0 });
    r = recordLink({
      pkiFolder: join(temp.path, "pki-client"),
      connections: [{ id: "plc", endpoint: server.endpoint, securityMode: "None", securityPolicy: "None" }],
      tags: [],
    });
    await r.link.open();
    writer = r.link.takeWriter();
  });
  after(async () => {
    await r?.close();
    await server?.stop();
    temp.remove();
  });

  it("writes typed values and confirms them by reading back", async () => {
    const cases: [string, unknown, unknown][] = [
      [NODES.double, 55.5, 55.5],
      [NODES.float, 1.1, Math.fround(1.1)],
      [NODES.int16, -1234, -1234],
      [NODES.uint16, 65_535, 65_535],
      [NODES.int32, -2_000_000_000, -2_000_000_000],
      [NODES.uint32, 4_000_000_000, 4_000_000_000],
      [NODES.boolean, true, true],
      [NODES.string, "abc", "abc"],
      [NODES.doubleArray, [4, 5, 6.5], [4, 5, 6.5]],
    ];
    for (const [nodeId, value, readBack] of cases) {
      const outcome = await writer.writeTyped("plc", nodeId, value as never);
      assert.ok(outcome.ok, `${nodeId}: ${JSON.stringify(outcome)}`);
      assert.deepEqual(outcome.readBack, readBack);
      assert.equal(outcome.connection, "plc");
    }
    assert.equal((await r.link.browser("plc").describe(NODES.double)).value, 55.5);
  });

  it("refuses a value of the wrong type with a reason naming the node, its DataType and the value", async () => {
    const refused = async (nodeId: string, value: unknown) => {
      const outcome = await writer.writeTyped("plc", nodeId, value as never);
      assert.equal(outcome.ok, false, `${nodeId} accepted ${JSON.stringify(value)}`);
      return outcome as Extract<typeof outcome, { ok: false }>;
    };
    const abc = await refused(NODES.double, "abc");
    assert.equal(abc.stage, "coerce");
    assert.equal(abc.reason, `cannot write "abc" to ${NODES.double} (Double): Double needs a finite number, not the string "abc"`);
    assert.match((await refused(NODES.uint16, 70_000)).reason, /^cannot write 70000 to ns=1;s=Test\.UInt16 \(UInt16\): 70000 is out of range for UInt16 \[0, 65535\]$/);
    assert.match((await refused(NODES.int32, 1.5)).reason, /^cannot write 1\.5 to ns=1;s=Test\.Int32 \(Int32\): 1\.5 is not an integer/);
    assert.match((await refused(NODES.boolean, 1)).reason, /Boolean needs true or false, not number 1/);
    assert.match((await refused(NODES.double, [1, 2])).reason, /holds a single value, not an array/);
    assert.match((await refused(NODES.doubleArray, 5)).reason, /\(Double\[\]\): the node holds an array/);
    assert.match((await refused(NODES.doubleArray, [1, "x"])).reason, /element \[1\]: Double needs a finite number/);
    const readOnly = await refused(NODES.readOnly, 1);
    assert.deepEqual([readOnly.stage, readOnly.reason], ["access", `cannot write 1 to ${NODES.readOnly} (Double): the node is not writable`]);
    assert.match((await refused("ns=1;s=Test.Nope", 1)).reason, /does not exist on the server \(BadNodeIdUnknown\)/);
    assert.equal((await writer.writeTyped("nope", NODES.double, 1)).ok, false);
    // Nothing refused reached the server.
    assert.equal((await r.link.browser("plc").describe(NODES.uint16)).value, 65_535);
  });

  it("hands its writer out once: it belongs to the governance layer", () => {
    assert.throws(() => r.link.takeWriter(), /already been taken/);
  });

  it("browses lazily: children with DataType, access level and whether they have children", async () => {
    const browser = r.link.browser("plc");
    const top = await browser.children();
    const names = top.map((n) => n.browseName);
    assert.ok(names.includes("1:Test") && names.includes("1:Line1") && names.includes("Server"), names.join(", "));
    assert.equal(top.find((n) => n.browseName === "1:Test")!.hasChildren, true);
    const test = await browser.children("ns=1;s=Test");
    const byName = new Map(test.map((n) => [n.displayName, n]));
    assert.deepEqual(
      { ...byName.get("Double") },
      { nodeId: NODES.double, browseName: "1:Double", displayName: "Double", nodeClass: "Variable", dataType: "Double", valueRank: -1, accessLevel: ["CurrentRead", "CurrentWrite"], userAccessLevel: ["CurrentRead", "CurrentWrite"], hasChildren: true },
    );
    assert.deepEqual(byName.get("ReadOnly")!.accessLevel, ["CurrentRead"]);
    assert.equal(byName.get("DoubleArray")!.valueRank, 1);
    assert.equal(byName.get("Int16")!.dataType, "Int16");
    assert.equal(byName.get("Counter")!.hasChildren, false);
  });

  it("describes a node: value, DataType, access, EngineeringUnits and EURange", async () => {
    const d = await r.link.browser("plc").describe(NODES.pumpSpeed);
    assert.equal(d.value, 1450);
    assert.equal(d.quality, "good");
    assert.equal(d.dataType, "Double");
    assert.deepEqual(d.euRange, { low: 0, high: 3000 });
    assert.equal(d.engineeringUnits?.displayName, "r/min");
    assert.deepEqual(d.accessLevel, ["CurrentRead"]);
    await assert.rejects(r.link.browser("plc").describe("ns=1;s=Nope"), /does not exist on the server/);
  });

  it("searches by browse or display name, within depth and result limits", async () => {
    const browser = r.link.browser("plc");
    const hits = await browser.search("speed");
    assert.deepEqual(hits.map((h) => [h.nodeId, h.path]), [[NODES.pumpSpeed, "Line1/Pump1/Speed"]]);
    assert.deepEqual(await browser.search("speed", { maxDepth: 2 }), []);
    const many = await browser.search("int", { maxResults: 2 });
    assert.equal(many.length, 2);
  });

  it("binds a browsed node to a scene tag and saves valid scene text, comments kept", async () => {
    const node = await r.link.browser("plc").describe(NODES.pumpSpeed);
    const type = sceneDataTypeOf(node);
    assert.ok(type.ok);
    const text = readFileSync("scenes/demo-cell.scene.yaml", "utf8");
    const result = bindTagInSceneText(text, { assetId: "feedPump", key: "speedFromBrowser", nodeId: node.nodeId, dataType: type.dataType, unit: "rpm", range: [node.euRange!.low, node.euRange!.high] });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.scene.assets.find((a) => a.id === "feedPump")!.tags.speedFromBrowser!.nodeId, NODES.pumpSpeed);
    assert.ok(result.text.startsWith(text.split("\n").slice(0, 5).join("\n")), "the comments at the top are kept");
  });
});
