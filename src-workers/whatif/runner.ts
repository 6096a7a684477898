/**
 * One what-if run: fork the plant, step it over the horizon applying the edit timeline, record the
 * outputs and accumulate the KPIs. Synchronous and allocation-light; between steps it asks whether it
 * was cancelled, so a pool can stop it within milliseconds.
 */
import type { CompiledEdit } from "../../src-main/common/whatif/validate";
import { KpiMeter } from "./kpi";
import type { WhatifPlant } from "./model";
import { whatifModel } from "./models";
import type { RunJob, RunResult } from "./types";

/** Thrown when the cancel check says stop; the pool recognises it by name across threads. */
export class RunCancelled extends Error {
  constructor() {
    super("what-if run cancelled");
    this.name = "RunCancelled";
  }
}

const EPS = 1e-9;

/** Number of recorded samples: 0, sampleS, 2·sampleS, … up to the horizon. */
export function sampleCount(horizonS: number, sampleS: number): number {
  return Math.floor(horizonS / sampleS + EPS) + 1;
}

export function runJob(job: RunJob, isCancelled: () => boolean = () => false): RunResult {
  const model = whatifModel(job.state.model);
  const plant = model.fork(job.state, { substepS: job.substepS, fidelity: job.fidelity, noiseSeed: job.noiseSeed, latent: job.latent });
  return runOnPlant(job, plant, isCancelled);
}

interface Ramp {
  tag: string;
  from: number;
  to: number;
  startS: number;
  ratePerS: number;
}

/** Runs a job on an already forked plant (tests use it to drive a plant they hold). */
export function runOnPlant(job: RunJob, plant: WhatifPlant, isCancelled: () => boolean): RunResult {
  const t0 = performance.now();
  const { horizonS, stepS, sampleS, edits } = job;
  if (!(horizonS > 0 && stepS > 0 && sampleS > 0)) throw new RangeError(`what-if run: horizonS, stepS and sampleS must be > 0`);
  const samples = sampleCount(horizonS, sampleS);
  const readers = job.outputs.map((name) => plant.reader(name));
  const series = new Float64Array(readers.length * samples);
  const meter = new KpiMeter(job.kpis, (name) => plant.reader(name), horizonS);
  const ramps = new Map<string, Ramp>();

  const record = (k: number) => {
    for (let o = 0; o < readers.length; o++) series[o * samples + k] = readers[o]!();
  };

  let t = 0;
  let nextEdit = 0;
  let nextSample = 1;
  // Edits at 0 belong to the start: the first sample and the KPIs' starting values include them.
  while (nextEdit < edits.length && edits[nextEdit]!.atS <= EPS) apply(plant, edits[nextEdit++]!, 0, ramps);
  meter.start();
  record(0);
  while (t < horizonS - EPS) {
    if (isCancelled()) throw new RunCancelled();
    while (nextEdit < edits.length && edits[nextEdit]!.atS <= t + EPS) apply(plant, edits[nextEdit++]!, t, ramps);
    advanceRamps(plant, ramps, t);

    let dt = Math.min(stepS, horizonS - t);
    if (nextEdit < edits.length) dt = Math.min(dt, edits[nextEdit]!.atS - t);
    if (nextSample < samples) dt = Math.min(dt, nextSample * sampleS - t);
    if (dt <= EPS) dt = Math.min(stepS, horizonS - t);
    plant.sim.step(dt);
    t += dt;
    // Snap onto the grid so sums of steps do not drift past a sample time.
    if (nextSample < samples && Math.abs(t - nextSample * sampleS) <= EPS) t = nextSample * sampleS;
    meter.update(t, dt);
    if (nextSample < samples && t >= nextSample * sampleS - EPS) record(nextSample++);
  }
  while (nextSample < samples) record(nextSample++);
  return { samples, series, kpis: meter.finish(horizonS), simulatedS: t, wallMs: performance.now() - t0 };
}

function apply(plant: WhatifPlant, edit: CompiledEdit, t: number, ramps: Map<string, Ramp>): void {
  switch (edit.kind) {
    case "write": {
      const rate = edit.ratePerS;
      if (typeof edit.value === "number" && rate !== undefined && rate > 0) {
        // A rate-limited setpoint is written as a ramp from where it stands (or where its last ramp got to).
        const from = plant.reader(edit.tag)();
        ramps.set(edit.tag, { tag: edit.tag, from, to: edit.value, startS: t, ratePerS: rate });
      } else {
        ramps.delete(edit.tag);
        plant.sim.write(edit.tag, edit.value);
      }
      break;
    }
    case "latent":
      plant.setLatent(edit.name, edit.value);
      break;
    case "disturbance":
      plant.setDisturbance(edit.input, edit.offsetK);
      break;
    case "valve":
      plant.stickValve(edit.tag, edit.stuck ? edit.value : null);
      break;
    case "sensor":
      plant.failSensor(edit.tag, edit.failed ? edit.value : null);
      break;
  }
}

function advanceRamps(plant: WhatifPlant, ramps: Map<string, Ramp>, t: number): void {
  // Most steps have no ramp: no iterator then (this runs every step).
  if (ramps.size === 0) return;
  for (const r of ramps.values()) {
    const travelled = r.ratePerS * (t - r.startS);
    const span = Math.abs(r.to - r.from);
    const value = travelled >= span ? r.to : r.from + Math.sign(r.to - r.from) * travelled;
    plant.sim.write(r.tag, value);
    if (value === r.to) ramps.delete(r.tag);
  }
}
