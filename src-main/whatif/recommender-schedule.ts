/**
 * The periodic recommender: every `periodS` it runs the optimiser from the live estimate (as
 * `system:optimiser`), skipping a tick while the previous one still runs, and, when asked to, hands an
 * improving recommendation to the approval workflow. Off by default.
 */
import type { WhatifStudies } from "./studies";

export interface RecommenderSettings {
  periodS: number | null;
  autoPropose: boolean;
  lastJobId: string | null;
  /** When the next run is due (Unix ms), null when off. */
  nextAt: number | null;
}

const OPTIMISER = { userId: null, name: "system:optimiser" } as const;

export class RecommenderSchedule {
  private timer: ReturnType<typeof setInterval> | undefined;
  private settings: RecommenderSettings = { periodS: null, autoPropose: false, lastJobId: null, nextAt: null };
  private busy = false;

  constructor(
    private readonly studies: () => WhatifStudies,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  get(): RecommenderSettings {
    return { ...this.settings };
  }

  set(periodS: number | null, autoPropose: boolean): RecommenderSettings {
    clearInterval(this.timer);
    this.timer = undefined;
    this.settings = { ...this.settings, periodS, autoPropose, nextAt: periodS === null ? null : Date.now() + periodS * 1000 };
    if (periodS !== null) {
      this.timer = setInterval(() => void this.tick(), periodS * 1000);
      this.timer.unref?.();
    }
    return this.get();
  }

  /** One periodic recommendation (public so tests need not wait a period). */
  async tick(): Promise<void> {
    if (this.settings.periodS !== null) this.settings.nextAt = Date.now() + this.settings.periodS * 1000;
    if (this.busy) return;
    this.busy = true;
    try {
      const studies = this.studies();
      const job = studies.startRecommendation({ kind: "live" }, OPTIMISER);
      this.settings.lastJobId = job.id;
      await studies.settled(job.id);
      if (!this.settings.autoPropose || studies.job(job.id).state !== "done") return;
      const r = studies.result(job.id, undefined, 10);
      if (r.kind !== "recommendation" || !r.recommendation.improved) return;
      const out = await studies.propose(job.id, undefined, "periodic recommendation", OPTIMISER);
      for (const refusal of out.refusals) this.log(`periodic recommendation ${job.id}: ${refusal.tagId}: ${refusal.message}`);
    } catch (err) {
      this.log(`periodic recommendation: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
