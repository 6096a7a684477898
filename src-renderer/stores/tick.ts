/**
 * A shared slow clock for the parts of the UI that show live values as text or charts.
 *
 * They re-render on this tick (a few times a second), not on every value batch: a table that changes
 * 20 times a second is unreadable anyway and costs a React render each time.
 */
import { useSyncExternalStore } from "react";

interface Clock {
  count: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
}

const clocks = new Map<number, Clock>();

function clockOf(periodMs: number): Clock {
  let clock = clocks.get(periodMs);
  if (!clock) clocks.set(periodMs, (clock = { count: 0, listeners: new Set(), timer: null }));
  return clock;
}

function subscribe(periodMs: number, listener: () => void): () => void {
  const clock = clockOf(periodMs);
  clock.listeners.add(listener);
  // One interval per period, running only while someone listens.
  clock.timer ??= setInterval(() => {
    clock.count += 1;
    for (const l of clock.listeners) l();
  }, periodMs);
  return () => {
    clock.listeners.delete(listener);
    if (clock.listeners.size === 0 && clock.timer) {
      clearInterval(clock.timer);
      clock.timer = null;
    }
  };
}

/** Re-renders the calling component every `periodMs` (≥ 250 ms, i.e. at most 4 Hz); returns the tick count. */
export function useTick(periodMs: 250 | 500 | 1000 = 250): number {
  return useSyncExternalStore(
    (l) => subscribe(periodMs, l),
    () => clockOf(periodMs).count,
  );
}
