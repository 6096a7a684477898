/**
 * The historian's store: one SQLite file per data folder (see store-schema.ts for the tables and the
 * durability of a commit). `insert` writes a batch of values and their rollups in one transaction;
 * reads page through (tag, time) ranges. Synchronous, like better-sqlite3: the writer decides when it runs.
 */
import type Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { TagValue } from "../common/api/contract";
import { chartQuery, type ChartSeries } from "./chart";
import { pruneStore, type PruneReport, type RetentionDefaults } from "./retention";
import { DEFAULT_ROLLUP_LEVELS, RollupBatch, UPSERT_ROLLUP, type RollupLevel } from "./rollups";
import { QUALITY_CODE, QUALITY_OF_CODE, QualityFlag, type HistorianSample } from "./sample";
import { openDatabase } from "./store-schema";

export const HISTORIAN_FILE = "historian.sqlite";

export interface StoreOptions {
  /** Default retention of raw values (and 1 s rollups), days. */
  rawDays?: number;
  /** Default retention of the longer rollups, days. */
  rollupDays?: number;
  levels?: readonly RollupLevel[];
  cacheMb?: number;
}

/** A stored row as read back: the sample plus its tie-breaker among equal source times. */
export interface StoredSample extends HistorianSample {
  n: number;
}

const ENC_NUMBER = 0;
const ENC_BOOLEAN = 1;
const ENC_ARRAY = 2;
const ENC_NAN = 3;

type RawRow = [ts: number, n: number, serverTs: number | null, value: number | null, arr: Buffer | null, enc: number, q: number, status: number, conn: number, flags: number];

const COLUMNS = "ts, n, server_ts, value, arr, enc, q, status, conn, flags";
const ROW_PARAMS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const PARAMS_PER_ROW = 11;
/** Rows per multi-row INSERT: fewer calls into SQLite (about 15 % faster than one statement per row). */
const ROWS_PER_INSERT = 64;

export class HistorianStore {
  readonly levels: readonly RollupLevel[];
  readonly retention: RetentionDefaults;
  private readonly tagKeys = new Map<string, number>();
  private readonly tagIds = new Map<number, string>();
  private readonly statusKeys = new Map<string, number>();
  private readonly statusNames = new Map<number, string>();
  private readonly connKeys = new Map<string, number>();
  private readonly connIds = new Map<number, string>();
  /** Newest source time and its n per tag key (loaded on first use): values after it need no lookup. */
  private readonly newest = new Map<number, { ts: number; n: number }>();
  private readonly stmt;
  private readonly insertTx: (rows: readonly HistorianSample[]) => void;
  private readonly args = new Array<unknown>(ROWS_PER_INSERT * PARAMS_PER_ROW);
  private closed = false;

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
    options: StoreOptions,
  ) {
    this.levels = options.levels ?? DEFAULT_ROLLUP_LEVELS;
    this.retention = { rawDays: options.rawDays ?? 30, rollupDays: options.rollupDays ?? 3650 };
    this.stmt = {
      insert: db.prepare(`INSERT INTO samples (tag, ${COLUMNS}) VALUES ${ROW_PARAMS}`),
      insertMany: db.prepare(`INSERT INTO samples (tag, ${COLUMNS}) VALUES ${new Array<string>(ROWS_PER_INSERT).fill(ROW_PARAMS).join(", ")}`),
      upsertRollup: db.prepare(UPSERT_ROLLUP),
      newest: db.prepare("SELECT ts, max(n) AS n FROM samples WHERE tag = ? AND ts = (SELECT max(ts) FROM samples WHERE tag = ?)"),
      nextN: db.prepare("SELECT coalesce(max(n) + 1, 0) AS n FROM samples WHERE tag = ? AND ts = ?").pluck(),
      addTag: db.prepare("INSERT INTO tags (id) VALUES (?)"),
      addStatus: db.prepare("INSERT INTO statuses (name) VALUES (?)"),
      addConn: db.prepare("INSERT INTO connections (id) VALUES (?)"),
      firstPage: db.prepare(`SELECT ${COLUMNS} FROM samples WHERE tag = ? AND ts >= ? AND ts <= ? ORDER BY ts, n LIMIT ?`).raw(),
      nextPage: db.prepare(`SELECT ${COLUMNS} FROM samples WHERE tag = ? AND (ts, n) > (?, ?) AND ts <= ? ORDER BY ts, n LIMIT ?`).raw(),
      count: db.prepare("SELECT count(*) FROM samples WHERE tag = ?").pluck(),
      countRange: db.prepare("SELECT count(*) FROM (SELECT 1 FROM samples WHERE tag = ? AND ts >= ? AND ts <= ? LIMIT ?)").pluck(),
      setRetention: db.prepare("UPDATE tags SET raw_days = ?, rollup_days = ? WHERE key = ?"),
    };
    this.insertTx = db.transaction((rows: readonly HistorianSample[]) => this.insertRows(rows));
    this.loadDictionaries();
  }

  /** Opens `<folder>/historian.sqlite`, creating the folder and the file when missing. */
  static open(folder: string, options: StoreOptions = {}): HistorianStore {
    mkdirSync(folder, { recursive: true });
    const file = join(folder, HISTORIAN_FILE);
    return new HistorianStore(openDatabase(file, { cacheMb: options.cacheMb }), file, options);
  }

  /** Writes the rows and their rollups in one transaction: all of them, or (on error) none. */
  insert(rows: readonly HistorianSample[]): void {
    if (rows.length === 0) return;
    try {
      this.insertTx(rows);
    } catch (err) {
      // The rollback may have removed dictionary entries and rows the caches already know about.
      this.loadDictionaries();
      throw err;
    }
  }

  tagKey(tagId: string): number | undefined {
    return this.tagKeys.get(tagId);
  }

  /** Ids of every tag that has (or had) values, in key order. */
  storedTagIds(): string[] {
    return [...this.tagIds.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  }

  /** Per-tag retention; undefined keeps the store default. Registers the tag when new. */
  setRetention(tagId: string, retention: { rawDays?: number; rollupDays?: number }): void {
    const key = this.ensureTag(tagId);
    this.stmt.setRetention.run(retention.rawDays ?? null, retention.rollupDays ?? null, key);
  }

  count(tagId: string): number {
    const key = this.tagKeys.get(tagId);
    return key === undefined ? 0 : (this.stmt.count.get(key) as number);
  }

  /** Rows of a tag with from ≤ source time ≤ to, counted up to `limit` (so a huge range costs no more than that). */
  countRange(tagId: string, from: number, to: number, limit = Number.MAX_SAFE_INTEGER): number {
    const key = this.tagKeys.get(tagId);
    return key === undefined ? 0 : (this.stmt.countRange.get(key, from, to, limit) as number);
  }

  /** Up to `limit` rows of a tag with from ≤ source time ≤ to, after (ts, n) when given, in time order. */
  readPage(tagId: string, from: number, to: number, limit: number, after?: { sourceTs: number; n: number }): StoredSample[] {
    const key = this.tagKeys.get(tagId);
    if (key === undefined) return [];
    const raw = (after ? this.stmt.nextPage.all(key, after.sourceTs, after.n, to, limit) : this.stmt.firstPage.all(key, from, to, limit)) as RawRow[];
    return raw.map((r) => this.decode(tagId, r));
  }

  /** Every row of a tag in [from, to], in time order (for tests and small ranges). */
  samples(tagId: string, from = -Infinity, to = Infinity): StoredSample[] {
    return [...this.iterate([tagId], from, to)];
  }

  /**
   * Rows of several tags in [from, to], merged in time order (ties: the order of `tagIds`, then n).
   * Reads page by page with no statement left open, so a consumer may await between rows while the
   * writer commits on the same connection.
   */
  *iterate(tagIds: readonly string[], from: number, to: number, pageRows = 4096): Generator<StoredSample> {
    const cursors = tagIds.map((id) => ({ id, page: this.readPage(id, from, to, pageRows), at: 0 }));
    for (;;) {
      let best = -1;
      for (let k = 0; k < cursors.length; k++) {
        const c = cursors[k]!;
        if (c.at >= c.page.length) continue;
        if (best < 0 || c.page[c.at]!.sourceTs < cursors[best]!.page[cursors[best]!.at]!.sourceTs) best = k;
      }
      if (best < 0) return;
      const c = cursors[best]!;
      const row = c.page[c.at++]!;
      if (c.at === c.page.length && c.page.length === pageRows) {
        c.page = this.readPage(c.id, from, to, pageRows, row);
        c.at = 0;
      }
      yield row;
    }
  }

  /** At most `maxPoints` points for a chart; see chart.ts. */
  query(tagId: string, from: number, to: number, maxPoints: number): ChartSeries {
    return chartQuery(this.db, this.levels, tagId, this.tagKeys.get(tagId), from, to, maxPoints);
  }

  /** Deletes what retention no longer keeps, `chunkRows` rows per transaction; see retention.ts. */
  prune(now: number, options: { chunkRows?: number; maxChunks?: number } = {}): PruneReport {
    return pruneStore(this.db, this.levels, this.retention, now, options);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private insertRows(rows: readonly HistorianSample[]): void {
    // Stable counting sort by tag: each tag's rows become one run, so B-tree inserts and rollup buckets
    // stay local, and each tag keeps its arrival order.
    const keys = new Int32Array(rows.length);
    let maxKey = 0;
    for (let k = 0; k < rows.length; k++) {
      const key = this.ensureTag(rows[k]!.tagId);
      keys[k] = key;
      if (key > maxKey) maxKey = key;
    }
    const starts = new Int32Array(maxKey + 2);
    for (let k = 0; k < rows.length; k++) starts[keys[k]! + 1]!++;
    for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
    const order = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) order[starts[keys[k]!]!++] = k;

    const rollups = new RollupBatch(this.levels);
    const args = this.args;
    let pending = 0;
    // Rows wait in `args` until ROWS_PER_INSERT of them go in one statement; leftovers go one by one.
    const insertPending = () => {
      for (let r = 0; r < pending; r++) {
        const o = r * PARAMS_PER_ROW;
        this.stmt.insert.run(args[o], args[o + 1], args[o + 2], args[o + 3], args[o + 4], args[o + 5], args[o + 6], args[o + 7], args[o + 8], args[o + 9], args[o + 10]);
      }
      pending = 0;
    };
    for (let j = 0; j < order.length; j++) {
      const k = order[j]!;
      const row = rows[k]!;
      const key = keys[k]!;
      const ts = row.sourceTs;
      if (!Number.isFinite(ts)) throw new RangeError(`${row.tagId}: source time ${String(ts)} is not a finite number`);
      const n = this.nextN(key, ts, insertPending);
      const v = row.value;
      let value: number | null = null;
      let arr: Buffer | null = null;
      let enc = ENC_NUMBER;
      let numeric: number | null = null;
      if (typeof v === "number") {
        if (Number.isNaN(v)) enc = ENC_NAN;
        else value = v;
        if (Number.isFinite(v)) numeric = v;
      } else if (typeof v === "boolean") {
        enc = ENC_BOOLEAN;
        value = numeric = v ? 1 : 0;
      } else if (v !== null) {
        enc = ENC_ARRAY;
        arr = encodeArray(v);
      }
      const q = QUALITY_CODE[row.quality];
      const o = pending * PARAMS_PER_ROW;
      args[o] = key;
      args[o + 1] = ts;
      args[o + 2] = n;
      args[o + 3] = row.serverTs;
      args[o + 4] = value;
      args[o + 5] = arr;
      args[o + 6] = enc;
      args[o + 7] = q;
      args[o + 8] = this.statusKey(row.status);
      args[o + 9] = this.connKey(row.connection);
      args[o + 10] = row.flags;
      if (++pending === ROWS_PER_INSERT) {
        this.stmt.insertMany.run(args);
        pending = 0;
      }
      // Arrays are not chartable, so they stay out of rollups; everything else counts as value or bad.
      if (enc !== ENC_ARRAY) {
        rollups.add(key, ts, q === 2 ? null : numeric, q === 1, (row.flags & QualityFlag.quarantined) !== 0);
      }
    }
    insertPending();
    for (const b of rollups.drain()) this.stmt.upsertRollup.run(b);
  }

  /**
   * n for a new row: 0 after the newest time, the next n at the newest time, a lookup for older times
   * (after `beforeLookup` has written the rows still waiting, so the lookup sees them).
   */
  private nextN(key: number, ts: number, beforeLookup: () => void): number {
    let newest = this.newest.get(key);
    if (newest === undefined) {
      const row = this.stmt.newest.get(key, key) as { ts: number | null; n: number | null };
      newest = { ts: row.ts ?? -Infinity, n: row.n ?? -1 };
      this.newest.set(key, newest);
    }
    if (ts > newest.ts) {
      newest.ts = ts;
      newest.n = 0;
      return 0;
    }
    if (ts === newest.ts) return ++newest.n;
    beforeLookup();
    return this.stmt.nextN.get(key, ts) as number;
  }

  private ensureTag(tagId: string): number {
    let key = this.tagKeys.get(tagId);
    if (key === undefined) {
      key = Number(this.stmt.addTag.run(tagId).lastInsertRowid);
      this.tagKeys.set(tagId, key);
      this.tagIds.set(key, tagId);
    }
    return key;
  }

  private statusKey(name: string): number {
    let key = this.statusKeys.get(name);
    if (key === undefined) {
      key = Number(this.stmt.addStatus.run(name).lastInsertRowid);
      this.statusKeys.set(name, key);
      this.statusNames.set(key, name);
    }
    return key;
  }

  private connKey(id: string): number {
    let key = this.connKeys.get(id);
    if (key === undefined) {
      key = Number(this.stmt.addConn.run(id).lastInsertRowid);
      this.connKeys.set(id, key);
      this.connIds.set(key, id);
    }
    return key;
  }

  private loadDictionaries(): void {
    for (const m of [this.tagKeys, this.tagIds, this.statusKeys, this.statusNames, this.connKeys, this.connIds, this.newest]) m.clear();
    for (const r of this.db.prepare("SELECT key, id FROM tags").all() as { key: number; id: string }[]) {
      this.tagKeys.set(r.id, r.key);
      this.tagIds.set(r.key, r.id);
    }
    for (const r of this.db.prepare("SELECT key, name FROM statuses").all() as { key: number; name: string }[]) {
      this.statusKeys.set(r.name, r.key);
      this.statusNames.set(r.key, r.name);
    }
    for (const r of this.db.prepare("SELECT key, id FROM connections").all() as { key: number; id: string }[]) {
      this.connKeys.set(r.id, r.key);
      this.connIds.set(r.key, r.id);
    }
  }

  private decode(tagId: string, r: RawRow): StoredSample {
    const [ts, n, serverTs, value, arr, enc, q, status, conn, flags] = r;
    let v: TagValue;
    if (enc === ENC_BOOLEAN) v = value === 1;
    else if (enc === ENC_ARRAY) v = decodeArray(arr!);
    else if (enc === ENC_NAN) v = NaN;
    else v = value;
    return {
      tagId,
      sourceTs: ts,
      serverTs,
      value: v,
      quality: QUALITY_OF_CODE[q] ?? "bad",
      status: this.statusNames.get(status) ?? `status #${status}`,
      connection: this.connIds.get(conn) ?? `connection #${conn}`,
      flags,
      n,
    };
  }
}

/** Arrays are stored as IEEE-754 float64, little-endian, element after element. */
export function encodeArray(values: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(values.length * 8);
  for (let k = 0; k < values.length; k++) buf.writeDoubleLE(values[k]!, k * 8);
  return buf;
}

export function decodeArray(buf: Buffer): number[] {
  const out = new Array<number>(buf.length / 8);
  for (let k = 0; k < out.length; k++) out[k] = buf.readDoubleLE(k * 8);
  return out;
}
