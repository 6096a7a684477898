/**
 * A small inline SVG trend of one tag around a failure: the value over plant time, a dashed line where the
 * failed step started and a red line where it failed. Booleans are drawn as steps. No scripts, no external
 * resources: the report must open from a file, anywhere.
 */
import type { Trend } from "../runner/results";

const W = 360;
const H = 130;
const M = { left: 46, right: 10, top: 22, bottom: 24 };

export function trendSvg(trend: Trend, marks: { stepStartS: number; failedAtS: number }): string {
  const pts = trend.points;
  const known = pts.filter((p): p is [number, number] => p[1] !== null);
  const t0 = Math.min(pts[0]?.[0] ?? 0, marks.stepStartS);
  const t1 = Math.max(pts[pts.length - 1]?.[0] ?? 1, marks.failedAtS, t0 + 1e-6);
  const boolean = known.length > 0 && known.every(([, v]) => v === 0 || v === 1);
  let lo = known.length ? Math.min(...known.map(([, v]) => v)) : 0;
  let hi = known.length ? Math.max(...known.map(([, v]) => v)) : 1;
  if (boolean) [lo, hi] = [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - Math.max(1e-3, Math.abs(lo) * 0.05), hi + Math.max(1e-3, Math.abs(hi) * 0.05)];
  const pad = (hi - lo) * 0.08;
  const [y0, y1] = [lo - pad, hi + pad];
  const x = (t: number) => M.left + ((t - t0) / (t1 - t0)) * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - (v - y0) / (y1 - y0)) * (H - M.top - M.bottom);

  // Polylines split where the value is missing; Booleans hold their value until the next sample.
  const lines: string[] = [];
  let current: string[] = [];
  let last: [number, number] | undefined;
  // A lone sample between gaps is drawn as a dot (a zero-length line with round caps).
  const flush = () => {
    if (current.length > 0) lines.push(current.length === 1 ? `${current[0]} ${current[0]}` : current.join(" "));
  };
  for (const [t, v] of pts) {
    if (v === null) {
      flush();
      current = [];
      last = undefined;
      continue;
    }
    if (boolean && last) current.push(`${x(t).toFixed(1)},${y(last[1]).toFixed(1)}`);
    current.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`);
    last = [t, v];
  }
  flush();

  const label = (v: number) => (boolean ? (v >= 0.5 ? "true" : "false") : formatAxis(v));
  const title = `${trend.tag}${trend.unit ? ` [${trend.unit}]` : ""}`;
  const lastValue = known.length ? label(known[known.length - 1]![1]) : "no value";
  return [
    `<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`${title}: last value ${lastValue}`)}">`,
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" class="plot-area"/>`,
    `<text x="${M.left}" y="14" class="plot-title">${esc(title)}</text>`,
    `<text x="${W - M.right}" y="14" class="plot-last" text-anchor="end">last: ${esc(lastValue)}</text>`,
    `<text x="${M.left - 4}" y="${y(boolean ? 1 : hi) + 4}" class="axis" text-anchor="end">${esc(label(boolean ? 1 : hi))}</text>`,
    `<text x="${M.left - 4}" y="${y(boolean ? 0 : lo) + 4}" class="axis" text-anchor="end">${esc(label(boolean ? 0 : lo))}</text>`,
    `<text x="${M.left}" y="${H - 6}" class="axis">${esc(formatAxis(t0))} s</text>`,
    `<text x="${W - M.right}" y="${H - 6}" class="axis" text-anchor="end">${esc(formatAxis(t1))} s (plant time)</text>`,
    `<line x1="${x(marks.stepStartS).toFixed(1)}" x2="${x(marks.stepStartS).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" class="mark-step"><title>step started</title></line>`,
    `<line x1="${x(marks.failedAtS).toFixed(1)}" x2="${x(marks.failedAtS).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" class="mark-fail"><title>step failed</title></line>`,
    ...lines.map((l) => `<polyline points="${l}" class="series"/>`),
    known.length === 0 ? `<text x="${W / 2}" y="${H / 2}" class="axis" text-anchor="middle">no value read</text>` : "",
    "</svg>",
  ].join("");
}

function formatAxis(v: number): string {
  const a = Math.abs(v);
  return a >= 1000 || a === 0 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
