// The plant server as a PLC sees it: real plant thread, real OPC UA server on 127.0.0.1, real client.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AttributeIds, DataType, makeBrowsePath, StatusCodes, Variant, type ClientSession } from "node-opcua";
import { loadIoListFile } from "../../../src-main/commissioning/files";
import { parseIoList } from "../../../src-main/commissioning/io/io-list";
import { callMethod, connectClient, doublesVariant, doubleVariant, plainValue, readValues, stringsVariant, stringVariant, textValue, writeValues, type ClientLink } from "../../../src-main/commissioning/opcua/client";
import { plantControlNodeIds } from "../../../src-main/commissioning/plant/plant-layout";
import { startPlantServer, type PlantServer } from "../../../src-main/commissioning/plant/plant-server";
import type { ActiveFault } from "../../../src-main/commissioning/faults/fault-spec";
import { demoScene } from "../../support/demo-stack";
import { tempFolder } from "../../support/temp";

const N = (name: string) => `ns=1;s=DemoCell.${name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("plant server (demo cell, ×10)", () => {
  const temp = tempFolder("plant-server");
  const log: string[] = [];
  let plant: PlantServer;
  let client: ClientLink;
  let session: ClientSession;
  const ids = plantControlNodeIds("DemoCell");

  before(async () => {
    plant = await startPlantServer({ scene: demoScene(), ioList: loadIoListFile("scenes/demo-cell.io.csv"), port: 0, pkiFolder: join(temp.path, "pki"), speed: 10, cycleMs: 10, log: (l) => log.push(l) });
    client = await connectClient(plant.endpoint, { name: "plant-server-test", pkiFolder: join(temp.path, "client") });
    session = client.session;
  });
  after(async () => {
    await client?.close();
    await plant?.stop();
    temp.remove();
  });

  const value = async (nodeId: string) => plainValue((await readValues(session, [nodeId]))[0]);
  /** Polls until `check` holds (a plant answer takes a few cycles); fails with the last value seen. */
  const eventually = async <T>(read: () => Promise<T>, check: (v: T) => boolean, what: string) => {
    let last: T | undefined;
    for (let k = 0; k < 200; k++) {
      last = await read();
      if (check(last)) return last;
      await sleep(25);
    }
    assert.fail(`${what}: last seen ${JSON.stringify(last)}`);
  };
  const call = (methodId: string, args: Variant[]) => callMethod(session, ids.folder, methodId, args);

  it("plays the demo plant alone at the IO list's NodeIds and reports no mismatch", async () => {
    assert.match(plant.endpoint, /^opc\.tcp:\/\/127\.0\.0\.1:\d+\/twinbench$/);
    assert.equal(plant.model, "demo-cell");
    assert.equal(plant.signals.length, 27);
    assert.deepEqual(plant.mismatches, []);
    const level = await value(N("BufferTank.Level"));
    assert.equal(level.good, true);
    assert.ok(Math.abs((level.value as number) - 1.2) < 0.02);
    assert.equal((await value(N("FeedPump.RunCommand"))).value, false);
    const t1 = (await value(ids.simulationTime)).value as number;
    await eventually(() => value(ids.simulationTime), (v) => (v.value as number) > t1 + 1, "the plant clock runs at ×10");
    assert.equal((await value(ids.speed)).value, 10);
  });

  it("serves analog sensors with their range and units", async () => {
    const [range] = await session.translateBrowsePath([makeBrowsePath(N("BufferTank.Level"), ".EURange")]);
    const eu = (await session.read({ nodeId: range!.targets![0]!.targetId, attributeId: AttributeIds.Value })).value.value as { low: number; high: number };
    assert.deepEqual([eu.low, eu.high], [0, 2.5]);
  });

  it("sensors are read-only; actuators take commands of the right type within range, and the plant obeys", async () => {
    const statuses = await writeValues(session, [
      { nodeId: N("BufferTank.Level"), value: 1, type: "Double" },
      { nodeId: N("FeedPump.SpeedCommand"), value: 5000, type: "Double" },
      { nodeId: N("FeedPump.RunCommand"), value: true, type: "Boolean" },
      { nodeId: N("FeedPump.SpeedCommand"), value: 2600, type: "Double" },
    ]);
    assert.deepEqual(statuses.map((s) => s.name), ["BadNotWritable", "BadOutOfRange", "Good", "Good"]);
    const wrongType = await session.write({ nodeId: N("FeedPump.RunCommand"), attributeId: AttributeIds.Value, value: { value: new Variant({ dataType: DataType.Double, value: 1 }) } });
    assert.equal(wrongType.name, "BadTypeMismatch");
    await eventually(() => value(N("FeedPump.Speed")), (v) => (v.value as number) > 2400, "the pump runs up to speed");
    assert.equal((await value(N("FeedPump.Running"))).value, true);
  });

  it("injects and clears sensor faults through its OPC UA method: stuck, bad quality", async () => {
    await call(ids.injectFaults, [stringVariant(JSON.stringify([{ tag: "bufferTank.level", kind: "stuck", value: 0.5 }, { tag: "bufferTank.temperature", kind: "bad" }]))]);
    await eventually(() => value(N("BufferTank.Level")), (v) => v.value === 0.5 && v.good, "the level is stuck at 0.5");
    const temperature = await eventually(() => value(N("BufferTank.Temperature")), (v) => v.status === "BadSensorFailure", "the temperature is Bad");
    assert.equal(typeof temperature.value, "number", "a Bad value holds the last reading");
    const active = JSON.parse(textValue((await readValues(session, [ids.activeFaults]))[0])!) as ActiveFault[];
    const row = plant.ioTable().find((r) => r.tag === "bufferTank.level")!;
    assert.deepEqual([row.nodeId, row.direction, row.value, row.status, row.fault?.spec.kind], ["ns=1;s=DemoCell.BufferTank.Level", "input", 0.5, "Good", "stuck"]);
    assert.deepEqual(active.map((f) => `${f.spec.tag} ${f.spec.kind} ${f.state}`).sort(), ["bufferTank.level stuck active", "bufferTank.temperature bad active"]);
    await call(ids.clearFaults, [stringsVariant([])]);
    await eventually(() => value(N("BufferTank.Temperature")), (v) => v.good, "quality back to Good");
    assert.deepEqual(plant.faults(), []);
  });

  it("refuses a fault that does not apply, saying why", async () => {
    await assert.rejects(call(ids.injectFaults, [stringVariant('[{"tag":"bufferTank.level","kind":"trip"}]')]), /BadInvalidArgument \(fault trip on bufferTank\.level: bufferTank\.level is a sensor/);
    assert.throws(() => plant.injectFaults([{ tag: "bufferTank.level", kind: "offset", offset: 1 }, { tag: "nope.x", kind: "bad" }]), /nope\.x/);
    assert.deepEqual(plant.faults(), [], "all or nothing");
  });

  it("a motor trip stops the pump whatever the PLC commands; the API tells listeners", async () => {
    const seen: ActiveFault[][] = [];
    const off = plant.onDidChangeFaults((f) => seen.push(f));
    plant.injectFaults([{ tag: "feedPump.runCommand", kind: "trip" }]);
    await eventually(() => value(N("FeedPump.Running")), (v) => v.value === false, "the drive trips");
    assert.equal((await value(N("FeedPump.RunCommand"))).value, true, "the node still shows what the PLC commanded");
    plant.clearFaults(["feedPump.runCommand"]);
    await eventually(() => value(N("FeedPump.Running")), (v) => v.value === true, "the drive runs again once the trip is reset");
    off();
    assert.ok(seen.length >= 2);
  });

  it("a scheduled fault starts after its delay and ends after its duration (plant seconds)", async () => {
    plant.injectFaults([{ tag: "bufferTank.outletFlow", kind: "offset", offset: 7, delayS: 2, durationS: 3 }]);
    assert.equal(plant.faults()[0]!.state, "scheduled");
    await eventually(() => value(N("BufferTank.OutletFlow")), (v) => (v.value as number) >= 7, "the offset starts");
    await eventually(async () => plant.faults(), (f) => f.length === 0, "the fault ends itself");
  });

  it("sets plant states through its method", async () => {
    await call(ids.setState, [stringsVariant(["bufferTank.level"]), doublesVariant([2.0])]);
    await eventually(() => value(N("Simulation.TankLevel")), (v) => (v.value as number) > 1.95, "the true level jumps");
    await assert.rejects(call(ids.setState, [stringsVariant(["bufferTank.level"]), doublesVariant([9])]), /out of range, allowed \[0, 2\.5\] m/);
  });

  it("a loss of the connection closes every session for a while; actuators go safe; clients come back", async () => {
    await writeValues(session, [{ nodeId: N("FeedPump.RunCommand"), value: true, type: "Boolean" }]);
    await call(ids.dropConnections, [doubleVariant(10)]);
    await eventually(async () => client.connected(), (up) => !up, "the client loses its connection");
    await eventually(async () => client.connected(), (up) => up, "the client reconnects once the server serves again");
    assert.equal((await value(N("FeedPump.RunCommand"))).value, false, "the drive enable dropped with the link");
    assert.ok(log.some((l) => /connection loss: every session closed/.test(l)));
  });

  it("reports its cycle statistics", () => {
    const stats = plant.cycleStats();
    assert.ok(stats.cycles > 10);
    assert.ok(Math.abs(stats.periodP50Ms - 10) < 2, `median period ${stats.periodP50Ms} ms`);
  });
});

describe("plant server from an IO list alone", () => {
  it("plays io-rig for a scene without a plant model of its own", async () => {
    const temp = tempFolder("plant-rig");
    const scene = { ...demoScene(), simulation: undefined };
    const io = parseIoList("tag,nodeId,dataType,direction,range,unit\nbufferTank.level,ns=1;s=DemoCell.BufferTank.Level,Double,input,0..2.5,m\nmixer.run,ns=1;s=Rig.Mixer.Run,Boolean,output,,");
    assert.ok(io.ok);
    if (!io.ok) return;
    const plant = await startPlantServer({ scene, ioList: io.ioList, port: 0, pkiFolder: join(temp.path, "pki"), cycleMs: 20 });
    const client = await connectClient(plant.endpoint, { name: "rig-test", pkiFolder: join(temp.path, "client") });
    try {
      assert.equal(plant.model, "io-rig");
      const [level] = await readValues(client.session, ["ns=1;s=DemoCell.BufferTank.Level"]);
      const v = plainValue(level).value as number;
      assert.ok(v >= 0 && v <= 2.5);
      const [status] = await writeValues(client.session, [{ nodeId: "ns=1;s=Rig.Mixer.Run", value: true, type: "Boolean" }]);
      assert.equal(status!.name, StatusCodes.Good.name);
    } finally {
      await client.close();
      await plant.stop();
      temp.remove();
    }
  });

  it("refuses to start when the IO list makes a sensor an output, naming the tag", async () => {
    const temp = tempFolder("plant-bad");
    const io = parseIoList("tag,nodeId,dataType,direction\nbufferTank.level,ns=1;s=DemoCell.BufferTank.Level,Double,output");
    assert.ok(io.ok);
    try {
      if (io.ok) await assert.rejects(startPlantServer({ scene: demoScene(), ioList: io.ioList, port: 0, pkiFolder: join(temp.path, "pki") }), /bufferTank\.level .*writable but simulation "demo-cell" computes it/);
    } finally {
      temp.remove();
    }
  });
});
