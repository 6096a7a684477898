/**
 * Retention: raw values (and 1 s rollups) are kept `rawDays`, the longer rollups `rollupDays`, per tag
 * (the tags table) or by the store's defaults. Pruning deletes in chunks of about `chunkRows` rows, one
 * transaction each, so a large clean-up never holds the write lock for long.
 */
import type Database from "better-sqlite3";
import type { RollupLevel } from "./rollups";

const DAY_MS = 86_400_000;

// Per-tag retention as the scene declares it (a tag's `history:` field); the zod lives in common.
export { TagRetention } from "../common/scene/validation";

export interface RetentionDefaults {
  rawDays: number;
  rollupDays: number;
}

export interface PruneReport {
  rawDeleted: number;
  rollupsDeleted: number;
  /** Transactions that deleted something. */
  chunks: number;
  /** False when `maxChunks` stopped it early: call again. */
  done: boolean;
}

export function pruneStore(
  db: Database.Database,
  levels: readonly RollupLevel[],
  defaults: RetentionDefaults,
  now: number,
  options: { chunkRows?: number; maxChunks?: number } = {},
): PruneReport {
  const chunkRows = Math.max(1, options.chunkRows ?? 10_000);
  const maxChunks = options.maxChunks ?? Infinity;
  const report: PruneReport = { rawDeleted: 0, rollupsDeleted: 0, chunks: 0, done: true };
  const tags = db.prepare("SELECT key, raw_days AS rawDays, rollup_days AS rollupDays FROM tags").all() as {
    key: number;
    rawDays: number | null;
    rollupDays: number | null;
  }[];
  const rawBoundary = db.prepare("SELECT ts FROM samples WHERE tag = ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET ?").pluck();
  const rawDelete = db.prepare("DELETE FROM samples WHERE tag = ? AND ts < ? AND ts <= ?");
  const rollupBoundary = db.prepare("SELECT start FROM rollups WHERE tag = ? AND size = ? AND start < ? ORDER BY start LIMIT 1 OFFSET ?").pluck();
  const rollupDelete = db.prepare("DELETE FROM rollups WHERE tag = ? AND size = ? AND start < ? AND start <= ?");

  /** Deletes rows older than `cut` chunk by chunk; false when out of chunks. */
  const prune = (boundary: () => number | undefined, remove: (upTo: number) => number, count: (n: number) => void): boolean => {
    for (;;) {
      if (report.chunks >= maxChunks) return false;
      const upTo = boundary() ?? Infinity;
      const deleted = remove(upTo);
      // Only chunks that deleted something count, so repeated calls with a small maxChunks move on.
      if (deleted > 0) report.chunks++;
      count(deleted);
      if (upTo === Infinity) return true;
    }
  };

  for (const tag of tags) {
    const rawCut = now - (tag.rawDays ?? defaults.rawDays) * DAY_MS;
    const rollupCut = now - (tag.rollupDays ?? defaults.rollupDays) * DAY_MS;
    const rawDone = prune(
      () => rawBoundary.get(tag.key, rawCut, chunkRows - 1) as number | undefined,
      (upTo) => rawDelete.run(tag.key, rawCut, upTo).changes,
      (n) => (report.rawDeleted += n),
    );
    if (!rawDone) return { ...report, done: false };
    for (const level of levels) {
      // A bucket goes once all of it is older than the cut.
      const cut = (level.keep === "raw" ? rawCut : rollupCut) - level.sizeMs + 1;
      const done = prune(
        () => rollupBoundary.get(tag.key, level.sizeMs, cut, chunkRows - 1) as number | undefined,
        (upTo) => rollupDelete.run(tag.key, level.sizeMs, cut, upTo).changes,
        (n) => (report.rollupsDeleted += n),
      );
      if (!done) return { ...report, done: false };
    }
  }
  return report;
}
