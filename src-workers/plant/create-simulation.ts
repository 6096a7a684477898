/**
 * The built-in plant simulations by model name (a scene's `simulation.model`).
 */
import { DemoCellSimulation } from "../models/demo-cell/demo-cell-simulation";
import type { PlantSimulation, SimulationOptions } from "./simulation-types";

const MODELS: Record<string, (options: SimulationOptions) => PlantSimulation> = {
  "demo-cell": (options) => new DemoCellSimulation(options),
};

/** Names of the models `createSimulation` knows. */
export const SIMULATION_MODELS: readonly string[] = Object.keys(MODELS);

/** Creates the named simulation; throws an Error naming the unknown model and the known ones. */
export function createSimulation(options: SimulationOptions): PlantSimulation {
  const factory = Object.hasOwn(MODELS, options.model) ? MODELS[options.model] : undefined;
  if (!factory) {
    throw new Error(`unknown simulation model ${JSON.stringify(options.model)}; known models: ${SIMULATION_MODELS.join(", ")}`);
  }
  return factory(options);
}
