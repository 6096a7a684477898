/** How the address-space panel writes node attributes (pure). */
import type { NodeDetails } from "../../../src-main/common/api/connections";

export function formatNodeValue(value: NodeDetails["value"]): string {
  if (value === undefined) return "–";
  if (value === null) return "null";
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map((v) => (typeof v === "number" ? formatNumber(v) : String(v)));
    return `[${shown.join(", ")}${value.length > 8 ? `, … (${value.length})` : ""}]`;
  }
  return typeof value === "number" ? formatNumber(value) : String(value);
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, "");
}

export function formatTimestamp(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  return new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC");
}

export function formatRange(r: { low: number; high: number } | undefined): string {
  return r ? `${r.low} … ${r.high}` : "–";
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
