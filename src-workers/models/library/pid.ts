/**
 * PI controller in continuous time, with the same conditional-integration anti-windup as the PLC's block
 * (models/demo-cell/pid.ts): the integral stops while the output is saturated and the error pushes further.
 * The PLC's `Pid` class keeps its integral inside the object and steps in scan cycles; a composed model needs
 * the integral in the state vector (the estimator and the solvers own the state), hence this formulation of
 * the same law. Ports carry the loop's units, so they are declared `*` (any unit; compose checks types only).
 */
import type { PidConfig } from "../demo-cell/pid";
import { clamp, type ComponentDefinition, type ComponentModel, type PortSpec, type VariableSpec } from "./types";

const SETPOINT = 0;
const MEASUREMENT = 1;
const INPUTS: readonly PortSpec[] = [
  { name: "setpoint", unit: "*" },
  { name: "measurement", unit: "*" },
];
const OUTPUTS: readonly PortSpec[] = [{ name: "output", unit: "*" }];
const NONE: readonly VariableSpec[] = [];

class PidController implements ComponentModel {
  readonly type = "pidController";
  readonly states: readonly VariableSpec[];
  readonly params = NONE;
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = true;
  private readonly sign: number;

  constructor(
    private readonly config: PidConfig,
    initialOutput: number,
  ) {
    if (!(config.kp >= 0) || !(config.tiS >= 0) || !(config.outMin < config.outMax)) {
      throw new RangeError(`pidController: need kp ≥ 0, tiS ≥ 0 and outMin < outMax, got ${JSON.stringify(config)}`);
    }
    this.sign = config.reverse ? -1 : 1;
    this.states = [{ name: "integral", unit: "*", initial: initialOutput, sigma: 1, processNoise: 0 }];
  }

  derivative(_t: number, x: Float64Array, u: Float64Array, _p: Float64Array, dxdt: Float64Array): void {
    const c = this.config;
    if (c.tiS <= 0) {
      dxdt[0] = 0;
      return;
    }
    const e = this.error(u);
    const unsaturated = c.kp * e + x[0]!;
    const windingUp = (unsaturated > c.outMax && e > 0) || (unsaturated < c.outMin && e < 0);
    dxdt[0] = windingUp ? 0 : (c.kp * e) / c.tiS;
  }

  output(_t: number, x: Float64Array, u: Float64Array, _p: Float64Array, y: Float64Array): void {
    const c = this.config;
    y[0] = clamp(c.kp * this.error(u) + x[0]!, c.outMin, c.outMax);
  }

  private error(u: Float64Array): number {
    return this.sign * (u[SETPOINT]! - u[MEASUREMENT]!);
  }
}

export const pidController: ComponentDefinition = {
  type: "pidController",
  description: "PI controller with clamped output and conditional-integration anti-windup",
  knownParams: {
    kp: { unit: "*", default: 1, description: "Output units per unit of error" },
    tiS: { unit: "s", default: 60, description: "Integral time; 0 turns the integral off" },
    outMin: { unit: "*", default: 0 },
    outMax: { unit: "*", default: 100 },
    reverse: { unit: "1", default: 0, description: "1: output rises when the measurement rises above the setpoint" },
    initialOutput: { unit: "*", default: 0, description: "Integral at start (bumpless start at this output)" },
  },
  create: (known) =>
    new PidController({ kp: known.kp!, tiS: known.tiS!, outMin: known.outMin!, outMax: known.outMax!, reverse: known.reverse === 1 }, known.initialOutput!),
};
