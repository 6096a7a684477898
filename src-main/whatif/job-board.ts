/**
 * The what-if jobs of a running twin: each study or recommendation runs in the background with its own
 * abort signal, reports progress (throttled) and its end as events, and keeps its outcome in memory for a
 * while (the newest few finished jobs) so the panel can fetch it, thinned, as often as it likes.
 */
import { randomUUID } from "node:crypto";
import type { WhatifJob } from "../common/api/whatif";
import type { WhatifProgress } from "../common/whatif/results";
import type { PlantState } from "../common/whatif/schema";
import { WhatifCancelled } from "./pool";

/** What a job's work reports while it runs. */
export interface JobControl {
  signal: AbortSignal;
  progress(p: WhatifProgress): void;
  /** The state the runs fork from, once known. */
  forked(state: PlantState): void;
}

export interface JobEvents {
  progress(payload: WhatifProgress & { jobId: string; kind: WhatifJob["kind"] }): void;
  finished(job: WhatifJob): void;
}

interface Entry<T> {
  job: WhatifJob;
  abort: AbortController;
  /** User id of the starter (null: the system). */
  ownerId: number | null;
  outcome: T | null;
  done: Promise<void>;
  lastProgressAt: number;
}

/** At most this many progress events per second per job (plus the last one). */
const PROGRESS_EVERY_MS = 200;

export class JobBoard<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly events: JobEvents,
    /** Finished jobs kept (oldest dropped first). */
    private readonly keep = 12,
  ) {}

  start(kind: WhatifJob["kind"], startedBy: string, ownerId: number | null, scenarios: string[], work: (control: JobControl) => Promise<T>): WhatifJob {
    const abort = new AbortController();
    const job: WhatifJob = {
      id: randomUUID(),
      kind,
      state: "running",
      startedBy,
      startedAt: Date.now(),
      finishedAt: null,
      scenarios,
      progress: { phase: kind === "study" ? "study" : "search", done: 0, total: 0, elapsedMs: 0, etaMs: null },
      forkedFrom: null,
    };
    const entry: Entry<T> = { job, abort, ownerId, outcome: null, done: Promise.resolve(), lastProgressAt: 0 };
    this.entries.set(job.id, entry);
    const control: JobControl = {
      signal: abort.signal,
      progress: (p) => this.progress(entry, p),
      forked: (s) => (entry.job = { ...entry.job, forkedFrom: { model: s.model, source: s.source, timeS: s.timeS } }),
    };
    // The work starts on the next turn, so the caller has the job (and its id) before any event about it.
    entry.done = Promise.resolve()
      .then(() => work(control))
      .then(
        (outcome) => this.finish(entry, "done", outcome),
        (err: unknown) => this.finish(entry, err instanceof WhatifCancelled || abort.signal.aborted ? "cancelled" : "failed", null, err),
      );
    return this.view(entry);
  }

  get(id: string): WhatifJob | undefined {
    const e = this.entries.get(id);
    return e ? this.view(e) : undefined;
  }

  /** Newest first. */
  list(): WhatifJob[] {
    return [...this.entries.values()].reverse().map((e) => this.view(e));
  }

  outcome(id: string): T | null {
    return this.entries.get(id)?.outcome ?? null;
  }

  ownerOf(id: string): number | null | undefined {
    return this.entries.get(id)?.ownerId;
  }

  /** Aborts a running job and resolves when it has ended. */
  async cancel(id: string): Promise<WhatifJob | undefined> {
    const e = this.entries.get(id);
    if (!e) return undefined;
    e.abort.abort();
    await e.done;
    return this.view(e);
  }

  /** Resolves when the job has ended (at once for an ended or unknown one). */
  async settled(id: string): Promise<void> {
    await this.entries.get(id)?.done;
  }

  async cancelAll(): Promise<void> {
    const running = [...this.entries.values()].filter((e) => e.job.state === "running");
    for (const e of running) e.abort.abort();
    await Promise.all(running.map((e) => e.done));
  }

  private progress(e: Entry<T>, p: WhatifProgress): void {
    if (e.job.state !== "running") return;
    e.job = { ...e.job, progress: { phase: p.phase, done: p.done, total: p.total, elapsedMs: p.elapsedMs, etaMs: p.etaMs } };
    const now = performance.now();
    if (p.done < p.total && now - e.lastProgressAt < PROGRESS_EVERY_MS) return;
    e.lastProgressAt = now;
    this.events.progress({ ...p, jobId: e.job.id, kind: e.job.kind });
  }

  private finish(e: Entry<T>, state: "done" | "failed" | "cancelled", outcome: T | null, err?: unknown): void {
    e.outcome = outcome;
    e.job = { ...e.job, state, finishedAt: Date.now() };
    if (err !== undefined && state === "failed") e.job.error = err instanceof Error ? err.message : String(err);
    this.events.finished(this.view(e));
    const finished = [...this.entries.values()].filter((x) => x.job.state !== "running");
    for (const old of finished.slice(0, Math.max(0, finished.length - this.keep))) this.entries.delete(old.job.id);
  }

  private view(e: Entry<T>): WhatifJob {
    return structuredClone(e.job);
  }
}
