/**
 * Quantiles of the chi-square and normal distributions, for NIS bounds and detector limits: the regularised
 * incomplete gamma function (series below a + 1, Lentz's continued fraction above), inverted by Newton's
 * method from the Wilson–Hilferty approximation inside a bisection bracket; the normal quantile by Acklam's
 * rational approximation refined by one Halley step on erfc. Accurate to ~1e-12 relative.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularised lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gammaP: a must be > 0, got ${a}`);
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  const lnPrefix = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.min(1, sum * Math.exp(lnPrefix));
  }
  return 1 - gammaQContinuedFraction(a, x, lnPrefix);
}

/** Q(a, x) = 1 − P(a, x) by the continued fraction (modified Lentz), valid for x ≥ a + 1. */
function gammaQContinuedFraction(a: number, x: number, lnPrefix: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lnPrefix) * h;
}

/** P(X ≤ x) for X ~ χ²(k). */
export function chiSquareCdf(x: number, k: number): number {
  return gammaP(k / 2, x / 2);
}

/** The p-quantile of χ²(k), p in (0, 1), k > 0 (not necessarily an integer). */
export function chiSquareQuantile(p: number, k: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`chiSquareQuantile: p must be in (0, 1), got ${p}`);
  if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`chiSquareQuantile: degrees of freedom must be > 0, got ${k}`);
  // Wilson–Hilferty: (X/k)^(1/3) is nearly normal with mean 1 − 2/(9k) and variance 2/(9k).
  const v = 2 / (9 * k);
  const cube = 1 - v + normalQuantile(p) * Math.sqrt(v);
  // Far in the lower tail (small k) Wilson–Hilferty fails; there P(k/2, x/2) ≈ (x/2)^(k/2) / Γ(k/2 + 1).
  let x = cube > 0.2 ? k * cube * cube * cube : 2 * Math.exp((Math.log(p) + lnGamma(k / 2 + 1)) / (k / 2));
  let lo = 0;
  let hi = Infinity;
  const lnNorm = -(k / 2) * Math.LN2 - lnGamma(k / 2);
  for (let iter = 0; iter < 200; iter++) {
    const f = chiSquareCdf(x, k) - p;
    if (f < 0) lo = x;
    else hi = x;
    const pdf = Math.exp(lnNorm + (k / 2 - 1) * Math.log(x) - x / 2);
    let next = pdf > 0 ? x - f / pdf : Number.NaN;
    // Newton may leave the bracket (flat tails, small k): bisect (or double while unbounded) instead.
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? 0.5 * (lo + hi) : Math.max(2 * x, 1);
    if (Math.abs(next - x) <= 1e-14 * x) return next;
    x = next;
  }
  return x;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** The p-quantile of the standard normal distribution. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const pLow = 0.02425;
  let x: number;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  // One Halley step on Φ(x) − p brings Acklam's 1e-9 to machine precision.
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Complementary error function, through Q(1/2, z²). */
export function erfc(z: number): number {
  if (z < 0) return 2 - erfc(-z);
  if (z === 0) return 1;
  const x = z * z;
  const lnPrefix = 0.5 * Math.log(x) - x - lnGamma(0.5);
  return x < 1.5 ? 1 - gammaP(0.5, x) : gammaQContinuedFraction(0.5, x, lnPrefix);
}

/** Two-sided bounds of χ²(k) holding probability `coverage` (e.g. 0.95): [q((1−c)/2), q((1+c)/2)]. */
export function chiSquareBounds(k: number, coverage = 0.95): [number, number] {
  const tail = (1 - coverage) / 2;
  return [chiSquareQuantile(tail, k), chiSquareQuantile(1 - tail, k)];
}
