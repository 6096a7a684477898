/**
 * Replay: recorded samples (a historian time range, or a CSV) played back in source-time order through the
 * live callback shape (`TagSample[]`, as the plant connection delivers them), at 1×, N× or as fast as
 * possible, cancellable with an AbortSignal.
 *
 * Deterministic: samples with the same source time form one batch, batches come in time order, and the
 * batching does not depend on the speed. Each batch comes with its clock (its source time) — the replay runs
 * on the recording's clock, and `rx` of every sample is its source time. A listener that returns a promise
 * holds the replay back until it resolves.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import type { Readable } from "node:stream";
import type { TagInfo, TagSample } from "../common/api/contract";
import { importCsv, type CsvImportReport } from "./csv";
import { toTagSample, type HistorianSample } from "./sample";
import type { HistorianStore } from "./store";

export interface ReplayOptions {
  /** 1 = real time, N = N times faster, Infinity = as fast as possible. */
  speed: number;
  /** The scene's tags: samples are named by their index. Samples of other tags are skipped and counted. */
  tags: readonly Pick<TagInfo, "id" | "index">[];
  onSamples(samples: TagSample[], clock: number): void | Promise<void>;
  signal?: AbortSignal;
  /** As fast as possible: let the event loop run after about this many samples. Default 5,000. */
  yieldEvery?: number;
}

export interface ReplayResult {
  batches: number;
  samples: number;
  skippedUnknownTags: number;
  cancelled: boolean;
  /** Source time of the first and last batch replayed, or null when none was. */
  first: number | null;
  last: number | null;
}

/** Replays samples that are already in source-time order (throws a RangeError at the first that is not). */
export async function replaySamples(source: Iterable<HistorianSample> | AsyncIterable<HistorianSample>, options: ReplayOptions): Promise<ReplayResult> {
  if (!(options.speed > 0)) throw new RangeError(`replay speed must be positive, got ${options.speed}`);
  const indexOf = new Map(options.tags.map((t) => [t.id, t.index]));
  const result: ReplayResult = { batches: 0, samples: 0, skippedUnknownTags: 0, cancelled: false, first: null, last: null };
  const yieldEvery = options.yieldEvery ?? 5_000;
  let wallStart = 0;
  let sinceYield = 0;
  let batch: TagSample[] = [];
  let batchTs = NaN;

  const emit = async (): Promise<boolean> => {
    if (batch.length === 0) return true;
    if (options.signal?.aborted) return false;
    if (result.first === null) {
      result.first = batchTs;
      wallStart = performance.now();
    }
    if (Number.isFinite(options.speed)) {
      const due = wallStart + (batchTs - result.first) / options.speed;
      const wait = due - performance.now();
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal: options.signal });
        } catch {
          return false; // aborted while waiting
        }
      }
    } else if ((sinceYield += batch.length) >= yieldEvery) {
      sinceYield = 0;
      await nextTurn();
      if (options.signal?.aborted) return false;
    }
    const out = batch;
    batch = [];
    result.batches++;
    result.samples += out.length;
    result.last = batchTs;
    await options.onSamples(out, batchTs);
    return true;
  };

  for await (const row of source) {
    if (row.sourceTs !== batchTs) {
      if (row.sourceTs < batchTs) throw new RangeError(`replay needs samples in time order: ${row.tagId} at ${row.sourceTs} comes after ${batchTs}`);
      if (!(await emit())) return { ...result, cancelled: true };
      batchTs = row.sourceTs;
    }
    const index = indexOf.get(row.tagId);
    if (index === undefined) result.skippedUnknownTags++;
    else batch.push(toTagSample(row, index));
  }
  if (!(await emit())) return { ...result, cancelled: true };
  return result;
}

/** Replays tags over [from, to] from the store, paging through it. */
export function replayHistorian(store: HistorianStore, range: { tagIds: readonly string[]; from: number; to: number }, options: ReplayOptions): Promise<ReplayResult> {
  return replaySamples(store.iterate(range.tagIds, range.from, range.to), options);
}

/**
 * Replays a CSV (CSV.md). The file is read whole and sorted by source time (stable, so rows with equal
 * times keep their order), so it need not be sorted; lines with errors are skipped and reported.
 */
export async function replayCsv(input: Readable | string, options: ReplayOptions): Promise<ReplayResult & { csv: CsvImportReport }> {
  const rows: HistorianSample[] = [];
  const csv = await importCsv(input, {
    onSamples: (batch) => {
      for (const row of batch) rows.push(row);
    },
  });
  rows.sort((a, b) => a.sourceTs - b.sourceTs);
  return { ...(await replaySamples(rows, options)), csv };
}
