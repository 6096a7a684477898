/**
 * Where a study in the running twin forks: the estimator's current estimate (states, latent parameters and
 * their posterior, setpoints as they stand), or the historian at a chosen moment. Typed on the narrow
 * views it needs, so tests can hand it fakes and the runtime its real services.
 */
import type { EstimateSnapshot, EstimationInfo } from "../common/api/estimation";
import type { TagSample } from "../common/api/contract";
import type { PlantState } from "../common/whatif/schema";
import type { WhatifContext } from "./context";
import { plantStateFromEstimate } from "./estimate-state";

export interface LiveSources {
  estimation: { info(): EstimationInfo; latest(): EstimateSnapshot | null };
  /** The newest sample of a tag, by id. */
  latest(tagId: string): TagSample | undefined;
  /** The demo's degradation speed-up the estimator's rate factors are relative to (1 for a real plant). */
  degradationSpeedup: number;
  /** Newest value of a historian tag at or before `at` (Unix ms), looking back at most `lookBackMs`; null if none. */
  historianValue(tagId: string, at: number, lookBackMs: number): number | null;
}

/** A plant state and what a reader of the result should know about it. */
export interface SourcedState {
  state: PlantState;
  notes: string[];
}

export class StateSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateSourceError";
  }
}

/** Setpoints as they stand now, from the live tag table. */
function liveInputs(ctx: WhatifContext, src: LiveSources): Record<string, number | boolean> {
  const inputs: Record<string, number | boolean> = {};
  for (const tag of ctx.limits.keys()) {
    const v = src.latest(tag)?.v;
    if (typeof v === "number" || typeof v === "boolean") inputs[tag] = v;
  }
  return inputs;
}

/** The twin's estimate now; before the estimator's first estimate, the latest measured values. */
export function liveState(ctx: WhatifContext, src: LiveSources): SourcedState {
  const sourced = liveStateOf(ctx, src);
  const unread = [...ctx.limits.values()].filter((l) => l.dataType !== "Boolean" && sourced.state.inputs[l.tag] === undefined).map((l) => l.tag);
  if (unread.length) sourced.notes.push(`Not read from the plant yet, so at the model's defaults: ${unread.join(", ")}.`);
  return sourced;
}

function liveStateOf(ctx: WhatifContext, src: LiveSources): SourcedState {
  const info = src.estimation.info();
  const latest = src.estimation.latest();
  const inputs = liveInputs(ctx, src);
  if (latest && info.variables.length > 0) {
    const measurements = ctx.scene.estimation?.measurements.map((m) => ({ tag: m.tag, from: m.from })) ?? [];
    const state = plantStateFromEstimate(
      ctx.model,
      {
        timeS: latest.t / 1000,
        variables: info.variables,
        mean: latest.mean.map((m) => m ?? Number.NaN),
        sd: latest.sd.map((s) => s ?? Number.NaN),
        measurements,
      },
      { inputs, degradationSpeedup: src.degradationSpeedup },
    );
    return { state, notes: [`Forked from the twin's live estimate at ${new Date(latest.t).toISOString()}.`] };
  }
  const why = info.error ?? (info.running ? "no estimate yet" : "the estimator is not running");
  const state = measuredState(ctx, Date.now() / 1000, inputs, (tag) => {
    const v = src.latest(tag)?.v;
    return typeof v === "number" ? v : null;
  });
  return { state, notes: [`The estimator had no estimate (${why}): forked from the latest measured values, latent parameters at the scene's prior.`] };
}

/** The plant as the historian recorded it at `at` (Unix ms): measured states, setpoints, and the estimates recorded then. */
export function historianState(ctx: WhatifContext, src: LiveSources, at: number): SourcedState {
  const lookBackMs = 10 * 60_000;
  const inputs: Record<string, number | boolean> = {};
  for (const tag of ctx.limits.keys()) {
    if (ctx.limits.get(tag)!.dataType === "Boolean") continue;
    const v = src.historianValue(tag, at, lookBackMs);
    if (v !== null) inputs[tag] = v;
  }
  const state = measuredState(ctx, at / 1000, inputs, (tag) => src.historianValue(tag, at, lookBackMs));
  if (Object.keys(state.continuous).length === 0) {
    throw new StateSourceError(`the historian holds no value of ${ctx.model.continuous.join(", ")} in the 10 minutes before ${new Date(at).toISOString()}`);
  }
  // The estimator records its estimates as est.<variable> and est.<variable>.sd: use them where they exist.
  const names: string[] = [];
  const mean: number[] = [];
  const sd: number[] = [];
  const factors = new Set(ctx.model.latent.flatMap((l) => (l.rateFactor ? [l.rateFactor] : [])));
  for (const l of ctx.model.latent) {
    const m = src.historianValue(`est.${l.name}`, at, lookBackMs);
    if (m === null) continue;
    const scale = factors.has(l.name) ? src.degradationSpeedup : 1;
    state.latent[l.name] = m * scale;
    const s = src.historianValue(`est.${l.name}.sd`, at, lookBackMs);
    if (s !== null && s > 0) {
      names.push(l.name);
      mean.push(m * scale);
      sd.push(s * scale);
    }
  }
  if (names.length > 0) {
    state.posterior = { names, mean, covariance: sd.map((a, i) => sd.map((_, j) => (i === j ? a * a : 0))) };
  }
  return {
    state,
    notes: [`Forked from the historian at ${new Date(at).toISOString()}${names.length ? ", latent parameters as the twin estimated them then" : ", latent parameters at the scene's prior"}.`],
  };
}

/** Measured continuous states and the scene's prior for latent parameters (no exact snapshot). */
function measuredState(ctx: WhatifContext, timeS: number, inputs: Record<string, number | boolean>, value: (tag: string) => number | null): PlantState {
  const state: PlantState = { model: ctx.model.model, source: "historian", timeS, latent: {}, continuous: {}, inputs };
  for (const tag of ctx.model.continuous) {
    const v = value(tag);
    if (v !== null && Number.isFinite(v)) state.continuous[tag] = v;
  }
  const latent = new Set(ctx.model.latent.map((l) => l.name));
  for (const asset of ctx.scene.assets) {
    for (const [key, prior] of Object.entries(asset.model?.latent ?? {})) {
      const name = `${asset.id}.${key}`;
      if (latent.has(name)) state.latent[name] = prior.initial;
    }
  }
  return state;
}
