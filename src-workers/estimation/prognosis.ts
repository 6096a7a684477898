/**
 * Remaining useful life by Monte Carlo projection of a degradation from the current posterior: each path
 * draws the degrading state and its rate factor jointly from the filter's mean and covariance, then
 * integrates the component's own degradation law (d(state)/dt at the averaged operating point) with DOPRI5
 * until the state crosses its threshold (a state event located by the scheduler) or the projection horizon
 * ends (the path is censored: its life is longer than the horizon). Reported: median and 90% interval
 * (5th and 95th percentile) of the time to threshold and the probability of reaching it within a horizon.
 *
 * The operating point (what the plant holds while the component degrades, chosen by the component: the flow a
 * pump delivers, a cooler's product temperature) is taken at the posterior mean and averaged exponentially
 * over `averagingS` (a valve cycling every few seconds must not make the projection flicker).
 */
import type { ComposedDegradation } from "../models/compose";
import { Random } from "../random";
import { HybridIntegrator, type HybridSystem } from "../solvers/discrete-events";
import type { PrognosisTarget } from "./config";
import type { Estimator } from "./estimator";

export interface PrognosisSettings {
  targets: readonly PrognosisTarget[];
  samples: number;
  averagingS: number;
  maxHorizonS: number;
  seed: number;
}

export interface Prediction {
  id: string;
  label: string;
  /** Degrading variable, `<component>.<state>`, its unit and threshold. */
  variable: string;
  unit: string;
  threshold: number;
  /** Posterior mean and standard deviation of the state now. */
  mean: number;
  sd: number;
  /** Posterior mean and sd of the rate factor (1: degrades as rated). */
  rateFactor: number;
  rateFactorSd: number;
  /** Time to threshold, seconds: median and 90% interval. Infinity beyond maxHorizonS. */
  medianS: number;
  lowS: number;
  highS: number;
  /** Probability of reaching the threshold within horizonS. */
  horizonS: number;
  failureProbability: number;
  /** Fraction of paths that did not reach the threshold within maxHorizonS. */
  censored: number;
  samples: number;
}

interface Target {
  setting: PrognosisTarget;
  degradation: ComposedDegradation;
  threshold: number;
  /** Indices in the filter state of the degrading state and of the rate factor (-1: not estimated). */
  zState: number;
  zRate: number;
  /** The component's parameters in local order; the rate factor is overwritten per path. */
  localParams: Float64Array;
  localRate: number;
  /** Averaged operating point and a scratch for the latest one. */
  operating: Float64Array;
  latest: Float64Array;
  haveOperating: boolean;
}

export class Prognosis {
  private readonly targets: Target[];
  private readonly theta: Float64Array;
  private readonly u: Float64Array;
  private readonly x: Float64Array;
  private lastT = Number.NaN;

  constructor(
    private readonly estimator: Estimator,
    readonly settings: PrognosisSettings,
  ) {
    const composed = estimator.composed;
    const vars = estimator.layout.variables;
    this.theta = composed.initialParams();
    this.u = new Float64Array(composed.inputTags.length);
    this.x = new Float64Array(composed.stateSize);
    this.targets = settings.targets.map((s) => {
      const degradation = composed.degradations.find((d) => d.component === s.component && d.spec.state === s.state);
      if (!degradation) {
        const known = composed.degradations.map((d) => `${d.component}.${d.spec.state}`).join(", ") || "none";
        throw new RangeError(`prognosis target ${s.id}: ${s.component}.${s.state} is not a degradation of the model; degradations: ${known}`);
      }
      const params = composed.params.filter((p) => p.component === s.component);
      const rateParam = composed.params[degradation.rateParamIndex]!;
      const nop = degradation.spec.operatingPointSize;
      return {
        setting: s,
        degradation,
        threshold: s.threshold ?? degradation.spec.threshold,
        zState: vars.findIndex((v) => v.kind === "state" && v.index === degradation.stateIndex),
        zRate: vars.findIndex((v) => v.kind === "parameter" && v.index === degradation.rateParamIndex),
        localParams: Float64Array.from(params, (p) => p.initial),
        localRate: params.indexOf(rateParam),
        operating: new Float64Array(nop),
        latest: new Float64Array(nop),
        haveOperating: false,
      };
    });
  }

  /** Updates the averaged operating points from the estimator's current mean (call after each step). */
  observe(): void {
    const est = this.estimator;
    const t = est.time;
    const dt = Number.isNaN(this.lastT) ? 0 : t - this.lastT;
    this.lastT = t;
    const nx = this.x.length;
    const mean = est.filter.mean;
    for (let i = 0; i < nx; i++) this.x[i] = mean[i]!;
    est.model.paramsOf(mean, this.theta);
    this.u.set(est.model.inputsAfter);
    const w = Math.min(1, dt / this.settings.averagingS);
    for (const target of this.targets) {
      est.composed.operatingPoint(target.degradation, t, this.x, this.u, this.theta, target.latest);
      if (!target.haveOperating) {
        target.operating.set(target.latest);
        target.haveOperating = true;
      } else {
        for (let i = 0; i < target.operating.length; i++) target.operating[i] = target.operating[i]! + w * (target.latest[i]! - target.operating[i]!);
      }
    }
  }

  /** Projects every target; `horizonS` is the window of the failure probability. */
  predict(horizonS: number, samples = this.settings.samples): Prediction[] {
    if (!(horizonS > 0)) throw new RangeError(`predict: horizonS must be > 0, got ${horizonS}`);
    if (!Number.isInteger(samples) || samples < 10) throw new RangeError(`predict: samples must be an integer ≥ 10, got ${samples}`);
    return this.targets.map((target, k) => this.project(target, horizonS, samples, new Random(this.settings.seed + 7919 * k)));
  }

  private project(target: Target, horizonS: number, samples: number, rnd: Random): Prediction {
    const est = this.estimator;
    const mean = est.filter.mean;
    const p = est.filter.covariance;
    const n = est.model.size;
    const { zState, zRate, threshold } = target;
    const spec = target.degradation.spec;
    // Joint Gaussian of (state, rate factor): Cholesky of the 2×2 block.
    const ms = mean[zState]!;
    const vs = Math.max(0, p[zState * n + zState]!);
    const mr = zRate >= 0 ? mean[zRate]! : target.localParams[target.localRate]!;
    const vr = zRate >= 0 ? Math.max(0, p[zRate * n + zRate]!) : 0;
    const cov = zRate >= 0 ? p[zState * n + zRate]! : 0;
    const l11 = Math.sqrt(vs);
    const l21 = l11 > 0 ? cov / l11 : 0;
    const l22 = Math.sqrt(Math.max(0, vr - l21 * l21));
    if (zRate >= 0) {
      // The other parameters of the component at their posterior means.
      const theta = est.model.paramsOf(mean, this.theta);
      let j = 0;
      for (let i = 0; i < est.composed.params.length; i++) if (est.composed.params[i]!.component === target.setting.component) target.localParams[j++] = theta[i]!;
    }

    const params = target.localParams;
    const u = target.operating;
    const state = new Float64Array(1);
    const system: HybridSystem = {
      size: 1,
      derivative: (_t, y, dydt) => {
        dydt[0] = spec.rate(y[0]!, u, params);
      },
      indicatorCount: 1,
      indicators: (_t, y, g) => {
        g[0] = y[0]! - threshold;
      },
      onStateEvent: () => {
        reached = true;
      },
    };
    let reached = false;
    const maxHorizon = Math.max(this.settings.maxHorizonS, horizonS);
    const integrator = new HybridIntegrator(system, { method: "dopri5", step: maxHorizon / 4, tolerances: { rtol: 1e-6, atol: 1e-9 }, eventTolerance: 1e-3 });
    const lives = new Float64Array(samples);
    let censored = 0;
    let within = 0;
    for (let s = 0; s < samples; s++) {
      const a = rnd.gaussian();
      const b = rnd.gaussian();
      const value = ms + l11 * a;
      params[target.localRate] = Math.max(0, mr + l21 * a + l22 * b);
      let life: number;
      if (value >= threshold) {
        life = 0;
      } else {
        state[0] = value;
        reached = false;
        // A degradation only grows: the first crossing ends the path.
        const tEnd = integrator.advanceUntilEvent(0, state, maxHorizon);
        integrator.takeFired();
        life = reached ? tEnd : Infinity;
      }
      if (!Number.isFinite(life)) censored++;
      if (life <= horizonS) within++;
      lives[s] = life;
    }
    params[target.localRate] = mr;
    lives.sort();
    const q = (f: number) => lives[Math.min(samples - 1, Math.max(0, Math.round(f * (samples - 1))))]!;
    const v = est.layout.variables[zState]!;
    return {
      id: target.setting.id,
      label: target.setting.label,
      variable: v.name,
      unit: v.unit,
      threshold,
      mean: ms,
      sd: l11,
      rateFactor: mr,
      rateFactorSd: Math.sqrt(vr),
      medianS: q(0.5),
      lowS: q(0.05),
      highS: q(0.95),
      horizonS,
      failureProbability: within / samples,
      censored: censored / samples,
      samples,
    };
  }
}
