/**
 * Stuck / flatline: every value stays within ±epsilon of the first value of the run for at least the
 * window. (Over OPC UA a frozen value is usually not reported again at all: that shows as stale.)
 */
import { fmt, withUnit } from "./format";

export interface StuckState {
  has: boolean;
  /** First value of the current flat run, and when it came. */
  anchor: number;
  since: number;
}

export function createStuckState(): StuckState {
  return { has: false, anchor: 0, since: 0 };
}

export function checkStuck(state: StuckState, cfg: { windowMs: number; epsilon: number }, ts: number, value: number, unit: string): string | null {
  if (!state.has || Math.abs(value - state.anchor) > cfg.epsilon) {
    state.has = true;
    state.anchor = value;
    state.since = ts;
    return null;
  }
  const flatMs = ts - state.since;
  if (flatMs < cfg.windowMs) return null;
  const band = cfg.epsilon > 0 ? ` (within ±${withUnit(cfg.epsilon, unit)})` : "";
  return `stuck at ${withUnit(state.anchor, unit)} for ${fmt(flatMs / 1000)} s${band}`;
}
