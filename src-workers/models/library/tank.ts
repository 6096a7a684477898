/**
 * Heated, well-mixed tank on the demo plant's balances (models/demo-cell/tank.ts): level from the mass
 * balance, temperature from the energy balance with feed mixing, heater power and wall loss. Flows in m³/h
 * at the ports (the unit of the flow tags), m³/s inside the balances.
 */
import { BUFFER_TANK, levelRate, temperatureRate, type TankParams } from "../demo-cell/tank";
import { withKnown, type ComponentDefinition, type ComponentModel, type KnownParamSpec, type PortSpec, type VariableSpec } from "./types";

const UNITS: Record<keyof TankParams, string> = {
  areaM2: "m²",
  heightM: "m",
  maxHeaterKw: "kW",
  lossUaKwPerK: "kW/K",
  minVolumeM3: "m³",
  highHighM: "m",
  outletMinLevelM: "m",
  heaterMinLevelM: "m",
};

const knownParams: Record<string, KnownParamSpec> = Object.fromEntries(
  Object.entries(BUFFER_TANK).map(([k, v]) => [k, { unit: UNITS[k as keyof TankParams], default: v }]),
);

const LEVEL = 0;
const TEMPERATURE = 1;
const INFLOW = 0;
const OUTFLOW = 1;
const FEED_TEMPERATURE = 2;
const HEATER = 3;
const AMBIENT = 4;

const INPUTS: readonly PortSpec[] = [
  { name: "inflowM3h", unit: "m³/h" },
  { name: "outflowM3h", unit: "m³/h" },
  { name: "feedTemperatureC", unit: "°C" },
  { name: "heaterKw", unit: "kW" },
  { name: "ambientC", unit: "°C" },
];
const OUTPUTS: readonly PortSpec[] = [
  { name: "levelM", unit: "m" },
  { name: "temperatureC", unit: "°C" },
  { name: "volumeM3", unit: "m³" },
];

/** A class, like every library component (see CentrifugalPump). */
class HeatedTank implements ComponentModel {
  readonly type = "heatedTank";
  readonly states: readonly VariableSpec[];
  readonly params: readonly VariableSpec[] = [];
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = false;

  constructor(private readonly p: TankParams) {
    this.states = [
      { name: "levelM", unit: "m", initial: 1.2, sigma: 0.05, processNoise: 1e-9, min: 0, max: p.heightM },
      { name: "temperatureC", unit: "°C", initial: 55, sigma: 1, processNoise: 1e-6 },
    ];
  }

  derivative(_t: number, x: Float64Array, u: Float64Array, _p: Float64Array, dxdt: Float64Array): void {
    const inflow = u[INFLOW]! / 3600;
    dxdt[LEVEL] = levelRate(this.p, x[LEVEL]!, inflow, u[OUTFLOW]! / 3600);
    dxdt[TEMPERATURE] = temperatureRate(this.p, x[LEVEL]!, x[TEMPERATURE]!, inflow, u[FEED_TEMPERATURE]!, u[HEATER]!, u[AMBIENT]!);
  }

  output(_t: number, x: Float64Array, _u: Float64Array, _p: Float64Array, y: Float64Array): void {
    y[0] = x[LEVEL]!;
    y[1] = x[TEMPERATURE]!;
    y[2] = this.p.areaM2 * x[LEVEL]!;
  }
}

export const heatedTank: ComponentDefinition = {
  type: "heatedTank",
  description: "Vertical well-mixed tank with an immersed heater: mass and energy balance",
  knownParams,
  create: (known) => new HeatedTank(withKnown(BUFFER_TANK, known)),
};
