/**
 * The history API over the running twin: the demo stack (simulated PLC over real OPC UA, runtime, SQLite
 * historian, headless host). Live values come back from the historian with their quality; crafted values
 * show as a gap (bad) and as a marker naming the rule they broke; the validation state says which rule a
 * tag broke and since when; CSV export round-trips through import; roles are enforced.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { ApiError, type Method, type ParamsIn, type Result } from "../../../src-main/common/api/contract";
import { historyRequests } from "../../../src-main/common/api/history";
import { Historian } from "../../../src-main/historian/historian";
import type { HistorianSample } from "../../../src-main/historian/sample";
import { startDemoStack, type DemoStack } from "../../support/demo-stack";
import { as, userSession } from "../../support/sessions";
import { tempFolder } from "../../support/temp";
import { connectWsApi } from "../../support/ws-client";

type HistoryMethod = keyof typeof historyRequests & Method;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Comparable fields of a stored row (n is the store's own tie-breaker). */
const plain = (s: HistorianSample) => [s.tagId, s.sourceTs, s.serverTs, s.value, s.quality, s.status, s.connection, s.flags];

describe("history API on the running twin", () => {
  let stack: DemoStack;
  let viewer: string;
  let engineer: string;
  let startedAt: number;
  const temp = tempFolder("history-api");

  /** A call as the renderer makes it: params through the contract (defaults applied), result checked against it. */
  async function call<M extends HistoryMethod>(method: M, params: ParamsIn<M>, session = viewer): Promise<Result<M>> {
    const spec = historyRequests[method];
    const handler = stack.runtime.handlers[method] as unknown as (p: unknown, c: never) => Promise<unknown>;
    const raw = await handler(spec.params.parse(params), as(session));
    return spec.result.parse(raw) as Result<M>;
  }

  before(async () => {
    startedAt = Date.now() - 1_000;
    stack = await startDemoStack();
    viewer = await userSession(stack.runtime, stack.adminToken, "viewer1", "viewer");
    engineer = await userSession(stack.runtime, stack.adminToken, "engineer1", "engineer");
    await stack.runtime.whenFirstValue();
  });
  after(async () => {
    await stack?.close();
    temp.remove();
  });

  it("serves the live values from the historian, raw for a short range and min/max per column when asked for fewer points", { timeout: 60_000 }, async () => {
    let level: Result<"history.query">["series"][number] | undefined;
    for (let k = 0; k < 300; k++) {
      await stack.runtime.historian.flush();
      level = (await call("history.query", { tagIds: ["bufferTank.level", "feedPump.running"], from: startedAt, to: Date.now(), maxPoints: 4_000 })).series[0];
      if (level && level.t.length >= 30) break;
      await sleep(100);
    }
    assert.ok(level && level.t.length >= 30, `live level values reach the historian (${level?.t.length ?? 0} so far)`);
    assert.equal(level.tagId, "bufferTank.level");
    assert.equal(level.unit, "m");
    assert.equal(level.source, "raw");
    assert.equal(level.holdMs, 2_000, "a value stands for the tag's stale limit (declared in the scene: 20 × 100 ms)");
    assert.ok(level.t.every((t, k) => k === 0 || t >= level.t[k - 1]!), "times ascend");
    assert.ok(level.v.every((v) => typeof v === "number" && v > 0 && v < 2.5), "every value is a level inside the tank");
    assert.ok(level.q.every((q) => q === "good"));
    assert.deepEqual(level.markers, [], "the clean plant breaks no rule");

    const from = level.t[0]!;
    const to = level.t.at(-1)!;
    const stored = stack.runtime.historian.store.samples("bufferTank.level", from, to);
    assert.equal(stored.length, level.t.length, "raw: every stored value");
    // Columns of at most 0.5 s: finer than the finest rollup (1 s), so they come from the raw values.
    const maxPoints = Math.max(4, 2 * Math.ceil((to - from) / 500));
    assert.ok(maxPoints < stored.length, "fewer points than values");
    const few = (await call("history.query", { tagIds: ["bufferTank.level"], from, to, maxPoints })).series[0]!;
    assert.equal(few.source, "raw-minmax");
    assert.ok(few.t.length <= maxPoints && few.t.length >= 2, `${few.t.length} points`);
    const values = stored.map((s) => s.value as number);
    assert.equal(Math.min(...(few.v as number[])), Math.min(...values), "min/max keeps the lowest value");
    assert.equal(Math.max(...(few.v as number[])), Math.max(...values), "and the highest");
  });

  it("shows a bad value as a gap and a value that breaks a rule as a marker naming it; the validation state says which rule and since when", { timeout: 30_000 }, async () => {
    const runtime = stack.runtime;
    const level = runtime.table.tag("bufferTank.level")!;
    const setpoint = runtime.table.tag("bufferTank.levelSetpoint")!;
    const announced: string[][] = [];
    const off = runtime.on("history.validationChanged", (p) => announced.push(p.tagIds));
    const T = Date.now();
    // Straight into the historian, as a faulty sensor would deliver them (the live table is left alone).
    runtime.historian.receive([
      { i: level.index, v: 3.7, q: "good", status: "Good", ts: T, rx: T },
      { i: level.index, v: null, q: "bad", status: "BadSensorFailure", ts: T + 1, rx: T + 1 },
      // A setpoint is only published when it changes, so its broken rule stays active.
      { i: setpoint.index, v: 7, q: "good", status: "Good", ts: T, rx: T },
    ]);
    await runtime.historian.flush();

    const series = (await call("history.query", { tagIds: ["bufferTank.level"], from: T - 1_000, to: T + 1_000 })).series[0]!;
    assert.equal(series.source, "raw");
    const at = series.t.indexOf(T);
    assert.ok(at >= 0, "the crafted value is stored");
    assert.equal(series.v[at], 3.7, "quarantined values keep their value on the chart");
    const marker = series.markers.find((m) => m.t === T);
    assert.ok(marker, "and carry a marker");
    assert.ok(marker.rules.includes("range"), `marked with the rule it broke (${marker.rules.join(", ")})`);
    assert.equal(marker.quarantined, true);
    const gap = series.t.indexOf(T + 1);
    assert.equal(series.v[gap], null, "a bad value is a gap");
    assert.equal(series.q[gap], "bad");

    const later = (await call("history.query", { tagIds: ["bufferTank.levelSetpoint"], from: T + 10, to: T + 20 })).series[0]!;
    assert.deepEqual(later.t, [], "the setpoint did not change in that range");
    assert.equal(later.holdMs, null, "a setpoint is reported only on change: its value stands until the next one");
    assert.deepEqual(later.before, { t: T, v: 7, q: "good" }, "so its value in force comes with the series");

    const [state] = await call("history.validation", { tagIds: ["bufferTank.levelSetpoint"] });
    assert.ok(state);
    assert.equal(state.ok, false);
    assert.equal(state.active[0]?.rule, "range");
    assert.equal(state.active[0]?.since, T);
    assert.match(state.active[0]!.message, /^bufferTank\.levelSetpoint: .*7.*outside/);
    assert.equal(state.active[0]?.quarantines, true);

    for (let k = 0; k < 50 && !announced.flat().includes("bufferTank.levelSetpoint"); k++) await sleep(100);
    off();
    assert.ok(announced.flat().includes("bufferTank.levelSetpoint"), "the renderers are told the tag's validation changed");
  });

  it("reports the rules each tag is checked against, from the scene's validation fields and the defaults", async () => {
    const states = await call("history.validation", {});
    assert.equal(states.length, stack.runtime.table.tags.length, "one state per scene tag");
    const checks = (id: string) => states.find((s) => s.tagId === id)!.checks;
    assert.deepEqual(
      checks("bufferTank.level").map((c) => c.rule),
      ["range", "spike", "nonFinite", "stale"],
    );
    assert.match(checks("bufferTank.level").find((c) => c.rule === "stale")!.detail, /no update within 2 s/);
    const drift = checks("bufferTank.outletFlow").find((c) => c.rule === "drift")!;
    assert.match(drift.detail, /feedPump\.flow/);
    assert.equal(drift.quarantines, false, "declared flagOnly in the scene");
    assert.deepEqual(checks("feedPump.running").map((c) => c.rule), ["nonFinite"], "a Boolean state has no range and is not expected to change");
  });

  it("exports CSV (long and wide) that imports back to exactly the stored rows", { timeout: 30_000 }, async () => {
    const tagIds = ["bufferTank.level", "feedPump.running", "bufferTank.levelSetpoint", "feedPump.flow"];
    const to = Date.now() - 2_000;
    await stack.runtime.historian.flush();
    const stored = tagIds.flatMap((id) => stack.runtime.historian.store.samples(id, startedAt, to)).map(plain);
    assert.ok(stored.length > 20, `${stored.length} rows to export`);
    for (const format of ["long", "wide"] as const) {
      const out = await call("history.export", { tagIds, from: startedAt, to, format });
      assert.equal(out.samples, stored.length);
      assert.match(out.fileName, new RegExp(`^twinbench-history-\\d{8}T\\d{6}Z-${format}\\.csv$`));
      const copy = Historian.open({ folder: join(temp.path, `copy-${format}`), pruneEveryMs: 0 });
      try {
        const report = await copy.importCsv(Readable.from([out.content]));
        assert.equal(report.errorCount, 0);
        const back = tagIds.flatMap((id) => copy.store.samples(id)).map(plain);
        assert.deepEqual(back.sort(), [...stored].sort(), `${format}: the same rows with quality, both timestamps, connection and flags`);
      } finally {
        await copy.close();
      }
    }
  });

  it("an engineer imports a CSV through the API (bad lines reported, the rest kept); a viewer may not", { timeout: 30_000 }, async () => {
    const to = Date.now() - 2_000;
    const from = to - 5_000;
    const exported = await call("history.export", { tagIds: ["bufferTank.level"], from, to, format: "long", detail: "basic" });
    const content = exported.content.replaceAll("bufferTank.level,", "copy.level,") + "copy.level,not a time,1.5,good\n";
    await assert.rejects(call("history.import", { content }, viewer), (err: unknown) => err instanceof ApiError && err.code === "unauthorised");

    const report = await call("history.import", { content, fileName: "copy.csv" }, engineer);
    assert.equal(report.samples, exported.samples);
    assert.equal(report.errorCount, 1);
    assert.match(report.errors[0]!, /^line \d+, column 2 \(time\): /);
    const [original, copy] = (await call("history.query", { tagIds: ["bufferTank.level", "copy.level"], from, to, maxPoints: 4_000 })).series;
    assert.deepEqual(copy!.t, original!.t, "the imported tag is stored and charted like any other");
    assert.deepEqual(copy!.v, original!.v);
    const [entry] = stack.runtime.governance.audit.list({ action: "history.imported", limit: 5 });
    assert.equal(entry?.target, "historian:copy.csv", "the import is in the audit trail");
    assert.deepEqual((entry?.after as { samples: number }).samples, exported.samples);

    await assert.rejects(call("history.import", { content: "this is not,a historian\nfile,at all\n" }, engineer), (err: unknown) => {
      return err instanceof ApiError && err.code === "invalid_params" && /not a historian CSV/.test(err.message);
    });
  });

  it("refuses unknown tags and a reversed range, naming them", async () => {
    await assert.rejects(call("history.query", { tagIds: ["bufferTank.level", "no.suchTag"], from: 0, to: 1 }), (err: unknown) => {
      return err instanceof ApiError && err.code === "invalid_params" && /no\.suchTag/.test(err.message);
    });
    assert.throws(() => historyRequests["history.query"].params.parse({ tagIds: ["bufferTank.level"], from: 2, to: 1 }), /from must be before to/);
  });

  it("answers over the WebSocket as the renderer calls it", { timeout: 30_000 }, async () => {
    const ws = await connectWsApi(stack.host.port, stack.host.token, viewer);
    try {
      const raw = await ws.client.request("history.query", { tagIds: ["bufferTank.temperature"], from: startedAt, to: Date.now(), maxPoints: 500 });
      const result = historyRequests["history.query"].result.parse(raw);
      assert.ok(result.series[0]!.t.length > 0);
      assert.ok(result.series[0]!.t.length <= 500);
    } finally {
      await ws.close();
    }
  });
});
