/** The what-if models by name (a scene's `simulation.model`). */
import { demoCellModel } from "./demo-cell-model";
import type { WhatifModel } from "./model";

const MODELS: Record<string, WhatifModel> = { "demo-cell": demoCellModel };

export function whatifModel(name: string): WhatifModel {
  const model = Object.hasOwn(MODELS, name) ? MODELS[name] : undefined;
  if (!model) throw new RangeError(`no what-if model ${JSON.stringify(name)}; known: ${Object.keys(MODELS).join(", ")}`);
  return model;
}
