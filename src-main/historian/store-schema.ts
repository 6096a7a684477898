/**
 * The historian's SQLite schema and how a database file is opened. See README.md for the storage layout.
 *
 * Durability: WAL journal with `synchronous=NORMAL`. A committed transaction survives a crash of the
 * process (SIGKILL included): it is in the WAL file, which SQLite replays on the next open. After a crash
 * of the operating system or a power cut, the transactions committed since the last checkpoint may be
 * rolled back (the WAL is synced only at checkpoints), but the file stays consistent. That trade keeps
 * a commit cheap (no fsync per batch).
 */
import Database from "better-sqlite3";

/** Version of the schema this build writes. A file with a newer version is refused, not guessed at. */
export const SCHEMA_VERSION = 1;

export class HistorianSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistorianSchemaError";
  }
}

const DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Tag ids, connection ids and status names are stored once; rows carry their small integer keys.
CREATE TABLE tags (
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  raw_days REAL,     -- NULL: the store's default retention
  rollup_days REAL
);
CREATE TABLE connections (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE statuses (key INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO statuses (key, name) VALUES (0, 'Good');

-- One row per value, clustered by (tag, source time): a time range of one tag is one contiguous scan.
-- n tells apart values of one tag with the same source time (0 for the first).
CREATE TABLE samples (
  tag INTEGER NOT NULL,
  ts INTEGER NOT NULL,         -- source time, Unix ms
  n INTEGER NOT NULL,
  server_ts INTEGER,           -- NULL when unknown
  value REAL,                  -- number, or Boolean as 0/1; NULL for null, NaN and arrays
  arr BLOB,                    -- arrays: float64 little-endian; NULL otherwise
  enc INTEGER NOT NULL,        -- 0 number or null, 1 Boolean, 2 array, 3 NaN
  q INTEGER NOT NULL,          -- 0 good, 1 uncertain, 2 bad
  status INTEGER NOT NULL,     -- statuses.key
  conn INTEGER NOT NULL,       -- connections.key
  flags INTEGER NOT NULL,      -- QualityFlag bits
  PRIMARY KEY (tag, ts, n)
) WITHOUT ROWID;

-- Per tag and bucket size: aggregates of the numeric values that were not bad (quarantined ones included,
-- and counted), with the times of the extremes so a chart draws them where they happened.
CREATE TABLE rollups (
  tag INTEGER NOT NULL,
  size INTEGER NOT NULL,       -- bucket size, ms
  start INTEGER NOT NULL,      -- bucket start, ms, a multiple of size
  lo REAL, lo_ts INTEGER,      -- NULL when the bucket holds no value (only bad samples)
  hi REAL, hi_ts INTEGER,
  sum REAL NOT NULL,
  n INTEGER NOT NULL,          -- values aggregated
  uncertain INTEGER NOT NULL,  -- of those, with uncertain quality
  quarantined INTEGER NOT NULL,-- of those, quarantined by a rule
  bad INTEGER NOT NULL,        -- samples without a usable value (bad quality, null, NaN, ±Infinity)
  PRIMARY KEY (tag, size, start)
) WITHOUT ROWID;
`;

/** Opens (creating when missing) the database file; throws HistorianSchemaError for a newer schema. */
export function openDatabase(file: string, options: { cacheMb?: number } = {}): Database.Database {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma(`cache_size = ${-1024 * (options.cacheMb ?? 64)}`);
    // Keep checkpoints in the background of normal commits, and the WAL file from growing without bound.
    db.pragma("wal_autocheckpoint = 4000");
    db.pragma("journal_size_limit = 67108864");
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
    if (!hasMeta) {
      const hasOther = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
      if (hasOther.n > 0) throw new HistorianSchemaError(`${file} is an SQLite file, but not a Twinbench historian (no meta table)`);
      db.transaction(() => {
        db.exec(DDL);
        db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('created_at', ?)").run(String(SCHEMA_VERSION), new Date().toISOString());
      })();
      return db;
    }
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    const version = Number(row?.value);
    if (!Number.isInteger(version)) throw new HistorianSchemaError(`${file}: meta.schema_version is missing or not a number`);
    if (version > SCHEMA_VERSION) {
      throw new HistorianSchemaError(
        `${file} was written by a newer Twinbench (historian schema version ${version}; this build reads up to ${SCHEMA_VERSION}). ` +
          "Open it with a newer Twinbench, or choose another data folder.",
      );
    }
    // Older versions would be migrated here, one step at a time; version 1 is the first.
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
