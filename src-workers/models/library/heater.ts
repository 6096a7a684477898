/**
 * Electric heater with a power limit: delivers the demanded power between 0 and its rating while enabled.
 * (The demo's heater element is inside the tank; the tank's energy balance takes this power.)
 */
import { BUFFER_TANK } from "../demo-cell/tank";
import { clamp, isOn, type ComponentDefinition, type ComponentModel, type PortSpec, type VariableSpec } from "./types";

const INPUTS: readonly PortSpec[] = [
  { name: "demandKw", unit: "kW" },
  { name: "enabled", unit: "", type: "boolean" },
];
const OUTPUTS: readonly PortSpec[] = [{ name: "powerKw", unit: "kW" }];
const NONE: readonly VariableSpec[] = [];

class Heater implements ComponentModel {
  readonly type = "heater";
  readonly states = NONE;
  readonly params = NONE;
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = true;

  constructor(private readonly maxKw: number) {}

  derivative(): void {}

  output(_t: number, _x: Float64Array, u: Float64Array, _p: Float64Array, y: Float64Array): void {
    y[0] = isOn(u[1]!) ? clamp(u[0]!, 0, this.maxKw) : 0;
  }
}

export const heater: ComponentDefinition = {
  type: "heater",
  description: "Power-limited electric heater",
  knownParams: {
    maxKw: { unit: "kW", default: BUFFER_TANK.maxHeaterKw },
  },
  create: (known) => new Heater(known.maxKw!),
};
