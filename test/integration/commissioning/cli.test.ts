// The commissioning commands as a user runs them: real child processes, real ports.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Command } from "commander";
import { registerCommissioningCommands } from "../../../src-main/commissioning/cli";
import { callMethod, connectClient, doublesVariant, plainValue, readValues, stringsVariant } from "../../../src-main/commissioning/opcua/client";
import { softPlcNodeIds } from "../../../src-main/commissioning/plant/plant-layout";
import { startServingChild } from "../../../src-main/commissioning/softplc/softplc-child";
import { DEMO_SCENE_PATH } from "../../support/demo-stack";
import { tempFolder } from "../../support/temp";
import { CLI_ENTRY, runCommissioningCli } from "./support/cli";

const temp = tempFolder("commissioning-cli");
after(() => temp.remove());

describe("commissioning commands: help and argument checks", () => {
  const program = new Command().name("twinbench");
  registerCommissioningCommands(program);
  for (const command of ["serve-plant", "softplc", "check-io", "commission"]) {
    it(`documents ${command}`, () => {
      const help = program.commands.find((c) => c.name() === command)!.helpInformation();
      assert.match(help, new RegExp(`Usage: twinbench ${command}`));
    });
  }
  it("softplc --help lists the documented defects with what they break", async () => {
    const r = await runCommissioningCli(["softplc", "--help"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.replace(/\s+/g, " "), /missing-high-level-interlock: .*wrong-level-sensor-address: .*hang-on-failed-sensor: /);
  });
  it("rejects a plant speed out of range and an unknown defect", async () => {
    const speed = await runCommissioningCli(["serve-plant", "--speed", "20"]);
    assert.notEqual(speed.code, 0);
    assert.match(speed.stderr, /"20" is not a plant speed between 0\.5 and 10/);
    const defect = await runCommissioningCli(["softplc", "--plant", "opc.tcp://127.0.0.1:1", "--defect", "flaky"]);
    assert.match(defect.stderr, /unknown defect "flaky"; documented defects: /);
  });
});

describe("twinbench check-io", () => {
  it("accepts the demo IO list", async () => {
    const r = await runCommissioningCli(["check-io", "--scene", DEMO_SCENE_PATH]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /IO list scenes\/demo-cell\.io\.csv matches "Demo process cell": 27 signals \(21 inputs, 6 outputs\)/);
  });
  it("reports a wrong NodeId and a wrong data type line by line, and exits 1", async () => {
    const file = join(temp.path, "wrong.io.csv");
    writeFileSync(
      file,
      readFileSync("scenes/demo-cell.io.csv", "utf8")
        .replace("ns=1;s=DemoCell.BufferTank.Level,", "ns=1;s=DemoCell.BufferTank.Lvl,")
        .replace("fillingStation.itemsProduced,ns=1;s=DemoCell.FillingStation.ItemsProduced,UInt32", "fillingStation.itemsProduced,ns=1;s=DemoCell.FillingStation.ItemsProduced,Double"),
    );
    const r = await runCommissioningCli(["check-io", "--scene", DEMO_SCENE_PATH, "--io", file]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split("\n");
    assert.match(lines[0]!, /IO list .*wrong\.io\.csv does not match \(3 mismatches\):/);
    assert.match(lines[1]!, /wrong\.io\.csv:11: bufferTank\.level: NodeId: the IO list has ns=1;s=DemoCell\.BufferTank\.Lvl, the scene binds bufferTank\.level to ns=1;s=DemoCell\.BufferTank\.Level$/);
    assert.match(lines[2]!, /wrong\.io\.csv:22: fillingStation\.itemsProduced: data type: the IO list says Double, the scene says UInt32$/);
    assert.match(lines[3]!, /wrong\.io\.csv:22: fillingStation\.itemsProduced: data type: the IO list says Double, the plant model serves UInt32$/);
  });
  it("names the line of a row it cannot read", async () => {
    const file = join(temp.path, "broken.io.csv");
    writeFileSync(file, "tag,nodeId,dataType,direction\nbufferTank.level,ns=1;s=DemoCell.BufferTank.Level,Real64,input\n");
    const r = await runCommissioningCli(["check-io", "--scene", DEMO_SCENE_PATH, "--io", file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.io\.csv:2: bufferTank\.level: dataType "Real64" is not one of Double/);
  });
});

describe("twinbench serve-plant and twinbench softplc as their own processes", () => {
  it("the soft PLC connects to the plant server like a real PLC, serves its HMI and forces outputs through to the plant", async () => {
    const data = join(temp.path, "data");
    const plant = await startServingChild(CLI_ENTRY, ["serve-plant", "--scene", DEMO_SCENE_PATH, "--port", "0", "--speed", "5", "--cycle", "10", "--data", data], "plant-ready");
    try {
      const plc = await startServingChild(CLI_ENTRY, ["softplc", "--scene", DEMO_SCENE_PATH, "--plant", plant.endpoint, "--port", "0", "--data", data], "softplc-ready");
      const plcClient = await connectClient(plc.endpoint, { name: "cli-test-plc", pkiFolder: join(temp.path, "pki-plc") });
      const plantClient = await connectClient(plant.endpoint, { name: "cli-test-plant", pkiFolder: join(temp.path, "pki-plant") });
      try {
        const read = async (link: typeof plcClient, nodeId: string) => plainValue((await readValues(link.session, [nodeId]))[0]);
        let beat = (await read(plcClient, "ns=1;s=DemoCell.Cell.Heartbeat")).value as number;
        for (let k = 0; k < 100 && beat < 5; k++) {
          await new Promise((r) => setTimeout(r, 20));
          beat = (await read(plcClient, "ns=1;s=DemoCell.Cell.Heartbeat")).value as number;
        }
        assert.ok(beat >= 5, "the PLC scans");
        assert.ok(Math.abs(((await read(plcClient, "ns=1;s=DemoCell.BufferTank.Level")).value as number) - 1.2) < 0.05, "it serves the level it reads from the plant");
        const ids = softPlcNodeIds("DemoCell");
        await callMethod(plcClient.session, ids.folder, ids.force, [stringsVariant(["bufferTank.heaterCommand"]), doublesVariant([42])]);
        let heater = 0;
        for (let k = 0; k < 100 && heater !== 42; k++) {
          await new Promise((r) => setTimeout(r, 20));
          heater = (await read(plantClient, "ns=1;s=DemoCell.BufferTank.HeaterCommand")).value as number;
        }
        assert.equal(heater, 42, "a forced output reaches the plant");
        await assert.rejects(callMethod(plcClient.session, ids.folder, ids.force, [stringsVariant(["cell.state"]), doublesVariant([1])]), /cell\.state: not an IO list signal/);
      } finally {
        await plcClient.close();
        await plantClient.close();
        await plc.stop();
      }
    } finally {
      await plant.stop();
    }
  });
});
