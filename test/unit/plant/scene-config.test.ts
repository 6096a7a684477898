// What a scene tells the plant link: identity (a password's environment variable, never a password),
// per-connection publishing interval, per-tag queue size and deadband; and the problems validate-scene
// reports for bad values, each with its field path and line.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseScene } from "../../../src-main/common/scene/parse";
import { linkConfigOfScene } from "../../../src-main/plant/scene-config";
import { tagsOfScene } from "../../../src-main/runtime/tag-table";

const demo = readFileSync("scenes/demo-cell.scene.yaml", "utf8");
const CONNECTION = "    endpoint: opc.tcp://127.0.0.1:4840/twinbench\n";
const LEVEL = "        nodeId: ns=1;s=DemoCell.BufferTank.Level\n";

/** 1-based line of the first line of `text` that starts with `prefix`. */
const lineOf = (text: string, prefix: string) => text.split("\n").findIndex((l) => l.startsWith(prefix)) + 1;

const edit = (connectionLines: string, levelLines = "") =>
  demo.replace(CONNECTION, CONNECTION + connectionLines).replace(LEVEL, LEVEL + levelLines);

function problemsOf(text: string) {
  const r = parseScene(text);
  assert.equal(r.ok, false, "expected problems");
  return r.ok ? [] : r.problems.map((p) => ({ path: p.path, message: p.message, line: p.line }));
}

describe("scene connection identity, publishing interval, tag deadband and queue size", () => {
  it("are carried to the plant link's connection and tag bindings", () => {
    const text = edit(
      "    identity: { type: username, user: operator, passwordEnv: PLC1_PASSWORD }\n    publishingMs: 250\n",
      "        deadband: { type: percent, value: 0.5 }\n        queueSize: 20\n",
    );
    const r = parseScene(text);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    const config = linkConfigOfScene(r.scene, tagsOfScene(r.scene));
    assert.deepEqual(config.connections, [
      { id: "plc1", endpoint: "opc.tcp://127.0.0.1:4840/twinbench", securityMode: "None", securityPolicy: "None", identity: { type: "username", user: "operator", passwordEnv: "PLC1_PASSWORD" } },
    ]);
    const level = tagsOfScene(r.scene).find((t) => t.id === "bufferTank.level")!;
    const binding = config.tags.find((t) => t.index === level.index)!;
    assert.deepEqual(binding, { index: level.index, connection: "plc1", nodeId: "ns=1;s=DemoCell.BufferTank.Level", samplingMs: 100, queueSize: 20, deadband: { type: "percent", value: 0.5 }, publishingMs: 250 });
    // Tags without settings leave them to the subscription plan's defaults (only the publishing interval is the connection's).
    const heartbeat = config.tags.find((t) => t.index === tagsOfScene(r.scene).find((x) => x.id === "cell.heartbeat")!.index)!;
    assert.deepEqual(Object.keys(heartbeat).sort(), ["connection", "index", "nodeId", "publishingMs", "samplingMs"]);
  });

  it("the demo scene (no settings) gives anonymous connections and plain bindings", () => {
    const r = parseScene(demo);
    assert.ok(r.ok);
    const config = linkConfigOfScene(r.scene, tagsOfScene(r.scene));
    assert.equal(config.connections[0]!.identity, undefined);
    assert.ok(config.tags.every((t) => t.deadband === undefined && t.queueSize === undefined && t.publishingMs === undefined));
    assert.equal(config.tags.length, tagsOfScene(r.scene).length);
  });

  it("refuses a password in the scene file, naming the field and its line", () => {
    const text = edit("    identity: { type: username, user: operator, passwordEnv: P, password: hunter2 }\n");
    const problems = problemsOf(text);
    assert.deepEqual(problems, [{ path: "connections[0].identity.password", message: "never put a password in the scene file: name the environment variable that holds it with passwordEnv", line: lineOf(text, "    identity:") }]);
  });

  it("reports bad values with their location", () => {
    const text = edit(
      "    identity: { type: username, user: operator, passwordEnv: 1BAD }\n    publishingMs: 5\n",
      "        deadband: { type: percent, value: 150 }\n        queueSize: 0\n",
    );
    const problems = problemsOf(text);
    assert.deepEqual(
      problems.map((p) => [p.path, p.line]),
      [
        ["connections[0].identity.passwordEnv", lineOf(text, "    identity:")],
        ["connections[0].publishingMs", lineOf(text, "    publishingMs:")],
        ["assets[2].tags.level.deadband.value", lineOf(text, "        deadband:")],
        ["assets[2].tags.level.queueSize", lineOf(text, "        queueSize:")],
      ],
    );
    assert.match(problems[0]!.message, /environment variable/);
    assert.match(problems[2]!.message, /at most 100/);
    const negative = problemsOf(edit("", "        deadband: { type: absolute, value: -1 }\n"));
    assert.deepEqual(negative.map((p) => p.path), ["assets[2].tags.level.deadband.value"]);
    const kind = problemsOf(edit("", "        deadband: { type: relative, value: 1 }\n"));
    assert.deepEqual(kind.map((p) => p.path), ["assets[2].tags.level.deadband.type"]);
  });

  it("a deadband on a Boolean tag is refused where it is written", () => {
    const running = "        nodeId: ns=1;s=DemoCell.FeedPump.Running\n";
    const problems = problemsOf(demo.replace(running, `${running}        deadband: { type: absolute, value: 1 }\n`));
    assert.deepEqual(problems.map((p) => p.path), ["assets[1].tags.running.deadband"]);
    assert.match(problems[0]!.message, /numeric scalars only, not to Boolean/);
    assert.ok(problems[0]!.line);
  });
});
