// The IO list as engineers keep it, and its line-by-line check against the scene and the plant model.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { checkIoList, formatIoMismatches, ioRigSignals } from "../../../src-main/commissioning/io/io-check";
import { parseIoList, type IoList } from "../../../src-main/commissioning/io/io-list";
import { parseScene } from "../../../src-main/common/scene/parse";
import type { Scene } from "../../../src-main/common/scene/schema";
import { DEMO_CELL_PLANT_SIGNALS } from "../../../src-workers/models/demo-cell/plant-model";

const DEMO_CSV = readFileSync("scenes/demo-cell.io.csv", "utf8");
const HEADER = "tag,nodeId,dataType,direction,range,unit,description";
const MODEL = { name: "demo-cell", signals: DEMO_CELL_PLANT_SIGNALS };

function scene(): Scene {
  const r = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scene;
}

function list(text: string): IoList {
  const r = parseIoList(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.ioList;
}

describe("IO list parsing", () => {
  it("reads the demo IO list: 21 sensors and 6 actuators, with their lines", () => {
    const io = list(DEMO_CSV);
    assert.equal(io.signals.length, 27);
    assert.equal(io.signals.filter((s) => s.direction === "output").length, 6);
    const level = io.signals.find((s) => s.tag === "bufferTank.level")!;
    assert.deepEqual(level, { tag: "bufferTank.level", nodeId: "ns=1;s=DemoCell.BufferTank.Level", dataType: "Double", direction: "input", range: [0, 2.5], unit: "m", description: "LT-201 tank level transmitter", line: 11 });
    assert.equal(io.signals.find((s) => s.tag === "feedPump.vibration")!.description, "VT-101 bearing housing vibration, RMS", "quoted field with a comma");
  });

  it("reads a semicolon export with decimal commas, PLC type names, synonyms in the header and min/max columns", () => {
    const io = list(["# exported from the E-CAD tool", "Signal;Address;Type;IO;Min;Max;EU;Comment", 'tank.level;"ns=1;s=T.Level";LREAL;AI;0;2,5;m;"LT; level"', 'tank.pump;"ns=1;s=T.Pump";BOOL;DO;;;;'].join("\r\n"));
    assert.deepEqual(io.signals[0], { tag: "tank.level", nodeId: "ns=1;s=T.Level", dataType: "Double", direction: "input", range: [0, 2.5], unit: "m", description: "LT; level", line: 3 });
    assert.deepEqual(io.signals[1], { tag: "tank.pump", nodeId: "ns=1;s=T.Pump", dataType: "Boolean", direction: "output", line: 4 });
  });

  it("reports every bad row with its line and what was expected", () => {
    const r = parseIoList([HEADER, "a.b,ns=1;s=A.B,Dobule,input,0..1,,", "a.c,ns=1;s=A.C,Double,sideways,0..1,,", "a.d,s=A.D,Double,input,5..1,,", "a.b,ns=1;s=A.E,Double,input,,,", "bad tag,ns=1;s=A.F,Boolean,input,,,", 'a.g,ns=1;s=A.G,Double,input,"0..1,,'].join("\n"));
    assert.equal(r.ok, false);
    if (r.ok) return;
    const byLine = r.problems.map((p) => `${p.line}: ${p.message}`);
    assert.match(byLine.find((l) => l.startsWith("2:"))!, /dataType "Dobule" is not one of Double, Float/);
    assert.match(byLine.find((l) => l.startsWith("3:"))!, /direction "sideways" is not input \(sensor → PLC\) or output/);
    assert.match(byLine.find((l) => l.startsWith("4:"))!, /range 5\.\.1: low must be less than high/);
    assert.match(byLine.find((l) => l.startsWith("5:"))!, /tag a\.b is listed twice \(first at line 2\)/);
    assert.match(byLine.find((l) => l.startsWith("6:"))!, /tag "bad tag": expected <asset id>\.<key>/);
    assert.match(byLine.find((l) => l.startsWith("7:"))!, /quoted field is not closed/);
  });

  it("names missing header columns", () => {
    const r = parseIoList("tag,address\na.b,ns=1;s=X");
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.problems[0]!.message, /lacks columns dataType, direction/);
  });
});

describe("IO list against the scene and the plant model", () => {
  it("the demo IO list matches the demo scene and plant model", () => {
    assert.deepEqual(checkIoList(list(DEMO_CSV), scene(), MODEL), []);
  });

  it("a wrong NodeId and a wrong data type are reported line by line", () => {
    const text = DEMO_CSV.replace("ns=1;s=DemoCell.BufferTank.Level,Double", "ns=1;s=DemoCell.BufferTank.Levl,Double").replace(
      "feedPump.running,ns=1;s=DemoCell.FeedPump.Running,Boolean",
      "feedPump.running,ns=1;s=DemoCell.FeedPump.Running,Int32",
    );
    const mismatches = checkIoList(list(text), scene(), MODEL);
    const report = formatIoMismatches("scenes/demo-cell.io.csv", mismatches);
    assert.match(report, /^scenes\/demo-cell\.io\.csv:11: bufferTank\.level: NodeId: the IO list has ns=1;s=DemoCell\.BufferTank\.Levl, the scene binds bufferTank\.level to ns=1;s=DemoCell\.BufferTank\.Level$/m);
    assert.match(report, /^scenes\/demo-cell\.io\.csv:5: feedPump\.running: data type: the IO list says Int32, the scene says Boolean$/m);
    assert.match(report, /^scenes\/demo-cell\.io\.csv:5: feedPump\.running: data type: the IO list says Int32, the plant model serves Boolean$/m);
    assert.deepEqual(mismatches.map((m) => m.line), [5, 5, 11]);
  });

  it("reports direction, range, units, unknown tags and rows the IO list lacks", () => {
    const rows = DEMO_CSV.split("\n");
    const edited = rows
      .map((r) => (r.startsWith("bufferTank.temperature,") ? r.replace(",input,0..100,°C,", ",output,0..120,K,") : r))
      .map((r) => (r.startsWith("fillingStation.fillVolume,") ? r.replace("0..5,L", "0..5,mL") : r))
      .filter((r) => !r.startsWith("feedPump.speedCommand,"))
      .concat(["bufferTank.levelSetpoint,ns=1;s=DemoCell.BufferTank.LevelSetpoint,Double,input,0..2.5,m,", "mixer.speed,ns=1;s=DemoCell.Mixer.Speed,Double,input,0..100,rpm,"]);
    const m = checkIoList(list(edited.join("\n")), scene(), MODEL);
    const text = m.map((x) => `${x.line ?? "-"} ${x.tag} ${x.field}: ${x.message}`);
    assert.ok(text.some((t) => /^12 bufferTank\.temperature direction: direction: the IO list says output .* expected input/.test(t)), text.join("\n"));
    assert.ok(text.some((t) => /^12 bufferTank\.temperature range: range: the IO list has 0\.\.120, the scene 0\.\.100/.test(t)));
    assert.ok(text.some((t) => /^12 bufferTank\.temperature unit: units: the IO list has K, the scene °C/.test(t)));
    assert.ok(text.some((t) => /fillingStation\.fillVolume unit: units: the IO list has mL, the plant model L/.test(t)));
    assert.ok(text.some((t) => /bufferTank\.levelSetpoint direction: .*operator tag \(role setpoint/.test(t)));
    assert.ok(text.some((t) => /mixer\.speed tag: missing tag: neither the scene nor the plant model "demo-cell" knows mixer\.speed/.test(t)));
    assert.ok(text.some((t) => /^- feedPump\.speedCommand tag: missing tag: the plant model's actuator feedPump\.speedCommand has no row/.test(t)));
    assert.equal(m[m.length - 1]!.line, undefined, "rows the list lacks come last");
  });

  it("a NodeId outside the servers' namespace is a mismatch", () => {
    const m = checkIoList(list(DEMO_CSV.replace("ns=1;s=DemoCell.FeedPump.Flow", "ns=3;s=DemoCell.FeedPump.Flow")), scene());
    assert.ok(m.some((x) => x.line === 7 && x.field === "nodeId" && /namespace 3; the plant server serves only/.test(x.message)), JSON.stringify(m));
  });

  it("turns an IO list into the signals an io-rig plant plays: sensors out, actuators in", () => {
    const signals = ioRigSignals(list(DEMO_CSV));
    assert.deepEqual(signals.find((s) => s.name === "bufferTank.level"), { name: "bufferTank.level", type: "Double", direction: "output", unit: "m", range: [0, 2.5], description: "LT-201 tank level transmitter" });
    assert.equal(signals.find((s) => s.name === "fillingStation.fillValveCommand")!.direction, "input");
  });
});
