// Where a suite's tags are read: the PLC for what the operator sees, the plant server for field signals
// and ground truth, or the side a prefix names.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadIoListFile } from "../../../src-main/commissioning/files";
import { TagDirectory } from "../../../src-main/commissioning/runner/tag-directory";
import { parseScene } from "../../../src-main/common/scene/parse";

const r = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
if (!r.ok) throw new Error("demo scene");
const directory = new TagDirectory(r.scene, loadIoListFile("scenes/demo-cell.io.csv"), "DemoCell", {
  "cell.faultCode": { nodeId: "ns=1;s=DemoCell.Cell.FaultCode", dataType: "Int32", writable: false },
});

describe("tag directory", () => {
  it("reads scene tags at the PLC and IO-only signals and ground truth at the plant", () => {
    assert.deepEqual(directory.resolve({ id: "bufferTank.level" }), { key: "plc:bufferTank.level", side: "plc", nodeId: "ns=1;s=DemoCell.BufferTank.Level", dataType: "Double", writable: false, unit: "m", range: [0, 2.5] });
    assert.equal(directory.require({ id: "feedPump.runCommand" }).key, "plant:feedPump.runCommand");
    assert.deepEqual(directory.resolve({ id: "truth.tankLevel" }), { key: "plant:truth.tankLevel", side: "plant", nodeId: "ns=1;s=DemoCell.Simulation.TankLevel", dataType: "Double", writable: false });
    assert.equal(directory.require({ id: "cell.faultCode" }).nodeId, "ns=1;s=DemoCell.Cell.FaultCode");
  });
  it("honours plant: and plc: prefixes", () => {
    assert.equal(directory.require({ id: "bufferTank.level", side: "plant" }).key, "plant:bufferTank.level");
    assert.equal(directory.require({ id: "fillingStation.inPosition", side: "plc" }).nodeId, "ns=1;s=DemoCell.FillingStation.InPosition", "a PLC shows its IO image at the IO list's NodeIds");
    assert.match(String(directory.resolve({ id: "cell.state", side: "plant" })), /the plant server has no signal cell\.state/);
  });
  it("allows writes only to the PLC's operator tags", () => {
    assert.equal(directory.check({ id: "bufferTank.levelSetpoint" }, "write"), undefined);
    assert.match(directory.check({ id: "bufferTank.level" }, "write")!, /not an operator tag/);
    assert.match(directory.check({ id: "feedPump.runCommand" }, "write")!, /not an operator tag/);
    assert.match(directory.check({ id: "nope.x" }, "read")!, /unknown tag/);
    assert.throws(() => directory.require({ id: "nope.x" }), /nope\.x: unknown tag/);
  });
});
