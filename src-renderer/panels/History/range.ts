/**
 * The History panel's time range: quick ranges that follow the present, zoom about a point, pan, and the
 * bounds that keep a range sensible (at least a second, at most a year, never entirely in the future).
 * Pure functions, so the panel's interactions are easy to test.
 */

/** What the chart shows. `follow`: the range ends at the host's now and moves with it. */
export interface ViewRange {
  from: number;
  to: number;
  follow: boolean;
}

export const QUICK_RANGES: readonly { label: string; ms: number }[] = [
  { label: "15 min", ms: 15 * 60_000 },
  { label: "1 h", ms: 3_600_000 },
  { label: "8 h", ms: 8 * 3_600_000 },
  { label: "24 h", ms: 24 * 3_600_000 },
  { label: "7 d", ms: 7 * 24 * 3_600_000 },
];

export const MIN_SPAN_MS = 1_000;
export const MAX_SPAN_MS = 366 * 24 * 3_600_000;

export function quickRange(ms: number, now: number): ViewRange {
  return { from: now - ms, to: now, follow: true };
}

/** The range with its span clamped; never starting after now. A range that reaches now keeps following. */
export function clampRange(from: number, to: number, now: number): ViewRange {
  let span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, to - from));
  if (!(span > 0)) span = MIN_SPAN_MS;
  const mid = (from + to) / 2;
  let a = mid - span / 2;
  let b = mid + span / 2;
  if (a > now - MIN_SPAN_MS) {
    b -= a - (now - MIN_SPAN_MS);
    a = now - MIN_SPAN_MS;
  }
  return { from: Math.round(a), to: Math.round(b), follow: b >= now };
}

/** Zooms by `factor` (< 1 in, > 1 out) keeping time `at` where it is on screen. */
export function zoomAbout(r: ViewRange, at: number, factor: number, now: number): ViewRange {
  const t = Math.min(r.to, Math.max(r.from, at));
  const next = clampRange(t - (t - r.from) * factor, t + (r.to - t) * factor, now);
  // Zooming out of a following range keeps its end at now.
  if (r.follow && factor > 1) return { from: now - (next.to - next.from), to: now, follow: true };
  return next;
}

/** Shifts by `fraction` of the span (negative: back in time). Panning back stops following the present. */
export function pan(r: ViewRange, fraction: number, now: number): ViewRange {
  const shift = (r.to - r.from) * fraction;
  const next = clampRange(r.from + shift, r.to + shift, now);
  if (next.to > now) return { from: now - (next.to - next.from), to: now, follow: true };
  return next;
}

/** The range a drag selected (either direction); null when too narrow to mean a zoom. */
export function selection(a: number, b: number, now: number): ViewRange | null {
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  if (!(to - from >= MIN_SPAN_MS / 2)) return null;
  const r = clampRange(from, to, now);
  return { ...r, follow: false };
}

/** The range moved to end at `now` when it follows the present. */
export function advance(r: ViewRange, now: number): ViewRange {
  return r.follow ? { from: now - (r.to - r.from), to: now, follow: true } : r;
}

/** Ticks at round times for a span: about `count` of them, in the local time zone's whole units. */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const span = to - from;
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map((s) => s * 1000);
  const step = steps.find((s) => span / s <= count) ?? steps.at(-1)!;
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** A time label that fits the span: seconds for short spans, the date for long ones. */
export function formatTick(t: number, span: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  const clock = `${p(d.getHours())}:${p(d.getMinutes())}`;
  if (span <= 10 * 60_000) return `${clock}:${p(d.getSeconds())}`;
  if (span <= 36 * 3_600_000) return clock;
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}. ${clock}`;
}

/** A span in words: 90 s, 15 min, 8 h, 7 d. */
export function formatSpan(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 3 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/** A full time for tooltips and the range label: 2025-03-01 08:00:00.250 (local). */
export function formatStamp(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
