/**
 * The what-if worker's API as a plain class (testable without threads; whatif.worker.ts only exposes it).
 * A run is synchronous; it stops between steps when the pool raises this worker's cancel flag.
 */
import { runJob } from "./runner";
import type { RunJob, RunResult, WhatifWorkerApi } from "./types";

export class WhatifService implements WhatifWorkerApi {
  private flags: Int32Array | null = null;
  private slot = 0;

  attach(flags: SharedArrayBuffer, slot: number): void {
    const view = new Int32Array(flags);
    if (!Number.isInteger(slot) || slot < 0 || slot >= view.length) throw new RangeError(`attach: slot ${slot} outside the ${view.length} cancel flags`);
    this.flags = view;
    this.slot = slot;
  }

  run(job: RunJob): RunResult {
    const flags = this.flags;
    const slot = this.slot;
    return runJob(job, flags ? () => Atomics.load(flags, slot) !== 0 : undefined);
  }
}
