/**
 * Drift: the difference to a reference (a redundant sensor, or the model's prediction) averaged over a
 * time window (an exponential moving average with time constant `windowMs`) exceeds the threshold.
 * A single outlier moves the average only a little; a growing offset moves it steadily.
 */
import { withUnit } from "./format";

export interface DriftState {
  has: boolean;
  ts: number;
  /** Time-weighted mean of value − reference. */
  mean: number;
}

export function createDriftState(): DriftState {
  return { has: false, ts: 0, mean: 0 };
}

export function checkDrift(
  state: DriftState,
  cfg: { against: string; threshold: number; windowMs: number },
  ts: number,
  value: number,
  reference: number,
  unit: string,
): string | null {
  const difference = value - reference;
  if (!state.has) {
    state.has = true;
    state.ts = ts;
    state.mean = difference;
  } else {
    const dt = Math.max(0, ts - state.ts);
    const alpha = 1 - Math.exp(-dt / cfg.windowMs);
    state.mean += alpha * (difference - state.mean);
    state.ts = Math.max(state.ts, ts);
  }
  if (Math.abs(state.mean) <= cfg.threshold) return null;
  const against = cfg.against === "model" ? "the model" : cfg.against;
  return `drift ${withUnit(state.mean, unit)} against ${against} exceeds ${withUnit(cfg.threshold, unit)}`;
}
