/**
 * `twinbench replay` as a real child process: a recording (a CSV, then a range of a historian) is served as
 * the plant over OPC UA, the headless twin runs on it, and what the twin recorded in its own historian is the
 * recording: the same values in the same order, their recorded spacing divided by the speed, the bad ones
 * bad, the out-of-range ones caught by the twin's rules. No wall-clock assertions.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Historian } from "../../../src-main/historian/historian";
import { flagNames, type HistorianSample } from "../../../src-main/historian/sample";
import { HistorianStore } from "../../../src-main/historian/store";
import { tempFolder } from "../../support/temp";

const SPEED = 2;
const T0 = Date.UTC(2025, 5, 2, 6, 0, 0);
const STEPS = 80; // 8 s recorded at 100 ms: 4 s of replay at 2×

/** The recorded level: distinct values (so each replayed one names its sample), 1 s out of range, 1 s bad. */
function level(k: number): number | null {
  if (k >= 30 && k < 40) return 3.7 + k * 1e-4;
  if (k >= 50 && k < 60) return null;
  return 1.2 + 0.05 * Math.sin(k / 5) + k * 1e-5;
}

function recordedRows(): HistorianSample[] {
  const rows: HistorianSample[] = [];
  const row = (tagId: string, k: number, value: HistorianSample["value"], extra: Partial<HistorianSample> = {}): HistorianSample => ({
    tagId,
    sourceTs: T0 + k * 100,
    serverTs: null,
    value,
    quality: "good",
    status: "Good",
    connection: "plc1",
    flags: 0,
    ...extra,
  });
  for (let k = 0; k < STEPS; k++) {
    const v = level(k);
    rows.push(v === null ? row("bufferTank.level", k, null, { quality: "bad", status: "BadSensorFailure" }) : row("bufferTank.level", k, v));
    rows.push(row("bufferTank.temperature", k, 55 + 0.2 * Math.sin(k / 7)));
    if (k === 0 || k === 40) rows.push(row("feedPump.running", k, k === 0));
  }
  return rows;
}

function csvOf(rows: readonly HistorianSample[]): string {
  const lines = ["tag,time,value,quality,status"];
  for (const r of rows) lines.push(`${r.tagId},${new Date(r.sourceTs).toISOString()},${r.value === null ? "" : String(r.value)},${r.quality},${r.status}`);
  lines.push(`nope.tag,${new Date(T0).toISOString()},1,good,Good`);
  return lines.join("\n") + "\n";
}

/** Runs the CLI from source to its exit; resolves with its code and output. */
function runReplay(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src-main/cli/main.ts", "replay", "--headless", "--exit", "--speed", String(SPEED), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const kill = setTimeout(() => child.kill("SIGKILL"), 150_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(kill);
      resolve({ code, output });
    }),
  );
}

/** What the replaying twin stored for a tag. */
function replayed(twinFolder: string, tagId: string): HistorianSample[] {
  const store = HistorianStore.open(join(twinFolder, "historian"));
  try {
    return store.samples(tagId);
  } finally {
    store.close();
  }
}

function checkReplay(twinFolder: string, output: string): void {
  assert.match(output, /The twin is subscribed; replaying\./);
  const done = /Replay done: (\d+) values/.exec(output);
  assert.ok(done, output);
  const rows = recordedRows();
  assert.equal(Number(done[1]), rows.length, "every recorded value of a scene tag was played");

  const stored = replayed(twinFolder, "bufferTank.level");
  // The subscription delivered the waiting-for-data value first, then replayed ones.
  const values = stored.filter((s) => s.quality !== "bad");
  assert.ok(values.length >= 10, `the twin received ${values.length} level values`);
  const recorded = new Map<number, number>();
  for (let k = 0; k < STEPS; k++) if (level(k) !== null) recorded.set(level(k)!, k);
  let previousK = -1;
  const first = values[0]!;
  const firstK = recorded.get(first.value as number)!;
  for (const s of values) {
    const k = recorded.get(s.value as number);
    assert.ok(k !== undefined, `${String(s.value)} is a recorded value`);
    assert.ok(k > previousK, "in the recorded order");
    previousK = k;
    // Source times on the replay's clock: the recorded spacing divided by the speed (ms resolution).
    assert.ok(Math.abs((s.sourceTs - first.sourceTs) * SPEED - (k - firstK) * 100) <= SPEED + 1, `value ${k} at its replayed time`);
    // The twin's rules judge what it receives (the scene's spike rule may also fire on the decimated curve).
    const flags = flagNames(s.flags);
    if (k >= 30 && k < 40) assert.ok(flags.includes("range") && flags.includes("quarantined"), `value ${k} out of range: ${flags.join("|")}`);
    else assert.ok(!flags.includes("range"), `value ${k} in range: ${flags.join("|")}`);
  }
  assert.ok(values.some((s) => (s.value as number) > 3), "the out-of-range second was sampled");
  const bad = stored.filter((s) => s.quality === "bad" && s.status === "BadSensorFailure");
  assert.ok(bad.length >= 1, "the bad second arrives bad, with its status");
  const running = replayed(twinFolder, "feedPump.running").filter((s) => s.quality === "good").map((s) => s.value);
  assert.deepEqual(running, [true, false], "a tag that changed once: both values");
}

describe("twinbench replay", () => {
  const temp = tempFolder("replay-cli");
  after(() => temp.remove());

  it("replays a CSV through the twin at 2×", { timeout: 180_000 }, async () => {
    const csv = join(temp.path, "recording.csv");
    writeFileSync(csv, csvOf(recordedRows()));
    const data = join(temp.path, "data-csv");
    const r = await runReplay(["--csv", csv, "--data", data]);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /1 of tags not in the scene skipped/);
    checkReplay(join(data, "replay"), r.output);
  });

  it("replays a range of the historian through the twin at 2×", { timeout: 180_000 }, async () => {
    const data = join(temp.path, "data-range");
    const source = Historian.open({ folder: join(data, "historian"), pruneEveryMs: 0 });
    source.record(recordedRows(), { validate: false });
    // Outside the range: not replayed.
    source.record([{ tagId: "bufferTank.level", sourceTs: T0 + 60_000, serverTs: null, value: 9, quality: "good", status: "Good", connection: "plc1", flags: 0 }]);
    await source.close();
    const r = await runReplay(["--data", data, "--from", new Date(T0).toISOString(), "--to", new Date(T0 + (STEPS - 1) * 100).toISOString()]);
    assert.equal(r.code, 0, r.output);
    checkReplay(join(data, "replay"), r.output);
  });

  it("refuses a replay without a recording, naming what to give", { timeout: 60_000 }, async () => {
    const r = await runReplay(["--data", join(temp.path, "empty")]);
    assert.notEqual(r.code, 0);
    assert.match(r.output, /nothing to replay: give --csv FILE, or --from TIME/);
    const missing = await runReplay(["--data", join(temp.path, "empty"), "--from", "2025-01-01T00:00:00Z"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.output, /holds no historian/);
  });
});
