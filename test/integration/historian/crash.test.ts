/**
 * Crash safety: a child writes heavily and is SIGKILLed mid-stream (three times into the same file). The
 * database must open afterwards with `PRAGMA integrity_check` = ok, and hold every committed row: the loss
 * is bounded by what was still queued (≤ capacityRows, the queue), and the rows stored beyond the last
 * reported commit are at most one batch (the commit that finished just before the kill, unreported).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { HistorianStore } from "../../../src-main/historian/store";
import { tempFolder } from "../../support/temp";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));
const BATCH_ROWS = 5_000;
const CAPACITY_ROWS = 20_000;

interface Killed {
  committed: number;
  offered: number;
}

/** Runs the writer until it has committed at least `minRows`, then SIGKILLs it a random moment later. */
function writeAndKill(folder: string, startTs: number, minRows: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, folder, String(BATCH_ROWS), String(CAPACITY_ROWS), String(startTs)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let committed = 0;
    let offered = 0;
    let pending = "";
    let stderr = "";
    let killing = false;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const [what, n] = line.split(" ");
        if (what === "committed") committed = Number(n);
        if (what === "offered") offered = Number(n);
      }
      if (!killing && committed >= minRows) {
        killing = true;
        // Somewhere inside the next few commits: usually in the middle of a transaction.
        setTimeout(() => child.kill("SIGKILL"), Math.random() * 30);
      }
    });
    child.on("error", reject);
    // "close", not "exit": by then every line printed before the kill has been read.
    child.on("close", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer exited by itself (code ${code}):\n${stderr}`));
      else resolve({ committed, offered });
    });
  });
}

describe("historian crash safety", () => {
  it("survives SIGKILL during heavy writing: integrity ok, committed rows kept, loss within the documented bound", { timeout: 120_000 }, async () => {
    const temp = tempFolder("historian-crash");
    try {
      let stored = 0;
      let startTs = Date.UTC(2025, 0, 1);
      for (let round = 0; round < 3; round++) {
        const killed = await writeAndKill(temp.path, startTs, 30_000 + round * 10_000);
        const store = HistorianStore.open(temp.path);
        try {
          assert.equal(store.db.pragma("integrity_check", { simple: true }), "ok");
          const total = store.db.prepare("SELECT count(*) FROM samples").pluck().get() as number;
          const now = total - stored;
          assert.ok(now >= killed.committed, `round ${round}: ${now} rows stored, ${killed.committed} reported committed`);
          assert.ok(now - killed.committed <= BATCH_ROWS, `round ${round}: at most one unreported batch (${now - killed.committed})`);
          assert.ok(now <= killed.offered, "nothing stored that was not offered");
          assert.ok(killed.offered - now <= CAPACITY_ROWS, `round ${round}: lost ${killed.offered - now} rows, at most the queue (${CAPACITY_ROWS})`);
          // Rollups were committed with their rows: they still count every stored row.
          const counted = store.db.prepare("SELECT sum(n + bad) FROM rollups WHERE size = 1000").pluck().get() as number;
          assert.equal(counted, total);
          stored = total;
          const newest = store.db.prepare("SELECT max(ts) FROM samples").pluck().get() as number;
          startTs = newest + 1_000;
        } finally {
          store.close();
        }
      }
      assert.ok(stored >= 120_000);
    } finally {
      temp.remove();
    }
  });
});
