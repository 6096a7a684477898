/**
 * The historian as the runtime uses it: live samples in (validated, then queued for the store), chart
 * queries, validation states, CSV in and out, retention. One per data folder.
 *
 *   const historian = Historian.open({ folder: join(dataFolder, "historian"), tags: historianTagsOfScene(scene, table.tags) });
 *   // TwinRuntime.receive(samples):
 *   const { rows } = historian.receive(samples);   // rows carry their flags: feed them to the synchronizer
 */
import type { Readable, Writable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { TagInfo, TagSample } from "../common/api/contract";
import type { Scene } from "../common/scene/schema";
import type { ChartSeries } from "./chart";
import { exportCsv, importCsv, type CsvExportOptions, type CsvImportReport } from "./csv";
import type { PruneReport, TagRetention } from "./retention";
import { RuleEngine, type RuleFinding, type TagValidationState } from "./rules/engine";
import type { RuleTag } from "./rules-schema";
import { toHistorianSample, type HistorianSample } from "./sample";
import { HistorianStore, type StoreOptions } from "./store";
import { HistorianWriter, type WriterOptions, type WriterStats } from "./writer";

/** A tag as the historian knows it: its rules, and for live samples its index and connection. */
export interface HistorianTag extends RuleTag {
  /** TagInfo.index: how live samples name it. */
  index?: number;
  connection?: string;
  retention?: TagRetention;
}

export interface HistorianOptions extends StoreOptions {
  folder: string;
  tags?: readonly HistorianTag[];
  writer?: WriterOptions;
  /** How often retention runs, ms; 0 never (call `prune`). Default hourly. */
  pruneEveryMs?: number;
  now?(): number;
}

export interface ReceiveResult {
  /** The samples as stored, with the flags the rules set (also when not stored). */
  rows: HistorianSample[];
  /** False when the queue was full: the rows were validated but not stored (counted in stats). */
  stored: boolean;
}

export interface HistorianStats extends WriterStats {
  /** Live samples whose tag index is not a known tag (skipped). */
  unknownTagSamples: number;
}

export class Historian {
  readonly rules: RuleEngine;
  readonly writer: HistorianWriter;
  private readonly byIndex: ((HistorianTag & { connection: string }) | undefined)[] = [];
  private unknownTagSamples = 0;
  private pruneTimer: ReturnType<typeof setInterval> | undefined;
  private pruning: Promise<PruneReport> | undefined;
  private readonly now: () => number;

  private constructor(
    readonly store: HistorianStore,
    options: HistorianOptions,
  ) {
    const tags = options.tags ?? [];
    this.rules = new RuleEngine(tags);
    this.writer = new HistorianWriter(store, options.writer);
    this.now = options.now ?? Date.now;
    for (const t of tags) {
      if (t.index !== undefined) this.byIndex[t.index] = { ...t, connection: t.connection ?? "" };
      if (t.retention && (t.retention.rawDays !== undefined || t.retention.rollupDays !== undefined)) store.setRetention(t.id, t.retention);
    }
    const every = options.pruneEveryMs ?? 3_600_000;
    if (every > 0) {
      this.pruneTimer = setInterval(() => void this.prune(this.now()).catch((err: unknown) => options.writer?.onError?.(err)), every);
      this.pruneTimer.unref();
    }
  }

  static open(options: HistorianOptions): Historian {
    return new Historian(HistorianStore.open(options.folder, options), options);
  }

  get stats(): HistorianStats {
    return { ...this.writer.stats, unknownTagSamples: this.unknownTagSamples };
  }

  /**
   * Live samples from the plant: converted, validated and queued. Never blocks; when the queue is full the
   * rows are still validated and returned (the twin keeps running) but not stored, and `stored` is false.
   * `serverTs[k]` is the server timestamp of `samples[k]` when known.
   */
  receive(samples: readonly TagSample[], serverTs?: readonly (number | null)[], findings?: RuleFinding[]): ReceiveResult {
    const rows: HistorianSample[] = [];
    for (let k = 0; k < samples.length; k++) {
      const s = samples[k]!;
      const tag = this.byIndex[s.i];
      if (!tag) {
        this.unknownTagSamples++;
        continue;
      }
      const row = toHistorianSample(s, tag, serverTs?.[k] ?? null);
      this.rules.check(row, s.rx, findings);
      rows.push(row);
    }
    return { rows, stored: this.enqueue(rows) };
  }

  /** Rows from any other source (an import, a test): validated (unless `validate` is false) and queued. */
  record(rows: HistorianSample[], options: { validate?: boolean; findings?: RuleFinding[] } = {}): boolean {
    if (options.validate !== false) for (const row of rows) this.rules.check(row, row.sourceTs, options.findings);
    return this.enqueue(rows);
  }

  /** Stale check; call on the same clock as the samples' receive times. */
  tick(now = this.now(), findings?: RuleFinding[]): void {
    this.rules.tick(now, findings);
  }

  validationStates(): TagValidationState[] {
    return this.rules.states();
  }

  query(tagId: string, from: number, to: number, maxPoints: number): ChartSeries {
    return this.store.query(tagId, from, to, maxPoints);
  }

  /** Commits everything queued. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Retention, one chunk per event-loop turn so live writes interleave. One run at a time. */
  prune(now = this.now()): Promise<PruneReport> {
    if (this.pruning) return this.pruning;
    const run = this.pruneInChunks(now);
    this.pruning = run;
    const clear = () => {
      if (this.pruning === run) this.pruning = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  private async pruneInChunks(now: number): Promise<PruneReport> {
    const total: PruneReport = { rawDeleted: 0, rollupsDeleted: 0, chunks: 0, done: false };
    while (!total.done) {
      const r = this.store.prune(now, { maxChunks: 1 });
      total.rawDeleted += r.rawDeleted;
      total.rollupsDeleted += r.rollupsDeleted;
      total.chunks += r.chunks;
      total.done = r.done;
      if (!r.done) await nextTurn();
    }
    return total;
  }

  /** Streams tags over [from, to] as CSV (see CSV.md). Commits the queue first so the export is complete. */
  async exportCsv(out: Writable | string, options: CsvExportOptions): Promise<{ samples: number; lines: number }> {
    await this.flush();
    return exportCsv(this.store, out, options);
  }

  /**
   * Imports a CSV (see CSV.md) into the store, waiting for room in the queue rather than being refused.
   * Imported rows keep the flags in the file; `validate` also runs the rules over them.
   */
  async importCsv(input: Readable | string, options: { validate?: boolean; defaultConnection?: string } = {}): Promise<CsvImportReport> {
    const report = await importCsv(input, {
      defaultConnection: options.defaultConnection,
      onSamples: async (rows) => {
        // No await between the check and the offer: the room cannot be taken in between.
        while (!this.writer.hasRoom(rows.length)) await this.writer.whenRoom(rows.length);
        this.record(rows, { validate: options.validate === true });
      },
    });
    await this.flush();
    return report;
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.pruning?.catch(() => undefined);
    try {
      await this.writer.close();
    } finally {
      this.store.close();
    }
  }

  private enqueue(rows: HistorianSample[]): boolean {
    if (!this.writer.hasRoom(rows.length)) {
      this.writer.countRefused(rows.length);
      return false;
    }
    return this.writer.offer(rows);
  }
}

/** The historian's view of a scene's tags: rules, sampling, connection and index (TagInfo order). */
export function historianTagsOfScene(scene: Scene, infos: readonly TagInfo[]): HistorianTag[] {
  return infos.map((info) => {
    const tag = scene.assets.find((a) => a.id === info.assetId)?.tags[info.key];
    return {
      id: info.id,
      index: info.index,
      connection: info.connection,
      unit: info.unit,
      range: info.range,
      role: info.role,
      dataType: info.dataType,
      samplingMs: tag?.samplingMs,
      validation: tag?.validation,
      retention: tag?.history,
    };
  });
}
