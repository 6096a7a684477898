/** How tag values, qualities and ages read on screen. Pure functions, shared by the panels. */
import type { TagInfo, TagValue } from "../../src-main/common/api/contract";
import { Q_BAD, Q_GOOD, Q_NONE, Q_UNCERTAIN } from "../stores/live";

const INTEGER_TYPES = new Set(["Int32", "UInt32"]);

/** Decimals that suit a tag: about four significant digits of its range, none for integer types. */
export function decimalsFor(tag: TagInfo, value: number): number {
  if (INTEGER_TYPES.has(tag.dataType)) return 0;
  const span = tag.range ? Math.abs(tag.range[1] - tag.range[0]) : Math.abs(value);
  if (!(span > 0)) return 2;
  return Math.min(4, Math.max(0, 3 - Math.floor(Math.log10(span))));
}

/** "0 stopped, 1 starting, 2 running" in a state tag's description → names of its values. */
function stateNames(tag: TagInfo): Map<number, string> | null {
  if (tag.role !== "state" || !INTEGER_TYPES.has(tag.dataType) || !tag.description) return null;
  const names = new Map<number, string>();
  for (const m of tag.description.matchAll(/(\d+)\s+([A-Za-z][\w-]*)/g)) names.set(Number(m[1]), m[2] ?? "");
  return names.size > 1 ? names : null;
}

const stateNameCache = new WeakMap<TagInfo, Map<number, string> | null>();

/** The value as the table shows it: number with unit, ON/OFF, item count, or an em dash for none. */
export function formatValue(tag: TagInfo, v: TagValue | undefined): string {
  if (v === undefined || v === null) return "—";
  if (typeof v === "boolean") return v ? "ON" : "OFF";
  if (Array.isArray(v)) return `${v.length} ${v.length === 1 ? "item" : "items"}`;
  let names = stateNameCache.get(tag);
  if (names === undefined) stateNameCache.set(tag, (names = stateNames(tag)));
  const text = v.toFixed(decimalsFor(tag, v));
  const name = names?.get(v);
  if (name) return `${text} ${name}`;
  return tag.unit ? `${text} ${tag.unit}` : text;
}

/** Short numeric form (no unit) for legends and tooltips. */
export function formatNumber(tag: TagInfo, v: number): string {
  return Number.isFinite(v) ? v.toFixed(decimalsFor(tag, v)) : "—";
}

export type QualityName = "good" | "uncertain" | "bad" | "none";

export function qualityName(code: number): QualityName {
  switch (code) {
    case Q_GOOD:
      return "good";
    case Q_UNCERTAIN:
      return "uncertain";
    case Q_BAD:
      return "bad";
    case Q_NONE:
    default:
      return "none";
  }
}

/** Age of a value in a compact human form: 0.4 s, 12 s, 3 min, 2 h. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

/** Wall-clock time as HH:mm:ss (local time zone). */
export function formatClock(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Whether a tag can be drawn in the trend (numbers and booleans; not arrays). */
export function isTrendable(tag: TagInfo): boolean {
  return tag.dataType !== "DoubleArray";
}
