/**
 * Flow-controlled valve on a tank outlet (the demo's filling head): delivers `opening` × its rated flow while
 * the outlet nozzle is covered, nothing otherwise. The opening is a real fraction so that an on/off command
 * sampled at the loop rate can be interpolated between samples (a switch somewhere in the interval then
 * counts half, the unbiased guess) instead of jumping at an integrator stage.
 */
import { FILLING_LINE } from "../demo-cell/filling-conveyor";
import { BUFFER_TANK } from "../demo-cell/tank";
import { clamp, type ComponentDefinition, type ComponentModel, type PortSpec, type VariableSpec } from "./types";

const INPUTS: readonly PortSpec[] = [
  { name: "opening", unit: "1", description: "0 closed … 1 open (a Boolean command as 0/1)" },
  { name: "upstreamLevelM", unit: "m" },
];
const OUTPUTS: readonly PortSpec[] = [{ name: "flowM3h", unit: "m³/h" }];
const NONE: readonly VariableSpec[] = [];

class Valve implements ComponentModel {
  readonly type = "valve";
  readonly states = NONE;
  readonly params = NONE;
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = true;

  constructor(
    private readonly ratedFlowM3h: number,
    private readonly minUpstreamLevelM: number,
  ) {}

  derivative(): void {}

  output(_t: number, _x: Float64Array, u: Float64Array, _p: Float64Array, y: Float64Array): void {
    y[0] = u[1]! > this.minUpstreamLevelM ? this.ratedFlowM3h * clamp(u[0]!, 0, 1) : 0;
  }
}

export const valve: ComponentDefinition = {
  type: "valve",
  description: "Flow-controlled valve drawing from a tank outlet",
  knownParams: {
    ratedFlowM3h: { unit: "m³/h", default: FILLING_LINE.fillFlowM3h },
    minUpstreamLevelM: { unit: "m", default: BUFFER_TANK.outletMinLevelM, description: "Below this level the outlet draws air" },
  },
  create: (known) => new Valve(known.ratedFlowM3h!, known.minUpstreamLevelM!),
};
