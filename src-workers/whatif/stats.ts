/**
 * The statistics of a Monte Carlo study: draws from a latent posterior, quantile bands across runs (per
 * KPI and per output over time) and paired differences. Pure functions on typed arrays.
 */
import type { Posterior } from "../../src-main/common/whatif/schema";
import type { Band, SeriesBands } from "../../src-main/common/whatif/results";
import { deriveSeed, Random } from "../random";

/** Quantile of ascending-sorted values, linear between order statistics (Hyndman–Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Median and 90 % band of a set of values. */
export function band(values: ArrayLike<number>): Band {
  const s = Float64Array.from(values).sort();
  return { p05: quantileSorted(s, 0.05), p50: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95) };
}

/**
 * Bands over time across runs. `runs[r]` is one run's series (row-major by output, `samples` per output);
 * with `minus`, the bands are of the paired difference runs[r] − minus[r].
 */
export function seriesBands(outputs: string[], samples: number, sampleS: number, runs: readonly Float64Array[], minus?: readonly Float64Array[]): SeriesBands {
  const size = outputs.length * samples;
  const p05 = new Float64Array(size);
  const p50 = new Float64Array(size);
  const p95 = new Float64Array(size);
  const column = new Float64Array(runs.length);
  for (let i = 0; i < size; i++) {
    for (let r = 0; r < runs.length; r++) column[r] = runs[r]![i]! - (minus ? minus[r]![i]! : 0);
    column.sort();
    p05[i] = quantileSorted(column, 0.05);
    p50[i] = quantileSorted(column, 0.5);
    p95[i] = quantileSorted(column, 0.95);
  }
  const timesS = Float64Array.from({ length: samples }, (_, k) => k * sampleS);
  return { outputs: [...outputs], timesS, p05, p50, p95 };
}

/** Lower Cholesky factor (row-major n×n) of a covariance; a tiny jitter rescues a semi-definite one. */
export function cholesky(cov: readonly (readonly number[])[]): Float64Array {
  const n = cov.length;
  for (const jitter of [0, 1e-12, 1e-9, 1e-6]) {
    const l = new Float64Array(n * n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = cov[i]![j]! + (i === j ? jitter * Math.max(1e-300, Math.abs(cov[i]![i]!)) : 0);
        for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
        if (i === j) {
          if (!(sum >= 0)) {
            ok = false;
            break;
          }
          l[i * n + i] = Math.sqrt(sum);
        } else {
          l[i * n + j] = l[j * n + j]! > 0 ? sum / l[j * n + j]! : 0;
        }
      }
    }
    if (ok) return l;
  }
  throw new RangeError("posterior covariance is not positive semi-definite");
}

/** `count` latent draws from a posterior, reproducible for a seed. */
export function drawLatent(posterior: Posterior, count: number, seed: number): Record<string, number>[] {
  const rnd = new Random(deriveSeed(seed, 101));
  const n = posterior.names.length;
  const out: Record<string, number>[] = [];
  if ("samples" in posterior) {
    for (let r = 0; r < count; r++) {
      const s = posterior.samples[Math.floor(rnd.next() * posterior.samples.length)]!;
      out.push(Object.fromEntries(posterior.names.map((name, i) => [name, s[i]!])));
    }
    return out;
  }
  const l = cholesky(posterior.covariance);
  const z = new Float64Array(n);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < n; i++) z[i] = rnd.gaussian();
    const draw: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      let v = posterior.mean[i]!;
      for (let k = 0; k <= i; k++) v += l[i * n + k]! * z[k]!;
      draw[posterior.names[i]!] = v;
    }
    out.push(draw);
  }
  return out;
}
