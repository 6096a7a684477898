/**
 * The demo cell's PLC program for the soft PLC: the same program as in the embedded simulation (control.ts:
 * start/stop sequence, high-level interlock, level and temperature PID loops, filling sequence), wrapped with
 * what a program needs once its IO travels over a network:
 *
 * - a handshake with the conveyor's index drive (the command is held until the belt reports it runs, and the
 *   sequence does not take the old "in position" for the new bottle meanwhile);
 * - sensor quality: a Bad reading is never taken as a value (the high-high switch fails safe, to "high");
 * - a step watchdog: a fill or index step that outlasts three times its expected time, or whose sensor turns
 *   Bad, or a lost IO link, raises a sequence fault that closes the valve and stops the cell. The fault is
 *   served as `cell.sequenceFault` / `cell.faultCode` and clears on the next start command.
 */
import { CellController, CellState, DEMO_CELL_CONTROL, FillStep, type PlcCommands, type PlcInputs } from "../../../src-workers/models/demo-cell/control";
import { FILLING_LINE } from "../../../src-workers/models/demo-cell/filling-conveyor";
import { checkWrite, DEMO_CELL_INPUT_DEFAULTS, DEMO_CELL_SIGNALS } from "../../../src-workers/models/demo-cell/signals";
import type { SignalSpec, SignalValue } from "../../../src-workers/plant/simulation-types";
import type { Defect } from "./defects";
import { designOperatingPoint } from "./operating-point";
import type { ControlProgram, ExtraTag, InputReading } from "./program";

/** `cell.faultCode` values. */
export const SequenceFault = {
  None: 0,
  /** The bottle did not reach its volume in time (flowmeter stuck, valve blocked). */
  FillTimeout: 1,
  /** The filler flowmeter reported Bad quality while filling. */
  FillMeterFailed: 2,
  /** The next bottle did not arrive in time (belt stopped, sensor stuck). */
  IndexTimeout: 3,
  /** The in-position sensor or the belt speed reported Bad quality while indexing. */
  ConveyorSensorFailed: 4,
  /** The PLC lost its IO link to the plant. */
  IoLinkLost: 5,
} as const;

/** A step may take this many times its expected duration before the watchdog raises a fault. */
const WATCHDOG_FACTOR = 3;
const NOMINAL_FILL_LPS = (FILLING_LINE.fillFlowM3h * 1000) / 3600;
const INDEX_TIMEOUT_S = (WATCHDOG_FACTOR * FILLING_LINE.pitchM) / FILLING_LINE.beltSpeedMps;
/** Below this belt speed the belt counts as standing. */
const BELT_MOVING_MPS = 0.005;

const HMI_NAMES = [
  "cell.state", "cell.heartbeat", "cell.interlockActive", "cell.startCommand", "cell.stopCommand", "feedPump.tripped",
  "bufferTank.levelSetpoint", "bufferTank.temperatureSetpoint", "heatExchanger.coolantFlowSetpoint", "fillingStation.fillVolumeSetpoint",
];
/** The outputs the program drives, as they are before its first scan. */
const OUTPUTS_AT_REST: Record<string, SignalValue> = {
  "feedPump.runCommand": false,
  "feedPump.speedCommand": 0,
  "bufferTank.heaterCommand": 0,
  "heatExchanger.coolantFlowCommand": 0,
  "fillingStation.fillValveCommand": false,
  "fillingStation.indexCommand": false,
};
const EXTRA_TAGS: ExtraTag[] = [
  { name: "cell.sequenceFault", dataType: "Boolean", path: "Cell.SequenceFault", description: "A sequence step failed (watchdog or sensor quality); clears on the next start" },
  { name: "cell.faultCode", dataType: "Int32", path: "Cell.FaultCode", description: "0 none, 1 fill timeout, 2 fill meter failed, 3 index timeout, 4 conveyor sensor failed, 5 IO link lost" },
];

export class DemoCellProgram implements ControlProgram {
  readonly hmiSignals: readonly SignalSpec[] = [
    ...HMI_NAMES.map((n) => DEMO_CELL_SIGNALS.find((s) => s.name === n)!),
    { name: "cell.sequenceFault", type: "Boolean", direction: "output" },
    { name: "cell.faultCode", type: "Int32", direction: "output", range: [0, 5] },
  ];
  readonly extraTags = EXTRA_TAGS;
  readonly outputs = Object.keys(OUTPUTS_AT_REST);
  private readonly controller: CellController;
  private readonly commands: PlcCommands = {
    startCommand: false,
    stopCommand: false,
    levelSetpointM: DEMO_CELL_INPUT_DEFAULTS["bufferTank.levelSetpoint"],
    temperatureSetpointC: DEMO_CELL_INPUT_DEFAULTS["bufferTank.temperatureSetpoint"],
    fillVolumeSetpointL: DEMO_CELL_INPUT_DEFAULTS["fillingStation.fillVolumeSetpoint"],
    coolantFlowSetpointM3h: DEMO_CELL_INPUT_DEFAULTS["heatExchanger.coolantFlowSetpoint"],
  };
  private readonly image: PlcInputs = { levelM: 0, levelHighHighSwitch: false, temperatureC: 0, conveyorInPosition: false, conveyorMoving: false, fillVolumeL: 0 };
  private readonly out = new Map<string, SignalValue>(Object.entries(OUTPUTS_AT_REST));
  /** LSHH-201 is wired to the program. */
  private readonly highHighWired: boolean;
  /** An index command was issued and the belt has not reported running yet. */
  private indexPending = false;
  private fault: number = SequenceFault.None;
  private stepTimerS = 0;
  private lastStep: FillStep = FillStep.Idle;

  constructor(private readonly defect?: Defect) {
    // DEFECT missing-high-level-interlock: the trip level is never reached and the LSHH-201 switch is not
    // wired into the program, so nothing stops the feed pump on a high-high level.
    const missingInterlock = defect === "missing-high-level-interlock";
    this.highHighWired = !missingInterlock;
    this.controller = new CellController(missingInterlock ? { ...DEMO_CELL_CONTROL, interlockTripM: Number.POSITIVE_INFINITY } : DEMO_CELL_CONTROL);
  }

  /**
   * With the tank above the start level (the start sequence would pass to Running in its first scan anyway), a
   * warm start in Running with the loops at the design operating point: started cold, the level loop begins at
   * the pump's minimum speed, below the speed that lifts against the feed line's static head, and the cell runs
   * minutes without feed (see operating-point.ts). Below the start level (or without a Good level): the start
   * command, and the start sequence fills the tank first.
   */
  startCell(read: (tag: string) => InputReading): void {
    const img = this.readImage(read);
    const c = this.commands;
    if (!(img.levelM > this.controller.params.startLevelM) || !(img.temperatureC > 0) || img.levelHighHighSwitch) {
      c.startCommand = true;
      return;
    }
    const point = designOperatingPoint(c.fillVolumeSetpointL, c.temperatureSetpointC);
    // Bumpless: the loops track these outputs and the present readings, and trim from there.
    this.controller.warmStart({ state: CellState.Running, pumpSpeedRpm: point.pumpSpeedRpm, heaterKw: point.heaterKw, indexing: img.conveyorMoving }, img, c);
    this.fault = SequenceFault.None;
  }

  scan(dtS: number, read: (tag: string) => InputReading, linkUp: boolean): void {
    const img = this.readImage(read);
    const fillVolume = read("fillingStation.fillVolume");
    const inPosition = read("fillingStation.inPosition");
    const belt = read("fillingStation.beltSpeed");

    // Index handshake: until the belt reports running, the old bottle must not count as the new one.
    if (this.indexPending && img.conveyorMoving) this.indexPending = false;
    if (this.indexPending) {
      img.conveyorInPosition = false;
      img.conveyorMoving = true;
    }

    if (this.commands.startCommand) this.fault = SequenceFault.None;
    this.supervise(dtS, linkUp, fillVolume.good, inPosition.good && belt.good);
    if (this.fault !== SequenceFault.None) {
      // The failed step gives up: the bottle counts as done (it is rejected), the index as finished.
      if (this.controller.fillSequenceStep === FillStep.Filling) img.fillVolumeL = Number.POSITIVE_INFINITY;
      if (this.controller.fillSequenceStep === FillStep.Indexing) {
        img.conveyorInPosition = true;
        img.conveyorMoving = false;
        this.indexPending = false;
      }
    }

    const o = this.controller.scan(dtS, img, this.commands);
    if (o.conveyorIndex) this.indexPending = true;
    const out = this.out;
    out.set("feedPump.runCommand", o.pumpRun);
    out.set("feedPump.speedCommand", o.pumpRun ? o.pumpSpeedRpm : 0);
    out.set("bufferTank.heaterCommand", o.heaterKw);
    out.set("heatExchanger.coolantFlowCommand", o.coolantFlowM3h);
    out.set("fillingStation.fillValveCommand", o.fillValveOpen && this.fault === SequenceFault.None);
    out.set("fillingStation.indexCommand", this.indexPending);
  }

  /** The input image from the readings: a Bad reading is never taken as a value. */
  private readImage(read: (tag: string) => InputReading): PlcInputs {
    const highHigh = read("bufferTank.levelHighHigh");
    const inPosition = read("fillingStation.inPosition");
    const belt = read("fillingStation.beltSpeed");
    const img = this.image;
    img.levelM = analog(read("bufferTank.level"));
    // A de-energise-to-trip switch: a broken wire (Bad) reads as high-high.
    img.levelHighHighSwitch = this.highHighWired && (highHigh.good ? highHigh.value === true : true);
    img.temperatureC = analog(read("bufferTank.temperature"));
    img.conveyorInPosition = inPosition.good && inPosition.value === true;
    img.conveyorMoving = belt.good && analog(belt) > BELT_MOVING_MPS;
    img.fillVolumeL = analog(read("fillingStation.fillVolume"));
    return img;
  }

  /** The step watchdog and sensor-quality checks of the filling sequence; raises at most one fault. */
  private supervise(dtS: number, linkUp: boolean, fillMeterGood: boolean, conveyorSensorsGood: boolean): void {
    // DEFECT hang-on-failed-sensor: without this supervision a step waits for its sensor for ever.
    if (this.defect === "hang-on-failed-sensor") return;
    const step = this.controller.fillSequenceStep;
    this.stepTimerS = step === this.lastStep ? this.stepTimerS + dtS : 0;
    this.lastStep = step;
    const active = this.controller.cellState !== CellState.Stopped;
    if (!active || this.fault !== SequenceFault.None) return;
    if (!linkUp) return this.raise(SequenceFault.IoLinkLost);
    if (step === FillStep.Filling) {
      const expectedS = this.commands.fillVolumeSetpointL / NOMINAL_FILL_LPS;
      if (!fillMeterGood) this.raise(SequenceFault.FillMeterFailed);
      else if (this.stepTimerS > WATCHDOG_FACTOR * expectedS) this.raise(SequenceFault.FillTimeout);
    } else if (step === FillStep.Indexing) {
      if (!conveyorSensorsGood) this.raise(SequenceFault.ConveyorSensorFailed);
      else if (this.stepTimerS > INDEX_TIMEOUT_S) this.raise(SequenceFault.IndexTimeout);
    }
  }

  private raise(code: number): void {
    this.fault = code;
    // A stop command, as an operator would give it: the cell finishes (the failed step gives up) and stops.
    this.commands.stopCommand = true;
  }

  output(tag: string): SignalValue | undefined {
    return this.out.get(tag);
  }

  hmi(name: string): SignalValue {
    const o = this.controller.outputs;
    const c = this.commands;
    switch (name) {
      case "cell.state": return o.state;
      case "cell.heartbeat": return o.heartbeat;
      case "cell.interlockActive": return o.interlockActive;
      case "feedPump.tripped": return o.pumpTripped;
      case "cell.startCommand": return c.startCommand;
      case "cell.stopCommand": return c.stopCommand;
      case "bufferTank.levelSetpoint": return c.levelSetpointM;
      case "bufferTank.temperatureSetpoint": return c.temperatureSetpointC;
      case "heatExchanger.coolantFlowSetpoint": return c.coolantFlowSetpointM3h;
      case "fillingStation.fillVolumeSetpoint": return c.fillVolumeSetpointL;
      case "cell.sequenceFault": return this.fault !== SequenceFault.None;
      case "cell.faultCode": return this.fault;
      default: throw new RangeError(`${name}: not an HMI tag of the demo-cell program`);
    }
  }

  writeHmi(name: string, value: SignalValue): void {
    checkWrite(this.hmiSignals, name, value);
    const c = this.commands;
    switch (name) {
      case "cell.startCommand": c.startCommand = value as boolean; break;
      case "cell.stopCommand": c.stopCommand = value as boolean; break;
      case "bufferTank.levelSetpoint": c.levelSetpointM = value as number; break;
      case "bufferTank.temperatureSetpoint": c.temperatureSetpointC = value as number; break;
      case "heatExchanger.coolantFlowSetpoint": c.coolantFlowSetpointM3h = value as number; break;
      case "fillingStation.fillVolumeSetpoint": c.fillVolumeSetpointL = value as number; break;
    }
  }
}

/** A Good analog reading, or NaN (the controller's filters hold their last value on NaN). */
function analog(r: InputReading): number {
  return r.good && typeof r.value === "number" ? r.value : Number.NaN;
}
