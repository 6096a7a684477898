/**
 * Counter-flow heat exchanger rated by effectiveness–NTU with a fouling resistance in series, on the demo
 * plant's physics (models/demo-cell/heat-exchanger.ts), with its measurement dynamics: the product outlet
 * sensor sits behind a line volume (washout with the product flow), the coolant outlet reading lags its
 * holdup, and the coolant flow follows its setpoint through the flow controller's lag.
 *
 * States: fouling resistance (grows, faster with hotter product), the two outlet sensor temperatures, the
 * coolant flow. Estimable: `foulingRateFactor`, the multiplier on the nominal fouling law.
 */
import {
  evaluateHeatExchanger,
  foulingRate,
  newHeatExchangerState,
  PRODUCT_COOLER,
  type HeatExchangerParams,
  type HeatExchangerState,
} from "../demo-cell/heat-exchanger";
import { withKnown, type ComponentDefinition, type ComponentModel, type DegradationSpec, type KnownParamSpec, type PortSpec, type VariableSpec } from "./types";

const UNITS: Record<keyof HeatExchangerParams, string> = {
  uaCleanKwPerK: "kW/K",
  coolantInletC: "°C",
  productLineVolumeM3: "m³",
  coolantOutLagS: "s",
  coolantFlowLagS: "s",
  foulingRatePerS: "m²K/kW/s",
  foulingTemperatureScaleK: "K",
};

const knownParams: Record<string, KnownParamSpec> = {
  ...Object.fromEntries(Object.entries(PRODUCT_COOLER).map(([k, v]) => [k, { unit: UNITS[k as keyof HeatExchangerParams], default: v }])),
  degradationSpeedup: { unit: "1", default: 1, description: "Demo speed-up of fouling (the simulator's degradationSpeedup); 1 in a real plant" },
};

// States.
const FOULING = 0;
const PRODUCT_OUT = 1;
const COOLANT_OUT = 2;
const COOLANT_FLOW = 3;
// Inputs.
const PRODUCT_IN = 0;
const PRODUCT_FLOW = 1;
const COOLANT_IN = 2;
const COOLANT_SETPOINT = 3;
const FOULING_RATE_FACTOR = 0;

const PARAMS: readonly VariableSpec[] = [
  { name: "foulingRateFactor", unit: "1", initial: 1, sigma: 0.5, processNoise: 1e-6, min: 0, description: "Multiplier on the nominal fouling law (1: fouls as rated)" },
];
const INPUTS: readonly PortSpec[] = [
  { name: "productInC", unit: "°C" },
  { name: "productFlowM3h", unit: "m³/h" },
  { name: "coolantInC", unit: "°C" },
  { name: "coolantFlowSetpointM3h", unit: "m³/h" },
];
const OUTPUTS: readonly PortSpec[] = [
  { name: "productOutC", unit: "°C" },
  { name: "coolantOutC", unit: "°C" },
  { name: "coolantFlowM3h", unit: "m³/h" },
  { name: "dutyKw", unit: "kW" },
  { name: "uaKwPerK", unit: "kW/K" },
];

/** A class, like every library component (see CentrifugalPump). */
class CounterflowHeatExchanger implements ComponentModel {
  readonly type = "counterflowHeatExchanger";
  readonly states: readonly VariableSpec[];
  readonly params = PARAMS;
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = true;
  readonly degradation: readonly DegradationSpec[];
  /** The rating of the last evaluation and its arguments: derivative() follows output() with the same values. */
  private readonly rating = newHeatExchangerState();
  private readonly last = new Float64Array(5).fill(Number.NaN);

  constructor(
    private readonly p: HeatExchangerParams,
    private readonly speedup: number,
  ) {
    this.states = [
      { name: "foulingResistance", unit: "m²K/kW", initial: 0.02, sigma: 0.05, processNoise: 1e-10, min: 0 },
      { name: "productOutC", unit: "°C", initial: 20, sigma: 5, processNoise: 1e-4, description: "At the outlet sensor" },
      { name: "coolantOutC", unit: "°C", initial: p.coolantInletC, sigma: 5, processNoise: 1e-3, description: "At the outlet sensor" },
      { name: "coolantFlowM3h", unit: "m³/h", initial: 6, sigma: 0.5, processNoise: 1e-5, min: 0 },
    ];
    this.degradation = [
      {
        state: "foulingResistance",
        rateParam: "foulingRateFactor",
        threshold: 0.3,
        // Held: the product inlet temperature (the tank's temperature loop holds it at its setpoint).
        operatingPointSize: 1,
        operatingPoint: (_x, u, _theta, out) => {
          out[0] = u[PRODUCT_IN]!;
        },
        rate: (_value, op, theta) => foulingRate(p, op[0]!, speedup * Math.max(0, theta[FOULING_RATE_FACTOR]!)),
      },
    ];
  }

  derivative(_t: number, x: Float64Array, u: Float64Array, theta: Float64Array, dxdt: Float64Array): void {
    const p = this.p;
    const productM3h = Math.max(0, u[PRODUCT_FLOW]!);
    const rating = this.rate(x[FOULING]!, u[PRODUCT_IN]!, productM3h, u[COOLANT_IN]!, x[COOLANT_FLOW]!);
    dxdt[FOULING] = foulingRate(p, u[PRODUCT_IN]!, this.speedup * Math.max(0, theta[FOULING_RATE_FACTOR]!));
    // Plug-flow washout of the line to the sensor; with no flow the sensor keeps what stands in the line.
    dxdt[PRODUCT_OUT] = ((productM3h / 3600) * (rating.productOutC - x[PRODUCT_OUT]!)) / p.productLineVolumeM3;
    dxdt[COOLANT_OUT] = (rating.coolantOutC - x[COOLANT_OUT]!) / p.coolantOutLagS;
    dxdt[COOLANT_FLOW] = (Math.max(0, u[COOLANT_SETPOINT]!) - x[COOLANT_FLOW]!) / p.coolantFlowLagS;
  }

  output(_t: number, x: Float64Array, u: Float64Array, _theta: Float64Array, y: Float64Array): void {
    const rating = this.rate(x[FOULING]!, u[PRODUCT_IN]!, Math.max(0, u[PRODUCT_FLOW]!), u[COOLANT_IN]!, x[COOLANT_FLOW]!);
    y[0] = x[PRODUCT_OUT]!;
    y[1] = x[COOLANT_OUT]!;
    y[2] = x[COOLANT_FLOW]!;
    y[3] = rating.dutyKw;
    y[4] = rating.uaKwPerK;
  }

  private rate(rf: number, productIn: number, productM3h: number, coolantIn: number, coolantM3h: number): HeatExchangerState {
    const last = this.last;
    if (rf === last[0] && productIn === last[1] && productM3h === last[2] && coolantIn === last[3] && coolantM3h === last[4]) return this.rating;
    last[0] = rf;
    last[1] = productIn;
    last[2] = productM3h;
    last[3] = coolantIn;
    last[4] = coolantM3h;
    return evaluateHeatExchanger(this.p, rf, productIn, productM3h, coolantIn, coolantM3h, this.rating);
  }
}

export const counterflowHeatExchanger: ComponentDefinition = {
  type: "counterflowHeatExchanger",
  description: "Counter-flow plate heat exchanger (ε-NTU) with fouling, outlet sensor lags and a coolant flow loop",
  knownParams,
  create: (known) => new CounterflowHeatExchanger(withKnown(PRODUCT_COOLER, known), known.degradationSpeedup ?? 1),
};
