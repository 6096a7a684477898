/**
 * Residual-based anomaly detection on the filter's normalised innovations z = ν/√S (N(0, 1) per tag when
 * the model and the sensors are healthy):
 *
 * - `cusum`: per tag, a two-sided CUSUM on z with allowance k (detects a shift of about 2k σ) and alarm
 *   level h: a step fault or a drifting sensor.
 * - `stuck`: per tag, Page's test of the log-likelihood ratio of "variance collapsed to ρ" against "unit
 *   variance": a stuck sensor stops being noisy, so its innovations shrink to what the estimate's own
 *   uncertainty explains.
 * - `nis`: a CUSUM on the NIS per degree of freedom, (NIS − m)/√(2m) − k: the whole measurement vector
 *   disagrees with the model; its alarm names the tags with the largest share of Σz² over the excursion.
 *
 * An alarm is raised when its statistic passes h and cleared when the statistic returns to zero (statistics
 * are capped at 2h so that clearing after a long fault takes bounded time). Allocation-free per update.
 */
import type { AnomalySettings } from "./config";

export type AnomalyDetector = "cusum" | "stuck" | "nis" | "pca-t2" | "pca-spe";

export interface TagContribution {
  tag: string;
  /** Share of the statistic, 0…1. */
  share: number;
}

export interface AnomalyAlarm {
  /** Stable while the alarm is active: `<detector>:<tag>` or `<detector>`. */
  id: string;
  detector: AnomalyDetector;
  message: string;
  /** Tags contributing most, largest first (at most 3). */
  tags: TagContribution[];
  /** When the alarm was raised, seconds. */
  sinceS: number;
  statistic: number;
  limit: number;
}

/** Per-tag statistics: which of them alarmed, since when. */
const CUSUM_UP = 0;
const CUSUM_DOWN = 1;
const STUCK = 2;

export class ResidualMonitor {
  private readonly n: number;
  /** Statistics per tag and kind, [tag * 3 + kind]. */
  private readonly stat: Float64Array;
  private readonly since: Float64Array;
  private nisStat = 0;
  private nisSince = Number.NaN;
  /** Σz² per tag over the current NIS excursion, for naming tags. */
  private readonly nisShare: Float64Array;
  private readonly stuckBias: number;
  private readonly stuckSlope: number;

  constructor(
    readonly tags: readonly string[],
    private readonly settings: Pick<AnomalySettings, "cusumK" | "cusumH" | "nisK" | "nisH" | "stuckVarianceRatio" | "stuckH">,
  ) {
    this.n = tags.length;
    this.stat = new Float64Array(3 * this.n);
    this.since = new Float64Array(3 * this.n).fill(Number.NaN);
    this.nisShare = new Float64Array(this.n);
    // log N(z; 0, ρ) − log N(z; 0, 1) = −½·ln ρ − z²·(1/ρ − 1)/2
    const rho = settings.stuckVarianceRatio;
    this.stuckBias = -0.5 * Math.log(rho);
    this.stuckSlope = 0.5 * (1 / rho - 1);
  }

  /** Forgets every statistic and clears every alarm (the detectors restart from a healthy state). */
  reset(): void {
    this.stat.fill(0);
    this.since.fill(Number.NaN);
    this.nisStat = 0;
    this.nisSince = Number.NaN;
    this.nisShare.fill(0);
  }

  /** Feeds one step: normalised innovations (NaN where a tag was not used), NIS and its degrees of freedom. */
  update(t: number, z: Float64Array, nis: number, dof: number): void {
    const { cusumK: k, cusumH: h, stuckH } = this.settings;
    for (let i = 0; i < this.n; i++) {
      const zi = z[i]!;
      if (!Number.isFinite(zi)) continue;
      this.bump(t, i * 3 + CUSUM_UP, zi - k, h);
      this.bump(t, i * 3 + CUSUM_DOWN, -zi - k, h);
      this.bump(t, i * 3 + STUCK, this.stuckBias - this.stuckSlope * zi * zi, stuckH);
    }
    if (dof > 0 && Number.isFinite(nis)) {
      const { nisK, nisH } = this.settings;
      const next = Math.min(2 * nisH, Math.max(0, this.nisStat + (nis - dof) / Math.sqrt(2 * dof) - nisK));
      if (this.nisStat === 0 && next > 0) this.nisShare.fill(0);
      this.nisStat = next;
      if (next > 0) {
        for (let i = 0; i < this.n; i++) {
          const zi = z[i]!;
          if (Number.isFinite(zi)) this.nisShare[i] = this.nisShare[i]! + zi * zi;
        }
      }
      if (next > nisH && Number.isNaN(this.nisSince)) this.nisSince = t;
      else if (next === 0) this.nisSince = Number.NaN;
    }
  }

  /** Active alarms (allocates; call when publishing). */
  active(): AnomalyAlarm[] {
    const out: AnomalyAlarm[] = [];
    const { cusumH, stuckH, nisH } = this.settings;
    for (let i = 0; i < this.n; i++) {
      const tag = this.tags[i]!;
      for (const kind of [CUSUM_UP, CUSUM_DOWN, STUCK]) {
        const since = this.since[i * 3 + kind]!;
        if (Number.isNaN(since)) continue;
        const stuck = kind === STUCK;
        out.push({
          id: `${stuck ? "stuck" : "cusum"}:${tag}`,
          detector: stuck ? "stuck" : "cusum",
          message: stuck
            ? `${tag}: reading no longer varies as a live sensor does (stuck or frozen value)`
            : `${tag}: persistent ${kind === CUSUM_UP ? "positive" : "negative"} deviation from the model (step or drift)`,
          tags: [{ tag, share: 1 }],
          sinceS: since,
          statistic: this.stat[i * 3 + kind]!,
          limit: stuck ? stuckH : cusumH,
        });
      }
    }
    if (!Number.isNaN(this.nisSince)) {
      out.push({
        id: "nis",
        detector: "nis",
        message: "measurements as a whole disagree with the model (NIS persistently above its expectation)",
        tags: topShares(this.tags, this.nisShare, 3),
        sinceS: this.nisSince,
        statistic: this.nisStat,
        limit: nisH,
      });
    }
    return out;
  }

  private bump(t: number, slot: number, increment: number, h: number): void {
    const next = Math.min(2 * h, Math.max(0, this.stat[slot]! + increment));
    this.stat[slot] = next;
    if (next > h && Number.isNaN(this.since[slot]!)) this.since[slot] = t;
    else if (next === 0) this.since[slot] = Number.NaN;
  }
}

/** The `count` largest non-negative weights as shares of their total, largest first. */
export function topShares(tags: readonly string[], weights: Float64Array, count: number): TagContribution[] {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += Math.max(0, weights[i]!);
  if (!(total > 0)) return [];
  return tags
    .map((tag, i) => ({ tag, share: Math.max(0, weights[i]!) / total }))
    .sort((a, b) => b.share - a.share)
    .slice(0, count)
    .filter((c) => c.share > 0);
}
