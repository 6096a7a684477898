/**
 * The cell's PLC program: start/stop sequence, high-level interlock, level and temperature loops and the
 * filling sequence. It knows the plant only through its input image (sensors), the operator tags and its
 * output image (actuator commands), never through the physics, so plant and control can later run in
 * separate processes with the images travelling over a fieldbus or OPC UA.
 */
import { Pid } from "./pid";

/** `cell.state` values. */
export const CellState = { Stopped: 0, Starting: 1, Running: 2, Stopping: 3, Tripped: 4 } as const;
export type CellState = (typeof CellState)[keyof typeof CellState];

/** Steps of the filling sequence. */
export const FillStep = { Idle: 0, Indexing: 1, Filling: 2 } as const;
export type FillStep = (typeof FillStep)[keyof typeof FillStep];

/** PLC input image: what the field devices report. */
export interface PlcInputs {
  /** Level transmitter LT-201, m. */
  levelM: number;
  /** Independent high-high level switch LSHH-201. */
  levelHighHighSwitch: boolean;
  /** Temperature transmitter TT-201, °C. */
  temperatureC: number;
  /** Indexer reports a bottle standing under the filler. */
  conveyorInPosition: boolean;
  conveyorMoving: boolean;
  /** Filler flowmeter: litres into the bottle under the filler. */
  fillVolumeL: number;
}

/** Operator tags the PLC reads (written over OPC UA). Start/stop are pulses the PLC resets after acting. */
export interface PlcCommands {
  startCommand: boolean;
  stopCommand: boolean;
  levelSetpointM: number;
  temperatureSetpointC: number;
  fillVolumeSetpointL: number;
  coolantFlowSetpointM3h: number;
}

/** PLC output image: actuator commands and status tags. */
export interface PlcOutputs {
  state: CellState;
  /** Increments every scan; wraps like a UInt32. */
  heartbeat: number;
  interlockActive: boolean;
  pumpRun: boolean;
  pumpTripped: boolean;
  pumpSpeedRpm: number;
  heaterKw: number;
  fillValveOpen: boolean;
  /** One-scan pulse: index the conveyor to the next bottle. */
  conveyorIndex: boolean;
  coolantFlowM3h: number;
}

export interface ControlParams {
  interlockTripM: number;
  interlockResetM: number;
  startLevelM: number;
  startTimeoutS: number;
  startSpeedRpm: number;
  pumpMinSpeedRpm: number;
  pumpMaxSpeedRpm: number;
  heaterMaxKw: number;
  /** Heater element must be covered. */
  heaterMinLevelM: number;
  /** Filling only starts a bottle above this level. */
  fillMinLevelM: number;
  /** Transmitter filters in front of the PIDs, seconds. */
  levelFilterS: number;
  temperatureFilterS: number;
  levelKpRpmPerM: number;
  levelTiS: number;
  temperatureKpKwPerK: number;
  temperatureTiS: number;
}

export const DEMO_CELL_CONTROL: ControlParams = {
  interlockTripM: 2.2,
  interlockResetM: 1.9,
  startLevelM: 0.5,
  startTimeoutS: 300,
  startSpeedRpm: 2400,
  // A VFD-driven centrifugal pump is not run below ~20 % speed (cooling, bearings).
  pumpMinSpeedRpm: 600,
  pumpMaxSpeedRpm: 2900,
  heaterMaxKw: 60,
  heaterMinLevelM: 0.3,
  fillMinLevelM: 0.1,
  levelFilterS: 1,
  temperatureFilterS: 5,
  // The tank integrates flow: ~5e-6 m/s per rpm near the working point, so Kp 6000 gives ~30 s closed loop.
  levelKpRpmPerM: 6000,
  levelTiS: 120,
  // 2.4 m³ of water per 60 kW: an integrating process of ~1e7 J/K; Kp 40 kW/K gives ~250 s, damping ~0.8.
  temperatureKpKwPerK: 40,
  temperatureTiS: 600,
};

/** Where to start the program: a cold start (stopped) or a warm start in a running plant. */
export interface WarmStart {
  state: CellState;
  pumpSpeedRpm: number;
  heaterKw: number;
  /** The conveyor is already moving to a bottle. */
  indexing: boolean;
}

export class CellController {
  readonly outputs: PlcOutputs = {
    state: CellState.Stopped,
    heartbeat: 0,
    interlockActive: false,
    pumpRun: false,
    pumpTripped: false,
    pumpSpeedRpm: 0,
    heaterKw: 0,
    fillValveOpen: false,
    conveyorIndex: false,
    coolantFlowM3h: 0,
  };
  private state: CellState = CellState.Stopped;
  /** State to return to when the interlock resets. */
  private resumeState: CellState = CellState.Stopped;
  private prevStart = false;
  private prevStop = false;
  private startTimerS = 0;
  private fillStep: FillStep = FillStep.Idle;
  /** The bottle under the filler has been filled (it must be indexed away, not filled again). */
  private bottleDone = false;
  private interlock = false;
  private levelFiltered = Number.NaN;
  private temperatureFiltered = Number.NaN;
  private readonly levelPid: Pid;
  private readonly temperaturePid: Pid;

  constructor(readonly params: ControlParams = DEMO_CELL_CONTROL) {
    this.levelPid = new Pid({
      kp: params.levelKpRpmPerM,
      tiS: params.levelTiS,
      outMin: params.pumpMinSpeedRpm,
      outMax: params.pumpMaxSpeedRpm,
    });
    this.temperaturePid = new Pid({
      kp: params.temperatureKpKwPerK,
      tiS: params.temperatureTiS,
      outMin: 0,
      outMax: params.heaterMaxKw,
    });
  }

  get cellState(): CellState {
    return this.state;
  }
  get fillSequenceStep(): FillStep {
    return this.fillStep;
  }

  /** Starts the program as if it had been running: loops initialised bumplessly at the given outputs. */
  warmStart(start: WarmStart, inputs: PlcInputs, commands: PlcCommands): void {
    this.state = start.state;
    this.resumeState = start.state;
    this.levelFiltered = inputs.levelM;
    this.temperatureFiltered = inputs.temperatureC;
    this.levelPid.track(start.pumpSpeedRpm, commands.levelSetpointM, inputs.levelM);
    this.temperaturePid.track(start.heaterKw, commands.temperatureSetpointC, inputs.temperatureC);
    this.fillStep = start.indexing ? FillStep.Indexing : FillStep.Idle;
    this.bottleDone = false;
    const o = this.outputs;
    const active = start.state !== CellState.Stopped;
    o.state = start.state;
    o.pumpRun = active && start.pumpSpeedRpm > 0;
    o.pumpSpeedRpm = o.pumpRun ? start.pumpSpeedRpm : 0;
    o.heaterKw = active ? start.heaterKw : 0;
    o.coolantFlowM3h = active ? commands.coolantFlowSetpointM3h : 0;
    o.fillValveOpen = false;
    o.conveyorIndex = false;
  }

  /**
   * One PLC scan of dtS seconds: reads the images, writes `outputs` (and resets a start/stop command it acted on).
   * Allocation-free.
   */
  scan(dtS: number, inputs: PlcInputs, commands: PlcCommands): PlcOutputs {
    const p = this.params;
    const o = this.outputs;
    o.heartbeat = (o.heartbeat + 1) >>> 0;
    o.conveyorIndex = false;

    this.levelFiltered = lowPass(this.levelFiltered, inputs.levelM, dtS, p.levelFilterS);
    this.temperatureFiltered = lowPass(this.temperatureFiltered, inputs.temperatureC, dtS, p.temperatureFilterS);

    // Commands act on a rising edge; the PLC then resets the bit so the next write of `true` is a new edge.
    const startEdge = commands.startCommand && !this.prevStart;
    const stopEdge = commands.stopCommand && !this.prevStop;
    if (startEdge) commands.startCommand = false;
    if (stopEdge) commands.stopCommand = false;
    this.prevStart = commands.startCommand;
    this.prevStop = commands.stopCommand;

    // The interlock trips on the unfiltered transmitter or the independent switch (either one: a stuck
    // transmitter must not prevent the trip), and resets only when both agree the level is low again, the
    // transmitter's raw and filtered readings both below the reset level so that noise does not reset it early.
    if (!this.interlock && (inputs.levelHighHighSwitch || inputs.levelM >= p.interlockTripM)) {
      this.interlock = true;
    } else if (
      this.interlock &&
      !inputs.levelHighHighSwitch &&
      inputs.levelM < p.interlockResetM &&
      this.levelFiltered < p.interlockResetM
    ) {
      this.interlock = false;
    }

    if (stopEdge) this.onStop();
    else if (startEdge) this.onStart();

    if (this.interlock && (this.state === CellState.Starting || this.state === CellState.Running || this.state === CellState.Stopping)) {
      this.resumeState = this.state;
      this.state = CellState.Tripped;
    } else if (!this.interlock && this.state === CellState.Tripped) {
      this.state = this.resumeState;
    }

    if (this.state === CellState.Starting) {
      this.startTimerS += dtS;
      if (inputs.levelM > p.startLevelM || this.startTimerS >= p.startTimeoutS) this.state = CellState.Running;
    }

    // What the filling line does follows the sequence; while tripped it carries on as before the trip, since
    // drawing product is what brings the level back down.
    const mode = this.state === CellState.Tripped ? this.resumeState : this.state;
    this.runFilling(mode, inputs, commands);
    if (this.fillStep === FillStep.Idle && !inputs.conveyorMoving) {
      if (this.state === CellState.Stopping) this.state = CellState.Stopped;
      else if (this.state === CellState.Tripped && this.resumeState === CellState.Stopping) this.state = CellState.Stopped;
    }

    this.runPump(dtS, commands);
    this.runHeater(dtS, inputs, commands);
    o.coolantFlowM3h = this.state === CellState.Stopped ? 0 : commands.coolantFlowSetpointM3h;
    o.state = this.state;
    o.interlockActive = this.interlock;
    return o;
  }

  private onStop(): void {
    switch (this.state) {
      case CellState.Starting:
        this.state = CellState.Stopped;
        break;
      case CellState.Running:
        this.state = CellState.Stopping;
        break;
      case CellState.Tripped:
        if (this.resumeState === CellState.Starting) this.state = CellState.Stopped;
        else if (this.resumeState === CellState.Running) this.resumeState = CellState.Stopping;
        break;
      default:
        break;
    }
  }

  private onStart(): void {
    switch (this.state) {
      case CellState.Stopped:
        this.state = CellState.Starting;
        this.startTimerS = 0;
        break;
      case CellState.Stopping:
        this.state = CellState.Running;
        break;
      case CellState.Tripped:
        if (this.resumeState === CellState.Stopping) this.resumeState = CellState.Running;
        break;
      default:
        break;
    }
  }

  private runFilling(mode: CellState, inputs: PlcInputs, commands: PlcCommands): void {
    const o = this.outputs;
    const continuous = mode === CellState.Running;
    const finishing = mode === CellState.Stopping;
    switch (this.fillStep) {
      case FillStep.Idle:
        o.fillValveOpen = false;
        if (continuous && inputs.levelM >= this.params.fillMinLevelM) {
          if (inputs.conveyorInPosition && !this.bottleDone) {
            this.fillStep = FillStep.Filling;
            o.fillValveOpen = true;
          } else if (!inputs.conveyorMoving) {
            o.conveyorIndex = true;
            this.fillStep = FillStep.Indexing;
          }
        }
        break;
      case FillStep.Indexing:
        o.fillValveOpen = false;
        if (inputs.conveyorInPosition && !inputs.conveyorMoving) {
          this.bottleDone = false;
          if (continuous) {
            this.fillStep = FillStep.Filling;
            o.fillValveOpen = true;
          } else {
            this.fillStep = FillStep.Idle;
          }
        }
        break;
      case FillStep.Filling:
        if (inputs.fillVolumeL >= commands.fillVolumeSetpointL) {
          o.fillValveOpen = false;
          this.bottleDone = true;
          this.fillStep = FillStep.Idle;
        } else if (continuous || finishing) {
          o.fillValveOpen = true;
        } else {
          // Stopped or starting: close; the half-filled bottle is finished when the line runs again.
          o.fillValveOpen = false;
          this.fillStep = FillStep.Idle;
        }
        break;
    }
  }

  private runPump(dtS: number, commands: PlcCommands): void {
    const o = this.outputs;
    const sp = commands.levelSetpointM;
    const pv = this.levelFiltered;
    o.pumpTripped = this.interlock;
    if (this.interlock || this.state === CellState.Stopped || this.state === CellState.Tripped) {
      o.pumpRun = false;
      o.pumpSpeedRpm = 0;
      // Resume from minimum speed, without a bump, when the pump is released again.
      this.levelPid.track(this.params.pumpMinSpeedRpm, sp, pv);
    } else if (this.state === CellState.Starting) {
      o.pumpRun = true;
      o.pumpSpeedRpm = this.params.startSpeedRpm;
      this.levelPid.track(this.params.startSpeedRpm, sp, pv);
    } else {
      o.pumpRun = true;
      o.pumpSpeedRpm = this.levelPid.update(sp, pv, dtS);
    }
  }

  private runHeater(dtS: number, inputs: PlcInputs, commands: PlcCommands): void {
    const o = this.outputs;
    const sp = commands.temperatureSetpointC;
    const pv = this.temperatureFiltered;
    const enabled = this.state !== CellState.Stopped && inputs.levelM >= this.params.heaterMinLevelM;
    if (enabled) {
      o.heaterKw = this.temperaturePid.update(sp, pv, dtS);
    } else {
      o.heaterKw = 0;
      this.temperaturePid.track(0, sp, pv);
    }
  }
}

function lowPass(previous: number, input: number, dtS: number, tauS: number): number {
  if (!Number.isFinite(previous)) return input;
  if (!Number.isFinite(input)) return previous;
  return previous + (dtS / (tauS + dtS)) * (input - previous);
}
