/**
 * Signals a twin does not model from first principles but must carry as states: a drive's shaft speed that
 * follows a command the PLC does not publish, and the temperature of a supply stream (feed water, coolant)
 * that wanders slowly around its mean. The estimator tracks them from their tags (or infers them, when no
 * tag measures them) through their process noise.
 */
import { isOn, type ComponentDefinition, type ComponentModel, type PortSpec, type VariableSpec } from "./types";

const DRIVE_INPUTS: readonly PortSpec[] = [{ name: "running", unit: "", type: "boolean", description: "The drive feeds the motor" }];
const DRIVE_OUTPUTS: readonly PortSpec[] = [{ name: "speedRpm", unit: "rpm" }];
const NO_VARIABLES: readonly VariableSpec[] = [];

/**
 * Shaft speed of a VFD-driven pump whose speed command is not observed. While the drive runs, the speed is a
 * random walk (the drive's ramps are what the process noise covers), tracked from the speed tag; when the
 * drive is off the shaft coasts down: fluid drag ∝ speed plus constant bearing and seal friction,
 * dn/dt = −n/τ − c (the demo plant's coast-down, about 4 s from 1300 rpm).
 */
class VariableSpeedDrive implements ComponentModel {
  readonly type = "variableSpeedDrive";
  readonly states: readonly VariableSpec[];
  readonly params = NO_VARIABLES;
  readonly inputs = DRIVE_INPUTS;
  readonly outputs = DRIVE_OUTPUTS;
  readonly feedthrough = false;

  constructor(
    known: Readonly<Record<string, number>>,
    private readonly tau = known.coastTauS!,
    private readonly friction = known.coastFrictionRpmPerS!,
  ) {
    if (!(tau > 0)) throw new RangeError(`variableSpeedDrive: coastTauS must be > 0, got ${tau}`);
    this.states = [
      { name: "speedRpm", unit: "rpm", initial: known.initialSpeedRpm!, sigma: 100, processNoise: known.speedNoiseRpm2PerS!, min: 0, max: known.maxSpeedRpm! },
    ];
  }

  derivative(_t: number, x: Float64Array, u: Float64Array, _p: Float64Array, dxdt: Float64Array): void {
    const n = x[0]!;
    dxdt[0] = isOn(u[0]!) || n <= 0 ? 0 : -n / this.tau - this.friction;
  }

  output(_t: number, x: Float64Array, _u: Float64Array, _p: Float64Array, y: Float64Array): void {
    y[0] = Math.max(0, x[0]!);
  }
}

export const variableSpeedDrive: ComponentDefinition = {
  type: "variableSpeedDrive",
  description: "Speed of a VFD-driven motor whose command is not observed: a random walk while running, a coast-down when off",
  knownParams: {
    initialSpeedRpm: { unit: "rpm", default: 1300 },
    maxSpeedRpm: { unit: "rpm", default: 2900 },
    speedNoiseRpm2PerS: { unit: "rpm²/s", default: 25, description: "How fast the speed may wander unobserved" },
    coastTauS: { unit: "s", default: 1.5, description: "Coast-down time constant (fluid drag)" },
    coastFrictionRpmPerS: { unit: "rpm/s", default: 50, description: "Coast-down deceleration by friction" },
  },
  create: (known) => new VariableSpeedDrive(known),
};

const SUPPLY_INPUTS: readonly PortSpec[] = [];
const SUPPLY_OUTPUTS: readonly PortSpec[] = [{ name: "temperatureC", unit: "°C" }];

/**
 * Supply temperature as an Ornstein–Uhlenbeck process: mean reversion with time constant τ, stationary
 * standard deviation σ, so the process noise intensity is 2σ²/τ.
 */
class SupplyTemperature implements ComponentModel {
  readonly type = "supplyTemperature";
  readonly states: readonly VariableSpec[];
  readonly params = NO_VARIABLES;
  readonly inputs = SUPPLY_INPUTS;
  readonly outputs = SUPPLY_OUTPUTS;
  readonly feedthrough = false;

  constructor(
    private readonly mean: number,
    private readonly tau: number,
    sd: number,
  ) {
    if (!(tau > 0)) throw new RangeError(`supplyTemperature: tauS must be > 0, got ${tau}`);
    this.states = [{ name: "temperatureC", unit: "°C", initial: mean, sigma: sd, processNoise: (2 * sd * sd) / tau }];
  }

  derivative(_t: number, x: Float64Array, _u: Float64Array, _p: Float64Array, dxdt: Float64Array): void {
    dxdt[0] = -(x[0]! - this.mean) / this.tau;
  }

  output(_t: number, x: Float64Array, _u: Float64Array, _p: Float64Array, y: Float64Array): void {
    y[0] = x[0]!;
  }
}

export const supplyTemperature: ComponentDefinition = {
  type: "supplyTemperature",
  description: "Temperature of a supply stream drifting slowly around its mean (Ornstein–Uhlenbeck)",
  knownParams: {
    meanC: { unit: "°C", default: 15 },
    tauS: { unit: "s", default: 600, description: "Correlation time of the drift" },
    sdC: { unit: "°C", default: 0.5, description: "Stationary standard deviation of the drift" },
  },
  create: (known) => new SupplyTemperature(known.meanC!, known.tauS!, known.sdC!),
};
