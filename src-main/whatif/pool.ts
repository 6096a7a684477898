/**
 * The what-if worker pool: runs spread over worker threads (comlink), bounded concurrency, progress per
 * batch, and cancellation.
 *
 * Cancel: each worker has a flag in a SharedArrayBuffer that its run reads between steps (every plant
 * second, well under a millisecond of wall time), so a run stops within milliseconds. A worker that has
 * not stopped within `cancelGraceMs` is terminated and respawned on demand, so cancel always completes
 * within about that long.
 *
 * Default size: cores − 1 (at least 1), leaving a core for the main process and the live loop. Workers
 * run at normal priority; runs are chunked by the plant-second steps of the runner, so nothing holds a
 * core for long without checking in.
 */
import { availableParallelism } from "node:os";
import type { Remote } from "comlink";
import type { WhatifProgress } from "../common/whatif/results";
import { spawnWorker, type WorkerHandle } from "../runtime/workers";
import type { RunJob, RunResult, WhatifWorkerApi } from "../../src-workers/whatif/types";

export class WhatifCancelled extends Error {
  constructor(message = "what-if runs cancelled") {
    super(message);
    this.name = "WhatifCancelled";
  }
}

/** The worker thread died (crash, out of memory); the slot gets a new worker on its next run. */
class WorkerExited extends Error {
  constructor(code: number) {
    super(`what-if worker exited (code ${code})`);
    this.name = "WorkerExited";
  }
}

export interface WhatifPoolOptions {
  /** Worker threads; default cores − 1, at least 1. */
  size?: number;
  /** How long a cancelled run may take to stop before its worker is terminated. */
  cancelGraceMs?: number;
  /** Starts a worker (tests may inject one); default spawnWorker("whatif.worker"). */
  spawn?: () => WorkerHandle<WhatifWorkerApi>;
}

export interface BatchOptions {
  phase?: WhatifProgress["phase"];
  onProgress?(progress: WhatifProgress): void;
  signal?: AbortSignal;
}

interface Batch {
  jobs: readonly RunJob[];
  results: RunResult[];
  done: number;
  startedAt: number;
  cancelled: boolean;
  failed: boolean;
  options: BatchOptions;
  onAbort: (() => void) | null;
  resolve(results: RunResult[]): void;
  reject(err: Error): void;
}

interface Task {
  batch: Batch;
  index: number;
}

interface Slot {
  index: number;
  handle: WorkerHandle<WhatifWorkerApi> | null;
  ready: Promise<Remote<WhatifWorkerApi>> | null;
  exited: Promise<never> | null;
  task: Task | null;
  /** Settles (never rejects) when the current run has stopped. */
  running: Promise<void> | null;
  /** Bumped when a slot is abandoned, so a late answer from a terminated worker is ignored. */
  generation: number;
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

export class WhatifPool {
  readonly size: number;
  private readonly graceMs: number;
  private readonly spawn: () => WorkerHandle<WhatifWorkerApi>;
  private readonly flags: Int32Array;
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private readonly batches = new Set<Batch>();
  private closed = false;

  constructor(options: WhatifPoolOptions = {}) {
    const size = options.size ?? defaultPoolSize();
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`WhatifPool: size must be an integer ≥ 1, got ${size}`);
    this.size = size;
    this.graceMs = options.cancelGraceMs ?? 500;
    this.spawn = options.spawn ?? (() => spawnWorker<WhatifWorkerApi>("whatif.worker"));
    this.flags = new Int32Array(new SharedArrayBuffer(4 * size));
    this.slots = Array.from({ length: size }, (_, index) => ({ index, handle: null, ready: null, exited: null, task: null, running: null, generation: 0 }));
  }

  /** Workers busy with a run right now. */
  get busy(): number {
    return this.slots.filter((s) => s.task !== null).length;
  }

  /** Starts every worker now instead of on the first run (worker start-up from source takes a second or two). */
  async warm(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.worker(s)));
  }

  /** Runs the jobs; resolves with their results in job order, rejects with WhatifCancelled when cancelled. */
  run(jobs: readonly RunJob[], options: BatchOptions = {}): Promise<RunResult[]> {
    if (this.closed) return Promise.reject(new Error("what-if pool is closed"));
    return new Promise<RunResult[]>((resolve, reject) => {
      const batch: Batch = { jobs, results: new Array<RunResult>(jobs.length), done: 0, startedAt: performance.now(), cancelled: false, failed: false, options, onAbort: null, resolve, reject };
      if (jobs.length === 0) return resolve([]);
      if (options.signal?.aborted) return reject(new WhatifCancelled());
      if (options.signal) {
        // Removed when the batch settles: one signal may serve many batches (a recommendation's search).
        batch.onAbort = () => void this.cancelBatches([batch]);
        options.signal.addEventListener("abort", batch.onAbort, { once: true });
      }
      this.batches.add(batch);
      jobs.forEach((_, index) => this.queue.push({ batch, index }));
      this.progress(batch);
      this.dispatch();
    });
  }

  /** Cancels every batch; resolves when every worker has stopped its run (or has been terminated). */
  cancel(): Promise<void> {
    return this.cancelBatches([...this.batches]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.cancel();
    this.closed = true;
    await Promise.all(this.slots.map((s) => this.abandon(s)));
  }

  private async cancelBatches(batches: Batch[]): Promise<void> {
    for (const b of batches) b.cancelled = true;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.batch.cancelled) this.queue.splice(i, 1);
    const slots = this.slots.filter((s) => s.task?.batch.cancelled);
    for (const s of slots) Atomics.store(this.flags, s.index, 1);
    await Promise.all(slots.map((s) => this.stopped(s)));
    for (const b of batches) this.settle(b, new WhatifCancelled());
    this.dispatch();
  }

  /** Waits for a slot's run to end; terminates the worker if it does not within the grace time. */
  private async stopped(slot: Slot): Promise<void> {
    const running = slot.running;
    if (!running) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const inTime = await Promise.race([running.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), this.graceMs)))]);
    clearTimeout(timer);
    if (!inTime && slot.running === running) await this.abandon(slot);
  }

  private async abandon(slot: Slot): Promise<void> {
    const handle = slot.handle;
    slot.generation++;
    slot.handle = null;
    slot.ready = null;
    slot.exited = null;
    slot.task = null;
    slot.running = null;
    await handle?.dispose();
  }

  private worker(slot: Slot): Promise<Remote<WhatifWorkerApi>> {
    if (!slot.ready) {
      const handle = this.spawn();
      slot.handle = handle;
      const exited = new Promise<never>((_, reject) => handle.worker.once("exit", (code) => reject(new WorkerExited(code))));
      exited.catch(() => undefined);
      slot.exited = exited;
      slot.ready = (async () => {
        await Promise.race([handle.api.attach(this.flags.buffer as SharedArrayBuffer, slot.index), exited]);
        return handle.api;
      })();
      slot.ready.catch(() => undefined);
    }
    return slot.ready;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0 || this.closed) continue;
      const task = this.queue.shift()!;
      this.execute(slot, task);
    }
  }

  private execute(slot: Slot, task: Task): void {
    const generation = slot.generation;
    slot.task = task;
    Atomics.store(this.flags, slot.index, 0);
    const result = (async () => {
      const api = await this.worker(slot);
      return Promise.race([api.run(task.batch.jobs[task.index]!), slot.exited!]);
    })();
    slot.running = result.then(
      () => undefined,
      () => undefined,
    );
    result.then(
      (r) => this.finish(slot, generation, task, r, null),
      (err: unknown) => this.finish(slot, generation, task, null, err instanceof Error ? err : new Error(String(err))),
    );
  }

  private finish(slot: Slot, generation: number, task: Task, result: RunResult | null, error: Error | null): void {
    if (slot.generation !== generation) return;
    slot.task = null;
    slot.running = null;
    if (error instanceof WorkerExited) {
      slot.generation++;
      slot.handle = null;
      slot.ready = null;
      slot.exited = null;
    }
    const batch = task.batch;
    if (!batch.cancelled && !batch.failed) {
      if (result) {
        batch.results[task.index] = result;
        batch.done++;
        this.progress(batch);
        if (batch.done === batch.jobs.length) this.settle(batch, null);
      } else {
        batch.failed = true;
        const why = error?.name === "RunCancelled" ? new WhatifCancelled() : new Error(`what-if run ${task.index + 1} of ${batch.jobs.length} failed: ${error?.message}`);
        void this.cancelBatches([batch]).then(() => undefined);
        this.settle(batch, why);
      }
    }
    this.dispatch();
  }

  private settle(batch: Batch, error: Error | null): void {
    if (!this.batches.delete(batch)) return;
    if (batch.onAbort) batch.options.signal?.removeEventListener("abort", batch.onAbort);
    if (error) batch.reject(error);
    else batch.resolve(batch.results);
  }

  private progress(batch: Batch): void {
    const elapsedMs = performance.now() - batch.startedAt;
    const { done } = batch;
    const total = batch.jobs.length;
    batch.options.onProgress?.({
      phase: batch.options.phase ?? "study",
      done,
      total,
      elapsedMs,
      etaMs: done > 0 ? (elapsedMs / done) * (total - done) : null,
    });
  }
}
