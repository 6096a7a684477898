/**
 * Indexing conveyor with one filling head (the demo's filling line, models/demo-cell/filling-conveyor.ts,
 * same parameters) as a hybrid model: belt travel and the volume in the bottle under the filler are
 * continuous states; two state events switch its discrete mode. "Arrived" (travel reaches the next stop)
 * stops the belt with an empty bottle under the filler; "full" (the bottle's volume reaches the setpoint)
 * starts indexing to the next bottle. Bottle k stands at travel − k·pitch, as in the demo class.
 *
 * The demo class steps in fixed increments and hides its travel; here the stop and the fill end are located
 * by the event scheduler (solvers/discrete-events.ts) to within its tolerance, whatever the step size.
 * The discrete mode lives in the component, so a hybrid component is simulated, not estimated.
 */
import { FILLING_LINE } from "../demo-cell/filling-conveyor";
import type { ComponentDefinition, ComponentModel, PortSpec, VariableSpec } from "./types";

const TRAVEL = 0;
const FILL = 1;
const FILL_FLOW = 0;
const FILL_SETPOINT = 1;
const ARRIVED = 0;
const FULL = 1;

const INPUTS: readonly PortSpec[] = [
  { name: "fillFlowM3h", unit: "m³/h", description: "Flow into the bottle under the filler" },
  { name: "fillVolumeSetpointL", unit: "L" },
];
const OUTPUTS: readonly PortSpec[] = [
  { name: "beltSpeedMps", unit: "m/s" },
  { name: "inPosition", unit: "", type: "boolean", description: "A bottle stands under the filler" },
  { name: "fillVolumeL", unit: "L" },
  { name: "itemsProduced", unit: "items" },
  { name: "travelM", unit: "m" },
];
const NONE: readonly VariableSpec[] = [];

class FillingConveyor implements ComponentModel {
  readonly type = "fillingConveyor";
  readonly states: readonly VariableSpec[];
  readonly params = NONE;
  readonly inputs = INPUTS;
  readonly outputs = OUTPUTS;
  readonly feedthrough = false;
  readonly indicatorCount = 2;
  /** Discrete mode: the first bottle (k = 0) stands under the filler at travel = fillerPositionM. */
  private moving = false;
  private nextBottle = 0;
  private readonly exitedAtStart: number;

  constructor(
    private readonly beltLength: number,
    private readonly filler: number,
    private readonly pitch: number,
    private readonly speed: number,
  ) {
    if (!(pitch > 0) || !(speed > 0)) throw new RangeError(`fillingConveyor: pitchM and beltSpeedMps must be > 0`);
    this.exitedAtStart = this.exitIndex(filler);
    this.states = [
      { name: "travelM", unit: "m", initial: filler, sigma: 0, processNoise: 0 },
      { name: "fillVolumeL", unit: "L", initial: 0, sigma: 0, processNoise: 0, min: 0 },
    ];
  }

  derivative(_t: number, _x: Float64Array, u: Float64Array, _p: Float64Array, dxdt: Float64Array): void {
    dxdt[TRAVEL] = this.moving ? this.speed : 0;
    // m³/h → L/s; a moving belt has no bottle under the filler (product would be spilled, not counted).
    dxdt[FILL] = this.moving ? 0 : Math.max(0, u[FILL_FLOW]!) / 3.6;
  }

  output(_t: number, x: Float64Array, _u: Float64Array, _p: Float64Array, y: Float64Array): void {
    y[0] = this.moving ? this.speed : 0;
    y[1] = this.moving ? 0 : 1;
    y[2] = x[FILL]!;
    y[3] = Math.max(0, this.exitIndex(x[TRAVEL]!) - this.exitedAtStart);
    y[4] = x[TRAVEL]!;
  }

  indicators(_t: number, x: Float64Array, u: Float64Array, _p: Float64Array, g: Float64Array): void {
    g[ARRIVED] = this.moving ? x[TRAVEL]! - (this.filler + this.nextBottle * this.pitch) : -1;
    g[FULL] = this.moving ? -1 : x[FILL]! - u[FILL_SETPOINT]!;
  }

  onStateEvent(index: number, _t: number, x: Float64Array): void {
    if (index === ARRIVED && this.moving) {
      this.moving = false;
      x[TRAVEL] = this.filler + this.nextBottle * this.pitch;
      x[FILL] = 0;
    } else if (index === FULL && !this.moving) {
      this.moving = true;
      this.nextBottle += 1;
    }
  }

  /** Lowest bottle index still on the belt: bottle k has left once travel − k·pitch > belt length. */
  private exitIndex(travel: number): number {
    return Math.ceil((travel - this.beltLength) / this.pitch - 1e-9);
  }
}

export const fillingConveyor: ComponentDefinition = {
  type: "fillingConveyor",
  description: "Indexing conveyor under a filling head: bottles as discrete items, stops and fills as state events",
  knownParams: {
    beltLengthM: { unit: "m", default: FILLING_LINE.beltLengthM },
    fillerPositionM: { unit: "m", default: FILLING_LINE.fillerPositionM },
    pitchM: { unit: "m", default: FILLING_LINE.pitchM },
    beltSpeedMps: { unit: "m/s", default: FILLING_LINE.beltSpeedMps },
  },
  create: (known) => new FillingConveyor(known.beltLengthM!, known.fillerPositionM!, known.pitchM!, known.beltSpeedMps!),
};
