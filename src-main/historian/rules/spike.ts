/**
 * Spike: a value far off the local trend. The trend is the straight line through the two previous
 * accepted values; the typical deviation is the mean absolute deviation from that line (an exponential
 * average over about `window` samples). A value fires when its deviation exceeds both `sigma` × typical and
 * `minDelta` (the floor keeps a smooth, almost noise-free signal from firing on tiny wiggles).
 *
 * Causal, so a step change looks like a spike at first: when the jump persists for more than
 * `MAX_SPIKE_RUN` values it is accepted as a step and the trend restarts from it. After a gap of more than
 * `GAP_FACTOR` × the previous interval the trend is unreliable, so it restarts without judging.
 */
import { withUnit } from "./format";

export const MAX_SPIKE_RUN = 3;
export const GAP_FACTOR = 5;

export interface SpikeState {
  /** Accepted points held (0, 1 or 2): (t0, v0) older, (t1, v1) newer. */
  points: number;
  t0: number;
  v0: number;
  t1: number;
  v1: number;
  /** Mean absolute deviation from the trend; `samples` counts the deviations averaged so far. */
  typical: number;
  samples: number;
  /** Consecutive values flagged. */
  run: number;
}

export function createSpikeState(): SpikeState {
  return { points: 0, t0: 0, v0: 0, t1: 0, v1: 0, typical: 0, samples: 0, run: 0 };
}

function accept(state: SpikeState, ts: number, value: number): void {
  state.t0 = state.t1;
  state.v0 = state.v1;
  state.t1 = ts;
  state.v1 = value;
  if (state.points < 2) state.points++;
}

export function checkSpike(state: SpikeState, cfg: { sigma: number; window: number; minDelta: number }, ts: number, value: number, unit: string): string | null {
  if (state.points < 2) {
    accept(state, ts, value);
    return null;
  }
  const interval = state.t1 - state.t0;
  const dt = ts - state.t1;
  if (interval <= 0 || dt > GAP_FACTOR * interval) {
    state.points = 1; // restart the trend from this value
    state.t1 = ts;
    state.v1 = value;
    state.run = 0;
    return null;
  }
  const predicted = dt <= 0 ? state.v1 : state.v1 + ((state.v1 - state.v0) * dt) / interval;
  const deviation = Math.abs(value - predicted);
  const limit = Math.max(cfg.sigma * state.typical, cfg.minDelta);
  if (deviation > limit) {
    state.run++;
    if (state.run <= MAX_SPIKE_RUN) {
      return `spike: ${withUnit(value, unit)} is ${withUnit(deviation, unit)} off the trend (limit ${withUnit(limit, unit)})`;
    }
    // A persistent jump is a step change: accept it and restart the trend from here.
    state.points = 1;
    state.t1 = ts;
    state.v1 = value;
    state.run = 0;
    return null;
  }
  state.run = 0;
  state.samples++;
  // Average plainly until `window` samples, then exponentially over about `window` samples.
  const weight = state.samples < cfg.window ? 1 / state.samples : 2 / (cfg.window + 1);
  state.typical += weight * (deviation - state.typical);
  accept(state, ts, value);
  return null;
}
