// Subscriptions against node-opcua servers: deadbands, quality and timestamps on every value, DataTypes,
// refused items, and one link over two endpoints. Sequences are asserted, never speeds.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DataType, StatusCodes } from "node-opcua";
import { tempFolder } from "../../support/temp";
import { NODES, startTestServer, type TestServer } from "./fixtures/test-server";
import { recordLink, sleep, waitFor, type Recorded } from "./fixtures/link-harness";
import type { TagBinding } from "../../../src-main/plant/types";

const PAUSE_MS = 40; // longer than the server's coalescing window, so each change is sampled on its own

describe("plant subscriptions", () => {
  const temp = tempFolder("plant-subscriptions");
  let a: TestServer;
  let b: TestServer;
  let r: Recorded;
  const tags: TagBinding[] = [
    { index: 0, connection: "a", nodeId: NODES.double, samplingMs: 0, publishingMs: 20, deadband: { type: "absolute", value: 0.5 } },
    { index: 1, connection: "a", nodeId: NODES.pumpSpeed, samplingMs: 0, publishingMs: 20, deadband: { type: "percent", value: 1 } },
    { index: 2, connection: "a", nodeId: NODES.int16, samplingMs: 50 },
    { index: 3, connection: "a", nodeId: NODES.string, samplingMs: 50 },
    { index: 4, connection: "a", nodeId: NODES.doubleArray, samplingMs: 100 },
    { index: 5, connection: "a", nodeId: NODES.boolean, samplingMs: 250, queueSize: 3 },
    { index: 6, connection: "a", nodeId: "ns=1;s=Test.DoesNotExist", samplingMs: 100 },
    { index: 7, connection: "a", nodeId: NODES.float, samplingMs: 0, deadband: { type: "percent", value: 5 } },
    { index: 8, connection: "a", nodeId: NODES.uint32, samplingMs: 20 },
    { index: 9, connection: "b", nodeId: NODES.counter, samplingMs: 10, publishingMs: 50 },
    { index: 10, connection: "b", nodeId: NODES.uint16, samplingMs: 100 },
  ];
  const valuesOf = (tag: number) => r.samples.filter((s) => s.tag === tag).map((s) => s.value);

  before(async () => {
    a = await startTestServer({ port: 0, pkiFolder: join(temp.path, "pki-a"), counterPeriodMs: 0 });
    b = await startTestServer({ port: 0, pkiFolder: join(temp.path, "pki-b"), counterPeriodMs: 10 });
    r = recordLink({
      pkiFolder: join(temp.path, "pki-client"),
      connections: [
        { id: "a", endpoint: a.endpoint, securityMode: "None", securityPolicy: "None" },
        { id: "b", endpoint: b.endpoint, securityMode: "None", securityPolicy: "None" },
      ],
      tags,
    });
    await r.link.open();
  });
  after(async () => {
    await r?.close();
    await a?.stop();
    await b?.stop();
    temp.remove();
  });

  it("absolute deadband: small changes are suppressed, large ones delivered", async () => {
    await waitFor(() => valuesOf(0).length > 0);
    for (const v of [20.2, 20.4, 21, 21.3, 19]) {
      a.set(NODES.double, DataType.Double, v);
      await sleep(PAUSE_MS);
    }
    await waitFor(() => valuesOf(0).includes(19), 10_000, () => `19 in ${JSON.stringify(valuesOf(0))}`);
    assert.deepEqual(valuesOf(0), [20, 21, 19]);
  });

  it("percent deadband applies to the EURange (1 % of 0…3000 is 30)", async () => {
    await waitFor(() => valuesOf(1).length > 0);
    for (const v of [1460, 1475, 1500, 1520, 1400]) {
      a.set(NODES.pumpSpeed, DataType.Double, v);
      await sleep(PAUSE_MS);
    }
    await waitFor(() => valuesOf(1).includes(1400), 10_000, () => `1400 in ${JSON.stringify(valuesOf(1))}`);
    assert.deepEqual(valuesOf(1), [1450, 1500, 1400]);
  });

  it("a percent deadband on a node without EURange, and an unknown node, are bad samples naming the status", async () => {
    await waitFor(() => valuesOf(7).length > 0 && valuesOf(6).length > 0);
    const unknown = r.samples.find((s) => s.tag === 6)!;
    assert.deepEqual([unknown.quality, unknown.status, unknown.value], ["bad", "BadNodeIdUnknown", null]);
    const noRange = r.samples.find((s) => s.tag === 7)!;
    assert.equal(noRange.quality, "bad");
    assert.match(noRange.status, /^Bad(Filter|Deadband|MonitoredItemFilter)/);
  });

  it("carries each DataType's value with both timestamps, good quality and the status name", async () => {
    await waitFor(() => [2, 3, 4, 5, 8].every((t) => valuesOf(t).length > 0));
    assert.deepEqual([2, 3, 4, 5, 8].map((t) => valuesOf(t)[0]), [-3, "hello", [1, 2, 3], false, 70_000]);
    for (const s of r.samples.filter((x) => [2, 3, 4, 5, 8].includes(x.tag))) {
      assert.equal(s.quality, "good");
      assert.equal(s.status, "Good");
      assert.equal(typeof s.sourceTs, "number");
      assert.equal(typeof s.serverTs, "number");
      assert.ok(s.receivedAt >= Math.floor(s.serverTs!) - 1_000);
    }
  });

  it("maps uncertain and bad status codes to quality, with the code's name, on every value", async () => {
    a.set(NODES.uint32, DataType.UInt32, 70_001, StatusCodes.UncertainLastUsableValue);
    await sleep(PAUSE_MS);
    a.set(NODES.uint32, DataType.UInt32, 70_002, StatusCodes.BadSensorFailure);
    await sleep(PAUSE_MS);
    a.set(NODES.uint32, DataType.UInt32, 70_003);
    await waitFor(() => valuesOf(8).includes(70_003));
    const seen = r.samples.filter((s) => s.tag === 8).map((s) => [s.value, s.quality, s.status]);
    assert.deepEqual(seen.slice(-3), [
      [70_001, "uncertain", "UncertainLastUsableValue"],
      [null, "bad", "BadSensorFailure"],
      [70_003, "good", "Good"],
    ]);
  });

  it("one link carries two endpoints, each value naming its connection, with statistics per connection", async () => {
    await waitFor(() => r.samples.filter((s) => s.tag === 9).length > 20);
    assert.ok(r.samples.filter((s) => s.tag === 9).every((s) => s.connection === "b"));
    assert.ok(r.samples.filter((s) => s.tag === 0).every((s) => s.connection === "a"));
    assert.equal(valuesOf(10)[0], 3);
    const [sa, sb] = r.link.statuses();
    assert.deepEqual([sa!.id, sa!.state, sb!.id, sb!.state], ["a", "connected", "b", "connected"]);
    assert.equal(sb!.tagCount, 2);
    assert.ok(sb!.statistics.notificationsPerS > 0 && sb!.statistics.delivered > 20, JSON.stringify(sb!.statistics));
    assert.equal(typeof sb!.statistics.latencyP50Ms, "number");
    assert.deepEqual([sb!.statistics.reconnects, sb!.statistics.droppedDuplicates], [0, 0]);
    // The counter ticks every 10 ms: values arrive in order, each newer than the last.
    const counter = r.samples.filter((s) => s.tag === 9);
    for (let k = 1; k < counter.length; k++) assert.ok(counter[k]!.sourceTs! > counter[k - 1]!.sourceTs!);
  });
});
