/**
 * historian: the sustained insert rate through the whole write path (live samples → conversion →
 * validation rules → bounded queue → batched transactions with rollups), the rate of bare better-sqlite3
 * prepared inserts of the same rows into the same table in the same run (runs alternate, so both see the
 * same machine), and the time of chart queries over one tag holding 10 million values.
 */
import { join } from "node:path";
import type { TagSample } from "../../../src-main/common/api/contract";
import { Historian, type HistorianTag } from "../../../src-main/historian/historian";
import { HistorianStore } from "../../../src-main/historian/store";
import { openDatabase } from "../../../src-main/historian/store-schema";
import type { HistorianSample } from "../../../src-main/historian/sample";
import { tempFolder } from "../../support/temp";
import { figure, median, type BenchGroup } from "../figures";

const RUNS = Number(process.env.BENCH_HISTORIAN_RUNS ?? 5);
const VALUES = Number(process.env.BENCH_HISTORIAN_VALUES ?? 1_000_000);
const QUERY_VALUES = Number(process.env.BENCH_HISTORIAN_QUERY_VALUES ?? 10_000_000);
const QUERY_RUNS = 25;
const TAGS = 50;
/** Samples per `receive` call: one publish of the plant connection carries about this many. */
const PUBLISH = 500;
const BATCH_ROWS = 5_000;
const T0 = Date.UTC(2025, 0, 1);
const PERIOD_MS = 10;

const tags: HistorianTag[] = Array.from({ length: TAGS }, (_, k) => ({
  id: `asset${k}.signal`,
  index: k,
  connection: "plc1",
  unit: "bar",
  range: [-10, 110] as [number, number],
  role: "measurement",
  samplingMs: PERIOD_MS,
  // Every rule that judges a value runs: range (from the range), NaN/Infinity, rate, stuck, spike.
  validation: { maxRatePerS: 1_000, stuck: { windowS: 60, epsilon: 0 }, spike: { sigma: 8, window: 20 } },
}));

/** A smooth signal with noise per tag, in range and below every limit: the rules judge but do not fire. */
function publishes(): TagSample[][] {
  const out: TagSample[][] = [];
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.2;
  let batch: TagSample[] = [];
  for (let k = 0; k < VALUES; k++) {
    const i = k % TAGS;
    const step = Math.floor(k / TAGS);
    const ts = T0 + step * PERIOD_MS;
    batch.push({ i, v: 50 + 40 * Math.sin(step / 5_000 + i) + noise(), q: "good", status: "Good", ts, rx: ts });
    if (batch.length === PUBLISH) {
      out.push(batch);
      batch = [];
    }
  }
  if (batch.length) out.push(batch);
  return out;
}

/** Values per second of wall time, and per second of CPU time of this process (less sensitive to a busy machine). */
interface Rate {
  wall: number;
  cpu: number;
}

function rateSince(t0: number, cpu0: NodeJS.CpuUsage): Rate {
  const cpu = process.cpuUsage(cpu0);
  return { wall: VALUES / ((performance.now() - t0) / 1000), cpu: VALUES / ((cpu.user + cpu.system) / 1e6) };
}

async function throughPipeline(folder: string, data: TagSample[][]): Promise<Rate> {
  const historian = Historian.open({ folder, tags, pruneEveryMs: 0, writer: { batchRows: BATCH_ROWS, maxDelayMs: 100 } });
  try {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (const publish of data) {
      if (!historian.writer.hasRoom(publish.length)) await historian.writer.whenRoom(publish.length);
      historian.receive(publish);
    }
    await historian.flush();
    const rate = rateSince(t0, cpu0);
    const stats = historian.stats;
    if (stats.committedRows !== VALUES || stats.refusedRows !== 0) throw new Error(`pipeline lost rows: ${JSON.stringify(stats)}`);
    const quarantined = historian.validationStates().filter((s) => !s.ok);
    if (quarantined.length > 0) throw new Error(`rules fired on clean data: ${quarantined[0]!.active[0]!.message}`);
    return rate;
  } finally {
    await historian.close();
  }
}

/** The same rows through one prepared INSERT each, one transaction per batch, into the same table. */
function bareSqlite(folder: string, data: TagSample[][]): Rate {
  const db = openDatabase(join(folder, "bare.sqlite"));
  try {
    const insert = db.prepare("INSERT INTO samples (tag, ts, n, server_ts, value, arr, enc, q, status, conn, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const batch = db.transaction((rows: TagSample[]) => {
      for (const s of rows) insert.run(s.i + 1, s.ts, 0, null, s.v as number, null, 0, 0, 0, 1, 0);
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let rows: TagSample[] = [];
    for (const publish of data) {
      for (const s of publish) rows.push(s);
      if (rows.length >= BATCH_ROWS) {
        batch(rows);
        rows = [];
      }
    }
    if (rows.length) batch(rows);
    return rateSince(t0, cpu0);
  } finally {
    db.close();
  }
}

/** One tag with QUERY_VALUES values at 100 Hz, written through the store (rollups included) in one transaction. */
function buildQueryStore(folder: string): { store: HistorianStore; from: number; to: number } {
  const store = HistorianStore.open(folder);
  const chunk = 200_000;
  store.db.transaction(() => {
    for (let k0 = 0; k0 < QUERY_VALUES; k0 += chunk) {
      const rows: HistorianSample[] = [];
      for (let k = k0; k < Math.min(QUERY_VALUES, k0 + chunk); k++) {
        const bad = k % 100_003 === 0;
        rows.push({
          tagId: "plant.signal",
          sourceTs: T0 + k * PERIOD_MS,
          serverTs: null,
          value: bad ? null : 50 + 40 * Math.sin(k / 50_000) + 5 * Math.sin(k / 37),
          quality: bad ? "bad" : "good",
          status: bad ? "BadSensorFailure" : "Good",
          connection: "plc1",
          flags: 0,
        });
      }
      store.insert(rows); // nested: a savepoint inside the one big transaction
    }
  })();
  return { store, from: T0, to: T0 + (QUERY_VALUES - 1) * PERIOD_MS };
}

function timeQueries(store: HistorianStore, from: number, to: number): { ms: number[]; source: string; points: number } {
  const ms: number[] = [];
  let source = "";
  let points = 0;
  for (let k = 0; k < QUERY_RUNS; k++) {
    const t0 = performance.now();
    const series = store.query("plant.signal", from, to, 2_000);
    ms.push(performance.now() - t0);
    source = `${series.source}${series.bucketMs ? ` ${series.bucketMs} ms` : ""}`;
    points = series.t.length;
  }
  return { ms, source, points };
}

export const group: BenchGroup = {
  name: "historian",
  description: `SQLite historian: insert rate through the write path (${TAGS} tags, rules, rollups) vs bare prepared inserts; chart queries over ${QUERY_VALUES / 1e6} M values`,
  async run(log) {
    const temp = tempFolder("bench-historian");
    try {
      const data = publishes();
      const pipeline: Rate[] = [];
      const bare: Rate[] = [];
      const ratio: number[] = [];
      const k = (x: number) => `${(x / 1e3).toFixed(0)} k`;
      for (let r = 0; r < RUNS; r++) {
        const p = await throughPipeline(join(temp.path, `pipeline-${r}`), data);
        const b = bareSqlite(join(temp.path, `pipeline-${r}`), data);
        pipeline.push(p);
        bare.push(b);
        ratio.push(p.wall / b.wall);
        log(
          `  run ${r + 1}/${RUNS}: write path ${k(p.wall)} values/s (${k(p.cpu)} per CPU s), bare ${k(b.wall)} rows/s (${k(b.cpu)} per CPU s), ` +
            `ratio ${(p.wall / b.wall).toFixed(2)} (CPU ${(p.cpu / b.cpu).toFixed(2)})`,
        );
      }

      const t0 = performance.now();
      const { store, from, to } = buildQueryStore(join(temp.path, "query"));
      log(`  built ${QUERY_VALUES / 1e6} M values of one tag in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      try {
        const full = timeQueries(store, from, to);
        log(`  full range (${((to - from) / 3_600_000).toFixed(1)} h), 2,000 points: median ${median(full.ms).toFixed(2)} ms from ${full.source}, ${full.points} points`);
        // The slowest zoom: just too short for the finest rollup, so every raw value in it is read.
        const rawTo = from + 1_999 * 500 - 1;
        const raw = timeQueries(store, from, rawTo);
        log(`  ${((rawTo - from) / 1000).toFixed(0)} s zoom (${(rawTo - from) / PERIOD_MS} raw values): median ${median(raw.ms).toFixed(2)} ms from ${raw.source}, ${raw.points} points`);
        return [
          figure("historian.insert_values_per_s", "values/s", pipeline.map((p) => p.wall)),
          figure("historian.ratio_to_bare_sqlite", "", ratio),
          figure("historian.insert_values_per_cpu_s", "values/CPU s", pipeline.map((p) => p.cpu)),
          figure("historian.bare_sqlite_rows_per_s", "rows/s", bare.map((b) => b.wall)),
          figure("historian.ratio_to_bare_sqlite_cpu", "", pipeline.map((p, r) => p.cpu / bare[r]!.cpu)),
          figure("historian.chart_query_ms", "ms", full.ms),
          figure("historian.chart_query_raw_zoom_ms", "ms", raw.ms),
        ];
      } finally {
        store.close();
      }
    } finally {
      temp.remove();
    }
  },
};
