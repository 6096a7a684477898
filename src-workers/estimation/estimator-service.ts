/**
 * The estimator worker's API as a plain class (testable without threads; estimator.worker.ts only exposes
 * it): the estimator core, the residual and PCA anomaly detectors fed with its normalised innovations, and
 * the prognosis fed with its operating points. Each step returns a frame packed for the trip between threads.
 */
import { ResidualMonitor } from "./anomaly";
import type { EstimateFrame, EstimatorInfo, EstimatorWorkerApi, HealthTarget, PredictionReport, PredictionRequest } from "./api";
import type { EstimatorConfig } from "./config";
import { Estimator } from "./estimator";
import { PcaMonitor } from "./pca";
import { Prognosis } from "./prognosis";

interface Running {
  estimator: Estimator;
  residuals: ResidualMonitor;
  pca: PcaMonitor;
  prognosis: Prognosis;
  health: HealthTarget[];
  healthIndex: Int32Array;
  z: Float64Array;
  /** The activeWhen tag's slot in the value vector and the values that enable the detectors (slot -1: always). */
  activeSlot: number;
  activeValues: readonly number[];
  settleS: number;
  detecting: boolean;
}

export class EstimatorService implements EstimatorWorkerApi {
  private run: Running | null = null;
  /** Alarms are not reported up to this time (an operator action's transient); detectors keep running. */
  private holdUntil = -Infinity;

  init(config: EstimatorConfig): EstimatorInfo {
    const estimator = new Estimator(config);
    const c = estimator.config;
    const tags = estimator.layout.measuredTags;
    const prognosis = new Prognosis(estimator, c.prognosis);
    const health: HealthTarget[] = c.prognosis.targets.map((t) => {
      const d = estimator.composed.degradations.find((x) => x.component === t.component && x.spec.state === t.state)!;
      return { id: t.id, label: t.label, component: t.component, variable: `${t.component}.${t.state}`, threshold: t.threshold ?? d.spec.threshold };
    });
    const activeWhen = c.anomaly.activeWhen;
    const activeSlot = activeWhen ? estimator.layout.tags.indexOf(activeWhen.tag) : -1;
    if (activeWhen && activeSlot < 0) {
      throw new RangeError(`anomaly.activeWhen: tag ${activeWhen.tag} is not fed to the estimator; its tags are: ${estimator.layout.tags.join(", ")}`);
    }
    this.holdUntil = -Infinity;
    this.run = {
      estimator,
      residuals: new ResidualMonitor(tags, c.anomaly),
      pca: new PcaMonitor(tags, c.anomaly.pca),
      prognosis,
      health,
      healthIndex: Int32Array.from(health, (h) => estimator.indexOf(h.variable)),
      z: new Float64Array(tags.length),
      activeSlot,
      activeValues: activeWhen?.values ?? [],
      settleS: c.anomaly.settleS,
      detecting: true,
    };
    return { ...structuredClone(estimator.layout), health: health.map((h) => ({ ...h })) };
  }

  step(t: number, values: Float64Array, mask: Uint8Array): EstimateFrame {
    const run = this.require("step");
    const started = performance.now();
    const { estimator, z } = run;
    estimator.step(t, values, mask);
    const filterUs = (performance.now() - started) * 1000;
    const report = estimator.filter.report;
    for (let i = 0; i < z.length; i++) z[i] = report.innovation[i]! / Math.sqrt(report.innovationVariance[i]!);
    const detecting = run.activeSlot < 0 || (mask[run.activeSlot] !== 0 && run.activeValues.includes(values[run.activeSlot]!));
    if (detecting && !run.detecting) this.holdAlarms(t + run.settleS);
    if (!detecting && run.detecting) run.residuals.reset();
    run.detecting = detecting;
    if (detecting) {
      run.residuals.update(t, z, report.nis, report.dof);
      run.pca.update(t, z);
    }
    run.prognosis.observe();

    const n = estimator.model.size;
    const mean = Float64Array.from(estimator.filter.mean);
    const sd = estimator.sd(new Float64Array(n));
    const health = Float64Array.from(run.health, (h, k) => {
      const value = mean[run.healthIndex[k]!]!;
      return Math.min(1, Math.max(0, 1 - value / h.threshold));
    });
    const dof = report.dof;
    return {
      timeS: t,
      mean,
      sd,
      innovation: Float64Array.from(report.innovation),
      innovationSd: Float64Array.from(report.innovationVariance, Math.sqrt),
      nis: report.nis,
      nisDof: dof,
      nisLow: estimator.nisLow[dof]!,
      nisHigh: estimator.nisHigh[dof]!,
      health,
      alarms: !detecting || t <= this.holdUntil ? [] : [...run.residuals.active(), ...run.pca.active()],
      pcaPhase: run.pca.state,
      filterUs,
      stepUs: (performance.now() - started) * 1000,
      covarianceRepairs: report.repairs,
      jitter: report.jitter,
    };
  }

  /**
   * Holds alarm reporting until `untilS` (simulated/plant seconds). The runtime calls it when the plant is moved
   * on purpose (an approved setpoint write, a start or stop): the model does not know the PLC's commands, so
   * the first seconds of such a transient look anomalous. The detectors keep running; an anomaly still
   * present when the hold ends is reported then, with the time it was raised.
   */
  holdAlarms(untilS: number): void {
    if (!Number.isFinite(untilS)) throw new RangeError(`holdAlarms: expected a finite time, got ${untilS}`);
    this.holdUntil = Math.max(this.holdUntil, untilS);
  }

  predict(request: PredictionRequest = {}): PredictionReport {
    const run = this.require("predict");
    const started = performance.now();
    const predictions = run.prognosis.predict(request.horizonS ?? 86400, request.samples);
    return { timeS: run.estimator.time, predictions, computeMs: performance.now() - started };
  }

  private require(what: string): Running {
    if (!this.run) throw new Error(`estimator ${what}: not initialised; call init(config) first`);
    return this.run;
  }
}
