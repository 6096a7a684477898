/**
 * What the what-if engine needs from a plant model: fork a simulation from a `PlantState`, and touch its
 * latent parameters, disturbances and faults by scene names. One adapter per model; see demo-cell-model.ts.
 */
import type { PlantState } from "../../src-main/common/whatif/schema";
import type { ModelCapabilities } from "../../src-main/common/whatif/validate";
import type { PlantSimulation } from "../plant/simulation-types";

/** A forked simulation the runner drives. */
export interface WhatifPlant {
  readonly sim: PlantSimulation;
  /** A reader for a signal or latent name, resolved once (the runner calls it every step). */
  reader(name: string): () => number;
  setLatent(name: string, value: number): void;
  setDisturbance(input: string, offsetK: number): void;
  /** null frees the valve; undefined sticks it where the flow stands. */
  stickValve(tag: string, value: number | null | undefined): void;
  /** null repairs the sensor; undefined freezes its last reading. */
  failSensor(tag: string, value: number | null | undefined): void;
}

export interface ForkOptions {
  /** Seed of a model built from an approximate state (no exact snapshot). */
  seed?: number;
  substepS?: number;
  /** See RunJob.fidelity. */
  fidelity?: "exact" | "fast";
  noiseSeed?: number;
  latent?: Record<string, number>;
}

export interface WhatifModel {
  readonly capabilities: ModelCapabilities & {
    /** Outputs recorded when a study names none. */
    outputs: string[];
    /** Continuous state names an estimator or historian may fill. */
    continuous: string[];
  };
  fork(state: PlantState, options: ForkOptions): WhatifPlant;
  /** The simulator's own state after running `warmupS` from its start (no twin or historian at hand). */
  simulatorState(seed: number, warmupS: number, degradationSpeedup?: number): PlantState;
}
