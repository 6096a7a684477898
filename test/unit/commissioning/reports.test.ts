// The report writers: JUnit XML checked against the common schema (junit-10.xsd rules) and its own counts,
// and the HTML report's structure, escaping and security defaults.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { htmlReport } from "../../../src-main/commissioning/report/html-report";
import { junitXml } from "../../../src-main/commissioning/report/junit";
import { trendSvg } from "../../../src-main/commissioning/report/svg-trend";
import { runPassed } from "../../../src-main/commissioning/runner/results";
import { junitProblems, parseXml } from "./support/junit-schema";
import { sampleRun } from "./support/run-fixture";

describe("JUnit XML", () => {
  const xml = junitXml(sampleRun());
  const root = parseXml(xml);

  it("validates against the common schema, with counts that add up", () => {
    assert.deepEqual(junitProblems(xml), []);
    assert.equal(root.name, "testsuites");
    assert.equal(root.attributes.tests, "5");
    assert.equal(root.attributes.failures, "1");
    assert.equal(root.attributes.errors, "1");
    assert.equal(root.children.length, 2);
  });

  it("has one testsuite per suite with time, timestamp, hostname and properties", () => {
    const [functional, io] = root.children;
    assert.equal(functional!.attributes.name, "Demo cell functional tests");
    assert.equal(functional!.attributes.time, "30.250");
    assert.equal(functional!.attributes.timestamp, "2026-03-02T10:00:01");
    assert.ok(functional!.attributes.hostname);
    assert.equal(functional!.attributes.skipped, "0");
    assert.equal(io!.attributes.skipped, "1");
    const props = Object.fromEntries(functional!.children.find((c) => c.name === "properties")!.children.map((p) => [p.attributes.name, p.attributes.value]));
    assert.equal(props.defect, "missing-high-level-interlock");
    assert.equal(props.plcEndpoint, "opc.tcp://127.0.0.1:4842/twinbench");
  });

  it("puts a failure's first line in its message and the whole report in its body; steps go to system-out", () => {
    const failed = root.children[0]!.children.find((c) => c.attributes.name === "high-high level interlock trips the feed pump")!;
    assert.equal(failed.attributes.classname, "commissioning.demo");
    assert.equal(failed.attributes.time, "8.250");
    assert.equal(failed.attributes.line, "59");
    const failure = failed.children.find((c) => c.name === "failure")!;
    assert.match(failure.attributes.message!, /^Step 2 \(line 71\) "wait until cell\.interlockActive/);
    assert.doesNotMatch(failure.attributes.message!, /\n/);
    assert.match(failure.text, /Seen: cell\.interlockActive = false throughout; bufferTank\.levelHighHigh = true throughout/);
    const out = failed.children.find((c) => c.name === "system-out")!;
    assert.match(out.text, / 2\. \[failed\] wait until cell\.interlockActive .* \(line 71\)/);
    const error = root.children[0]!.children.find((c) => c.attributes.name === "a step the plant refused")!;
    assert.ok(error.children.some((c) => c.name === "error"));
    const skipped = root.children[1]!.children.find((c) => c.name === "testcase" && c.children.some((x) => x.name === "skipped"))!;
    assert.equal(skipped.children[0]!.attributes.message, "an array output cannot be forced");
  });

  it("escapes markup and quotes in names and text", () => {
    assert.match(xml, /Demo &lt;process&gt; cell &amp; co/);
    assert.equal(parseXml(xml).attributes.name, "Twinbench commissioning: Demo <process> cell & co");
  });

  it("the validator catches what a CI server would choke on", () => {
    assert.match(junitProblems("<testsuites><testsuite name='x'/></testsuites>").join(), /malformed attribute/);
    assert.match(junitProblems('<testsuites><testsuite name="x"/></testsuites>').join(), /lacks the required attribute tests/);
    assert.match(junitProblems('<testsuites><testsuite tests="2"><testcase name="a"/></testsuite></testsuites>').join(), /tests=2 but it holds 1/);
    assert.match(junitProblems('<testsuites><testsuite tests="1"><testcase name="a" time="1,5"/></testsuite></testsuites>').join(), /not a non-negative decimal/);
    assert.match(junitProblems('<testsuites><testsuite tests="1"><testcase name="a"><failure/><error/></testcase></testsuite></testsuites>').join(), /one verdict/);
    assert.match(junitProblems('<testsuites><testsuite tests="1"><testcase name="a" result="x"/></testsuite></testsuites>').join(), /attribute result is not allowed/);
    assert.match(junitProblems('<testsuites><testsuite tests="0"><foo/></testsuite></testsuites>').join(), /<foo> may not appear/);
    assert.match(junitProblems("<testsuites>a & b</testsuites>").join(), /bare &/);
  });
});

describe("HTML report", () => {
  const run = sampleRun();
  const html = htmlReport(run);

  it("is self-contained: a strict CSP, no script, no external resource", () => {
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /(src|href)="https?:/);
  });

  it("summarises the verdict and the counts", () => {
    assert.equal(runPassed(run), false);
    assert.match(html, /data-test="verdict">FAILED</);
    assert.match(html, /data-test="count-tests">5</);
    assert.match(html, /data-test="count-failed">1</);
    assert.match(html, /data-test="count-skipped">1</);
  });

  it("opens failed tests with their steps, message, faults and one plot per involved tag", () => {
    const failed = html.slice(html.indexOf('data-status="failed"'));
    assert.match(html, /<details class="test failed" open data-test="test" data-status="failed">/);
    assert.match(html, /<details class="test passed" data-test="test" data-status="passed">/);
    assert.match(failed, /line 71/);
    assert.match(failed, /Active faults<\/dt><dd>bufferTank\.level stuck at 1/);
    assert.equal(failed.slice(0, failed.indexOf("</details>")).match(/data-test="failure-plot"/g)?.length, 2);
  });

  it("escapes what comes from suites and scenes", () => {
    assert.match(html, /Demo &lt;process&gt; cell &amp; co/);
    assert.match(html, /LSHH-201 must trip P-101 &lt;even&gt; when LT-201 sticks/);
    assert.doesNotMatch(html, /<even>/);
  });
});

describe("trend plot", () => {
  it("draws Booleans as steps, splits lines at missing values and marks the step and the failure", () => {
    const svg = trendSvg({ tag: "plant:truth.tankLevel", unit: "m", points: [[0, 1], [1, null], [2, 2], [3, 3]] }, { stepStartS: 1, failedAtS: 3 });
    assert.equal(svg.match(/<polyline/g)?.length, 2);
    assert.match(svg, /class="mark-step"/);
    assert.match(svg, /class="mark-fail"/);
    assert.match(svg, /plant:truth\.tankLevel \[m\]/);
    const bool = trendSvg({ tag: "x.on", points: [[0, 0], [1, 1]] }, { stepStartS: 0, failedAtS: 1 });
    assert.match(bool, />true</);
    assert.equal(bool.match(/<polyline points="([^"]+)"/)![1]!.split(" ").length, 3, "a step: horizontal, then vertical");
    assert.match(trendSvg({ tag: "x.y", points: [[0, null]] }, { stepStartS: 0, failedAtS: 1 }), /no value read/);
  });
});
