// The write path against the real simulated PLC over OPC UA (plant worker, server on 127.0.0.1, node-opcua
// client): an approved proposal is written and read back; a PLC that silently clamps fails the proposal,
// raises an alarm, and is not retried.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AttributeIds, OPCUACertificateManager, OPCUAClient, type ClientSession } from "node-opcua";
import { verifyAuditChain } from "../../../src-main/governance/audit-verify";
import type { WriteAlarm } from "../../../src-main/common/api/governance";
import { openGovernance, type Governance } from "../../../src-main/governance/index";
import { Refusal } from "../../../src-main/governance/refusal";
import { startSimulatedPlc, type SimulatedPlc } from "../../../src-main/plc/simulated-plc";
import { tempFolder } from "../../support/temp";
import { demoScene, FakeClock, PASSWORD, TEST_COST } from "../../unit/governance/support/fixtures";
import { OpcUaPlcWriter, PolledPlant, SilentlyClampingPlc } from "./support/opcua-plc-writer";

const FLOW = { tagId: "heatExchanger.coolantFlowSetpoint", nodeId: "ns=1;s=DemoCell.HeatExchanger.CoolantFlowSetpoint" };
const TEMP = { tagId: "bufferTank.temperatureSetpoint", nodeId: "ns=1;s=DemoCell.BufferTank.TemperatureSetpoint" };

describe("governed writes to the simulated PLC over OPC UA", () => {
  const temp = tempFolder("governance-plc");
  const scene = demoScene();
  const clock = new FakeClock();
  let plc: SimulatedPlc | undefined;
  let client: OPCUAClient | undefined;
  let session: ClientSession;
  let plant: PolledPlant;
  let writer: SilentlyClampingPlc;
  let gov: Governance;
  const alarms: WriteAlarm[] = [];
  const users: Record<string, Parameters<Governance["proposals"]["approve"]>[0]> = {};

  before(async () => {
    plc = await startSimulatedPlc({ scene, port: 0, pkiFolder: join(temp.path, "pki-plc") });
    client = OPCUAClient.create({
      applicationName: "twinbench-governance-test",
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0 },
      clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(temp.path, "pki-client") }),
    });
    await client.connect(plc.endpoint);
    session = await client.createSession();
    plant = new PolledPlant(session, scene);
    writer = new SilentlyClampingPlc(new OpcUaPlcWriter(session, scene));
    gov = openGovernance({ dataFolder: join(temp.path, "data"), scene, sceneFile: "scenes/demo-cell.scene.yaml", writer, conditions: plant, clock: clock.now, passwordCost: TEST_COST });
    gov.onDidRaiseAlarm((a) => alarms.push(a));
    await gov.auth.setupAdmin({ username: "admin", password: PASSWORD });
    const admin = gov.auth.resolve((await gov.auth.login("admin", PASSWORD)).token)!;
    const adminActor = { kind: "user" as const, userId: admin.user.id, username: "admin", role: "admin" as const };
    for (const name of ["erin", "eddie"]) await gov.users.create(adminActor, { username: name, password: PASSWORD, role: "engineer" });
    users.admin = admin;
    for (const name of ["erin", "eddie"]) users[name] = gov.auth.resolve((await gov.auth.login(name, PASSWORD)).token)!;
  });

  after(async () => {
    try {
      gov?.close();
      await session?.close();
    } finally {
      await client?.disconnect();
      await plc?.stop();
      temp.remove();
    }
  });

  const readPlc = async (nodeId: string) => (await session.read({ nodeId, attributeId: AttributeIds.Value })).value.value as number;
  const erin = () => ({ kind: "user" as const, userId: users.erin!.user.id, username: "erin", role: "engineer" as const });

  it("an approved proposal is written to the PLC and confirmed by reading it back", async () => {
    await plant.refresh();
    assert.equal(plant.currentValue(FLOW.tagId), 6, "the simulation starts at 6 m³/h");
    const p = await gov.proposals.propose(erin(), { tagId: FLOW.tagId, value: 7.5, reason: "more cooling", predictedEffect: { productOutTemp: { mean: -1.2, band: [-1.6, -0.8] } } });
    assert.equal(p.state, "pending");
    assert.equal(await readPlc(FLOW.nodeId), 6, "nothing written before the approval");
    const applied = await gov.proposals.approve(users.eddie!, p.id, { comment: "agreed" });
    assert.equal(applied.state, "applied", applied.failure);
    assert.deepEqual({ written: applied.write?.written, readBack: applied.write?.readBack, status: applied.write?.statusName, confirmed: applied.write?.confirmed }, { written: 7.5, readBack: 7.5, status: "Good", confirmed: true });
    assert.equal(await readPlc(FLOW.nodeId), 7.5, "another read sees the new setpoint");
    // The simulation took it: after a few more cycles the PLC still serves it.
    const cycles = plc!.cycles();
    while (plc!.cycles() < cycles + 3) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await readPlc(FLOW.nodeId), 7.5);
    const trail = gov.audit.list({ target: `proposal:${p.id}` }).map((e) => `${e.actor} ${e.action}`);
    assert.deepEqual(trail, ["erin proposal.proposed", "system:policy proposal.pending", "eddie proposal.approved", "system:write-path write.sent", "system:write-path write.confirmed"]);
  });

  it("a two-person setpoint is written after two approvals by two others", async () => {
    clock.advance(60_000);
    await plant.refresh();
    const p = await gov.proposals.propose(erin(), { tagId: TEMP.tagId, value: 58, reason: "warmer product" });
    assert.equal((await gov.proposals.approve(users.eddie!, p.id, { password: PASSWORD })).state, "pending");
    assert.equal(await readPlc(TEMP.nodeId), 55);
    const done = await gov.proposals.approve(users.admin!, p.id, { password: PASSWORD });
    assert.equal(done.state, "applied", done.failure);
    assert.equal(await readPlc(TEMP.nodeId), 58);
  });

  it("a PLC that silently clamps the value: the proposal fails, an alarm is raised, and it is never retried", async () => {
    clock.advance(60_000);
    await plant.refresh();
    writer.clamp = { tagId: TEMP.tagId, max: 60 };
    const callsBefore = writer.calls.length;
    const p = await gov.proposals.propose(erin(), { tagId: TEMP.tagId, value: 62, reason: "warmer still" });
    await gov.proposals.approve(users.eddie!, p.id, { password: PASSWORD });
    const out = await gov.proposals.approve(users.admin!, p.id, { password: PASSWORD });
    assert.equal(out.state, "failed");
    assert.equal(out.failure, "bufferTank.temperatureSetpoint: read-back 60 °C differs from the written 62 °C: the PLC changed the value; not retried");
    assert.deepEqual({ readBack: out.write?.readBack, status: out.write?.statusName, confirmed: out.write?.confirmed }, { readBack: 60, status: "Good", confirmed: false });
    assert.equal(await readPlc(TEMP.nodeId), 60, "the PLC holds the clamped value");
    assert.equal(alarms.length, 1);
    assert.deepEqual([alarms[0]!.tagId, alarms[0]!.proposalId], [TEMP.tagId, p.id]);
    assert.deepEqual(gov.alarms.list(true).map((a) => a.proposalId), [p.id]);
    // No retry, by itself or by approving again.
    await assert.rejects(gov.proposals.approve(users.eddie!, p.id, { password: PASSWORD }), (e: unknown) => e instanceof Refusal && e.rule === "state");
    clock.advance(3_600_000);
    gov.sweep();
    assert.equal(writer.calls.length, callsBefore + 1);
    const actions = gov.audit.list({ target: `proposal:${p.id}` }).map((e) => e.action);
    assert.deepEqual(actions.slice(-2), ["write.sent", "write.failed"]);
    writer.clamp = null;
  });

  it("the audit trail of all this verifies", () => {
    const report = verifyAuditChain(gov.dbFile);
    assert.equal(report.ok, true, report.firstBad?.message);
    assert.ok(report.entries > 20);
  });
});
