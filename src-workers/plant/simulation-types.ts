/**
 * What a plant simulation offers to whoever serves it (the simulated PLC, later the commissioning plant
 * server): a list of signals, a step, and typed reads and writes. Pure types, no threads.
 */

export type SignalValue = number | boolean | number[];
export type SignalType = "Double" | "Int32" | "UInt32" | "Boolean" | "DoubleArray";

export interface SignalSpec {
  /** Tag id in the scene, `<asset id>.<tag key>`, e.g. `bufferTank.level`. Hidden truth: `truth.<name>`. */
  name: string;
  type: SignalType;
  /** `output`: computed by the simulation (sensors, states). `input`: written from outside (setpoints, commands). */
  direction: "output" | "input";
  unit?: string;
  /** Valid range of an input; the expected range of an output. */
  range?: [number, number];
  /** Ground truth of a latent quantity: served for testing the estimator, never bound as a measurement. */
  hidden?: boolean;
  description?: string;
}

export interface PlantSimulation {
  readonly signals: readonly SignalSpec[];
  /** Simulated seconds since start. */
  readonly timeS: number;
  /** Advances control logic and physics by `dtS` simulated seconds. */
  step(dtS: number): void;
  read(name: string): SignalValue;
  /** Sets an input. Throws a RangeError naming the signal for an unknown name, an output, a wrong type or a value out of range. */
  write(name: string, value: SignalValue): void;
}

/** One frame of all signal values, packed for transfer between threads. */
export interface SimulationFrame {
  timeS: number;
  /** Every non-array signal in `signals` order (Booleans as 0/1); arrays hold NaN here. */
  scalars: Float64Array;
  /** Array signals by name. */
  arrays: Record<string, Float64Array>;
}

export interface SimulationOptions {
  /** Model name, e.g. `demo-cell`. */
  model: string;
  seed: number;
  /** Multiplies the speed of slow degradation (wear, fouling) so a demo shows it within minutes. */
  degradationSpeedup?: number;
}

/** What plant.worker.ts exposes through comlink (the plain class behind it is testable without threads). */
export interface SimulationWorkerApi {
  /** Creates the simulation; returns its signals (the order of `SimulationFrame.scalars`). */
  init(options: SimulationOptions): SignalSpec[] | Promise<SignalSpec[]>;
  /** Advances by `dtS` simulated seconds and returns every signal's value. */
  step(dtS: number): SimulationFrame | Promise<SimulationFrame>;
  /** Sets an input; rejects with the RangeError's message for a bad name, type or value. */
  write(name: string, value: SignalValue): void | Promise<void>;
  /** Current frame without stepping. */
  frame(): SimulationFrame | Promise<SimulationFrame>;
}
