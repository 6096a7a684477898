// Suite files: the demo suites load against the demo scene and IO list, and every mistake is reported with
// its line, column and field path.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadIoListFile, loadSuiteFile } from "../../../src-main/commissioning/files";
import { parseIoList } from "../../../src-main/commissioning/io/io-list";
import { TagDirectory } from "../../../src-main/commissioning/runner/tag-directory";
import { parseSuite, type SuiteProblem } from "../../../src-main/commissioning/suite/suite-parse";
import { parseScene } from "../../../src-main/common/scene/parse";

const SCENE_FILE = "scenes/demo-cell.scene.yaml";
const scene = (() => {
  const r = parseScene(readFileSync(SCENE_FILE, "utf8"));
  if (!r.ok) throw new Error("demo scene");
  return r.scene;
})();
const ioList = loadIoListFile("scenes/demo-cell.io.csv");

function problems(text: string): SuiteProblem[] {
  const directory = new TagDirectory(scene, ioList, "DemoCell", { "cell.sequenceFault": { nodeId: "ns=1;s=DemoCell.Cell.SequenceFault", dataType: "Boolean", writable: false } });
  const r = parseSuite(text, directory.check);
  assert.equal(r.ok, false, "expected problems");
  return r.ok ? [] : r.problems;
}
const show = (ps: SuiteProblem[]) => ps.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);

describe("the demo suites", () => {
  it("load against the demo scene and IO list", () => {
    const { suite } = loadSuiteFile("scenes/suites/demo-cell.yaml", scene, ioList);
    assert.equal(suite.tests.length, 7);
    assert.equal(suite.setup.length, 5);
    const interlock = suite.tests.find((t) => t.name.startsWith("high-high level interlock"))!;
    const trip = interlock.steps.find((s) => s.action.kind === "waitUntil" && s.why?.startsWith("LSHH-201"))!;
    assert.equal(trip.label, "wait until cell.interlockActive and not feedPump.running (within 5 s)");
    assert.ok(trip.line! > 60);
    assert.deepEqual(trip.tags.map((t) => `${t.side ?? ""}:${t.id}`), [":cell.interlockActive", ":feedPump.running", ":bufferTank.levelHighHigh", ":truth.tankLevel", "plant:feedPump.runCommand"]);
    const io = loadSuiteFile("scenes/suites/io-checkout.yaml", scene, ioList).suite;
    assert.deepEqual(io.ioCheckout, { tolerancePercent: 0.5, settleS: 10 });
    assert.equal(io.tests.length, 0);
  });
});

describe("suite problems carry their line and path", () => {
  const head = "suite: 1\nname: t\ntests:\n  - name: a\n    steps:\n";
  it("schema: unknown fields, two actions in a step, options of another action, a missing timeout", () => {
    const p = show(problems(`${head}      - waitUntil: cell.state == 2\n      - wait: 1\n        timeoutS: 3\n      - write: { cell.startCommand: true }\n        assert: cell.state == 1\n      - waitFor: x\n`));
    assert.ok(p.includes("6:9 tests[0].steps[0].timeoutS: waitUntil needs timeoutS: how many plant seconds it may take"), p.join("\n"));
    assert.ok(p.some((l) => /^8:9 tests\[0\]\.steps\[1\]\.timeoutS: timeoutS does not apply to wait \(it applies to waitUntil, expectOrder\)/.test(l)), p.join("\n"));
    assert.ok(p.some((l) => /^9:9 tests\[0\]\.steps\[2\]: a step has one action, this one has write and assert/.test(l)), p.join("\n"));
    assert.ok(p.some((l) => /^11:9 tests\[0\]\.steps\[3\]\.waitFor: unknown field "waitFor"/.test(l)), p.join("\n"));
    assert.ok(p.some((l) => /^11:9 tests\[0\]\.steps\[3\]: a step needs one action: write, setState, fault/.test(l)), p.join("\n"));
  });

  it("conditions: the line of the step and the column in the condition", () => {
    const p = show(problems(`${head}      - assert: cell.state = 2\n`));
    assert.deepEqual(p, ['6:17 tests[0].steps[0].assert: unexpected "=" (compare with ==) (column 12 of the condition)']);
  });

  it("tags: unknown tags, writes to tags the PLC does not let a client write, a plant side the plant lacks", () => {
    const p = show(problems(`${head}      - assert: cell.stat == 2\n      - write: { bufferTank.level: 1 }\n      - assert: plant:cell.state == 1\n      - fault: { tag: nope.x, kind: bad }\n`));
    assert.match(p[0]!, /^6:17 .*cell\.stat: unknown tag: not a scene tag, an IO list signal, a plcTags entry or truth\.\*/);
    assert.match(p[1]!, /^7:18 .*write\.bufferTank\.level: bufferTank\.level: not an operator tag the PLC lets a client write/);
    assert.match(p[2]!, /^8:17 .*plant:cell\.state: the plant server has no signal cell\.state/);
    assert.match(p[3]!, /^9:.*fault\.tag: nope\.x: the plant server has no signal nope\.x/);
    assert.equal(parseSuite(`${head}      - assert: cell.stat == 2\n`).ok, true, "without a directory tags are not checked");
  });

  it("YAML and top-level mistakes", () => {
    assert.match(show(problems("suite: 1\nname: [\n"))[0]!, /^\d+:\d+ : not valid YAML/);
    assert.match(show(problems("suite: 2\nname: t\ntests: []\n")).join(), /1:1 suite: Invalid input: expected 1/);
    assert.match(show(problems("suite: 1\nname: t\n")).join(), /tests: a suite needs tests, an ioCheckout, or both/);
    assert.match(show(problems(`${head}      - wait: 1\n  - name: a\n    steps:\n      - wait: 1\n`)).join(), /tests\[1\]\.name: test name "a" is already used by tests\[0\]/);
  });
});

describe("IO checkout option file", () => {
  it("an io list with CRLF endings parses the same", () => {
    const r = parseIoList(readFileSync("scenes/demo-cell.io.csv", "utf8").replace(/\n/g, "\r\n"));
    assert.equal(r.ok && r.ioList.signals.length, 27);
  });
});
