/**
 * The estimator core shared by the live worker and offline runs: composes the model, builds the filter and
 * steps it with one vector of tag values per sample. The same inputs in the same order give bit-identical
 * estimates wherever it runs, which is what lets an offline run reproduce the live one.
 *
 * Value vector: the tags of `layout.tags` in order (inputs that drive the model, then measured tags). A
 * masked or non-finite value is skipped: a measurement does not update the filter, an input holds its last
 * good value (0 until it has one). A measurement at or below its cutoff is censored and skipped too.
 */
import { compose, type ComposedModel } from "../models/compose";
import { chiSquareBounds } from "./chi-square";
import { parseEstimatorConfig, type EstimatorConfig, type ResolvedEstimatorConfig } from "./config";
import { ExtendedKalmanFilter } from "./ekf";
import type { KalmanFilter } from "./filter-model";
import { TwinModel, type TwinVariable } from "./twin-model";
import { UnscentedKalmanFilter } from "./ukf";

export interface EstimatorLayout {
  /** Tags of the value vector `step` takes, in order. */
  tags: string[];
  inputTags: string[];
  /** Measured tags, the order of innovations. */
  measuredTags: string[];
  /** Estimated variables (states, then latent parameters), the order of means and standard deviations. */
  variables: TwinVariable[];
  method: "ukf" | "ekf";
  rateHz: number;
  nisCoverage: number;
}

export class Estimator {
  readonly config: ResolvedEstimatorConfig;
  readonly layout: EstimatorLayout;
  readonly composed: ComposedModel;
  readonly model: TwinModel;
  readonly filter: KalmanFilter;
  /** NIS bounds by degrees of freedom (index = dof). */
  readonly nisLow: Float64Array;
  readonly nisHigh: Float64Array;
  private readonly inputSlot: Int32Array;
  private readonly measuredSlot: Int32Array;
  private readonly y: Float64Array;
  private readonly yMask: Uint8Array;
  /** Per measured tag: readings at or below are censored (-Infinity: none). */
  private readonly cutoff: Float64Array;
  private started = false;

  constructor(config: EstimatorConfig) {
    const c = parseEstimatorConfig(config);
    this.config = c;
    this.composed = compose(c.model);
    this.model = new TwinModel(this.composed, {
      maxStepS: c.filter.maxStepS,
      integrator: c.filter.integrator,
      processNoise: c.filter.processNoise,
      switchedInputs: c.model.inputs.map((i) => i.type === "boolean"),
    });
    const init = {
      mean: this.model.initialMean,
      sd: this.model.initialSd,
      measurementSd: Float64Array.from(c.model.measurements, (m) => m.sigma),
    };
    this.filter =
      c.filter.method === "ekf"
        ? new ExtendedKalmanFilter(this.model, init)
        : new UnscentedKalmanFilter(this.model, init, { alpha: c.filter.alpha, beta: c.filter.beta, kappa: c.filter.kappa });

    const inputTags = [...this.composed.inputTags];
    const measuredTags = [...this.composed.measurementTags];
    const tags = [...new Set([...inputTags, ...measuredTags])];
    this.inputSlot = Int32Array.from(inputTags, (t) => tags.indexOf(t));
    this.measuredSlot = Int32Array.from(measuredTags, (t) => tags.indexOf(t));
    this.y = new Float64Array(measuredTags.length);
    this.yMask = new Uint8Array(measuredTags.length);
    this.cutoff = Float64Array.from(c.model.measurements, (m) => m.cutoff ?? -Infinity);
    this.layout = {
      tags,
      inputTags,
      measuredTags,
      variables: this.model.variables.map((v) => ({ ...v })),
      method: c.filter.method,
      rateHz: c.rateHz,
      nisCoverage: c.filter.nisCoverage,
    };
    const m = measuredTags.length;
    this.nisLow = new Float64Array(m + 1).fill(Number.NaN);
    this.nisHigh = new Float64Array(m + 1).fill(Number.NaN);
    for (let k = 1; k <= m; k++) [this.nisLow[k], this.nisHigh[k]] = chiSquareBounds(k, c.filter.nisCoverage);
  }

  get time(): number {
    return this.filter.time;
  }

  /** One estimation step at time t (seconds, increasing) with the values of `layout.tags`. */
  step(t: number, values: Float64Array, mask: Uint8Array): void {
    const n = this.layout.tags.length;
    if (values.length !== n || mask.length !== n) {
      throw new RangeError(`estimator step: expected ${n} values and mask entries (${this.layout.tags.join(", ")}), got ${values.length} and ${mask.length}`);
    }
    if (!Number.isFinite(t)) throw new RangeError(`estimator step: time must be finite, got ${t}`);
    if (this.started && t < this.filter.time) throw new RangeError(`estimator step: time went back from ${this.filter.time} s to ${t} s`);
    const { inputsBefore, inputsAfter } = this.model;
    inputsBefore.set(inputsAfter);
    for (let i = 0; i < this.inputSlot.length; i++) {
      const slot = this.inputSlot[i]!;
      const v = values[slot]!;
      if (mask[slot] !== 0 && Number.isFinite(v)) inputsAfter[i] = v;
    }
    // The first sample has no interval behind it: hold its inputs.
    if (!this.started) inputsBefore.set(inputsAfter);
    for (let j = 0; j < this.measuredSlot.length; j++) {
      const slot = this.measuredSlot[j]!;
      const v = values[slot]!;
      this.y[j] = v;
      this.yMask[j] = mask[slot] !== 0 && v > this.cutoff[j]! ? 1 : 0;
    }
    this.filter.predict(t);
    this.filter.update(this.y, this.yMask);
    this.started = true;
  }

  /** Standard deviations of the estimate, written into `out`. */
  sd(out: Float64Array): Float64Array {
    const p = this.filter.covariance;
    const n = this.model.size;
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(Math.max(0, p[i * n + i]!));
    return out;
  }

  /** Index of an estimated variable by name (`feedPump.bearingWear`), -1 if absent. */
  indexOf(name: string): number {
    return this.layout.variables.findIndex((v) => v.name === name);
  }
}
