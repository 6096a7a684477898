/**
 * A gate: passes its value while enabled, 0 otherwise. Models a PLC output that the sequence forces to 0
 * while a unit is off (the demo's coolant flow target is its setpoint unless the cell is stopped). `enable`
 * is real so that a state code can drive it (on from 0.5: any state but 0).
 */
import type { ComponentDefinition, ComponentModel, PortSpec, VariableSpec } from "./types";

const INPUTS: readonly PortSpec[] = [
  { name: "value", unit: "*" },
  { name: "enable", unit: "", description: "On from 0.5 (a Boolean, or a state code where 0 is off)" },
];
const OUTPUTS: readonly PortSpec[] = [{ name: "output", unit: "*" }];
const NONE: readonly VariableSpec[] = [];

class Gate implements ComponentModel {
  readonly type = "gate";
  readonly states = NONE;
  readonly params = NONE;
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = true;

  derivative(): void {}

  output(_t: number, _x: Float64Array, u: Float64Array, _p: Float64Array, y: Float64Array): void {
    y[0] = u[1]! >= 0.5 ? u[0]! : 0;
  }
}

export const gate: ComponentDefinition = {
  type: "gate",
  description: "Passes a value while enabled, 0 otherwise",
  knownParams: {},
  create: () => new Gate(),
};
