/**
 * Adaptive Dormand–Prince 5(4) (Hairer's DOPRI5) on a Float64Array state: embedded 4th-order error estimate,
 * local extrapolation (the 5th-order solution is kept), FSAL, a PI step-size controller and the 4th-order
 * continuous extension (dense output) that event location interpolates on.
 *
 * Scratch buffers are allocated once per integrator, so integrating allocates nothing.
 */
import type { Derivative } from "./rk4";

export interface Dopri5Options {
  /** Relative tolerance (per component, against max(|y|, |y_new|)). Default 1e-6. */
  rtol?: number;
  /** Absolute tolerance. Default 1e-9. */
  atol?: number;
  /** Largest step, default unlimited. */
  hMax?: number;
  /** Step below which integration fails (stiff or singular problem). Default 1e-12·|t|-ish, here 1e-14. */
  hMin?: number;
  /** Most steps per `integrate` call before it fails. Default 100 000. */
  maxSteps?: number;
}

export interface Dopri5Stats {
  accepted: number;
  rejected: number;
  evaluations: number;
}

/**
 * Called after every accepted step with the step's start and end; dense output (`interpolate`) is valid on
 * [tOld, tNew] during the call. Return a time in (tOld, tNew] to stop there (the state is set to the
 * interpolated value), or undefined to go on.
 */
export type StepObserver = (tOld: number, tNew: number) => number | undefined;

// Butcher tableau (Dormand & Prince 1980).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// Error coefficients: 5th-order weights minus the embedded 4th-order ones.
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// Dense output (Hairer, Nørsett & Wanner, CONTD5).
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072;
const D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

// Step-size controller (Hairer's defaults): safety factor, bounds on the change, PI stabilisation β.
const SAFETY = 0.9;
const FAC_MIN = 0.2;
const FAC_MAX = 10;
const BETA = 0.04;
const EXPO = 0.2 - BETA * 0.75;

export class Dopri5 {
  readonly size: number;
  readonly rtol: number;
  readonly atol: number;
  readonly hMax: number;
  readonly hMin: number;
  readonly maxSteps: number;
  readonly stats: Dopri5Stats = { accepted: 0, rejected: 0, evaluations: 0 };
  /** Step size proposed for the next step; 0 = choose one (after `reset`). Kept across calls for warm restarts. */
  private h = 0;
  private errOld = 1e-4;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly k7: Float64Array;
  private readonly yTmp: Float64Array;
  private readonly yNew: Float64Array;
  private readonly r1: Float64Array;
  private readonly r2: Float64Array;
  private readonly r3: Float64Array;
  private readonly r4: Float64Array;
  private readonly r5: Float64Array;
  private denseT0 = 0;
  private denseH = 0;

  constructor(size: number, options: Dopri5Options = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Dopri5: state size must be a positive integer, got ${size}`);
    const { rtol = 1e-6, atol = 1e-9, hMax = Infinity, hMin = 1e-14, maxSteps = 100_000 } = options;
    if (!(rtol >= 0) || !(atol >= 0) || rtol + atol <= 0) throw new RangeError(`Dopri5: need rtol ≥ 0, atol ≥ 0 and not both 0, got ${rtol}, ${atol}`);
    if (!(hMax > 0)) throw new RangeError(`Dopri5: hMax must be > 0, got ${hMax}`);
    this.size = size;
    this.rtol = rtol;
    this.atol = atol;
    this.hMax = hMax;
    this.hMin = hMin;
    this.maxSteps = maxSteps;
    const buf = () => new Float64Array(size);
    this.k1 = buf();
    this.k2 = buf();
    this.k3 = buf();
    this.k4 = buf();
    this.k5 = buf();
    this.k6 = buf();
    this.k7 = buf();
    this.yTmp = buf();
    this.yNew = buf();
    this.r1 = buf();
    this.r2 = buf();
    this.r3 = buf();
    this.r4 = buf();
    this.r5 = buf();
  }

  /** Forgets the step size (call after a discontinuity, e.g. an event that changed the state). */
  reset(): void {
    this.h = 0;
    this.errOld = 1e-4;
  }

  /**
   * One step of size h without error control: y ← y(t + h). For fixed-rate use and the convergence tests.
   * Leaves dense output valid on [t, t + h].
   */
  stepFixed(f: Derivative, t: number, y: Float64Array, h: number): Float64Array {
    this.check(y);
    f(t, y, this.k1);
    this.stats.evaluations++;
    this.stages(f, t, y, h);
    this.prepareDense(t, h, y);
    y.set(this.yNew);
    this.stats.accepted++;
    return y;
  }

  /**
   * Integrates y in place from t0 to t1 (t1 > t0) with error control; returns the time reached (t1, or the
   * stop time an observer asked for). Throws when the step size underflows or maxSteps is exceeded.
   */
  integrate(f: Derivative, t0: number, y: Float64Array, t1: number, observer?: StepObserver): number {
    this.check(y);
    if (!(t1 > t0)) {
      if (t1 === t0) return t0;
      throw new RangeError(`Dopri5: integrates forward only, got t0 = ${t0}, t1 = ${t1}`);
    }
    const { k1, yNew } = this;
    let t = t0;
    f(t, y, k1);
    this.stats.evaluations++;
    let h = this.h > 0 ? this.h : this.initialStep(f, t, y, t1 - t0);
    for (let steps = 0; ; steps++) {
      if (steps >= this.maxSteps) throw new Error(`Dopri5: more than ${this.maxSteps} steps between t = ${t0} and ${t1} (stiff problem?)`);
      h = Math.min(h, this.hMax);
      const last = t + h >= t1 - 1e-12 * Math.abs(t1);
      if (last) h = t1 - t;
      this.stages(f, t, y, h);
      const err = this.errorNorm(y, h);
      if (!Number.isFinite(err)) {
        h *= FAC_MIN;
        this.stats.rejected++;
        if (h < this.hMin) throw new Error(`Dopri5: the derivative is not finite near t = ${t}`);
        continue;
      }
      if (err <= 1) {
        // PI controller: the previous error damps oscillating step sizes.
        const fac = Math.min(FAC_MAX, Math.max(FAC_MIN, SAFETY * Math.pow(this.errOld, BETA) / Math.pow(Math.max(err, 1e-10), EXPO)));
        this.errOld = Math.max(err, 1e-4);
        this.stats.accepted++;
        this.prepareDense(t, h, y);
        const tOld = t;
        t = last ? t1 : t + h;
        const stop = observer?.(tOld, t);
        if (stop !== undefined && stop < t) {
          this.interpolate(stop, y);
          this.h = Math.max(stop - tOld, this.hMin);
          return stop;
        }
        y.set(yNew);
        // FSAL: the last stage is f at the new point.
        k1.set(this.k7);
        this.h = Math.min(h * fac, this.hMax);
        if (last || stop !== undefined) return t;
        h = this.h;
      } else {
        this.stats.rejected++;
        h *= Math.max(FAC_MIN, SAFETY / Math.pow(err, 0.2));
        if (h < this.hMin) throw new Error(`Dopri5: step size underflow (${h}) at t = ${t}; tolerances too tight or a singularity`);
      }
    }
  }

  /** Dense output of the last accepted step at time t (within that step), written into `out`. */
  interpolate(t: number, out: Float64Array): Float64Array {
    const theta = this.denseH > 0 ? (t - this.denseT0) / this.denseH : 0;
    const theta1 = 1 - theta;
    const { r1, r2, r3, r4, r5 } = this;
    for (let i = 0; i < this.size; i++) {
      out[i] = r1[i]! + theta * (r2[i]! + theta1 * (r3[i]! + theta * (r4[i]! + theta1 * r5[i]!)));
    }
    return out;
  }

  private check(y: Float64Array): void {
    if (y.length !== this.size) throw new RangeError(`Dopri5: state has ${y.length} elements, integrator was made for ${this.size}`);
  }

  /** Stages 2–7 from k1 = f(t, y); the 5th-order solution goes to yNew, f(t+h, yNew) to k7. */
  private stages(f: Derivative, t: number, y: Float64Array, h: number): void {
    const n = this.size;
    const { k1, k2, k3, k4, k5, k6, k7, yTmp, yNew } = this;
    for (let i = 0; i < n; i++) yTmp[i] = y[i]! + h * A21 * k1[i]!;
    f(t + C2 * h, yTmp, k2);
    for (let i = 0; i < n; i++) yTmp[i] = y[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
    f(t + C3 * h, yTmp, k3);
    for (let i = 0; i < n; i++) yTmp[i] = y[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
    f(t + C4 * h, yTmp, k4);
    for (let i = 0; i < n; i++) yTmp[i] = y[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
    f(t + C5 * h, yTmp, k5);
    for (let i = 0; i < n; i++) yTmp[i] = y[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
    f(t + h, yTmp, k6);
    for (let i = 0; i < n; i++) yNew[i] = y[i]! + h * (A71 * k1[i]! + A73 * k3[i]! + A74 * k4[i]! + A75 * k5[i]! + A76 * k6[i]!);
    f(t + h, yNew, k7);
    this.stats.evaluations += 6;
  }

  /** RMS of the embedded error estimate scaled by atol + rtol·max(|y|, |y_new|); ≤ 1 accepts the step. */
  private errorNorm(y: Float64Array, h: number): number {
    const n = this.size;
    const { k1, k3, k4, k5, k6, k7, yNew } = this;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
      const sk = this.atol + this.rtol * Math.max(Math.abs(y[i]!), Math.abs(yNew[i]!));
      const r = e / sk;
      sum += r * r;
    }
    return Math.sqrt(sum / n);
  }

  private prepareDense(t: number, h: number, y: Float64Array): void {
    const { k1, k3, k4, k5, k6, k7, yNew, r1, r2, r3, r4, r5 } = this;
    for (let i = 0; i < this.size; i++) {
      const diff = yNew[i]! - y[i]!;
      const bspl = h * k1[i]! - diff;
      r1[i] = y[i]!;
      r2[i] = diff;
      r3[i] = bspl;
      r4[i] = diff - h * k7[i]! - bspl;
      r5[i] = h * (D1 * k1[i]! + D3 * k3[i]! + D4 * k4[i]! + D5 * k5[i]! + D6 * k6[i]! + D7 * k7[i]!);
    }
    this.denseT0 = t;
    this.denseH = h;
  }

  /** Hairer's starting step: from the sizes of y, f and a second derivative estimate. Uses k2, k3 as scratch. */
  private initialStep(f: Derivative, t: number, y: Float64Array, span: number): number {
    const n = this.size;
    const { k1, k2, k3 } = this;
    let d0 = 0;
    let d1 = 0;
    for (let i = 0; i < n; i++) {
      const sk = this.atol + this.rtol * Math.abs(y[i]!);
      d0 += (y[i]! / sk) ** 2;
      d1 += (k1[i]! / sk) ** 2;
    }
    d0 = Math.sqrt(d0 / n);
    d1 = Math.sqrt(d1 / n);
    let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
    h0 = Math.min(h0, span, this.hMax);
    for (let i = 0; i < n; i++) k3[i] = y[i]! + h0 * k1[i]!;
    f(t + h0, k3, k2);
    this.stats.evaluations++;
    let d2 = 0;
    for (let i = 0; i < n; i++) {
      const sk = this.atol + this.rtol * Math.abs(y[i]!);
      d2 += ((k2[i]! - k1[i]!) / sk) ** 2;
    }
    d2 = Math.sqrt(d2 / n) / h0;
    const dmax = Math.max(d1, d2);
    const h1 = dmax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dmax, 0.2);
    return Math.min(100 * h0, h1, span, this.hMax);
  }
}
