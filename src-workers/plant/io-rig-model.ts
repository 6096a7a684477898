/**
 * `io-rig`: a plant without physics, played from an IO list. Every sensor moves on its own slow pattern
 * inside its range (analog values on a sine, switches toggling), every actuator command is accepted and kept.
 * It lets a PLC's IO be checked out against just an IO list, and load tests serve a thousand points.
 */
import type { PlantModel, PlantModelOptions, PlantStateSpec } from "./plant-model-types";
import type { SignalSpec, SignalValue } from "./simulation-types";

/** Array sensors carry this many elements. */
const ARRAY_LENGTH = 4;

export class IoRigModel implements PlantModel {
  readonly signals: readonly SignalSpec[];
  readonly states: readonly PlantStateSpec[] = [];
  private time = 0;
  private readonly at = new Map<string, number>();
  private readonly values: Float64Array;
  private readonly arrays = new Map<string, number[]>();
  /** Per signal: phase and period of its pattern, drawn from its position so a run is reproducible. */
  private readonly phase: Float64Array;
  private readonly periodS: Float64Array;
  /** Sensors (model outputs) and how each moves, laid out once so a sample allocates nothing. */
  private readonly sensors: Int32Array;
  private readonly shape: Uint8Array;
  private readonly low: Float64Array;
  private readonly span: Float64Array;
  /** Array signals by frame index. */
  private readonly arrayAt = new Map<number, number[]>();

  constructor(options: PlantModelOptions) {
    const signals = options.signals ?? [];
    if (signals.length === 0) throw new RangeError("io-rig: needs the signals to play (the IO list); got none");
    this.signals = signals.map((s) => Object.freeze({ ...s }));
    this.values = new Float64Array(signals.length);
    this.phase = new Float64Array(signals.length);
    this.periodS = new Float64Array(signals.length);
    this.signals.forEach((s, i) => {
      if (this.at.has(s.name)) throw new RangeError(`io-rig: signal ${s.name} is listed twice`);
      this.at.set(s.name, i);
      this.phase[i] = (i * 0.618034 + options.seed * 0.1) % 1;
      this.periodS[i] = 20 + (i % 17) * 3;
      if (s.type === "DoubleArray") {
        this.values[i] = Number.NaN;
        this.arrays.set(s.name, new Array<number>(ARRAY_LENGTH).fill(0));
        this.arrayAt.set(i, this.arrays.get(s.name)!);
      }
    });
    const sensors = this.signals.flatMap((s, i) => (s.direction === "output" ? [i] : []));
    this.sensors = Int32Array.from(sensors);
    this.shape = Uint8Array.from(sensors, (i) => SHAPE[this.signals[i]!.type]);
    this.low = Float64Array.from(sensors, (i) => (this.signals[i]!.range ?? [0, 100])[0]);
    this.span = Float64Array.from(sensors, (i) => {
      const [lo, hi] = this.signals[i]!.range ?? [0, 100];
      return hi - lo;
    });
    this.sample();
  }

  get timeS(): number {
    return this.time;
  }

  step(dtS: number): void {
    if (!Number.isFinite(dtS) || dtS < 0) throw new RangeError(`step: dtS must be a finite number ≥ 0, got ${dtS}`);
    this.time += dtS;
    this.sample();
  }

  read(name: string): SignalValue {
    const i = this.at.get(name);
    if (i === undefined) throw new RangeError(`read ${JSON.stringify(name)}: unknown signal`);
    const s = this.signals[i]!;
    if (s.type === "DoubleArray") return [...this.arrays.get(name)!];
    const v = this.values[i]!;
    return s.type === "Boolean" ? v !== 0 : v;
  }

  write(name: string, value: SignalValue): void {
    const i = this.at.get(name);
    if (i === undefined) throw new RangeError(`write ${JSON.stringify(name)}: unknown signal`);
    const s = this.signals[i]!;
    if (s.direction !== "input") throw new RangeError(`write ${name}: is a sensor (read-only)`);
    if (s.type === "DoubleArray") {
      if (!Array.isArray(value)) throw new RangeError(`write ${name}: expected a DoubleArray`);
      const copy = [...value];
      this.arrays.set(name, copy);
      this.arrayAt.set(i, copy);
      return;
    }
    if (s.type === "Boolean" ? typeof value !== "boolean" : typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`write ${name} = ${String(value)}: expected a ${s.type}`);
    }
    this.values[i] = typeof value === "boolean" ? (value ? 1 : 0) : (value as number);
  }

  frameScalars(): Float64Array {
    return this.values;
  }

  copyArray(index: number, target: Float64Array, offset: number, capacity: number): number {
    const array = this.arrayAt.get(index);
    if (!array) return 0;
    const n = Math.min(array.length, capacity);
    for (let k = 0; k < n; k++) target[offset + k] = array[k]!;
    return n;
  }

  setState(name: string): void {
    throw new RangeError(`set state ${JSON.stringify(name)}: the io-rig plant has no states`);
  }

  /** Every sensor on its pattern at the present time; allocation-free (it runs every plant cycle). */
  private sample(): void {
    const t = this.time;
    for (let k = 0; k < this.sensors.length; k++) {
      const i = this.sensors[k]!;
      const lo = this.low[k]!;
      const span = this.span[k]!;
      const wave = 0.5 + 0.4 * Math.sin(2 * Math.PI * (t / this.periodS[i]! + this.phase[i]!));
      switch (this.shape[k]) {
        case SWITCH:
          this.values[i] = wave > 0.5 ? 1 : 0;
          break;
        case COUNT:
          this.values[i] = Math.round(lo + span * wave);
          break;
        case ARRAY: {
          const array = this.arrayAt.get(i)!;
          for (let e = 0; e < array.length; e++) array[e] = lo + (span * (wave + e)) / (array.length + 1);
          break;
        }
        default:
          this.values[i] = lo + span * wave;
      }
    }
  }
}

const [ANALOG, SWITCH, COUNT, ARRAY] = [0, 1, 2, 3] as const;
const SHAPE: Record<SignalSpec["type"], number> = { Double: ANALOG, Boolean: SWITCH, Int32: COUNT, UInt32: COUNT, DoubleArray: ARRAY };
