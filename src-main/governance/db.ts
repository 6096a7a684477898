/**
 * `governance.db`: users, proposals, write alarms and the audit chain, in one SQLite file in the data folder.
 *
 * WAL so that `twinbench audit verify` and exports can read while the workbench writes. The audit table is
 * append-only twice over: no code path updates or deletes it, and triggers refuse it to any other client
 * that uses SQL (an attacker who drops them is caught by the hash chain, not by the triggers).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export const GOVERNANCE_DB_FILE = "governance.db";
const SCHEMA_VERSION = 1;

export const AUDIT_TRIGGERS = ["audit_no_update", "audit_no_delete"] as const;

const SCHEMA = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'engineer', 'admin')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_login_at INTEGER
);

CREATE TABLE proposals (
  id TEXT PRIMARY KEY,
  tag_id TEXT NOT NULL,
  state TEXT NOT NULL,
  proposed_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- bumped on every change: an update that lost a race changes no row and is refused
  version INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX proposals_by_tag ON proposals (tag_id, state);
CREATE INDEX proposals_by_state ON proposals (state, proposed_at);

-- What governance last knew of the scene (its hash and write policies), to audit changes made between runs.
CREATE TABLE scene_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE alarms (
  id INTEGER PRIMARY KEY,
  raised_at INTEGER NOT NULL,
  tag_id TEXT NOT NULL,
  proposal_id TEXT NOT NULL,
  message TEXT NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at INTEGER
);

-- AUTOINCREMENT keeps the highest sequence number ever used in sqlite_sequence, so cutting entries off the
-- end of the chain shows up too.
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  reason TEXT,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit (time);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END;
`;

/** Opens (creating when needed) the governance database in `dataFolder`. */
export function openGovernanceDb(dataFolder: string): Database.Database {
  mkdirSync(dataFolder, { recursive: true });
  const db = new Database(join(dataFolder, GOVERNANCE_DB_FILE));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    // Losing the last committed audit entry on power loss is worse than a slower commit.
    db.pragma("synchronous = FULL");
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new Error(`governance.db has schema version ${version}; this Twinbench knows up to ${SCHEMA_VERSION} (a newer version wrote it)`);
  }
  db.transaction(() => {
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
