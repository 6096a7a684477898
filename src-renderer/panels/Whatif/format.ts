/**
 * How what-if numbers read in the panel: medians with their 90 % band, signed differences, horizons and
 * times left. Pure functions.
 */
import type { WhatifBand } from "../../../src-main/common/api/whatif";

/** Decimals that show a band's width with about two significant digits (four of the value when flat). */
export function bandDecimals(b: WhatifBand): number {
  const width = Math.abs(b.p95 - b.p05);
  const scale = width > 0 ? width / 2 : Math.abs(b.p50) / 100;
  if (!(scale > 0) || !Number.isFinite(scale)) return 2;
  return Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(scale))));
}

export function formatNumber(x: number, decimals: number, signed = false): string {
  const text = x.toFixed(decimals);
  // −0.00 reads as a change where there is none.
  if (Number(text) === 0) return (0).toFixed(decimals);
  return signed && x > 0 ? `+${text}` : text.replace("-", "−");
}

/** "12.3 (11.8 … 12.9)": the median and its 90 % band; one run (a flat band) shows the value only. */
export function formatBand(b: WhatifBand, signed = false): string {
  const d = bandDecimals(b);
  if (b.p05 === b.p95) return formatNumber(b.p50, d, signed);
  return `${formatNumber(b.p50, d, signed)} (${formatNumber(b.p05, d, signed)} … ${formatNumber(b.p95, d, signed)})`;
}

/** The median and, when the runs differ, the 90 % band as "lo … hi", for a two-line table cell. */
export function bandParts(b: WhatifBand, signed = false): { median: string; band: string | null } {
  const d = bandDecimals(b);
  return { median: formatNumber(b.p50, d, signed), band: b.p05 === b.p95 ? null : `${formatNumber(b.p05, d, signed)} … ${formatNumber(b.p95, d, signed)}` };
}

/** A unit for display: dimensionless ("1") shows nothing. */
export function unitText(unit: string | undefined): string {
  return unit && unit !== "1" ? unit : "";
}

/** Plant seconds as people say them: 45 s, 10 min, 1.5 h, 2 d. */
export function formatSeconds(s: number): string {
  if (s < 120) return `${Number(s.toFixed(1))} s`;
  if (s < 7_200) return `${Number((s / 60).toFixed(1))} min`;
  if (s < 172_800) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

/** Time left for the progress bar. */
export function formatEta(ms: number | null): string {
  if (ms === null) return "estimating…";
  if (ms < 1_000) return "< 1 s left";
  return `${formatSeconds(Math.round(ms / 1000))} left`;
}

/** Whether a difference's whole 90 % band lies on one side of zero. */
export type Verdict = "better" | "worse" | "unclear" | "none";

export function verdict(delta: WhatifBand, better: boolean | null): Verdict {
  if (delta.p05 === 0 && delta.p95 === 0 && delta.p50 === 0) return "none";
  const clear = delta.p05 > 0 || delta.p95 < 0;
  if (!clear || better === null) return "unclear";
  return better ? "better" : "worse";
}
