/**
 * What the historian keeps of every value: the row type, the flags the validation rules set, and the
 * conversions from and to the live `TagSample` of the API contract. Pure TypeScript (no Node, no SQLite).
 */
import type { Quality, TagInfo, TagSample, TagValue } from "../common/api/contract";

/** One stored value of one tag. Times are Unix milliseconds. */
export interface HistorianSample {
  tagId: string;
  /** Source timestamp (the device's), or the server's when the device gave none. */
  sourceTs: number;
  /** The OPC UA server's timestamp, or null when unknown. */
  serverTs: number | null;
  /** A number (NaN and ±Infinity are kept, and flagged by the rules), a Boolean, an array of numbers, or null. */
  value: TagValue;
  quality: Quality;
  /** OPC UA status code name, e.g. `Good`, `BadSensorFailure`. */
  status: string;
  /** Id of the connection the value came through (the scene's `connections[].id`). */
  connection: string;
  /** `QualityFlag` bits set by the validation rules; 0 when nothing fired. */
  flags: number;
}

/**
 * Bits of the `flags` column. One bit per rule, plus `quarantined` when a fired rule keeps the value away
 * from the estimator. `stale` is a tag state (no value arrived), so it never appears on a stored row.
 */
export const QualityFlag = {
  range: 1,
  rate: 2,
  stuck: 4,
  spike: 8,
  nonFinite: 16,
  stale: 32,
  drift: 64,
  quarantined: 128,
} as const;
export type QualityFlagName = keyof typeof QualityFlag;
export type RuleName = Exclude<QualityFlagName, "quarantined">;
export const RULE_NAMES: readonly RuleName[] = ["range", "rate", "stuck", "spike", "nonFinite", "stale", "drift"];
const FLAG_NAMES = Object.keys(QualityFlag) as QualityFlagName[];

/** Flag names of a bitmask, in bit order, e.g. `["spike", "quarantined"]`. */
export function flagNames(flags: number): QualityFlagName[] {
  return FLAG_NAMES.filter((name) => (flags & QualityFlag[name]) !== 0);
}

/** Parses names joined by `|` (the CSV encoding); returns the unknown name on failure. */
export function parseFlagNames(text: string): { flags: number } | { unknown: string } {
  let flags = 0;
  for (const part of text.split("|")) {
    const name = part.trim();
    if (name === "") continue;
    if (!Object.hasOwn(QualityFlag, name)) return { unknown: name };
    flags |= QualityFlag[name as QualityFlagName];
  }
  return { flags };
}

export function isQuarantined(flags: number): boolean {
  return (flags & QualityFlag.quarantined) !== 0;
}

/** The value as one number for charts, rollups and the synchronizer: Booleans as 0/1; null for anything else. */
export function scalarOf(value: TagValue): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/** A value the estimator may use: not bad, not quarantined, a finite scalar. */
export function isUsable(row: Pick<HistorianSample, "quality" | "flags" | "value">): boolean {
  if (row.quality === "bad" || isQuarantined(row.flags)) return false;
  const v = scalarOf(row.value);
  return v !== null && Number.isFinite(v);
}

/** A live sample as the historian keeps it. `TagSample.ts` is the source time; the server time is passed when known. */
export function toHistorianSample(sample: TagSample, tag: Pick<TagInfo, "id" | "connection">, serverTs: number | null = null): HistorianSample {
  return {
    tagId: tag.id,
    sourceTs: sample.ts,
    serverTs,
    value: sample.v,
    quality: sample.q,
    status: sample.status,
    connection: tag.connection,
    flags: 0,
  };
}

/**
 * A stored sample as a live one (for replay). `rx` defaults to the source time: a replay runs on the
 * recording's clock. A non-finite number becomes a bad sample, as it does for live OPC UA values.
 */
export function toTagSample(row: HistorianSample, index: number, rx = row.sourceTs): TagSample {
  let v = row.value;
  let q = row.quality;
  let status = row.status;
  if (typeof v === "number" && !Number.isFinite(v)) {
    status = `${status} (value ${String(v)})`;
    v = null;
    q = "bad";
  } else if (Array.isArray(v) && v.some((x) => !Number.isFinite(x))) {
    status = `${status} (array holds a non-finite value)`;
    v = null;
    q = "bad";
  }
  return { i: index, v: Array.isArray(v) ? [...v] : v, q, status, ts: row.sourceTs, rx };
}

export const QUALITY_CODE: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };
export const QUALITY_OF_CODE: readonly Quality[] = ["good", "uncertain", "bad"];
