/**
 * The write queue between the live path and SQLite. `offer` only appends to memory and returns at once;
 * commits run later from a timer (in the main thread), `batchRows` rows per transaction, or sooner when a
 * full batch is waiting. A batch of 5,000 rows commits in a few milliseconds, which is why no worker is
 * used: handing rows to a thread would cost about as much as inserting them.
 *
 * Back-pressure: the queue holds at most `capacityRows`. An `offer` that does not fit is refused whole
 * (returns false) and counted in `stats.refusedRows`; nothing is dropped without the producer being told.
 * Producers that can wait (imports, replays) `await whenRoom(n)` first.
 *
 * Loss bound on a crash (process killed): the rows still queued, i.e. what arrived since the last commit:
 * at most `batchRows` rows or `maxDelayMs` of data while the store keeps up, at most `capacityRows` when
 * it does not. Committed rows survive (see store-schema.ts).
 */
import type { HistorianSample } from "./sample";

export interface WriterOptions {
  /** Rows per transaction. */
  batchRows?: number;
  /** Longest a row waits before its batch is committed, ms. */
  maxDelayMs?: number;
  /** Rows the queue holds before it refuses. */
  capacityRows?: number;
  /** Pause before retrying after a failed commit, ms. */
  retryDelayMs?: number;
  /** Called after each commit (e.g. to report progress). */
  onCommit?(rows: number, totalCommitted: number): void;
  onError?(err: unknown): void;
}

export interface WriterStats {
  queuedRows: number;
  committedRows: number;
  batches: number;
  refusedRows: number;
  failedCommits: number;
  lastError: string | null;
}

/** Where committed rows go: the store (any object with a transactional insert). */
export interface SampleSink {
  insert(rows: readonly HistorianSample[]): void;
}

const EMPTY: HistorianSample[] = [];

export class HistorianWriter {
  private readonly batchRows: number;
  private readonly maxDelayMs: number;
  private readonly capacityRows: number;
  private readonly retryDelayMs: number;
  /** Arrays as offered (not copied); `chunks[first]` is the oldest, `head` how far it has been committed. */
  private chunks: HistorianSample[][] = [];
  private first = 0;
  private head = 0;
  private queued = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private waiters: { rows: number; resolve: () => void }[] = [];
  private closed = false;
  private readonly s: WriterStats = { queuedRows: 0, committedRows: 0, batches: 0, refusedRows: 0, failedCommits: 0, lastError: null };

  constructor(
    private readonly sink: SampleSink,
    private readonly options: WriterOptions = {},
  ) {
    this.batchRows = Math.max(1, options.batchRows ?? 5_000);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 100);
    this.capacityRows = Math.max(this.batchRows, options.capacityRows ?? 200_000);
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
  }

  get stats(): WriterStats {
    return { ...this.s, queuedRows: this.queued };
  }

  hasRoom(rows: number): boolean {
    return this.queued + rows <= this.capacityRows;
  }

  /** Queues the rows (kept by reference: do not change them afterwards). False, and counted, when full. */
  offer(rows: HistorianSample[]): boolean {
    if (this.closed) throw new Error("historian writer is closed");
    if (rows.length === 0) return true;
    if (!this.hasRoom(rows.length)) {
      this.s.refusedRows += rows.length;
      return false;
    }
    this.chunks.push(rows);
    this.queued += rows.length;
    this.schedule();
    return true;
  }

  /** Counts rows a caller refused itself (e.g. validated, but not offered because `hasRoom` was false). */
  countRefused(rows: number): void {
    this.s.refusedRows += rows;
  }

  /** Resolves once `rows` more rows fit. Check `hasRoom` again before offering: another producer may have been first. */
  whenRoom(rows = 1): Promise<void> {
    if (rows > this.capacityRows) return Promise.reject(new RangeError(`${rows} rows never fit a queue of ${this.capacityRows}`));
    if (this.hasRoom(rows)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ rows, resolve }));
  }

  /** Commits everything queued now. Rejects (rows stay queued) when the store fails. */
  async flush(): Promise<void> {
    this.clearSchedule();
    try {
      while (this.queued > 0) this.commitOne();
    } catch (err) {
      this.failed(err);
      throw err;
    }
  }

  /** Flushes, then refuses further offers. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private schedule(): void {
    if (this.queued >= this.batchRows) {
      if (this.immediate === undefined) this.immediate = setImmediate(() => this.run());
    } else if (this.timer === undefined && this.immediate === undefined) {
      this.timer = setTimeout(() => this.run(), this.maxDelayMs);
    }
  }

  private clearSchedule(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
  }

  /** One commit, then the next one scheduled: the event loop runs between batches. */
  private run(): void {
    this.clearSchedule();
    if (this.queued === 0) return;
    try {
      this.commitOne();
    } catch (err) {
      this.failed(err);
      return;
    }
    if (this.queued > 0) this.schedule();
  }

  /** A failed commit: counted, reported, retried later (the rows stay queued, producers see the queue fill). */
  private failed(err: unknown): void {
    this.s.failedCommits++;
    this.s.lastError = err instanceof Error ? err.message : String(err);
    this.options.onError?.(err);
    this.clearSchedule();
    this.timer = setTimeout(() => this.run(), this.retryDelayMs);
  }

  private commitOne(): void {
    const n = Math.min(this.batchRows, this.queued);
    const oldest = this.chunks[this.first]!;
    let batch: HistorianSample[];
    if (this.head === 0 && oldest.length === n) batch = oldest;
    else {
      batch = new Array<HistorianSample>(n);
      let c = this.first;
      let h = this.head;
      for (let k = 0; k < n; k++) {
        const chunk = this.chunks[c]!;
        batch[k] = chunk[h++]!;
        if (h === chunk.length) {
          c++;
          h = 0;
        }
      }
    }
    this.sink.insert(batch); // throws before anything below: the rows stay queued
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[this.first]!;
      const take = Math.min(left, chunk.length - this.head);
      left -= take;
      this.head += take;
      if (this.head === chunk.length) {
        this.chunks[this.first++] = EMPTY;
        this.head = 0;
      }
    }
    // Live offers are often one row each: drop committed chunks in bulk, not one shift at a time.
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first > 1024 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
    this.queued -= n;
    this.s.committedRows += n;
    this.s.batches++;
    this.options.onCommit?.(n, this.s.committedRows);
    this.wakeWaiters();
  }

  /** Wakes waiters in order while their rows fit together, so two woken producers do not both count on the same room. */
  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    let promised = 0;
    for (const w of this.waiters) {
      if (still.length === 0 && this.hasRoom(promised + w.rows)) {
        promised += w.rows;
        w.resolve();
      } else still.push(w);
    }
    this.waiters = still;
  }
}
