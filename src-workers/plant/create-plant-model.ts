/**
 * The plant models for virtual commissioning by name (a scene's `simulation.model`): the plant alone,
 * without its control program. A scene without a model of its own is played by `io-rig` from its IO list.
 */
import { DemoCellPlantModel } from "../models/demo-cell/plant-model";
import { IoRigModel } from "./io-rig-model";
import type { PlantModel, PlantModelOptions } from "./plant-model-types";

const MODELS: Record<string, (options: PlantModelOptions) => PlantModel> = {
  "demo-cell": (options) => new DemoCellPlantModel(options),
  "io-rig": (options) => new IoRigModel(options),
};

/** Names of the plant models `createPlantModel` knows. */
export const PLANT_MODELS: readonly string[] = Object.keys(MODELS);

/** Creates the named plant model; throws an Error naming the unknown model and the known ones. */
export function createPlantModel(options: PlantModelOptions): PlantModel {
  const factory = Object.hasOwn(MODELS, options.model) ? MODELS[options.model] : undefined;
  if (!factory) throw new Error(`unknown plant model ${JSON.stringify(options.model)}; known plant models: ${PLANT_MODELS.join(", ")}`);
  return factory(options);
}
