/**
 * The composed twin as a filter model: the state z stacks the component states x and the latent parameters
 * (estimated θ entries, random walks: zero drift plus process noise). Between two steps, real inputs driven by
 * tags are interpolated linearly from their values at the previous step to those at this one (first-order
 * hold); Boolean inputs (a valve command, a motor running) switch at the middle of the interval, the unbiased
 * guess of when they switched, and the integration is split there so that no integrator stage straddles the
 * switch. A Boolean must not be interpolated: a valve at half flow is not what happened, and where the
 * physics is nonlinear in the flow (a heat exchanger's effectiveness) a half-open guess biases the estimate.
 * x is integrated with RK4 substeps of at most `maxStepS` (or DOPRI5 with error control).
 *
 * Allocation-free per call; one instance serves every sigma point in turn.
 */
import type { ComposedModel } from "../models/compose";
import { Dopri5 } from "../solvers/dopri5";
import { Rk4, type Derivative } from "../solvers/rk4";
import type { FilterModel } from "./filter-model";

export interface TwinModelOptions {
  /** Longest integration substep, seconds. Default 0.05. */
  maxStepS?: number;
  integrator?: "rk4" | "dopri5";
  /** DOPRI5 tolerances. */
  rtol?: number;
  atol?: number;
  /** Process-noise intensities by variable name (`feedPump.bearingWear`), overriding the model's. */
  processNoise?: Readonly<Record<string, number>>;
  /** Inputs (by index) that switch rather than vary: held, switching at the interval's middle. */
  switchedInputs?: readonly boolean[];
}

export interface TwinVariable {
  name: string;
  unit: string;
  component: string;
  /** `state`: a component state. `parameter`: a latent parameter (random walk). */
  kind: "state" | "parameter";
  /** Index in the composed model's state or parameter vector. */
  index: number;
}

export class TwinModel implements FilterModel {
  readonly size: number;
  readonly measurementSize: number;
  readonly processNoise: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly variables: readonly TwinVariable[];
  readonly initialMean: Float64Array;
  readonly initialSd: Float64Array;
  /** Inputs at the start and at the end of the interval being integrated (the caller sets them). */
  readonly inputsBefore: Float64Array;
  readonly inputsAfter: Float64Array;
  private readonly nx: number;
  private readonly theta: Float64Array;
  /** Composed parameter index of each latent parameter, in z order after the states. */
  private readonly latentIndex: Int32Array;
  private readonly x: Float64Array;
  private readonly u: Float64Array;
  private readonly maxStep: number;
  private readonly rk4?: Rk4;
  private readonly dopri?: Dopri5;
  private readonly f: Derivative;
  private readonly switched: Uint8Array;
  /** Interval being integrated, and where switched inputs take their new value. */
  private t0 = 0;
  private t1 = 0;
  private tSwitch = 0;
  private pieceStart = 0;

  constructor(
    readonly composed: ComposedModel,
    options: TwinModelOptions = {},
  ) {
    const nx = composed.stateSize;
    const latent = composed.params.map((p, i) => ({ p, i })).filter(({ p }) => p.estimated);
    this.nx = nx;
    this.size = nx + latent.length;
    this.measurementSize = composed.measurementTags.length;
    const vars = [...composed.states, ...latent.map(({ p }) => p)];
    this.variables = [
      ...composed.states.map((s, index) => ({ name: s.name, unit: s.unit, component: s.component, kind: "state" as const, index })),
      ...latent.map(({ p, i }) => ({ name: p.name, unit: p.unit, component: p.component, kind: "parameter" as const, index: i })),
    ];
    const overrides = options.processNoise ?? {};
    for (const name of Object.keys(overrides)) {
      if (!vars.some((v) => v.name === name)) {
        throw new RangeError(`processNoise: ${JSON.stringify(name)} is not an estimated variable; estimated: ${vars.map((v) => v.name).join(", ")}`);
      }
    }
    this.processNoise = Float64Array.from(vars, (v) => {
      const q = overrides[v.name] ?? v.processNoise;
      if (!(q >= 0) || !Number.isFinite(q)) throw new RangeError(`processNoise of ${v.name} must be finite and ≥ 0, got ${q}`);
      return q;
    });
    this.lower = Float64Array.from(vars, (v) => v.min ?? -Infinity);
    this.upper = Float64Array.from(vars, (v) => v.max ?? Infinity);
    this.initialMean = Float64Array.from(vars, (v) => v.initial);
    this.initialSd = Float64Array.from(vars, (v) => v.sigma);
    this.latentIndex = Int32Array.from(latent, ({ i }) => i);
    this.theta = composed.initialParams();
    const nu = composed.inputTags.length;
    this.inputsBefore = new Float64Array(nu);
    this.inputsAfter = new Float64Array(nu);
    this.u = new Float64Array(nu);
    this.switched = Uint8Array.from({ length: nu }, (_, i) => (options.switchedInputs?.[i] ? 1 : 0));
    this.x = new Float64Array(nx);
    this.maxStep = options.maxStepS ?? 0.05;
    if (!(this.maxStep > 0)) throw new RangeError(`maxStepS must be > 0, got ${this.maxStep}`);
    if (nx > 0) {
      if (options.integrator === "dopri5") this.dopri = new Dopri5(nx, { rtol: options.rtol ?? 1e-6, atol: options.atol ?? 1e-9, hMax: this.maxStep });
      else this.rk4 = new Rk4(nx);
    }
    // The derivative sees the inputs interpolated at its own time (RK4's stages sit inside the interval).
    this.f = (t, x, dxdt) => {
      this.inputsAt(t);
      composed.derivative(t, x, this.u, this.theta, dxdt);
    };
  }

  propagate(z: Float64Array, t0: number, t1: number): void {
    const { nx, x } = this;
    if (nx === 0) return;
    this.loadParams(z);
    for (let i = 0; i < nx; i++) x[i] = z[i]!;
    this.t0 = t0;
    this.t1 = t1;
    const mid = 0.5 * (t0 + t1);
    if (this.switchesIn()) {
      this.tSwitch = mid;
      this.integrate(t0, mid);
      this.integrate(mid, t1);
    } else {
      this.tSwitch = t0;
      this.integrate(t0, t1);
    }
    for (let i = 0; i < nx; i++) z[i] = x[i]!;
  }

  private switchesIn(): boolean {
    const { switched, inputsBefore: a, inputsAfter: b } = this;
    for (let i = 0; i < switched.length; i++) if (switched[i] === 1 && a[i] !== b[i]) return true;
    return false;
  }

  private integrate(ta: number, tb: number): void {
    this.pieceStart = ta;
    if (this.dopri) {
      this.dopri.reset();
      this.dopri.integrate(this.f, ta, this.x, tb);
      return;
    }
    const steps = Math.max(1, Math.ceil((tb - ta) / this.maxStep - 1e-9));
    const h = (tb - ta) / steps;
    for (let s = 0; s < steps; s++) this.rk4!.step(this.f, ta + s * h, this.x, h);
  }

  measure(z: Float64Array, t: number, y: Float64Array): void {
    const { nx, x } = this;
    this.loadParams(z);
    for (let i = 0; i < nx; i++) x[i] = z[i]!;
    // Measurements are taken at the end of the interval: the inputs of this step.
    this.u.set(this.inputsAfter);
    this.composed.measure(t, x, this.u, this.theta, y);
  }

  /** Full parameter vector for state z (known values with the latent ones from z), written into `out`. */
  paramsOf(z: Float64Array, out: Float64Array): Float64Array {
    this.loadParams(z);
    out.set(this.theta);
    return out;
  }

  private loadParams(z: Float64Array): void {
    const idx = this.latentIndex;
    for (let k = 0; k < idx.length; k++) this.theta[idx[k]!] = z[this.nx + k]!;
  }

  /**
   * Inputs at time t of the interval. A switched input has its old value before tSwitch and its new one from
   * tSwitch on; the integration pieces end and start exactly at tSwitch, so a stage at tSwitch takes the new
   * value only in the piece that starts there.
   */
  private inputsAt(t: number): void {
    const span = this.t1 - this.t0;
    const w = span > 0 ? Math.min(1, Math.max(0, (t - this.t0) / span)) : 1;
    const { u, inputsBefore: a, inputsAfter: b, switched } = this;
    const after = t > this.tSwitch || (t === this.tSwitch && this.pieceStart === this.tSwitch);
    for (let i = 0; i < u.length; i++) u[i] = switched[i] === 1 ? (after ? b[i]! : a[i]!) : a[i]! + w * (b[i]! - a[i]!);
  }
}
