/**
 * KPIs of one run, accumulated step by step as the run goes (nothing is kept per step). Values are read
 * after each step and held over it (right rectangle rule), matching what a historian of the run would show.
 */
import type { Kpi } from "../../src-main/common/whatif/schema";

type Reader = () => number;

const UINT32 = 2 ** 32;

interface Accumulator {
  start(): void;
  /** After a step of dtS seconds that ended at tS. */
  update(tS: number, dtS: number): void;
  finish(horizonS: number): number;
}

export class KpiMeter {
  private readonly parts: Accumulator[];

  constructor(kpis: readonly Kpi[], reader: (name: string) => Reader, horizonS: number) {
    this.parts = kpis.map((k) => accumulator(k, reader, horizonS));
  }

  start(): void {
    for (const p of this.parts) p.start();
  }

  update(tS: number, dtS: number): void {
    const parts = this.parts;
    for (let i = 0; i < parts.length; i++) parts[i]!.update(tS, dtS);
  }

  finish(horizonS: number): Float64Array {
    return Float64Array.from(this.parts, (p) => p.finish(horizonS));
  }
}

function accumulator(kpi: Kpi, reader: (name: string) => Reader, horizonS: number): Accumulator {
  switch (kpi.kind) {
    case "rate": {
      const read = reader(kpi.tag);
      let first = 0;
      let last = 0;
      return {
        start: () => (first = last = read()),
        update: () => (last = read()),
        finish: (h) => {
          // A UInt32 counter may wrap once during a run.
          const diff = last - first;
          return ((diff < 0 ? diff + UINT32 : diff) / h) * 3600;
        },
      };
    }
    case "integral": {
      const terms = kpi.terms.map((t) => ({ read: reader(t.tag), scale: t.scale }));
      let sum = 0;
      return {
        start: () => (sum = 0),
        update: (_t, dt) => {
          let v = 0;
          for (let i = 0; i < terms.length; i++) v += terms[i]!.scale * terms[i]!.read();
          sum += v * dt;
        },
        finish: () => sum / 3600,
      };
    }
    case "deviation": {
      const read = reader(kpi.tag);
      let sum = 0;
      return {
        start: () => (sum = 0),
        update: (_t, dt) => (sum += Math.max(0, Math.abs(read() - kpi.target) - kpi.tolerance) * dt),
        finish: (h) => sum / h,
      };
    }
    case "violation": {
      const read = reader(kpi.tag);
      const lo = kpi.min ?? -Infinity;
      const hi = kpi.max ?? Infinity;
      let seconds = 0;
      return {
        start: () => (seconds = 0),
        update: (_t, dt) => {
          const v = read();
          if (v < lo || v > hi) seconds += dt;
        },
        finish: () => seconds / 60,
      };
    }
    case "increase": {
      const read = reader(kpi.tag);
      let first = 0;
      let last = 0;
      return {
        start: () => (first = last = read()),
        update: () => (last = read()),
        finish: () => last - first,
      };
    }
    case "timeToThreshold": {
      const terms = kpi.terms.map((t) => new ThresholdWatch(reader(t.tag), t.threshold, horizonS));
      return {
        start: () => terms.forEach((t) => t.start()),
        update: (t) => {
          for (let i = 0; i < terms.length; i++) terms[i]!.update(t);
        },
        finish: () => Math.min(kpi.capH, ...terms.map((w) => w.hoursUntil())),
      };
    }
  }
}

/** When a rising quantity reaches its threshold: seen in the run, or extrapolated from the last quarter of it. */
class ThresholdWatch {
  private crossedS: number | null = null;
  private lastS = 0;
  private last = 0;
  /** The slope is taken from the first reading at or after 3/4 of the run to the end. */
  private anchorS: number | null = null;
  private anchor = 0;

  constructor(
    private readonly read: Reader,
    private readonly threshold: number,
    private readonly horizonS: number,
  ) {}

  start(): void {
    this.last = this.read();
    this.lastS = 0;
    this.crossedS = this.last >= this.threshold ? 0 : null;
    this.anchorS = null;
  }

  update(tS: number): void {
    const v = this.read();
    if (this.crossedS === null && v >= this.threshold) {
      // Linear interpolation inside the step.
      const f = v === this.last ? 1 : (this.threshold - this.last) / (v - this.last);
      this.crossedS = this.lastS + f * (tS - this.lastS);
    }
    if (this.anchorS === null && tS >= 0.75 * this.horizonS) {
      this.anchorS = tS;
      this.anchor = v;
    }
    this.lastS = tS;
    this.last = v;
  }

  hoursUntil(): number {
    if (this.crossedS !== null) return this.crossedS / 3600;
    if (this.anchorS === null) return Infinity;
    const span = this.lastS - this.anchorS;
    const slope = span > 0 ? (this.last - this.anchor) / span : 0;
    if (!(slope > 0)) return Infinity;
    return (this.lastS + (this.threshold - this.last) / slope) / 3600;
  }
}
