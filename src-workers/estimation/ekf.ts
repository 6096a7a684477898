/**
 * Extended Kalman filter on the same FilterModel as the UKF, for comparison. The Jacobians of the discrete
 * transition and of the measurement function are taken by forward differences (n + 1 propagations and
 * n + 1 measurement evaluations per step, the UKF's cost), so any composed model works without hand-written
 * derivatives. The covariance update is in Joseph form, P = (I − KH)·P·(I − KH)ᵀ + K·R·Kᵀ, which stays
 * symmetric positive semi-definite even with a suboptimal gain; a Cholesky check with jitter guards S.
 */
import { choleskyWithJitter, solveLower, solveLowerTransposed, symmetrise } from "./linalg";
import { checkInit, clampToBounds, newReport, type FilterInit, type FilterModel, type KalmanFilter, type UpdateReport } from "./filter-model";

export class ExtendedKalmanFilter implements KalmanFilter {
  readonly mean: Float64Array;
  readonly covariance: Float64Array;
  readonly report: UpdateReport;
  private t = Number.NaN;
  private readonly n: number;
  private readonly m: number;
  private readonly r: Float64Array;
  private readonly f: Float64Array;
  private readonly h: Float64Array;
  private readonly tmp: Float64Array;
  private readonly a: Float64Array;
  private readonly z: Float64Array;
  private readonly zBase: Float64Array;
  private readonly y0: Float64Array;
  private readonly y1: Float64Array;
  private readonly active: Int32Array;
  private readonly s: Float64Array;
  private readonly sChol: Float64Array;
  private readonly pht: Float64Array;
  private readonly k: Float64Array;
  private readonly nu: Float64Array;
  private readonly col: Float64Array;

  constructor(
    readonly model: FilterModel,
    init: FilterInit,
  ) {
    checkInit(model, init, "EKF");
    const n = model.size;
    const m = model.measurementSize;
    this.n = n;
    this.m = m;
    this.mean = Float64Array.from(init.mean);
    this.covariance = new Float64Array(n * n);
    for (let i = 0; i < n; i++) this.covariance[i * n + i] = init.sd[i]! * init.sd[i]!;
    this.r = Float64Array.from(init.measurementSd, (s) => s * s);
    this.report = newReport(m);
    this.f = new Float64Array(n * n);
    this.h = new Float64Array(m * n);
    this.tmp = new Float64Array(n * n);
    this.a = new Float64Array(n * n);
    this.z = new Float64Array(n);
    this.zBase = new Float64Array(n);
    this.y0 = new Float64Array(m);
    this.y1 = new Float64Array(m);
    this.active = new Int32Array(m);
    this.s = new Float64Array(m * m);
    this.sChol = new Float64Array(m * m);
    this.pht = new Float64Array(n * m);
    this.k = new Float64Array(n * m);
    this.nu = new Float64Array(m);
    this.col = new Float64Array(Math.max(n, m));
  }

  get time(): number {
    return this.t;
  }

  predict(t: number): void {
    if (Number.isNaN(this.t)) {
      this.t = t;
      return;
    }
    if (t === this.t) return;
    if (!(t > this.t)) throw new RangeError(`EKF: time must not go back (filter at ${this.t} s, step at ${t} s)`);
    const { n, f, tmp, z, zBase, mean, covariance: p } = this;
    this.report.jitter = 0;
    zBase.set(mean);
    this.model.propagate(zBase, this.t, t);
    for (let j = 0; j < n; j++) {
      const d = this.delta(j);
      z.set(mean);
      z[j] = z[j]! + d;
      this.model.propagate(z, this.t, t);
      for (let i = 0; i < n; i++) f[i * n + j] = (z[i]! - zBase[i]!) / d;
    }
    // P ← F·P·Fᵀ + Q·dt
    multiply(f, p, tmp, n, n, n);
    multiplyTransposed(tmp, f, p, n, n, n);
    const q = this.model.processNoise;
    const dt = t - this.t;
    for (let i = 0; i < n; i++) p[i * n + i] = p[i * n + i]! + q[i]! * dt;
    symmetrise(p, n);
    mean.set(zBase);
    clampToBounds(this.model, mean);
    this.t = t;
  }

  update(y: Float64Array, mask: Uint8Array): void {
    const { n, m, active, report, h, z, y0, y1, s, sChol, pht, k, nu, col, a, tmp, mean, covariance: p } = this;
    report.innovation.fill(Number.NaN);
    report.innovationVariance.fill(Number.NaN);
    report.nis = Number.NaN;
    let ma = 0;
    for (let i = 0; i < m; i++) if (mask[i] !== 0 && Number.isFinite(y[i]!)) active[ma++] = i;
    report.dof = ma;
    if (ma === 0) return;

    this.model.measure(mean, this.t, y0);
    for (let j = 0; j < n; j++) {
      const d = this.delta(j);
      z.set(mean);
      z[j] = z[j]! + d;
      this.model.measure(z, this.t, y1);
      for (let r = 0; r < ma; r++) h[r * n + j] = (y1[active[r]!]! - y0[active[r]!]!) / d;
    }
    // PHᵀ (n × ma), S = H·PHᵀ + R.
    multiplyTransposed(p, h, pht, n, n, ma);
    multiply(h, pht, s, ma, n, ma);
    for (let r = 0; r < ma; r++) {
      const i = active[r]!;
      s[r * ma + r] = s[r * ma + r]! + this.r[i]!;
      nu[r] = y[i]! - y0[i]!;
      report.innovation[i] = nu[r]!;
    }
    symmetrise(s, ma);
    for (let r = 0; r < ma; r++) report.innovationVariance[active[r]!] = s[r * ma + r]!;
    const jitter = choleskyWithJitter(s, ma, sChol);
    if (Number.isNaN(jitter)) throw new Error(`EKF: innovation covariance is not finite at t = ${this.t} s`);
    if (jitter > 0) {
      report.repairs++;
      report.jitter = Math.max(report.jitter, jitter);
    }
    // K = PHᵀ·S⁻¹, row by row: S·kᵢᵀ = (PHᵀ)ᵢᵀ.
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < ma; r++) col[r] = pht[i * ma + r]!;
      solveLower(sChol, ma, col, col);
      solveLowerTransposed(sChol, ma, col, col);
      for (let r = 0; r < ma; r++) k[i * ma + r] = col[r]!;
    }
    for (let r = 0; r < ma; r++) col[r] = nu[r]!;
    solveLower(sChol, ma, col, col);
    let nis = 0;
    for (let r = 0; r < ma; r++) nis += col[r]! * col[r]!;
    report.nis = nis;
    for (let i = 0; i < n; i++) {
      let dx = 0;
      for (let r = 0; r < ma; r++) dx += k[i * ma + r]! * nu[r]!;
      mean[i] = mean[i]! + dx;
    }
    // Joseph form: A = I − K·H; P ← A·P·Aᵀ + K·R·Kᵀ.
    multiply(k, h, a, n, ma, n);
    for (let i = 0; i < n * n; i++) a[i] = -a[i]!;
    for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + 1;
    multiply(a, p, tmp, n, n, n);
    multiplyTransposed(tmp, a, p, n, n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = 0;
        for (let r = 0; r < ma; r++) sum += k[i * ma + r]! * this.r[active[r]!]! * k[j * ma + r]!;
        p[i * n + j] = p[i * n + j]! + sum;
        if (j !== i) p[j * n + i] = p[j * n + i]! + sum;
      }
    }
    symmetrise(p, n);
    clampToBounds(this.model, mean);
  }

  /** Finite-difference step for state j: relative to its size and its uncertainty. */
  private delta(j: number): number {
    const scale = Math.max(Math.abs(this.mean[j]!), Math.sqrt(Math.max(0, this.covariance[j * this.n + j]!)));
    return scale > 0 ? 1e-6 * scale : 1e-9;
  }
}

/** C (r×c) = A (r×k) · B (k×c), row-major. */
function multiply(a: Float64Array, b: Float64Array, c: Float64Array, r: number, k: number, cols: number): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let x = 0; x < k; x++) sum += a[i * k + x]! * b[x * cols + j]!;
      c[i * cols + j] = sum;
    }
  }
}

/** C (r×c) = A (r×k) · Bᵀ where B is c×k, row-major. */
function multiplyTransposed(a: Float64Array, b: Float64Array, c: Float64Array, r: number, k: number, cols: number): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let x = 0; x < k; x++) sum += a[i * k + x]! * b[j * k + x]!;
      c[i * cols + j] = sum;
    }
  }
}
