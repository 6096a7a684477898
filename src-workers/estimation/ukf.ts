/**
 * Unscented Kalman filter with scaled sigma points (Van der Merwe: α spreads them, β = 2 is optimal for
 * Gaussian priors, κ is secondary scaling), additive process and measurement noise.
 *
 * Predict: 2n+1 sigma points from the Cholesky factor of P go through the process model; their weighted
 * mean and spread plus Q·dt are the prediction. Update: sigma points are redrawn from the prediction (so the
 * process noise is in them), mapped through h for the measurements used this step (a mask skips quarantined
 * or stale ones), and the update is done in square-root form: with S = Ls·Lsᵀ, U = Pxy·Ls⁻ᵀ and e = Ls⁻¹·ν,
 * x ← x + U·e, P ← P − U·Uᵀ (symmetric by construction) and NIS = |e|². Every Cholesky factorisation checks
 * positive definiteness and repairs with diagonal jitter, which is counted and reported.
 *
 * Allocation-free after construction.
 */
import { cholesky, choleskyWithJitter, solveLower, symmetrise } from "./linalg";
import { checkInit, clampToBounds, newReport, type FilterInit, type FilterModel, type KalmanFilter, type UpdateReport } from "./filter-model";

export interface UkfOptions {
  /** Spread of the sigma points, (0, 1]. Default 1: all weights are then non-negative. */
  alpha?: number;
  /** Prior knowledge of the distribution; 2 is optimal for Gaussians. */
  beta?: number;
  /** Secondary scaling, default 0. */
  kappa?: number;
}

export class UnscentedKalmanFilter implements KalmanFilter {
  readonly mean: Float64Array;
  readonly covariance: Float64Array;
  readonly report: UpdateReport;
  private t = Number.NaN;
  private readonly n: number;
  private readonly m: number;
  private readonly r: Float64Array;
  private readonly spread: number;
  private readonly wm0: number;
  private readonly wc0: number;
  private readonly wi: number;
  private readonly chol: Float64Array;
  /** Sigma points, (2n+1) × n. */
  private readonly points: Float64Array;
  /** Predicted measurements of the sigma points, (2n+1) × m. */
  private readonly ySigma: Float64Array;
  private readonly point: Float64Array;
  private readonly yPoint: Float64Array;
  private readonly active: Int32Array;
  private readonly yHat: Float64Array;
  private readonly s: Float64Array;
  private readonly sChol: Float64Array;
  private readonly pxy: Float64Array;
  private readonly u: Float64Array;
  private readonly e: Float64Array;

  constructor(
    readonly model: FilterModel,
    init: FilterInit,
    options: UkfOptions = {},
  ) {
    checkInit(model, init, "UKF");
    const n = model.size;
    const m = model.measurementSize;
    const alpha = options.alpha ?? 1;
    const beta = options.beta ?? 2;
    const kappa = options.kappa ?? 0;
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`UKF: alpha must be in (0, 1], got ${alpha}`);
    const lambda = alpha * alpha * (n + kappa) - n;
    if (!(n + lambda > 0)) throw new RangeError(`UKF: n + λ must be > 0 (n = ${n}, α = ${alpha}, κ = ${kappa})`);
    this.n = n;
    this.m = m;
    this.spread = Math.sqrt(n + lambda);
    this.wm0 = lambda / (n + lambda);
    this.wc0 = this.wm0 + 1 - alpha * alpha + beta;
    this.wi = 1 / (2 * (n + lambda));
    this.mean = Float64Array.from(init.mean);
    this.covariance = new Float64Array(n * n);
    for (let i = 0; i < n; i++) this.covariance[i * n + i] = init.sd[i]! * init.sd[i]!;
    this.r = Float64Array.from(init.measurementSd, (s) => s * s);
    this.report = newReport(m);
    this.chol = new Float64Array(n * n);
    this.points = new Float64Array((2 * n + 1) * n);
    this.ySigma = new Float64Array((2 * n + 1) * m);
    this.point = new Float64Array(n);
    this.yPoint = new Float64Array(m);
    this.active = new Int32Array(m);
    this.yHat = new Float64Array(m);
    this.s = new Float64Array(m * m);
    this.sChol = new Float64Array(m * m);
    this.pxy = new Float64Array(n * m);
    this.u = new Float64Array(n * m);
    this.e = new Float64Array(m);
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
    if (!(t > this.t)) throw new RangeError(`UKF: time must not go back (filter at ${this.t} s, step at ${t} s)`);
    const { n, points, point, mean, covariance: p } = this;
    this.report.jitter = 0;
    this.drawSigmaPoints();
    const count = 2 * n + 1;
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < n; i++) point[i] = points[k * n + i]!;
      this.model.propagate(point, this.t, t);
      for (let i = 0; i < n; i++) points[k * n + i] = point[i]!;
    }
    this.weightedMean(points, n, mean);
    const dt = t - this.t;
    p.fill(0);
    for (let k = 0; k < count; k++) {
      const w = k === 0 ? this.wc0 : this.wi;
      const off = k * n;
      for (let i = 0; i < n; i++) {
        const di = w * (points[off + i]! - mean[i]!);
        for (let j = 0; j <= i; j++) p[i * n + j] = p[i * n + j]! + di * (points[off + j]! - mean[j]!);
      }
    }
    const q = this.model.processNoise;
    for (let i = 0; i < n; i++) {
      p[i * n + i] = p[i * n + i]! + q[i]! * dt;
      for (let j = 0; j < i; j++) p[j * n + i] = p[i * n + j]!;
    }
    clampToBounds(this.model, mean);
    this.t = t;
  }

  update(y: Float64Array, mask: Uint8Array): void {
    const { n, m, active, report, points, ySigma, yPoint, yHat, s, sChol, pxy, u, e, mean, covariance: p } = this;
    report.innovation.fill(Number.NaN);
    report.innovationVariance.fill(Number.NaN);
    report.nis = Number.NaN;
    let ma = 0;
    for (let i = 0; i < m; i++) if (mask[i] !== 0 && Number.isFinite(y[i]!)) active[ma++] = i;
    report.dof = ma;
    if (ma === 0) return;

    this.drawSigmaPoints();
    const count = 2 * n + 1;
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < n; i++) this.point[i] = points[k * n + i]!;
      this.model.measure(this.point, this.t, yPoint);
      for (let a = 0; a < ma; a++) ySigma[k * m + a] = yPoint[active[a]!]!;
    }
    this.weightedMean(ySigma, m, yHat, ma);

    s.fill(0, 0, ma * ma);
    pxy.fill(0, 0, n * ma);
    for (let k = 0; k < count; k++) {
      const w = k === 0 ? this.wc0 : this.wi;
      const yo = k * m;
      const xo = k * n;
      for (let a = 0; a < ma; a++) {
        const da = w * (ySigma[yo + a]! - yHat[a]!);
        for (let b = 0; b <= a; b++) s[a * ma + b] = s[a * ma + b]! + da * (ySigma[yo + b]! - yHat[b]!);
        for (let i = 0; i < n; i++) pxy[i * ma + a] = pxy[i * ma + a]! + da * (points[xo + i]! - mean[i]!);
      }
    }
    for (let a = 0; a < ma; a++) {
      s[a * ma + a] = s[a * ma + a]! + this.r[active[a]!]!;
      for (let b = 0; b < a; b++) s[b * ma + a] = s[a * ma + b]!;
      const i = active[a]!;
      report.innovation[i] = y[i]! - yHat[a]!;
      report.innovationVariance[i] = s[a * ma + a]!;
    }
    const jitter = choleskyWithJitter(s, ma, sChol);
    if (Number.isNaN(jitter)) throw new Error(`UKF: innovation covariance is not finite at t = ${this.t} s (model output NaN?)`);
    this.noteJitter(jitter);

    for (let a = 0; a < ma; a++) e[a] = report.innovation[active[a]!]!;
    solveLower(sChol, ma, e, e);
    let nis = 0;
    for (let a = 0; a < ma; a++) nis += e[a]! * e[a]!;
    report.nis = nis;
    // U = Pxy·Ls⁻ᵀ: row i of U solves Ls·uᵢ = (row i of Pxy).
    for (let i = 0; i < n; i++) {
      const off = i * ma;
      solveLowerRow(sChol, ma, pxy, u, off);
      let dx = 0;
      for (let a = 0; a < ma; a++) dx += u[off + a]! * e[a]!;
      mean[i] = mean[i]! + dx;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = 0;
        for (let a = 0; a < ma; a++) sum += u[i * ma + a]! * u[j * ma + a]!;
        const v = p[i * n + j]! - sum;
        p[i * n + j] = v;
        p[j * n + i] = v;
      }
    }
    clampToBounds(this.model, mean);
  }

  /** Sigma points around the mean from the Cholesky factor of P (repaired with jitter if needed). */
  private drawSigmaPoints(): void {
    const { n, chol, points, mean, covariance: p } = this;
    symmetrise(p, n);
    if (!cholesky(p, n, chol)) {
      const jitter = choleskyWithJitter(p, n, chol);
      if (Number.isNaN(jitter)) throw new Error(`UKF: state covariance is not finite at t = ${this.t} s`);
      this.noteJitter(jitter);
    }
    const c = this.spread;
    for (let i = 0; i < n; i++) points[i] = mean[i]!;
    for (let j = 0; j < n; j++) {
      const plus = (1 + j) * n;
      const minus = (1 + n + j) * n;
      for (let i = 0; i < n; i++) {
        // Column j of L.
        const d = c * chol[i * n + j]!;
        points[plus + i] = mean[i]! + d;
        points[minus + i] = mean[i]! - d;
      }
    }
  }

  private weightedMean(rows: Float64Array, stride: number, out: Float64Array, width = stride): void {
    const count = 2 * this.n + 1;
    for (let i = 0; i < width; i++) {
      // Deviations from the central point keep the sum accurate when the central weight is large and negative.
      const center = rows[i]!;
      let sum = 0;
      for (let k = 1; k < count; k++) sum += rows[k * stride + i]! - center;
      out[i] = center + this.wi * sum;
    }
  }

  private noteJitter(jitter: number): void {
    if (jitter > 0) {
      if (this.report.jitter === 0) this.report.repairs++;
      this.report.jitter = Math.max(this.report.jitter, jitter);
    }
  }
}

/** Solves L·x = b for b the row at `offset` of one row-major matrix, x the row at `offset` of another. */
function solveLowerRow(l: Float64Array, n: number, b: Float64Array, x: Float64Array, offset: number): void {
  for (let i = 0; i < n; i++) {
    let sum = b[offset + i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * x[offset + k]!;
    x[offset + i] = sum / l[i * n + i]!;
  }
}
