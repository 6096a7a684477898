/**
 * Rate of change: the change since the last plausible value, per second, exceeds the plausible maximum.
 * A value that fires is not remembered, so the value after a single outlier is judged against the value
 * before it (and passes), while a real jump faster than the limit keeps firing until the limit could have
 * covered it: the values in between are exactly the implausible ones.
 */
import { perSecond } from "./format";

export interface RateState {
  has: boolean;
  ts: number;
  value: number;
}

export function createRateState(): RateState {
  return { has: false, ts: 0, value: 0 };
}

/** Two values with the same timestamp are not compared (no time passed). */
export function checkRate(state: RateState, maxPerS: number, ts: number, value: number, unit: string): string | null {
  if (state.has && ts > state.ts) {
    const rate = Math.abs(value - state.value) / ((ts - state.ts) / 1000);
    if (rate > maxPerS) return `rate of change ${perSecond(rate, unit)} exceeds ${perSecond(maxPerS, unit)}`;
  }
  if (!state.has || ts >= state.ts) {
    state.has = true;
    state.ts = ts;
    state.value = value;
  }
  return null;
}
