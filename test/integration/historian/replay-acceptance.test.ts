/**
 * Acceptance: replaying a recorded CSV drives the twin's inputs to the same states as the live data did.
 *
 * The demo simulation runs in-process for 60 simulated seconds; its values become live samples the way an
 * OPC UA subscription delivers them (each tag at its sampling interval, only when it changed), with a few
 * faults injected (an out-of-range spike, a bad sample, a NaN). Live, they go through the historian (rules,
 * writer) into a synchronizer ticking at 30 Hz. Then the recording is exported as CSV (long and wide),
 * replayed at 1000× into a fresh historian and a fresh synchronizer, and every tick must be identical:
 * values, data ages and valid flags, and every value must be quarantined the same way.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { TagSample } from "../../../src-main/common/api/contract";
import { parseScene } from "../../../src-main/common/scene/parse";
import { Historian, historianTagsOfScene, type HistorianTag } from "../../../src-main/historian/historian";
import { replayCsv } from "../../../src-main/historian/replay";
import { flagNames } from "../../../src-main/historian/sample";
import { copyFrame, Synchronizer, type TickFrame } from "../../../src-main/historian/synchronizer";
import { tagsOfScene } from "../../../src-main/runtime/tag-table";
import { createSimulation } from "../../../src-workers/plant/create-simulation";
import { tempFolder } from "../../support/temp";

const T0 = Date.UTC(2025, 5, 2, 6, 0, 0);
const DT_S = 0.05;
const STEPS = 1_200;

const parsed = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
if (!parsed.ok) throw new Error("demo scene invalid");
const scene = parsed.scene;
const infos = tagsOfScene(scene);

function historianTags(): HistorianTag[] {
  return historianTagsOfScene(scene, infos).map((t) =>
    t.id === "bufferTank.level" ? { ...t, validation: { maxRatePerS: 0.5, spike: {} } } : t.id === "feedPump.flow" ? { ...t, validation: { spike: {} } } : t,
  );
}

/** Scalar tags feed the model: measurements interpolated, everything else held. */
const inputs = infos
  .filter((t) => t.dataType !== "DoubleArray")
  .map((t) => (t.role === "measurement" ? { tagId: t.id, mode: "linear" as const, maxAgeMs: 2_000 } : { tagId: t.id, mode: "hold" as const }));

function synchronizer(): Synchronizer {
  return new Synchronizer({ inputs, periodMs: 1000 / 30, delayMs: 100, startTs: T0 });
}

/** 60 s of the demo plant as a subscription would deliver it, with faults. */
function recordSimulation(): { time: number; samples: TagSample[] }[] {
  const sim = createSimulation({ model: "demo-cell", seed: 7, degradationSpeedup: 50 });
  const known = new Set(sim.signals.map((s) => s.name));
  const bound = infos.filter((t) => known.has(t.id));
  assert.equal(bound.length, infos.length, "the simulation serves every scene tag");
  const sampling = new Map(historianTags().map((t) => [t.id, t.samplingMs ?? 100]));
  const lastSent = new Map<string, { at: number; value: string }>();
  const publishes: { time: number; samples: TagSample[] }[] = [];
  for (let k = 1; k <= STEPS; k++) {
    sim.step(DT_S);
    const time = T0 + Math.round(sim.timeS * 1000);
    const samples: TagSample[] = [];
    for (const tag of bound) {
      const raw = sim.read(tag.id);
      let sample: TagSample = { i: tag.index, v: raw, q: "good", status: "Good", ts: time, rx: time };
      if (tag.id === "bufferTank.level" && (k === 400 || k === 401)) sample = { ...sample, v: 2.9 };
      if (tag.id === "heatExchanger.productOutTemp" && k >= 600 && k < 610) sample = { ...sample, v: null, q: "bad", status: "BadSensorFailure" };
      if (tag.id === "feedPump.flow" && k === 800) sample = { ...sample, v: null, q: "bad", status: "Good (value NaN)" };
      const last = lastSent.get(tag.id);
      const text = JSON.stringify([sample.v, sample.q]);
      // Sampled at the tag's interval, reported only on change (OPC UA data-change semantics).
      if (last && (time - last.at < sampling.get(tag.id)! || last.value === text)) continue;
      lastSent.set(tag.id, { at: time, value: text });
      samples.push(sample);
    }
    publishes.push({ time, samples });
  }
  return publishes;
}

const plain = (f: TickFrame) => ({ t: f.t, values: [...f.values], ages: [...f.ages], valid: [...f.valid] });

describe("record and replay (acceptance)", () => {
  it("drives the synchronizer to the same ticks from a replayed CSV as from the live run", { timeout: 120_000 }, async () => {
    const temp = tempFolder("historian-replay");
    try {
      const publishes = recordSimulation();
      const end = publishes.at(-1)!.time;

      // Live: samples → historian (rules, queue, SQLite) → synchronizer.
      const live = Historian.open({ folder: join(temp.path, "live"), tags: historianTags(), pruneEveryMs: 0 });
      const liveSync = synchronizer();
      const liveTicks: TickFrame[] = [];
      const liveFlags: string[] = [];
      for (const { time, samples } of publishes) {
        const { rows, stored } = live.receive(samples);
        assert.equal(stored, true);
        for (const r of rows) if (r.flags) liveFlags.push(`${r.tagId}@${r.sourceTs - T0}: ${flagNames(r.flags).join("|")}`);
        liveSync.pushRows(rows);
        liveSync.advance(time, (f) => liveTicks.push(copyFrame(f)));
      }
      const files = { long: join(temp.path, "recording-long.csv"), wide: join(temp.path, "recording-wide.csv") };
      const tagIds = infos.map((t) => t.id);
      for (const format of ["long", "wide"] as const) {
        const written = await live.exportCsv(files[format], { tagIds, from: T0, to: end, format });
        assert.equal(written.samples, publishes.reduce((n, p) => n + p.samples.length, 0));
      }
      await live.close();

      assert.deepEqual(liveFlags, ["bufferTank.level@20050: range|rate|spike|quarantined"], "the injected spike is caught, the clean plant is not");
      assert.ok(liveTicks.length >= 1_790, `${liveTicks.length} ticks`);
      const out = inputs.findIndex((i) => i.tagId === "heatExchanger.productOutTemp");
      const during = liveTicks.find((f) => f.t >= T0 + 30_400)!;
      assert.ok(during.ages[out]! >= 400, "the bad samples made productOutTemp older, not wrong");
      assert.ok(liveTicks.at(-1)!.values.every(Number.isFinite), "every input has a value by the end");
      assert.ok(liveTicks.at(-1)!.valid.every((v) => v === 1), "and none is too old");

      for (const format of ["long", "wide"] as const) {
        // Replay: CSV → the same callback as live samples → a fresh historian → a fresh synchronizer.
        const replayed = Historian.open({ folder: join(temp.path, `replay-${format}`), tags: historianTags(), pruneEveryMs: 0 });
        const sync = synchronizer();
        const ticks: TickFrame[] = [];
        const flags: string[] = [];
        const result = await replayCsv(files[format], {
          speed: 1_000,
          tags: infos,
          onSamples: (samples, clock) => {
            const { rows } = replayed.receive(samples);
            for (const r of rows) if (r.flags) flags.push(`${r.tagId}@${r.sourceTs - T0}: ${flagNames(r.flags).join("|")}`);
            sync.pushRows(rows);
            sync.advance(clock, (f) => ticks.push(copyFrame(f)));
          },
        });
        sync.advance(end, (f) => ticks.push(copyFrame(f)));
        await replayed.close();
        assert.deepEqual(result.csv.errors, []);
        assert.equal(result.skippedUnknownTags, 0);
        assert.deepEqual(flags, liveFlags, `${format}: the same values quarantined`);
        assert.equal(ticks.length, liveTicks.length, `${format}: as many ticks`);
        for (let k = 0; k < ticks.length; k++) assert.deepEqual(plain(ticks[k]!), plain(liveTicks[k]!), `${format}: tick ${k} at ${ticks[k]!.t - T0} ms`);
      }
    } finally {
      temp.remove();
    }
  });
});
