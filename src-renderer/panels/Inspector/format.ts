/** How estimates and remaining lives read in the inspector. Pure functions. */

/** 95% two-sided factor for a normal posterior. */
export const Z95 = 1.96;

/** Decimals that show about two significant digits of the uncertainty (or four of the value without one). */
function decimals(mean: number, halfWidth: number | null): number {
  const scale = halfWidth !== null && halfWidth > 0 ? halfWidth : Math.abs(mean) / 100;
  if (!(scale > 0) || !Number.isFinite(scale)) return 2;
  return Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(scale))));
}

/** "0.123 ± 0.011 mm"; an em dash when the mean is unknown. */
export function formatEstimate(mean: number | null | undefined, sd: number | null | undefined, unit: string): string {
  if (mean === null || mean === undefined) return "—";
  const half = sd === null || sd === undefined ? null : Z95 * sd;
  const d = decimals(mean, half);
  const value = half === null ? `${mean.toFixed(d)} ± ?` : `${mean.toFixed(d)} ± ${half.toFixed(d)}`;
  return isDimensionless(unit) ? value : `${value} ${unit}`;
}

/** Units that say "no unit" ("1" is the SI way of writing a ratio). */
export function isDimensionless(unit: string): boolean {
  return unit === "" || unit === "1" || unit === "-";
}

/** A duration in the unit an engineer plans in: min, h or days. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "beyond horizon";
  if (seconds < 3600) return `${(seconds / 60).toFixed(seconds < 600 ? 1 : 0)} min`;
  if (seconds < 2 * 86_400) return `${(seconds / 3600).toFixed(seconds < 36_000 ? 1 : 0)} h`;
  return `${(seconds / 86_400).toFixed(seconds < 864_000 ? 1 : 0)} days`;
}

export function formatPercent(p: number | null): string {
  if (p === null) return "—";
  if (p > 0 && p < 0.001) return "<0.1 %";
  return `${(p * 100).toFixed(p < 0.1 ? 1 : 0)} %`;
}

/** The short name of `<asset>.<variable>`. */
export function shortName(name: string): string {
  const dot = name.indexOf(".");
  return dot >= 0 ? name.slice(dot + 1) : name;
}
