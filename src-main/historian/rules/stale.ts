/** Stale: no update within N × the expected interval. Checked by a clock tick, not by a value. */
import { fmt } from "./format";

/** The message when the tag last updated at `lastSeen` is stale at `now`, else null. */
export function checkStale(lastSeen: number, now: number, cfg: { staleAfterMs: number; expectedIntervalMs: number }): string | null {
  const silentMs = now - lastSeen;
  if (silentMs <= cfg.staleAfterMs) return null;
  return `no update for ${fmt(silentMs / 1000)} s (expected every ${fmt(cfg.expectedIntervalMs / 1000)} s)`;
}
