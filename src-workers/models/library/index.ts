/**
 * The model library: every component type a scene's `model.type` (or an estimation setting) may name.
 */
import { fillingConveyor } from "./conveyor";
import { gate } from "./gate";
import { counterflowHeatExchanger } from "./heat-exchanger";
import { heater } from "./heater";
import { pidController } from "./pid";
import { centrifugalPump } from "./pump";
import { supplyTemperature, variableSpeedDrive } from "./sources";
import { heatedTank } from "./tank";
import type { ComponentDefinition } from "./types";
import { valve } from "./valve";

export const MODEL_LIBRARY: Readonly<Record<string, ComponentDefinition>> = Object.freeze(
  Object.fromEntries(
    [centrifugalPump, heatedTank, heater, counterflowHeatExchanger, valve, pidController, fillingConveyor, variableSpeedDrive, supplyTemperature, gate].map(
      (d) => [d.type, d],
    ),
  ),
);

export type { ComponentDefinition, ComponentModel, DegradationSpec, PortSpec, VariableSpec } from "./types";
