/**
 * What estimator.worker.ts exposes through comlink, and the frames it returns. Pure types: the runtime
 * imports them to type its proxy (`spawnWorker<EstimatorWorkerApi>("estimator.worker")`).
 */
import type { AnomalyAlarm } from "./anomaly";
import type { EstimatorConfig } from "./config";
import type { EstimatorLayout } from "./estimator";
import type { PcaPhase } from "./pca";
import type { Prediction } from "./prognosis";

/** A degrading variable whose health the frame reports (from the prognosis targets). */
export interface HealthTarget {
  id: string;
  label: string;
  /** Component (scene asset) it belongs to, for colouring the 3D view. */
  component: string;
  /** `<component>.<state>`, an entry of layout.variables. */
  variable: string;
  threshold: number;
}

export interface EstimatorInfo extends EstimatorLayout {
  health: HealthTarget[];
}

/** One estimation step's result. Typed arrays are fresh per frame (the receiver may keep them). */
export interface EstimateFrame {
  timeS: number;
  /** Posterior means and standard deviations, in layout.variables order. */
  mean: Float64Array;
  sd: Float64Array;
  /** y − ŷ and its predicted standard deviation √S per measured tag (layout.measuredTags); NaN if not used. */
  innovation: Float64Array;
  innovationSd: Float64Array;
  /** Normalised innovation squared, its degrees of freedom (measurements used) and bounds (layout.nisCoverage). */
  nis: number;
  nisDof: number;
  nisLow: number;
  nisHigh: number;
  /** Health per layout.health target: 1 − value/threshold, clamped to [0, 1]. */
  health: Float64Array;
  /** Active anomaly alarms. */
  alarms: AnomalyAlarm[];
  /** The PCA detector's phase (it learns normal operation first). */
  pcaPhase: PcaPhase;
  /** Microseconds in the filter step, and in the whole step (filter, detectors, packing). */
  filterUs: number;
  stepUs: number;
  /** Steps so far in which a covariance needed jitter to stay positive definite; the last step's jitter. */
  covarianceRepairs: number;
  jitter: number;
}

export interface PredictionRequest {
  /** Window of the failure probability, seconds. Default one day. */
  horizonS?: number;
  /** Monte Carlo paths; default from the configuration. */
  samples?: number;
}

export interface PredictionReport {
  timeS: number;
  predictions: Prediction[];
  /** Wall time of the projection, milliseconds. */
  computeMs: number;
}

export interface EstimatorWorkerApi {
  /** Validates the configuration, builds the model and filter; returns the layout (rejects naming the problem). */
  init(config: EstimatorConfig): EstimatorInfo | Promise<EstimatorInfo>;
  /** One step at time t (seconds, non-decreasing) with the values of layout.tags; mask 0 = skip that value. */
  step(t: number, values: Float64Array, mask: Uint8Array): EstimateFrame | Promise<EstimateFrame>;
  /** Hides alarms until untilS (a commanded transient: setpoint write, start, stop); detectors keep running. */
  holdAlarms(untilS: number): void | Promise<void>;
  /** Remaining useful life and maintenance predictions from the current posterior. */
  predict(request?: PredictionRequest): PredictionReport | Promise<PredictionReport>;
}
