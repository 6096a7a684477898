/**
 * The dense linear algebra the filters need, on row-major n×n matrices in Float64Arrays, writing into
 * buffers the caller owns (no allocation). Sizes are small (tens), so plain loops beat anything clever.
 */

/**
 * Cholesky factor L (lower, row-major; the upper triangle is zeroed) with A = L·Lᵀ. Returns false when A is
 * not numerically positive definite (a pivot ≤ 0 or not finite); L is then unusable.
 */
export function cholesky(a: Float64Array, n: number, l: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return false;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
  }
  return true;
}

/** Solves L·x = b (L lower triangular, leading n×n block of a row-major matrix with stride n). x may alias b. */
export function solveLower(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
}

/** Solves Lᵀ·x = b. x may alias b. */
export function solveLowerTransposed(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
}

/** A ← (A + Aᵀ)/2: rounding makes covariance updates drift from symmetry. */
export function symmetrise(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (a[i * n + j]! + a[j * n + i]!);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
}

/**
 * Cholesky with repair: when A is not positive definite, adds growing jitter to its diagonal (from 1e-12 of
 * the mean diagonal, ×10 each try) until it is, and keeps the jittered A. Returns the jitter added (0 if
 * none), or NaN when even large jitter fails (A holds NaN or infinities).
 */
export function choleskyWithJitter(a: Float64Array, n: number, l: Float64Array): number {
  if (cholesky(a, n, l)) return 0;
  let scale = 0;
  for (let i = 0; i < n; i++) scale += Math.abs(a[i * n + i]!);
  scale = scale > 0 && Number.isFinite(scale) ? scale / n : 1;
  let added = 0;
  for (let jitter = 1e-12 * scale; jitter <= 1e3 * scale; jitter *= 10) {
    const step = jitter - added;
    for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + step;
    added = jitter;
    if (cholesky(a, n, l)) return added;
  }
  return Number.NaN;
}
