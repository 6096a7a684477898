/**
 * Data-driven anomaly detection: principal component analysis learnt from a window of normal operation,
 * with Hotelling's T² (variation inside the learnt subspace, beyond its normal size) and the squared
 * prediction error SPE/Q (variation outside it: a broken correlation). Limits: T² by its large-sample χ²(a)
 * form (the F form converges to it for the thousands of samples learnt); SPE by Box's approximation
 * g·χ²(h) with g = θ₂/θ₁, h = θ₁²/θ₂ from the discarded eigenvalues. An alarm needs `count` exceedances in
 * the last `window` samples, so isolated exceedances (α per sample by construction) do not alarm.
 *
 * The estimator feeds it the normalised innovations: the residual of the twin's model, not the raw
 * measurements, so slow disturbances that the model follows (a drifting supply temperature) are not
 * anomalies, while a new pattern in the residuals is.
 */
import { chiSquareQuantile } from "./chi-square";
import { topShares, type AnomalyAlarm } from "./anomaly";

export interface PcaSettings {
  enabled: boolean;
  warmupS: number;
  trainingS: number;
  varianceFraction: number;
  alpha: number;
  window: number;
  count: number;
}

export type PcaPhase = "warmup" | "training" | "monitoring" | "off";

/** A learnt PCA model (standardisation, loadings, eigenvalues, limits). */
export interface PcaModel {
  mean: Float64Array;
  scale: Float64Array;
  /** Loadings, p × a row-major (column k is component k). */
  loadings: Float64Array;
  eigenvalues: Float64Array;
  components: number;
  t2Limit: number;
  speLimit: number;
}

/** Learns a PCA model from `rows` samples of `p` features (row-major). */
export function learnPca(data: Float64Array, rows: number, p: number, varianceFraction: number, alpha: number): PcaModel {
  if (rows < p + 2) throw new RangeError(`PCA: need more samples than features (${rows} samples, ${p} features)`);
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let r = 0; r < rows; r++) for (let j = 0; j < p; j++) mean[j] = mean[j]! + data[r * p + j]! / rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < p; j++) scale[j] = scale[j]! + (data[r * p + j]! - mean[j]!) ** 2 / (rows - 1);
  // A constant feature carries no information; unit scale keeps it out of the way instead of dividing by 0.
  for (let j = 0; j < p; j++) scale[j] = scale[j]! > 1e-24 ? Math.sqrt(scale[j]!) : 1;
  const cov = new Float64Array(p * p);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < p; i++) {
      const xi = (data[r * p + i]! - mean[i]!) / scale[i]!;
      for (let j = 0; j <= i; j++) cov[i * p + j] = cov[i * p + j]! + (xi * (data[r * p + j]! - mean[j]!)) / scale[j]! / (rows - 1);
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) cov[j * p + i] = cov[i * p + j]!;
  const { values, vectors } = symmetricEigen(cov, p);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  let a = 0;
  let acc = 0;
  while (a < p - 1 && acc < varianceFraction * total) acc += Math.max(0, values[a++]!);
  a = Math.max(1, a);
  const loadings = new Float64Array(p * a);
  for (let j = 0; j < p; j++) for (let k = 0; k < a; k++) loadings[j * a + k] = vectors[j * p + k]!;
  let theta1 = 0;
  let theta2 = 0;
  for (let k = a; k < p; k++) {
    const l = Math.max(0, values[k]!);
    theta1 += l;
    theta2 += l * l;
  }
  const speLimit = theta1 > 0 && theta2 > 0 ? (theta2 / theta1) * chiSquareQuantile(1 - alpha, (theta1 * theta1) / theta2) : Infinity;
  return {
    mean,
    scale,
    loadings,
    eigenvalues: Float64Array.from(values.subarray(0, a), (v) => Math.max(v, 1e-12)),
    components: a,
    t2Limit: chiSquareQuantile(1 - alpha, a),
    speLimit,
  };
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations; values descending, vectors as columns. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y]! - m[x * n + x]!);
  const values = Float64Array.from(order, (i) => m[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/** Learns from the first window of normal operation, then monitors; allocation-free per sample once monitoring. */
export class PcaMonitor {
  private phase: PcaPhase;
  private start = Number.NaN;
  private data = new Float64Array(0);
  private rows = 0;
  private model: PcaModel | null = null;
  private readonly p: number;
  private readonly x: Float64Array;
  private readonly scores: Float64Array;
  private readonly contribT2: Float64Array;
  private readonly contribSpe: Float64Array;
  /** Exceedance history (ring buffers) and the running contributions of exceeding samples. */
  private readonly ringT2: Uint8Array;
  private readonly ringSpe: Uint8Array;
  private ringPos = 0;
  private countT2 = 0;
  private countSpe = 0;
  private readonly sumT2: Float64Array;
  private readonly sumSpe: Float64Array;
  private sinceT2 = Number.NaN;
  private sinceSpe = Number.NaN;
  t2 = Number.NaN;
  spe = Number.NaN;

  constructor(
    readonly tags: readonly string[],
    readonly settings: PcaSettings,
  ) {
    this.p = tags.length;
    this.phase = settings.enabled && this.p >= 2 ? "warmup" : "off";
    this.x = new Float64Array(this.p);
    this.scores = new Float64Array(this.p);
    this.contribT2 = new Float64Array(this.p);
    this.contribSpe = new Float64Array(this.p);
    this.ringT2 = new Uint8Array(settings.window);
    this.ringSpe = new Uint8Array(settings.window);
    this.sumT2 = new Float64Array(this.p);
    this.sumSpe = new Float64Array(this.p);
  }

  get state(): PcaPhase {
    return this.phase;
  }

  get learnt(): PcaModel | null {
    return this.model;
  }

  /** Feeds one feature vector (NaN = missing, taken as the learnt mean). */
  update(t: number, features: Float64Array): void {
    if (this.phase === "off") return;
    if (Number.isNaN(this.start)) this.start = t;
    const age = t - this.start;
    if (this.phase === "warmup") {
      if (age < this.settings.warmupS) return;
      this.phase = "training";
    }
    if (this.phase === "training") {
      this.collect(features);
      if (age >= this.settings.warmupS + this.settings.trainingS && this.rows > this.p + 2) {
        this.model = learnPca(this.data, this.rows, this.p, this.settings.varianceFraction, this.settings.alpha);
        this.data = new Float64Array(0);
        this.phase = "monitoring";
      }
      return;
    }
    this.monitor(t, features);
  }

  active(): AnomalyAlarm[] {
    const out: AnomalyAlarm[] = [];
    const m = this.model;
    if (!m) return out;
    if (!Number.isNaN(this.sinceT2)) {
      out.push({
        id: "pca-t2",
        detector: "pca-t2",
        message: "residuals vary beyond what was learnt in normal operation (Hotelling T²)",
        tags: topShares(this.tags, this.sumT2, 3),
        sinceS: this.sinceT2,
        statistic: this.t2,
        limit: m.t2Limit,
      });
    }
    if (!Number.isNaN(this.sinceSpe)) {
      out.push({
        id: "pca-spe",
        detector: "pca-spe",
        message: "residuals break the correlations learnt in normal operation (SPE / Q)",
        tags: topShares(this.tags, this.sumSpe, 3),
        sinceS: this.sinceSpe,
        statistic: this.spe,
        limit: m.speLimit,
      });
    }
    return out;
  }

  private collect(features: Float64Array): void {
    const p = this.p;
    if ((this.rows + 1) * p > this.data.length) {
      const bigger = new Float64Array(Math.max(1024 * p, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    for (let j = 0; j < p; j++) {
      const v = features[j]!;
      this.data[this.rows * p + j] = Number.isFinite(v) ? v : 0;
    }
    this.rows++;
  }

  private monitor(t: number, features: Float64Array): void {
    const m = this.model!;
    const { p, x, scores, contribT2, contribSpe } = this;
    const a = m.components;
    for (let j = 0; j < p; j++) {
      const v = features[j]!;
      x[j] = Number.isFinite(v) ? (v - m.mean[j]!) / m.scale[j]! : 0;
    }
    let t2 = 0;
    for (let k = 0; k < a; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += m.loadings[j * a + k]! * x[j]!;
      scores[k] = s;
      t2 += (s * s) / m.eigenvalues[k]!;
    }
    let spe = 0;
    for (let j = 0; j < p; j++) {
      let fit = 0;
      let c = 0;
      for (let k = 0; k < a; k++) {
        fit += m.loadings[j * a + k]! * scores[k]!;
        c += (m.loadings[j * a + k]! * scores[k]!) / m.eigenvalues[k]!;
      }
      const e = x[j]! - fit;
      contribSpe[j] = e * e;
      spe += e * e;
      // Variable j's part of T² (Σ over j equals T²); negative parts are cancellation, not contribution.
      contribT2[j] = Math.max(0, x[j]! * c);
    }
    this.t2 = t2;
    this.spe = spe;
    const overT2 = t2 > m.t2Limit ? 1 : 0;
    const overSpe = spe > m.speLimit ? 1 : 0;
    const pos = this.ringPos;
    this.countT2 += overT2 - this.ringT2[pos]!;
    this.countSpe += overSpe - this.ringSpe[pos]!;
    this.ringT2[pos] = overT2;
    this.ringSpe[pos] = overSpe;
    this.ringPos = (pos + 1) % this.ringT2.length;
    // Contributions of exceeding samples, decayed so the naming follows the present fault.
    for (let j = 0; j < p; j++) {
      this.sumT2[j] = 0.9 * this.sumT2[j]! + (overT2 ? contribT2[j]! : 0);
      this.sumSpe[j] = 0.9 * this.sumSpe[j]! + (overSpe ? contribSpe[j]! : 0);
    }
    const need = this.settings.count;
    if (this.countT2 >= need && Number.isNaN(this.sinceT2)) this.sinceT2 = t;
    else if (this.countT2 === 0) this.sinceT2 = Number.NaN;
    if (this.countSpe >= need && Number.isNaN(this.sinceSpe)) this.sinceSpe = t;
    else if (this.countSpe === 0) this.sinceSpe = Number.NaN;
  }
}
