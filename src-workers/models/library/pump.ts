/**
 * Centrifugal pump with a wearing bearing, on the demo plant's physics (models/demo-cell/pump.ts): the
 * operating point on the head curve, motor current and vibration rising with wear, and wear growing faster
 * at speed, under load and the more worn the bearing is.
 *
 * State: bearing wear (0 new … 1 worn out). Estimable: `wearRateFactor`, the multiplier on the nominal wear
 * law that the twin learns from the observed wear trend (and samples when it projects remaining life).
 */
import { evaluatePump, FEED_PUMP, newPumpState, pumpFlowM3h, speedForFlowRpm, wearRate, type PumpParams, type PumpState } from "../demo-cell/pump";
import { isOn, withKnown, type ComponentDefinition, type ComponentModel, type DegradationSpec, type KnownParamSpec, type PortSpec, type VariableSpec } from "./types";

const PARAM_UNITS: Record<keyof PumpParams, string> = {
  ratedSpeedRpm: "rpm",
  shutoffHeadM: "m",
  ratedFlowM3h: "m³/h",
  ratedHeadM: "m",
  bestEfficiency: "1",
  wearHeadLoss: "1",
  staticHeadM: "m",
  lineFrictionMPerM3h2: "m/(m³/h)²",
  noLoadCurrentA: "A",
  supplyVoltageV: "V",
  powerFactor: "1",
  motorEfficiency: "1",
  bearingLossBaseW: "W",
  bearingLossWearW: "W",
  vibrationBaseMmS: "mm/s",
  vibrationWearMmS: "mm/s",
  wearRatePerS: "1/s",
};

const knownParams: Record<string, KnownParamSpec> = {
  ...Object.fromEntries(Object.entries(FEED_PUMP).map(([k, v]) => [k, { unit: PARAM_UNITS[k as keyof PumpParams], default: v }])),
  degradationSpeedup: { unit: "1", default: 1, description: "Demo speed-up of wear (the simulator's degradationSpeedup); 1 in a real plant" },
};

// Inputs, outputs, state and parameter indices.
const SPEED = 0;
const ENERGIZED = 1;
const FLOW = 0;
const HEAD = 1;
const PRESSURE = 2;
const CURRENT = 3;
const VIBRATION = 4;
const SHAFT_POWER = 5;
const LOAD = 6;
const WEAR = 0;
const WEAR_RATE_FACTOR = 0;

const STATES: readonly VariableSpec[] = [
  { name: "bearingWear", unit: "1", initial: 0.1, sigma: 0.1, processNoise: 1e-8, min: 0, max: 1, description: "0 new … 1 worn out" },
];
const PARAMS: readonly VariableSpec[] = [
  { name: "wearRateFactor", unit: "1", initial: 1, sigma: 0.5, processNoise: 1e-6, min: 0, description: "Multiplier on the nominal wear law (1: wears as rated)" },
];
const INPUTS: readonly PortSpec[] = [
  { name: "speedRpm", unit: "rpm", description: "Shaft speed" },
  { name: "energized", unit: "", type: "boolean", description: "The drive feeds the motor" },
];
const OUTPUTS: readonly PortSpec[] = [
  { name: "flowM3h", unit: "m³/h" },
  { name: "headM", unit: "m" },
  { name: "dischargePressureBar", unit: "bar" },
  { name: "motorCurrentA", unit: "A" },
  { name: "vibrationMmS", unit: "mm/s" },
  { name: "shaftPowerKw", unit: "kW" },
  { name: "loadRatio", unit: "1" },
];

/**
 * Library components are classes: instances of a type share their methods and shapes, so the hot calls of
 * the composed model stay monomorphic per type however many components exist.
 */
class CentrifugalPump implements ComponentModel {
  readonly type = "centrifugalPump";
  readonly states = STATES;
  readonly params = PARAMS;
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = true;
  readonly degradation: readonly DegradationSpec[];
  /** Scratch for the algebraic pump state, reused by every call. */
  private readonly state = newPumpState();
  private lastSpeed = Number.NaN;
  private lastWear = Number.NaN;

  constructor(
    private readonly p: PumpParams,
    private readonly speedup: number,
  ) {
    this.degradation = [
      {
        state: "bearingWear",
        rateParam: "wearRateFactor",
        threshold: 0.8,
        // Held: the flow delivered (a level loop holds the demand), or the speed when the pump delivers none.
        operatingPointSize: 2,
        operatingPoint: (x, u, _theta, out) => {
          out[0] = pumpFlowM3h(p, Math.max(0, u[SPEED]!) / p.ratedSpeedRpm, x[WEAR]!);
          out[1] = u[SPEED]!;
        },
        rate: (value, op, theta) => {
          const speed = op[0]! > 0 ? speedForFlowRpm(p, op[0]!, value) : op[1]!;
          return this.wearRateAt(speed, value, theta[WEAR_RATE_FACTOR]!);
        },
      },
    ];
  }

  derivative(_t: number, x: Float64Array, u: Float64Array, theta: Float64Array, dxdt: Float64Array): void {
    dxdt[WEAR] = this.wearRateAt(u[SPEED]!, x[WEAR]!, theta[WEAR_RATE_FACTOR]!);
  }

  output(_t: number, x: Float64Array, u: Float64Array, _theta: Float64Array, y: Float64Array): void {
    const state = this.evaluate(u[SPEED]!, x[WEAR]!, isOn(u[ENERGIZED]!));
    y[FLOW] = state.flowM3h;
    y[HEAD] = state.headM;
    y[PRESSURE] = state.dischargePressureBar;
    y[CURRENT] = state.motorCurrentA;
    y[VIBRATION] = state.vibrationMmS;
    y[SHAFT_POWER] = state.shaftPowerKw;
    y[LOAD] = state.loadRatio;
  }

  private evaluate(speedRpm: number, wear: number, energized: boolean): PumpState {
    this.lastSpeed = speedRpm;
    this.lastWear = wear;
    return evaluatePump(this.p, speedRpm, wear, energized, this.state);
  }

  /**
   * The composed model evaluates outputs right before derivatives with the same speed and wear, so the last
   * evaluation is reused when it matches (the load ratio does not depend on the drive being energized).
   */
  private wearRateAt(speedRpm: number, wear: number, factor: number): number {
    const state = speedRpm === this.lastSpeed && wear === this.lastWear ? this.state : this.evaluate(speedRpm, wear, true);
    return wearRate(this.p, speedRpm, state.loadRatio, wear, this.speedup * Math.max(0, factor));
  }
}

export const centrifugalPump: ComponentDefinition = {
  type: "centrifugalPump",
  description: "Speed-controlled centrifugal pump on a static + friction system curve, with bearing wear",
  knownParams,
  create: (known) => new CentrifugalPump(withKnown(FEED_PUMP, known), known.degradationSpeedup ?? 1),
};
