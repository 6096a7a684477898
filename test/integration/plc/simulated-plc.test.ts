// The simulated PLC as a client sees it: real plant worker, real OPC UA server on 127.0.0.1, real client.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AttributeIds,
  BrowseDirection,
  DataType,
  makeBrowsePath,
  NodeClass,
  OPCUACertificateManager,
  OPCUAClient,
  StatusCodes,
  TimestampsToReturn,
  Variant,
  VariableTypeIds,
  type ClientSession,
  type NodeIdLike,
} from "node-opcua";
import { parseScene } from "../../../src-main/common/scene/parse";
import type { Scene } from "../../../src-main/common/scene/schema";
import { startSimulatedPlc, type SimulatedPlc } from "../../../src-main/plc/simulated-plc";

const LEVEL = "ns=1;s=DemoCell.BufferTank.Level";
const HEARTBEAT = "ns=1;s=DemoCell.Cell.Heartbeat";
const TEMPERATURE_SETPOINT = "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint";

function demoScene(): Scene {
  const r = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scene;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("simulated PLC (plant worker, OPC UA over loopback)", () => {
  const temp = mkdtempSync(join(tmpdir(), "twinbench-plc-it-"));
  const scene = demoScene();
  const logLines: string[] = [];
  let plc: SimulatedPlc | undefined;
  let client: OPCUAClient | undefined;
  let session: ClientSession;

  before(async () => {
    plc = await startSimulatedPlc({ scene, port: 0, pkiFolder: join(temp, "pki-plc"), log: (l) => logLines.push(l) });
    client = OPCUAClient.create({
      applicationName: "twinbench-plc-test",
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0 },
      clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(temp, "pki-client") }),
    });
    await client.connect(plc.endpoint);
    session = await client.createSession();
  });

  after(async () => {
    try {
      await session?.close();
    } finally {
      await client?.disconnect();
      await plc?.stop();
      rmSync(temp, { recursive: true, force: true });
    }
  });

  const read = (nodeId: NodeIdLike, attributeId = AttributeIds.Value) => session.read({ nodeId, attributeId });
  const writeDouble = (nodeId: string, value: number) =>
    session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: new Variant({ dataType: DataType.Double, value }) } });
  const childrenOf = async (nodeId: NodeIdLike) => {
    const r = await session.browse({
      nodeId,
      browseDirection: BrowseDirection.Forward,
      referenceTypeId: "HierarchicalReferences",
      includeSubtypes: true,
      resultMask: 0x3f,
    });
    return r.references ?? [];
  };

  it("serves at the endpoint it reports, on a real port", () => {
    assert.match(plc!.endpoint, /^opc\.tcp:\/\/127\.0\.0\.1:[1-9]\d*\/twinbench$/);
    assert.ok(plc!.cycles() >= 0);
  });

  it("browsing finds a folder per asset, nested as the asset hierarchy, and the Simulation folder", async () => {
    const top = (await childrenOf("i=85")).find((r) => r.browseName.name === "DemoCell");
    assert.ok(top, "a DemoCell folder under Objects");
    assert.equal(top.browseName.namespaceIndex, 1);
    const under = async (parent: NodeIdLike) =>
      (await childrenOf(parent)).filter((r) => r.nodeClass === NodeClass.Object);
    const rootChildren = await under(top.nodeId);
    assert.deepEqual(rootChildren.map((r) => r.browseName.name).sort(), ["Cell", "Simulation"]);
    const cell = rootChildren.find((r) => r.browseName.name === "Cell")!;
    assert.equal(cell.displayName.text, "Process cell 1");
    const machines = await under(cell.nodeId);
    assert.deepEqual(machines.map((r) => r.browseName.name).sort(), ["BufferTank", "FeedPump", "FillingStation", "HeatExchanger"]);
    const assetNames = new Set(scene.assets.map((a) => a.name));
    for (const folder of [cell, ...machines]) assert.ok(assetNames.has(folder.displayName.text!), folder.displayName.text ?? "");
    const tank = machines.find((r) => r.browseName.name === "BufferTank")!;
    const tankVars = (await childrenOf(tank.nodeId)).filter((r) => r.nodeClass === NodeClass.Variable);
    assert.deepEqual(
      tankVars.map((r) => r.nodeId.toString()).sort(),
      Object.values(scene.assets.find((a) => a.id === "bufferTank")!.tags).map((t) => t.nodeId).sort(),
    );
  });

  it("the tank level is a Double AnalogItem with EURange and EngineeringUnits", async () => {
    const value = await read(LEVEL);
    assert.equal(value.statusCode.name, "Good");
    assert.equal(value.value.dataType, DataType.Double);
    assert.ok(Number.isFinite(value.value.value as number));
    assert.ok(value.sourceTimestamp instanceof Date);

    const type = await session.browse({ nodeId: LEVEL, referenceTypeId: "HasTypeDefinition", browseDirection: BrowseDirection.Forward });
    assert.equal(type.references?.[0]?.nodeId.toString(), `ns=0;i=${VariableTypeIds.AnalogItemType}`);

    const paths = await session.translateBrowsePath([makeBrowsePath(LEVEL, ".EURange"), makeBrowsePath(LEVEL, ".EngineeringUnits")]);
    const [euRangeId, unitsId] = paths.map((p) => {
      assert.equal(p.statusCode.name, "Good");
      return p.targets![0]!.targetId;
    });
    const range = (await read(euRangeId!)).value.value as { low: number; high: number };
    assert.deepEqual({ low: range.low, high: range.high }, { low: 0, high: 2.5 });
    const units = (await read(unitsId!)).value.value as { displayName: { text: string }; unitId: number };
    assert.equal(units.displayName.text, "m");
    assert.equal(units.unitId, 0x4d5452); // UN/CEFACT "MTR", metre
  });

  it("the heartbeat increases between two reads half a second apart", async () => {
    const first = await read(HEARTBEAT);
    assert.equal(first.value.dataType, DataType.UInt32);
    await sleep(500);
    const second = await read(HEARTBEAT);
    assert.ok((second.value.value as number) > (first.value.value as number), `${first.value.value} → ${second.value.value}`);
  });

  it("a subscription sampling at 50 ms gets at least 10 changes in 1.5 s", async () => {
    const subscription = await session.createSubscription2({
      requestedPublishingInterval: 50,
      requestedMaxKeepAliveCount: 20,
      requestedLifetimeCount: 100,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    });
    try {
      assert.equal(subscription.publishingInterval, 50);
      const changes = new Map<string, number>();
      for (const nodeId of [HEARTBEAT, LEVEL]) {
        const item = await subscription.monitor(
          { nodeId, attributeId: AttributeIds.Value },
          { samplingInterval: 50, queueSize: 10, discardOldest: true },
          TimestampsToReturn.Both,
        );
        assert.equal(item.result?.revisedSamplingInterval, 50, `revised sampling interval of ${nodeId}`);
        changes.set(nodeId, 0);
        item.on("changed", () => changes.set(nodeId, changes.get(nodeId)! + 1));
      }
      await sleep(1500);
      const best = Math.max(...changes.values());
      assert.ok(best >= 10, `changes: ${JSON.stringify([...changes])}`);
    } finally {
      await subscription.terminate();
    }
  });

  it("writing the temperature setpoint goes to the simulation; an out-of-range write is refused and changes nothing", async () => {
    assert.equal((await writeDouble(TEMPERATURE_SETPOINT, 60)).name, "Good");
    assert.equal((await read(TEMPERATURE_SETPOINT)).value.value, 60);
    await sleep(200); // a few cycles: the simulation's own frames must agree
    assert.equal((await read(TEMPERATURE_SETPOINT)).value.value, 60);

    assert.equal((await writeDouble(TEMPERATURE_SETPOINT, 500)).name, StatusCodes.BadOutOfRange.name);
    await sleep(150);
    const after = await read(TEMPERATURE_SETPOINT);
    assert.equal(after.value.value, 60);
    assert.equal(after.statusCode.name, "Good");
  });

  it("writing a read-only measurement is refused", async () => {
    const status = await writeDouble(LEVEL, 1.0);
    assert.ok([StatusCodes.BadNotWritable.name, StatusCodes.BadUserAccessDenied.name].includes(status.name), status.name);
  });

  it("the ground truth is readable under DemoCell.Simulation and says what it is", async () => {
    for (const name of ["BearingWear", "FoulingResistance"]) {
      const nodeId = `ns=1;s=DemoCell.Simulation.${name}`;
      const value = await read(nodeId);
      assert.equal(value.statusCode.name, "Good", nodeId);
      assert.equal(value.value.dataType, DataType.Double, nodeId);
      assert.ok(Number.isFinite(value.value.value as number), nodeId);
      const description = await read(nodeId, AttributeIds.Description);
      assert.match(String(description.value.value?.text), /ground truth/i);
    }
    const simulationFolder = (await childrenOf("ns=1;s=DemoCell.Simulation")).map((r) => r.browseName.name).sort();
    assert.deepEqual(simulationFolder, ["BearingWear", "FoulingResistance"]);
  });

  it("the loop counts its cycles (about 20 per second)", async () => {
    const a = plc!.cycles();
    await sleep(500);
    const b = plc!.cycles();
    assert.ok(b - a >= 5 && b - a <= 12, `${b - a} cycles in 0.5 s`);
  });
});

describe("simulated PLC start-up checks against the simulation", () => {
  it("a scene tag with no simulation signal fails the start, naming the tag and its NodeId", async () => {
    const temp = mkdtempSync(join(tmpdir(), "twinbench-plc-it-bad-"));
    try {
      const scene = structuredClone(demoScene());
      scene.assets.find((a) => a.id === "bufferTank")!.tags.pressure = {
        nodeId: "ns=1;s=DemoCell.BufferTank.Pressure",
        dataType: "Double",
        role: "measurement",
        access: "read",
        samplingMs: 100,
        trend: false,
      };
      await assert.rejects(
        startSimulatedPlc({ scene, port: 0, pkiFolder: join(temp, "pki") }),
        (err: Error) => {
          assert.match(err.message, /bufferTank\.pressure/);
          assert.match(err.message, /ns=1;s=DemoCell\.BufferTank\.Pressure/);
          assert.match(err.message, /offers/);
          return true;
        },
      );
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
