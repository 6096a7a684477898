// The simulated PLC without the plant worker: how scene tags are matched with simulation signals, how
// units and values are converted, and the server itself over loopback with an in-process fake simulation.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AttributeIds,
  DataType,
  OPCUACertificateManager,
  OPCUAClient,
  StatusCodes,
  TimestampsToReturn,
  Variant,
  VariantArrayType,
  type ClientSession,
} from "node-opcua";
import { parseScene } from "../../../src-main/common/scene/parse";
import type { Scene } from "../../../src-main/common/scene/schema";
import { coerceScalar, fromVariant } from "../../../src-main/plc/address-space";
import { engineeringUnits } from "../../../src-main/plc/engineering-units";
import { parsePlcNodeId, planPlc, PlcConfigError, SIMULATION_FOLDER_KEY } from "../../../src-main/plc/plan";
import { startSimulatedPlc, type SimulatedPlc, type SimulationLink } from "../../../src-main/plc/simulated-plc";
import type { SignalSpec, SignalValue, SimulationFrame } from "../../../src-workers/plant/simulation-types";

function demoScene(): Scene {
  const r = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scene;
}

/** Signals as the demo simulation is expected to offer them: one per scene tag, plus hidden truth. */
function signalsFor(scene: Scene): SignalSpec[] {
  const out: SignalSpec[] = [];
  for (const asset of scene.assets) {
    for (const [key, tag] of Object.entries(asset.tags)) {
      const input = tag.access === "readWrite";
      const range = input && tag.write ? ([tag.write.min, tag.write.max] as [number, number]) : tag.range;
      out.push({
        name: `${asset.id}.${key}`,
        type: tag.dataType === "Float" ? "Double" : tag.dataType,
        direction: input ? "input" : "output",
        ...(tag.unit !== undefined ? { unit: tag.unit } : {}),
        ...(range !== undefined ? { range } : {}),
      });
    }
  }
  out.push({ name: "truth.bearingWear", type: "Double", direction: "output", unit: "1", hidden: true, range: [0, 1] });
  out.push({ name: "truth.foulingResistance", type: "Double", direction: "output", unit: "m²K/kW", hidden: true });
  return out;
}

/** A stand-in for the plant worker: heartbeat counts steps, the tank level oscillates, inputs are checked like the real one. */
class FakeSimulation implements SimulationLink {
  readonly values = new Map<string, SignalValue>();
  timeS = 0;
  disposed = 0;
  failSteps = false;
  constructor(readonly signals: SignalSpec[]) {
    for (const s of signals) this.values.set(s.name, s.type === "Boolean" ? false : s.type === "DoubleArray" ? [0.5, 1.5] : (s.range?.[0] ?? 0));
  }
  async init(): Promise<SignalSpec[]> {
    return this.signals;
  }
  async step(dtS: number): Promise<SimulationFrame> {
    if (this.failSteps) throw new Error("worker gone");
    this.timeS += dtS;
    this.values.set("cell.heartbeat", (this.values.get("cell.heartbeat") as number) + 1);
    this.values.set("bufferTank.level", 1 + 0.2 * Math.sin(this.timeS * 5));
    return this.frame();
  }
  async write(name: string, value: SignalValue): Promise<void> {
    const s = this.signals.find((x) => x.name === name);
    if (!s || s.direction !== "input") throw new RangeError(`${name}: not an input`);
    if (s.type === "Boolean" ? typeof value !== "boolean" : typeof value !== "number") throw new RangeError(`${name}: wrong type`);
    if (typeof value === "number" && s.range && (value < s.range[0] || value > s.range[1])) throw new RangeError(`${name}: ${value} out of range`);
    this.values.set(name, value);
  }
  async frame(): Promise<SimulationFrame> {
    const scalars = new Float64Array(this.signals.length);
    const arrays: Record<string, Float64Array> = {};
    this.signals.forEach((s, i) => {
      const v = this.values.get(s.name)!;
      if (Array.isArray(v)) {
        arrays[s.name] = Float64Array.from(v);
        scalars[i] = NaN;
      } else scalars[i] = typeof v === "boolean" ? Number(v) : v;
    });
    return { timeS: this.timeS, scalars, arrays };
  }
  async dispose(): Promise<void> {
    this.disposed++;
  }
}

describe("simulated PLC plan", () => {
  it("accepts only NodeIds of the server's own namespace (ns=1)", () => {
    assert.deepEqual(parsePlcNodeId("ns=1;s=DemoCell.BufferTank.Level"), { kind: "s", identifier: "DemoCell.BufferTank.Level" });
    assert.deepEqual(parsePlcNodeId("ns=1;i=42"), { kind: "i", identifier: "42" });
    assert.throws(() => parsePlcNodeId("ns=2;s=X"), /namespace 2.*ns=1/);
    assert.throws(() => parsePlcNodeId("s=X"), /namespace index/);
    assert.throws(() => parsePlcNodeId("nsu=urn:x;s=X"), /namespace URI/);
  });

  it("binds every demo tag at its NodeId, nests folders as the assets and puts truth under Simulation", () => {
    const scene = demoScene();
    const plan = planPlc(scene, signalsFor(scene));
    assert.equal(plan.rootPrefix, "DemoCell");
    assert.equal(plan.root.nodeId, "ns=1;s=DemoCell");
    assert.deepEqual(
      plan.folders.map((f) => [f.browseName, f.parentKey]),
      [["Cell", null], ["FeedPump", "cell"], ["BufferTank", "cell"], ["HeatExchanger", "cell"], ["FillingStation", "cell"], ["Simulation", null]],
    );
    const tagCount = scene.assets.reduce((n, a) => n + Object.keys(a.tags).length, 0);
    assert.equal(plan.variables.filter((v) => v.tagId).length, tagCount);
    const level = plan.variables.find((v) => v.tagId === "bufferTank.level")!;
    assert.equal(level.nodeId, "ns=1;s=DemoCell.BufferTank.Level");
    assert.equal(level.browseName, "Level");
    assert.equal(level.analog, true);
    assert.deepEqual(level.range, [0, 2.5]);
    assert.equal(plan.variables.find((v) => v.tagId === "cell.heartbeat")!.analog, false);
    assert.equal(plan.variables.find((v) => v.tagId === "bufferTank.temperatureSetpoint")!.writable, true);
    assert.equal(plan.variables.find((v) => v.tagId === "bufferTank.temperature")!.writable, false);
    const wear = plan.variables.find((v) => v.signal.name === "truth.bearingWear")!;
    assert.equal(wear.nodeId, "ns=1;s=DemoCell.Simulation.BearingWear");
    assert.equal(wear.folderKey, SIMULATION_FOLDER_KEY);
    assert.match(wear.description!, /ground truth/);
    assert.deepEqual(plan.unbound, []);
  });

  it("a tag without a signal names the tag, its NodeId and what the simulation offers", () => {
    const scene = demoScene();
    const signals = signalsFor(scene).filter((s) => s.name !== "bufferTank.level");
    assert.throws(
      () => planPlc(scene, signals),
      (err: unknown) => {
        assert.ok(err instanceof PlcConfigError);
        assert.equal(err.problems.length, 1);
        assert.match(err.message, /bufferTank\.level/);
        assert.match(err.message, /ns=1;s=DemoCell\.BufferTank\.Level/);
        assert.match(err.message, /offers for bufferTank: bufferTank\.temperature \(Double output\)/);
        return true;
      },
    );
  });

  it("a type or direction that differs from the simulation's is an error naming both", () => {
    const scene = demoScene();
    const signals = signalsFor(scene).map((s) =>
      s.name === "cell.state" ? { ...s, type: "Double" as const } : s.name === "bufferTank.levelSetpoint" ? { ...s, direction: "output" as const } : s,
    );
    assert.throws(() => planPlc(scene, signals), (err: unknown) => {
      assert.ok(err instanceof PlcConfigError);
      assert.equal(err.problems.length, 2);
      assert.match(err.problems[0]!, /cell\.state .*Int32 in|says Int32 but .* offers cell\.state \(Double output\)/);
      assert.match(err.problems[1]!, /bufferTank\.levelSetpoint.*writable.*computes it/);
      return true;
    });
  });

  it("rejects a tag outside namespace 1 by name", () => {
    const scene = demoScene();
    scene.assets[0]!.tags.state!.nodeId = "ns=3;s=Elsewhere.State";
    assert.throws(() => planPlc(scene, signalsFor(scene)), /tag cell\.state \(NodeId ns=3;s=Elsewhere\.State.*namespace 3/);
  });
});

describe("simulated PLC conversions", () => {
  it("maps scene units to UN/CEFACT engineering units, unknown ones with unitId -1", () => {
    assert.equal(engineeringUnits("m").displayName.text, "m");
    assert.equal(engineeringUnits("°C").unitId, engineeringUnits("degC").unitId);
    assert.equal(engineeringUnits("m³/h").displayName.text, "m³/h");
    assert.equal(engineeringUnits("rpm").displayName.text, "r/min");
    assert.equal(engineeringUnits("mm/s").unitId, (0x43 << 16) | (0x31 << 8) | 0x36); // "C16"
    const unknown = engineeringUnits("items");
    assert.equal(unknown.unitId, -1);
    assert.equal(unknown.displayName.text, "items");
  });

  it("coerces frame scalars to the served type", () => {
    assert.equal(coerceScalar(1, "Boolean"), true);
    assert.equal(coerceScalar(0, "Boolean"), false);
    assert.equal(coerceScalar(2.6, "Int32"), 3);
    assert.equal(coerceScalar(-4, "UInt32"), 0);
    assert.equal(coerceScalar(0.1, "Float"), Math.fround(0.1));
    assert.equal(coerceScalar(0.1, "Double"), 0.1);
  });

  it("accepts a written Variant only of exactly the variable's type", () => {
    assert.equal(fromVariant(new Variant({ dataType: DataType.Double, value: 60 }), "Double"), 60);
    assert.equal(fromVariant(new Variant({ dataType: DataType.Float, value: 60 }), "Double"), undefined);
    assert.equal(fromVariant(new Variant({ dataType: DataType.Boolean, value: true }), "Boolean"), true);
    assert.equal(fromVariant(new Variant({ dataType: DataType.Int32, value: 1 }), "Boolean"), undefined);
    assert.deepEqual(
      fromVariant(new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2] }), "DoubleArray"),
      [1, 2],
    );
    assert.equal(fromVariant(new Variant({ dataType: DataType.Double, value: 1 }), "DoubleArray"), undefined);
  });
});

describe("simulated PLC over loopback with a fake simulation", () => {
  const temp = mkdtempSync(join(tmpdir(), "twinbench-plc-unit-"));
  const scene = demoScene();
  const fake = new FakeSimulation(signalsFor(scene));
  const logLines: string[] = [];
  let plc: SimulatedPlc;
  let client: OPCUAClient;
  let session: ClientSession;

  before(async () => {
    plc = await startSimulatedPlc({ scene, port: 0, pkiFolder: join(temp, "pki"), simulation: fake, cycleMs: 20, log: (l) => logLines.push(l) });
    client = OPCUAClient.create({
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0 },
      clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(temp, "client-pki") }),
    });
    await client.connect(plc.endpoint);
    session = await client.createSession();
  });

  after(async () => {
    await session?.close().catch(() => {});
    await client?.disconnect().catch(() => {});
    await plc?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it("serves on the port it reports and steps the simulation", async () => {
    assert.match(plc.endpoint, /^opc\.tcp:\/\/127\.0\.0\.1:\d+\/twinbench$/);
    assert.doesNotMatch(plc.endpoint, /:0\//);
    const before = plc.cycles();
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(plc.cycles() > before + 3, `cycles ${before} → ${plc.cycles()}`);
    const hb = await session.read({ nodeId: "ns=1;s=DemoCell.Cell.Heartbeat", attributeId: AttributeIds.Value });
    assert.equal(hb.value.dataType, DataType.UInt32);
    assert.ok((hb.value.value as number) > 0);
    const items = await session.read({ nodeId: "ns=1;s=DemoCell.FillingStation.ItemPositions", attributeId: AttributeIds.Value });
    assert.equal(items.value.arrayType, VariantArrayType.Array);
    assert.deepEqual(Array.from(items.value.value as Float64Array), [0.5, 1.5]);
  });

  it("writes go through the simulation: accepted, out of range, wrong type, read-only", async () => {
    const nodeId = "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint";
    const write = (value: Variant) => session.write({ nodeId, attributeId: AttributeIds.Value, value: { value } });
    assert.equal((await write(new Variant({ dataType: DataType.Double, value: 60 }))).name, "Good");
    assert.equal(fake.values.get("bufferTank.temperatureSetpoint"), 60);
    assert.equal((await session.read({ nodeId, attributeId: AttributeIds.Value })).value.value, 60);
    assert.equal((await write(new Variant({ dataType: DataType.Double, value: 500 }))).name, StatusCodes.BadOutOfRange.name);
    assert.equal((await write(new Variant({ dataType: DataType.String, value: "hot" }))).name, StatusCodes.BadTypeMismatch.name);
    await new Promise((r) => setTimeout(r, 60));
    const after = await session.read({ nodeId, attributeId: AttributeIds.Value });
    assert.equal(after.value.value, 60);
    assert.equal(after.statusCode.name, "Good");
    const ro = await session.write({
      nodeId: "ns=1;s=DemoCell.BufferTank.Level",
      attributeId: AttributeIds.Value,
      value: { value: new Variant({ dataType: DataType.Double, value: 1 }) },
    });
    assert.equal(ro.name, StatusCodes.BadNotWritable.name);
  });

  it("grants sampling and publishing faster than node-opcua's 50 ms floor", async () => {
    const subscription = await session.createSubscription2({
      requestedPublishingInterval: 20,
      requestedMaxKeepAliveCount: 50,
      requestedLifetimeCount: 200,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    });
    try {
      assert.equal(subscription.publishingInterval, 20);
      const item = await subscription.monitor(
        { nodeId: "ns=1;s=DemoCell.Cell.Heartbeat", attributeId: AttributeIds.Value },
        { samplingInterval: 20, queueSize: 10, discardOldest: true },
        TimestampsToReturn.Both,
      );
      assert.equal(item.result?.revisedSamplingInterval, 20);
      let changes = 0;
      item.on("changed", () => changes++);
      await new Promise((r) => setTimeout(r, 600));
      // 20 ms cycles for 0.6 s: about 30 heartbeats; a 50 ms floor would allow at most 12.
      assert.ok(changes >= 18, `${changes} changes`);
    } finally {
      await subscription.terminate();
    }
  });

  it("failing steps mark the values UncertainLastUsableValue until the simulation steps again", async () => {
    const readLevel = () => session.read({ nodeId: "ns=1;s=DemoCell.BufferTank.Level", attributeId: AttributeIds.Value });
    fake.failSteps = true;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await readLevel()).statusCode.name, StatusCodes.UncertainLastUsableValue.name);
    const setpoint = await session.read({ nodeId: "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint", attributeId: AttributeIds.Value });
    assert.equal(setpoint.statusCode.name, StatusCodes.UncertainLastUsableValue.name);
    assert.equal(setpoint.value.value, 60);
    fake.failSteps = false;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await readLevel()).statusCode.name, "Good");
    assert.equal((await session.read({ nodeId: "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint", attributeId: AttributeIds.Value })).statusCode.name, "Good");
    assert.ok(logLines.some((l) => /simulation step failed .*worker gone/.test(l)), logLines.join("\n"));
  });

  it("stop is idempotent, disposes the simulation once and does not wait for connected clients", async () => {
    const t0 = Date.now();
    await Promise.all([plc.stop(), plc.stop()]);
    await plc.stop();
    assert.ok(Date.now() - t0 < 3000, `stop took ${Date.now() - t0} ms`);
    assert.equal(fake.disposed, 1);
    await session.close().catch(() => {});
    await client.disconnect();
  });
});
