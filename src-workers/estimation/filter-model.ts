/**
 * What a Kalman filter needs from a model, and what one step of a filter reports. Shared by the UKF and the
 * EKF so that they can be swapped and compared on the same model. Nothing here knows about tags or OPC UA.
 */

export interface FilterModel {
  /** State dimension n (for the twin: component states, then latent parameters). */
  readonly size: number;
  /** Number of measurements m the model predicts. */
  readonly measurementSize: number;
  /** Process-noise intensity per state, variance per second: Q(dt) = diag(q)·dt. */
  readonly processNoise: Float64Array;
  /** Bounds the mean is kept inside (−Infinity / Infinity where free). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Advances z in place from t0 to t1 > t0 with the noise-free process model. */
  propagate(z: Float64Array, t0: number, t1: number): void;
  /** Writes the m predicted measurements for state z at time t. */
  measure(z: Float64Array, t: number, y: Float64Array): void;
}

/** Filter settings common to the UKF and the EKF. */
export interface FilterInit {
  /** Initial mean (n). */
  mean: Float64Array;
  /** Initial standard deviations (n); the initial covariance is diagonal. */
  sd: Float64Array;
  /** Measurement noise standard deviation per measurement (m). */
  measurementSd: Float64Array;
}

/**
 * The consistency figures of the last update, in fields the filter overwrites every step (read them before
 * the next step). Entries of measurements not used in the step are NaN.
 */
export interface UpdateReport {
  /** y − ŷ per measurement. */
  readonly innovation: Float64Array;
  /** Predicted innovation variance S_ii per measurement. */
  readonly innovationVariance: Float64Array;
  /** Normalised innovation squared νᵀS⁻¹ν over the used measurements; NaN when none was used. */
  nis: number;
  /** Number of measurements used (degrees of freedom of the NIS). */
  dof: number;
  /** Diagonal jitter added to keep a covariance positive definite in the last step (0 normally). */
  jitter: number;
  /** Steps so far in which a covariance needed repair. */
  repairs: number;
}

/** The filter interface the estimator drives. */
export interface KalmanFilter {
  readonly mean: Float64Array;
  /** Covariance, row-major n×n. */
  readonly covariance: Float64Array;
  readonly report: UpdateReport;
  /** Time of the estimate (NaN before the first step). */
  readonly time: number;
  /** Predicts to t (no-op when t equals the filter time; the first call only sets the time). */
  predict(t: number): void;
  /** Updates with y where mask[i] ≠ 0 and y[i] is finite. */
  update(y: Float64Array, mask: Uint8Array): void;
}

export function newReport(m: number): UpdateReport {
  return {
    innovation: new Float64Array(m).fill(Number.NaN),
    innovationVariance: new Float64Array(m).fill(Number.NaN),
    nis: Number.NaN,
    dof: 0,
    jitter: 0,
    repairs: 0,
  };
}

/**
 * Keeps the mean inside the model's bounds. Branch-free on purpose: a store that runs only when a bound is hit
 * has no type feedback when V8 optimises the filter, and hitting it then deoptimises the whole step (measured:
 * a deoptimisation loop that made steps 50% slower).
 */
export function clampToBounds(model: FilterModel, mean: Float64Array): void {
  const { lower, upper } = model;
  for (let i = 0; i < mean.length; i++) mean[i] = Math.min(upper[i]!, Math.max(lower[i]!, mean[i]!));
}

export function checkInit(model: FilterModel, init: FilterInit, who: string): void {
  const n = model.size;
  if (init.mean.length !== n || init.sd.length !== n) {
    throw new RangeError(`${who}: initial mean and sd need ${n} entries, got ${init.mean.length} and ${init.sd.length}`);
  }
  if (init.measurementSd.length !== model.measurementSize) {
    throw new RangeError(`${who}: measurementSd needs ${model.measurementSize} entries, got ${init.measurementSd.length}`);
  }
  init.measurementSd.forEach((s, i) => {
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`${who}: measurement ${i} needs a noise sd > 0, got ${s}`);
  });
  init.sd.forEach((s, i) => {
    if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`${who}: initial sd of state ${i} must be finite and ≥ 0, got ${s}`);
  });
}
