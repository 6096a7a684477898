// Acceptance: each documented defect of the reference soft PLC makes a named test fail, and its message
// points at the cause.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { junitProblems, parseXml, type XmlElement } from "../../unit/commissioning/support/junit-schema";
import { tempFolder } from "../../support/temp";
import { runCommissioningCli } from "./support/cli";

const temp = tempFolder("defects");
after(() => temp.remove());

/** Runs commission with a defect; returns the failed test cases by name with their failure text. */
async function runWithDefect(defect: string, args: string[]): Promise<Map<string, string>> {
  const junit = join(temp.path, `${defect}.xml`);
  const r = await runCommissioningCli(["commission", "--defect", defect, "--speed", "10", "--junit", junit, "--data", join(temp.path, "data"), ...args]);
  assert.equal(r.code, 1, `a defect must fail the run (exit 1)\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^FAILED: /m);
  const xml = readFileSync(junit, "utf8");
  assert.deepEqual(junitProblems(xml), []);
  const failed = new Map<string, string>();
  const visit = (el: XmlElement) => {
    const failure = el.name === "testcase" ? el.children.find((c) => c.name === "failure") : undefined;
    if (failure) failed.set(el.attributes.name!, `${failure.attributes.message}\n${failure.text}`);
    el.children.forEach(visit);
  };
  visit(parseXml(xml));
  return failed;
}

describe("documented defects of the soft PLC are caught by the suites", () => {
  it("missing-high-level-interlock fails the interlock test: LSHH-201 was high and the interlock never tripped", async () => {
    const failed = await runWithDefect("missing-high-level-interlock", ["--suite", "scenes/suites/demo-cell.yaml", "--test", "high-high level interlock trips the feed pump with the level transmitter stuck"]);
    const text = failed.get("high-high level interlock trips the feed pump with the level transmitter stuck");
    assert.ok(text, [...failed.keys()].join(", "));
    assert.match(text, /wait until cell\.interlockActive and not feedPump\.running \(within 5 s\)/);
    assert.match(text, /Seen: cell\.interlockActive = false throughout; feedPump\.running = true throughout; bufferTank\.levelHighHigh = true throughout/);
    assert.match(text, /Why it matters: LSHH-201 must trip the feed pump P-101/);
    assert.match(text, /Active faults: bufferTank\.level stuck at 1/);
  });

  it("wrong-level-sensor-address fails the IO checkout of the level, naming the address the PLC reads", async () => {
    const failed = await runWithDefect("wrong-level-sensor-address", ["--suite", "scenes/suites/io-checkout.yaml"]);
    assert.deepEqual([...failed.keys()], ["bufferTank.level (input, ns=1;s=DemoCell.BufferTank.Level)"]);
    const text = failed.get("bufferTank.level (input, ns=1;s=DemoCell.BufferTank.Level)")!;
    assert.match(text, /the plant drove 2\.5 m, the PLC shows 25 m/);
    assert.match(text, /follows what was driven on bufferTank\.outletFlow \(ns=1;s=DemoCell\.BufferTank\.OutletFlow\) in every pattern: the PLC reads bufferTank\.level at that address instead of ns=1;s=DemoCell\.BufferTank\.Level/);
  });

  it("hang-on-failed-sensor fails the flowmeter test: the valve stayed open, the fill step waited for ever", async () => {
    const name = "filler flowmeter failing mid-fill stops the sequence";
    const failed = await runWithDefect("hang-on-failed-sensor", ["--suite", "scenes/suites/demo-cell.yaml", "--test", name]);
    const text = failed.get(name);
    assert.ok(text, [...failed.keys()].join(", "));
    assert.match(text, /wait until not fillingStation\.fillValveOpen \(within 10 s\)" failed: timed out after 10 s/);
    assert.match(text, /Seen: fillingStation\.fillValveOpen = true throughout/);
    assert.match(text, /Why it matters: the fill step must not wait for ever on a failed flowmeter/);
    assert.match(text, /Active faults: fillingStation\.fillVolume bad quality \(BadSensorFailure\)/);
  });
});
