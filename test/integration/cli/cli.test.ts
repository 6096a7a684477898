// The twinbench command as a user runs it: real child processes, real ports.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli, startWorkbench } from "../../support/cli-process";
import { DEMO_SCENE_PATH } from "../../support/demo-stack";
import { tempFolder } from "../../support/temp";
import { connectWsApi, logInAsAdmin } from "../../support/ws-client";

const temp = tempFolder("cli");
after(() => temp.remove());

describe("twinbench validate-scene", () => {
  it("accepts the demo scene and summarises it", () => {
    const r = runCli(["validate-scene", DEMO_SCENE_PATH]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid scene "Demo process cell": 5 assets, \d+ tags \(6 writable\)/);
  });

  it("exits non-zero naming the file, line, field path and expectation for a misspelled field", () => {
    const file = join(temp.path, "misspelled.scene.yaml");
    writeFileSync(file, readFileSync(DEMO_SCENE_PATH, "utf8").replace("        dataType: Boolean\n        role: alarm\n", "        dataTyp: Boolean\n        role: alarm\n"));
    const r = runCli(["validate-scene", file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: assets\\[0\\]\\.tags\\.interlockActive\\.dataTyp: unknown field "dataTyp" \\(did you mean "dataType"\\?\\)`));
    assert.match(r.stderr, /assets\[0\]\.tags\.interlockActive\.dataType: .*expected one of/i);
  });

  it("exits non-zero for a wrong type, naming what was expected", () => {
    const file = join(temp.path, "wrong-type.scene.yaml");
    writeFileSync(file, readFileSync(DEMO_SCENE_PATH, "utf8").replace("  rateHz: 20", "  rateHz: fast"));
    const r = runCli(["validate-scene", file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /wrong-type\.scene\.yaml:\d+:\d+: loop\.rateHz: .*expected number, received string/);
  });

  it("works the same through `npx twinbench` (the built bin)", () => {
    const file = join(temp.path, "npx-wrong-type.scene.yaml");
    writeFileSync(file, readFileSync(DEMO_SCENE_PATH, "utf8").replace("samplingMs: 50", "samplingMs: often"));
    const r = spawnSync("npx", ["--no-install", "twinbench", "validate-scene", file], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /npx-wrong-type\.scene\.yaml:\d+:\d+: assets\[4\]\.tags\.itemPositions\.samplingMs: .*expected number/);
    const ok = spawnSync("npx", ["--no-install", "twinbench", "validate-scene", DEMO_SCENE_PATH], { encoding: "utf8", timeout: 60_000 });
    assert.equal(ok.status, 0, ok.stderr);
  });

  it("checks the estimation block's composition, naming the connection at fault", () => {
    const file = join(temp.path, "bad-port.scene.yaml");
    writeFileSync(file, readFileSync(DEMO_SCENE_PATH, "utf8").replace("{ from: feedPump.flowM3h, to: bufferTank.inflowM3h }", "{ from: feedPump.flowLph, to: bufferTank.inflowM3h }"));
    const r = runCli(["validate-scene", file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /estimation: invalid model composition:[\s\S]*feedPump\.flowLph/);
  });

  it("exits non-zero for a missing file", () => {
    const r = runCli(["validate-scene", join(temp.path, "nope.yaml")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nope\.yaml: \(top level\): cannot read the scene file: no such file/);
  });
});

describe("twinbench --help", () => {
  for (const command of ["start", "plc", "validate-scene"]) {
    it(`documents ${command}`, () => {
      const r = runCli([command, "--help"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`Usage: twinbench ${command}`));
    });
  }
  it("rejects a bad port with a message", () => {
    const r = runCli(["plc", "--port", "99999"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /"99999" is not a TCP port/);
  });
});

describe("twinbench start --headless", () => {
  it("runs the demo (PLC child + runtime + host), serves live values, and Ctrl-C stops every process", async () => {
    const wb = await startWorkbench(["--data", join(temp.path, "data")]);
    let plcPid: number | undefined;
    try {
      const listChildren = () => execFileSync("ps", ["-o", "pid=", "--ppid", String(wb.child.pid)], { encoding: "utf8" }).trim();
      plcPid = Number(listChildren().split(/\s+/)[0]);
      assert.ok(plcPid > 0, "the simulated PLC runs as a child process");
      const api = await connectWsApi(wb.port, wb.token);
      try {
        await logInAsAdmin(api);
        let first = await api.client.request("tags.snapshot", {});
        for (let k = 0; k < 100 && first.length < 10; k++) {
          await new Promise((r) => setTimeout(r, 100));
          first = await api.client.request("tags.snapshot", {});
        }
        await new Promise((r) => setTimeout(r, 1000));
        const later = await api.client.request("tags.snapshot", {});
        assert.ok(later.length > 10, `only ${later.length} tags have values`);
        const changed = later.filter((s) => first.find((f) => f.i === s.i && JSON.stringify(f.v) !== JSON.stringify(s.v)));
        assert.ok(changed.length >= 3, `only ${changed.length} tags changed within 1 s`);
      } finally {
        await api.close();
      }
    } finally {
      const code = await wb.interrupt();
      assert.equal(code, 0, wb.output());
    }
    assert.throws(() => process.kill(plcPid!, 0), "the PLC child is gone after Ctrl-C");
  });
});
