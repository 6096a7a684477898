/**
 * A plant model for virtual commissioning: the plant alone, without its control program. Actuator commands
 * are its inputs, sensors its outputs; a PLC (the soft PLC or a real one) closes the loops from outside.
 * Pure types, no threads.
 */
import type { PlantSimulation, SignalSpec, SimulationOptions } from "./simulation-types";

/** A plant state a test may set directly (a tank's level, a temperature), to reach a situation quickly. */
export interface PlantStateSpec {
  name: string;
  unit?: string;
  /** Values the state accepts. */
  range: [number, number];
  description?: string;
}

export interface PlantModel extends PlantSimulation {
  readonly states: readonly PlantStateSpec[];
  /** Sets a plant state. Throws a RangeError naming the state for an unknown name or a value out of range. */
  setState(name: string, value: number): void;
  /**
   * Optional allocation-free frame access for the plant clock (its cycle must not feed the garbage collector):
   * every signal's value in frame order (Booleans 0/1, arrays NaN), the model's own buffer, only read.
   */
  frameScalars?(): Float64Array;
  /** Optional with frameScalars: copies array signal `index` into `target` from `offset`, at most `capacity` elements; returns how many. */
  copyArray?(index: number, target: Float64Array, offset: number, capacity: number): number;
}

export interface PlantModelOptions extends SimulationOptions {
  /**
   * The signals to play, for models that take them from the IO list (`io-rig`): its inputs are the IO list's
   * sensors (model outputs) and its outputs the actuators (model inputs).
   */
  signals?: SignalSpec[];
}
