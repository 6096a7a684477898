// Acceptance: the demo suite and the IO checkout pass against the reference soft PLC, end to end over OPC UA:
// `twinbench commission` serves the plant, starts the soft PLC as its own process and runs the suites; its
// JUnit XML validates against the common schema and its HTML report holds every test.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { junitProblems, parseXml } from "../../unit/commissioning/support/junit-schema";
import { tempFolder } from "../../support/temp";
import { runCommissioningCli } from "./support/cli";

const temp = tempFolder("commission");
after(() => temp.remove());

describe("twinbench commission (demo cell, reference soft PLC)", () => {
  it("passes the functional suite and the IO checkout, writes valid JUnit XML and the report, exits 0", async () => {
    const junit = join(temp.path, "out", "commissioning.xml");
    const report = join(temp.path, "out", "commissioning.html");
    const r = await runCommissioningCli(["commission", "--suite", "scenes/suites/demo-cell.yaml", "--suite", "scenes/suites/io-checkout.yaml", "--speed", "10", "--junit", junit, "--report", report, "--data", join(temp.path, "data")]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^PASSED: 34 tests, 34 passed, 0 failed, 0 errors, 0 skipped/m);
    assert.match(r.stdout, /^✓ Demo cell functional tests › high-high level interlock trips the feed pump with the level transmitter stuck/m);
    assert.match(r.stdout, /^✓ Demo cell IO checkout — IO checkout › bufferTank\.level \(input, ns=1;s=DemoCell\.BufferTank\.Level\)/m);

    const xml = readFileSync(junit, "utf8");
    assert.deepEqual(junitProblems(xml), []);
    const root = parseXml(xml);
    assert.deepEqual(root.children.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures]), [
      ["Demo cell functional tests", "7", "0"],
      ["Demo cell IO checkout — IO checkout", "27", "0"],
    ]);
    const props = Object.fromEntries(root.children[0]!.children.find((c) => c.name === "properties")!.children.map((p) => [p.attributes.name, p.attributes.value]));
    assert.equal(props.plc, "reference soft PLC");
    assert.equal(props.plantSpeed, "x10");

    assert.ok(existsSync(report));
    const html = readFileSync(report, "utf8");
    assert.match(html, /data-test="verdict">PASSED</);
    assert.equal(html.match(/data-test="test"/g)?.length, 34);
  });
});
