/**
 * The demo process cell as a `PlantSimulation`: feed pump → heated buffer tank → product cooler → filling
 * line, run by the cell's PLC program (control.ts).
 *
 * Each step is cut into substeps of at most 10 ms. A substep applies the PLC's last outputs to the
 * actuators, integrates the continuous physics with RK4 (flows, heater power and the cooler's rating held
 * constant over the substep), advances the discrete parts (belt, bottle being filled), samples the
 * sensors and runs one PLC scan. Measurements are what the PLC saw in its last scan.
 */
import { deriveSeed, Random } from "../../random";
import { Rk4, type Derivative } from "../../solvers/rk4";
import type { PlantSimulation, SignalSpec, SignalValue, SimulationOptions } from "../../plant/simulation-types";
import { CellController, CellState, type FillStep, type PlcCommands, type PlcInputs, type PlcOutputs } from "./control";
import { FILLING_LINE, FillingConveyor } from "./filling-conveyor";
import {
  evaluateHeatExchanger,
  foulingRate,
  newHeatExchangerState,
  PRODUCT_COOLER,
  type HeatExchangerState,
} from "./heat-exchanger";
import { evaluatePump, FEED_PUMP, newPumpState, speedForFlowRpm, wearRate, type PumpState } from "./pump";
import { checkWrite, DEMO_CELL_INPUT_DEFAULTS, DEMO_CELL_SIGNALS, signalIndex, type DemoCellSignalName } from "./signals";
import { BUFFER_TANK, levelRate, PRODUCT_RHO_CP, temperatureRate } from "./tank";

/** Longest physics substep (and PLC scan), seconds. */
export const MAX_SUBSTEP_S = 0.01;

// Continuous state vector.
const LEVEL = 0;
const TEMPERATURE = 1;
const WEAR = 2;
const FOULING = 3;
/** Product temperature at the cooler's outlet sensor (washed out by the flow, held when it stops). */
const PRODUCT_OUT = 4;
const COOLANT_OUT = 5;
const COOLANT_FLOW = 6;
const STATE_SIZE = 7;
/** Positions in `DemoCellSnapshot.x`, for whoever fills a snapshot from an estimate. */
export const DEMO_CELL_STATE_INDEX = {
  level: LEVEL,
  temperature: TEMPERATURE,
  bearingWear: WEAR,
  foulingResistance: FOULING,
  productOut: PRODUCT_OUT,
  coolantOut: COOLANT_OUT,
  coolantFlow: COOLANT_FLOW,
} as const;

const AMBIENT_C = 20;
const FEED_MEAN_C = 12;
/** Feed and coolant temperatures wander slowly (Ornstein–Uhlenbeck): time constant and standard deviation. */
const FEED_DRIFT = { tauS: 900, sdC: 0.7 };
const COOLANT_DRIFT = { tauS: 600, sdC: 0.3 };
/** VFD acceleration ramp; coast-down of the pump when the drive is off (trip or stop): about 4 s from 1300 rpm. */
const PUMP_RAMP_RPM_PER_S = 580;
const PUMP_COAST_TAU_S = 1.5;
const PUMP_COAST_FRICTION_RPM_PER_S = 50;
/** LSHH-201 switching differential. */
const SWITCH_HYSTERESIS_M = 0.01;
/** Magnetic flowmeters report zero below this flow. */
const LOW_FLOW_CUTOFF_M3H = 0.1;

/** Standard deviations of the sensor noise. */
const NOISE = {
  speedRpm: 2,
  flowM3h: 0.04,
  pressureBar: 0.005,
  currentA: 0.03,
  vibrationMmS: 0.04,
  levelM: 0.001,
  temperatureC: 0.05,
  heaterKw: 0.1,
  coolantFlowM3h: 0.03,
};

/**
 * The constants above for another integrator of the same plant (the what-if fast path, which must stay
 * the same physics): read-only, the values this simulation itself uses.
 */
export const DEMO_CELL_PHYSICS = {
  ambientC: AMBIENT_C,
  feedMeanC: FEED_MEAN_C,
  feedDrift: FEED_DRIFT,
  coolantDrift: COOLANT_DRIFT,
  pumpRampRpmPerS: PUMP_RAMP_RPM_PER_S,
  pumpCoastTauS: PUMP_COAST_TAU_S,
  pumpCoastFrictionRpmPerS: PUMP_COAST_FRICTION_RPM_PER_S,
  switchHysteresisM: SWITCH_HYSTERESIS_M,
  lowFlowCutoffM3h: LOW_FLOW_CUTOFF_M3H,
  noise: NOISE,
} as const;

/** True internal state, for tests and debugging (not signals). */
export interface DemoCellInternals {
  timeS: number;
  levelM: number;
  temperatureC: number;
  bearingWear: number;
  foulingResistance: number;
  pumpSpeedRpm: number;
  pumpFlowM3h: number;
  outletFlowM3h: number;
  feedTemperatureC: number;
  /** Cumulative volumes since start, m³: pumped in, drawn by the filler, spilled over the rim. */
  inflowM3: number;
  outflowM3: number;
  overflowM3: number;
  cellState: CellState;
  fillStep: FillStep;
}

export interface DemoCellOptions extends SimulationOptions {
  /**
   * Longest physics substep and PLC scan, seconds (default MAX_SUBSTEP_S). What-if studies may trade
   * fidelity for speed with a coarser step; the live plant always runs at the default.
   */
  maxSubstepS?: number;
}

/** Latent parameters a what-if (or an estimator's posterior) may override. Growth factors multiply the nominal rates. */
export interface DemoCellLatent {
  bearingWear: number;
  foulingResistance: number;
  wearGrowth: number;
  foulingGrowth: number;
}

/** Every field of a part the snapshot copies, by part. A test fails when a part gains a field not listed here. */
export const SNAPSHOT_FIELDS = {
  random: ["state", "spare", "hasSpare"],
  pid: ["integral", "derivative", "lastPv", "lastOutput"],
  controller: ["state", "resumeState", "prevStart", "prevStop", "startTimerS", "fillStep", "bottleDone", "interlock", "levelFiltered", "temperatureFiltered"],
  conveyor: ["travelM", "nextBottle", "targetM", "moving", "atFiller", "fillL", "produced"],
  plant: [
    "time", "speedup", "wearGrowth", "foulingGrowth", "feedOffsetK", "coolantOffsetK", "coolantValveStuckM3h",
    "temperatureReadingOverrideC", "itemCount", "pumpSpeedRpm", "pumpEnergized", "heaterKw", "fillValveOpen",
    "coolantFlowTargetM3h", "inflowM3s", "outflowM3s", "feedDriftC", "coolantDriftC", "highHighSwitch",
    "levelReadingOverrideM", "inflowTotalM3", "outflowTotalM3", "overflowTotalM3",
  ],
} as const;

type Scalar = number | boolean | null;
type Fields = Record<string, Scalar>;

/**
 * The whole state of a DemoCellSimulation as plain, structured-clonable data: continuous states, the PLC
 * (integrators, filters, sequence steps), the conveyor, the noise generators and the what-if overrides.
 * `restore` of a snapshot continues exactly as the original would have.
 */
export interface DemoCellSnapshot {
  model: "demo-cell";
  version: 1;
  x: number[];
  /** Signal values in frame order (arrays as NaN). */
  values: number[];
  plant: Fields;
  pump: PumpState;
  cooler: HeatExchangerState;
  plcIn: PlcInputs;
  plcCmd: PlcCommands;
  plcOut: PlcOutputs;
  controller: Fields;
  levelPid: Fields;
  temperaturePid: Fields;
  conveyor: Fields;
  processNoise: Fields;
  sensorNoise: Fields;
}

export class DemoCellSimulation implements PlantSimulation {
  readonly signals: readonly SignalSpec[] = DEMO_CELL_SIGNALS;
  private time = 0;
  /** Not readonly: `restore` takes the speed-up of the plant it restores. */
  private speedup: number;
  private readonly maxSubstepS: number;
  // What-if overrides (see setLatent, setDisturbance, stickCoolantValve, forceTemperatureReading); the
  // defaults leave every computation bit for bit as without them (x·1 and x + 0 are exact).
  private wearGrowth = 1;
  private foulingGrowth = 1;
  private feedOffsetK = 0;
  private coolantOffsetK = 0;
  private coolantValveStuckM3h: number | null = null;
  private temperatureReadingOverrideC: number | null = null;
  private readonly at: Record<DemoCellSignalName, number> = signalIndex();
  private readonly byName = new Map<string, number>();
  /** Latest value of every signal in frame order (Booleans as 0/1, arrays as NaN). */
  private readonly values: Float64Array;
  private readonly items = new Float64Array(FILLING_LINE.maxItems);
  private itemCount = 0;

  private readonly x = new Float64Array(STATE_SIZE);
  private readonly rk4 = new Rk4(STATE_SIZE);
  private readonly processNoise: Random;
  private readonly sensorNoise: Random;

  private readonly pump = newPumpState();
  private readonly cooler = newHeatExchangerState();
  private readonly conveyor = new FillingConveyor(FILLING_LINE);
  private readonly controller = new CellController();
  private readonly plcIn: PlcInputs = {
    levelM: 0,
    levelHighHighSwitch: false,
    temperatureC: 0,
    conveyorInPosition: false,
    conveyorMoving: false,
    fillVolumeL: 0,
  };
  private readonly plcCmd: PlcCommands = {
    startCommand: DEMO_CELL_INPUT_DEFAULTS["cell.startCommand"],
    stopCommand: DEMO_CELL_INPUT_DEFAULTS["cell.stopCommand"],
    levelSetpointM: DEMO_CELL_INPUT_DEFAULTS["bufferTank.levelSetpoint"],
    temperatureSetpointC: DEMO_CELL_INPUT_DEFAULTS["bufferTank.temperatureSetpoint"],
    fillVolumeSetpointL: DEMO_CELL_INPUT_DEFAULTS["fillingStation.fillVolumeSetpoint"],
    coolantFlowSetpointM3h: DEMO_CELL_INPUT_DEFAULTS["heatExchanger.coolantFlowSetpoint"],
  };

  // Actuators and disturbances, held constant over a substep (read by the derivative).
  private pumpSpeedRpm = 0;
  private pumpEnergized = false;
  private heaterKw = 0;
  private fillValveOpen = false;
  private coolantFlowTargetM3h = 0;
  private inflowM3s = 0;
  private outflowM3s = 0;
  private feedDriftC = 0;
  private coolantDriftC = 0;
  private highHighSwitch = false;
  private levelReadingOverrideM: number | null = null;
  private inflowTotalM3 = 0;
  private outflowTotalM3 = 0;
  private overflowTotalM3 = 0;

  /** The plant's right-hand side; a field so RK4 gets the same function object every substep. */
  private readonly derivative: Derivative = (_t, y, dydt) => {
    const level = y[LEVEL]!;
    const temperature = y[TEMPERATURE]!;
    dydt[LEVEL] = levelRate(BUFFER_TANK, level, this.inflowM3s, this.outflowM3s);
    dydt[TEMPERATURE] = temperatureRate(
      BUFFER_TANK,
      level,
      temperature,
      this.inflowM3s,
      this.feedTemperatureC,
      this.heaterKw,
      AMBIENT_C,
    );
    dydt[WEAR] = wearRate(FEED_PUMP, this.pumpSpeedRpm, this.pump.loadRatio, y[WEAR]!, this.speedup * this.wearGrowth);
    dydt[FOULING] = foulingRate(PRODUCT_COOLER, temperature, this.speedup * this.foulingGrowth);
    // The sensor after the cooler sees product that flowed through it: washout with the line volume.
    dydt[PRODUCT_OUT] = (this.outflowM3s * (this.cooler.productOutC - y[PRODUCT_OUT]!)) / PRODUCT_COOLER.productLineVolumeM3;
    dydt[COOLANT_OUT] = (this.cooler.coolantOutC - y[COOLANT_OUT]!) / PRODUCT_COOLER.coolantOutLagS;
    dydt[COOLANT_FLOW] = (this.coolantFlowTargetM3h - y[COOLANT_FLOW]!) / PRODUCT_COOLER.coolantFlowLagS;
  };

  constructor(options: DemoCellOptions) {
    const speedup = options.degradationSpeedup ?? 1;
    if (!Number.isFinite(speedup) || speedup < 0) {
      throw new RangeError(`demo-cell: degradationSpeedup must be a finite number ≥ 0, got ${speedup}`);
    }
    if (!Number.isFinite(options.seed)) throw new RangeError(`demo-cell: seed must be a finite number, got ${options.seed}`);
    this.speedup = speedup;
    this.maxSubstepS = options.maxSubstepS ?? MAX_SUBSTEP_S;
    if (!(this.maxSubstepS > 0 && this.maxSubstepS <= 1)) {
      throw new RangeError(`demo-cell: maxSubstepS must be in (0, 1] s, got ${options.maxSubstepS}`);
    }
    this.processNoise = new Random(deriveSeed(options.seed, 1));
    this.sensorNoise = new Random(deriveSeed(options.seed, 2));
    this.values = new Float64Array(this.signals.length);
    this.signals.forEach((s, i) => {
      this.byName.set(s.name, i);
      if (s.type === "DoubleArray") this.values[i] = Number.NaN;
    });
    for (const [name, value] of Object.entries(DEMO_CELL_INPUT_DEFAULTS)) {
      this.values[this.byName.get(name)!] = Number(value);
    }

    // The hidden truth starts near the scene's prior (bearing wear 0.1, fouling 0.02) but not on it,
    // so an estimator has something to find; drawn from the seed.
    const truthDraw = new Random(deriveSeed(options.seed, 3));
    const x = this.x;
    // At the level setpoint: filling the tank with 12 °C feed would cool it more than the heater's reserve
    // can make up for in minutes.
    x[LEVEL] = this.plcCmd.levelSetpointM;
    x[TEMPERATURE] = this.plcCmd.temperatureSetpointC;
    x[WEAR] = clamp(0.1 + 0.03 * truthDraw.gaussian(), 0.02, 0.25);
    x[FOULING] = clamp(0.02 + 0.008 * truthDraw.gaussian(), 0.005, 0.05);
    x[COOLANT_FLOW] = this.plcCmd.coolantFlowSetpointM3h;

    // Warm start in Running: pump speed and heater power for the average draw of the filling line.
    const line = FILLING_LINE;
    const cycleS = line.pitchM / line.beltSpeedMps + (this.plcCmd.fillVolumeSetpointL / 1000) / (line.fillFlowM3h / 3600);
    const averageDrawM3s = this.plcCmd.fillVolumeSetpointL / 1000 / cycleS;
    this.pumpSpeedRpm = speedForFlowRpm(FEED_PUMP, averageDrawM3s * 3600, x[WEAR]!);
    this.pumpEnergized = true;
    const heaterKw =
      averageDrawM3s * PRODUCT_RHO_CP * (x[TEMPERATURE]! - FEED_MEAN_C) +
      BUFFER_TANK.lossUaKwPerK * (x[TEMPERATURE]! - AMBIENT_C);
    this.heaterKw = clamp(heaterKw, 0, BUFFER_TANK.maxHeaterKw);
    this.coolantFlowTargetM3h = x[COOLANT_FLOW]!;

    // Cooler outlets as if a bottle had just been filled.
    evaluateHeatExchanger(PRODUCT_COOLER, x[FOULING]!, x[TEMPERATURE]!, line.fillFlowM3h, this.coolantInTemperatureC, x[COOLANT_FLOW]!, this.cooler);
    x[PRODUCT_OUT] = this.cooler.productOutC;
    x[COOLANT_OUT] = this.coolantInTemperatureC;

    this.sampleSensors();
    this.controller.warmStart(
      { state: CellState.Running, pumpSpeedRpm: this.pumpSpeedRpm, heaterKw: this.heaterKw, indexing: this.conveyor.isMoving },
      this.plcIn,
      this.plcCmd,
    );
    this.publishPlc();
    this.publishItems();
  }

  get timeS(): number {
    return this.time;
  }

  step(dtS: number): void {
    if (!Number.isFinite(dtS) || dtS < 0) throw new RangeError(`step: dtS must be a finite number ≥ 0, got ${dtS}`);
    if (dtS === 0) return;
    const n = Math.max(1, Math.ceil(dtS / this.maxSubstepS - 1e-9));
    const h = dtS / n;
    const t0 = this.time;
    for (let i = 0; i < n; i++) {
      this.substep(t0 + i * h, h);
    }
    this.time = t0 + dtS;
    this.publishItems();
  }

  read(name: string): SignalValue {
    const i = this.byName.get(name);
    if (i === undefined) throw new RangeError(`read ${JSON.stringify(name)}: unknown signal`);
    const spec = this.signals[i]!;
    if (spec.type === "DoubleArray") return Array.from(this.items.subarray(0, this.itemCount));
    const v = this.values[i]!;
    return spec.type === "Boolean" ? v !== 0 : v;
  }

  write(name: string, value: SignalValue): void {
    checkWrite(this.signals, name, value);
    const i = this.byName.get(name)!;
    this.values[i] = typeof value === "boolean" ? (value ? 1 : 0) : (value as number);
  }

  /**
   * What-if and test hook, not a signal: the level transmitter reports `levelM` (stuck sensor) until called
   * with null. The independent high-high switch still sees the true level.
   */
  forceLevelReading(levelM: number | null): void {
    if (levelM !== null && !Number.isFinite(levelM)) throw new RangeError(`forceLevelReading: expected a finite level or null, got ${levelM}`);
    this.levelReadingOverrideM = levelM;
  }

  /** Snapshot of every state (allocates). */
  snapshot(): DemoCellSnapshot {
    const c = this.controller as unknown as { levelPid: object; temperaturePid: object };
    return {
      model: "demo-cell",
      version: 1,
      x: Array.from(this.x),
      values: Array.from(this.values),
      plant: capture(this, SNAPSHOT_FIELDS.plant),
      pump: { ...this.pump },
      cooler: { ...this.cooler },
      plcIn: { ...this.plcIn },
      plcCmd: { ...this.plcCmd },
      plcOut: { ...this.controller.outputs },
      controller: capture(this.controller, SNAPSHOT_FIELDS.controller),
      levelPid: capture(c.levelPid, SNAPSHOT_FIELDS.pid),
      temperaturePid: capture(c.temperaturePid, SNAPSHOT_FIELDS.pid),
      conveyor: capture(this.conveyor, SNAPSHOT_FIELDS.conveyor),
      processNoise: capture(this.processNoise, SNAPSHOT_FIELDS.random),
      sensorNoise: capture(this.sensorNoise, SNAPSHOT_FIELDS.random),
    };
  }

  /** Continues from a snapshot of any DemoCellSimulation (the seed given to this one no longer matters). */
  restore(s: DemoCellSnapshot): void {
    if (s?.model !== "demo-cell" || s.version !== 1 || s.x?.length !== STATE_SIZE || s.values?.length !== this.values.length) {
      throw new RangeError("restore: not a demo-cell snapshot of this version");
    }
    const c = this.controller as unknown as { levelPid: object; temperaturePid: object };
    this.x.set(s.x);
    this.values.set(s.values);
    apply(this, s.plant, SNAPSHOT_FIELDS.plant);
    Object.assign(this.pump, s.pump);
    Object.assign(this.cooler, s.cooler);
    Object.assign(this.plcIn, s.plcIn);
    Object.assign(this.plcCmd, s.plcCmd);
    Object.assign(this.controller.outputs, s.plcOut);
    apply(this.controller, s.controller, SNAPSHOT_FIELDS.controller);
    apply(c.levelPid, s.levelPid, SNAPSHOT_FIELDS.pid);
    apply(c.temperaturePid, s.temperaturePid, SNAPSHOT_FIELDS.pid);
    apply(this.conveyor, s.conveyor, SNAPSHOT_FIELDS.conveyor);
    apply(this.processNoise, s.processNoise, SNAPSHOT_FIELDS.random);
    apply(this.sensorNoise, s.sensorNoise, SNAPSHOT_FIELDS.random);
    this.publishItems();
  }

  /** Restarts the process disturbances and sensor noise from a new seed (Monte Carlo over process noise). */
  reseedNoise(seed: number): void {
    if (!Number.isFinite(seed)) throw new RangeError(`reseedNoise: seed must be a finite number, got ${seed}`);
    apply(this.processNoise, capture(new Random(deriveSeed(seed, 1)), SNAPSHOT_FIELDS.random), SNAPSHOT_FIELDS.random);
    apply(this.sensorNoise, capture(new Random(deriveSeed(seed, 2)), SNAPSHOT_FIELDS.random), SNAPSHOT_FIELDS.random);
  }

  latent(): DemoCellLatent {
    return { bearingWear: this.x[WEAR]!, foulingResistance: this.x[FOULING]!, wearGrowth: this.wearGrowth, foulingGrowth: this.foulingGrowth };
  }

  /** Overrides latent parameters: wear in [0, 1], fouling ≥ 0 m²K/kW, growth factors ≥ 0 (1 = nominal). */
  setLatent(p: Partial<DemoCellLatent>): void {
    const check = (name: string, v: number | undefined, lo: number, hi: number) => {
      if (v !== undefined && !(Number.isFinite(v) && v >= lo && v <= hi)) throw new RangeError(`setLatent: ${name} must be in [${lo}, ${hi}], got ${v}`);
    };
    check("bearingWear", p.bearingWear, 0, 1);
    check("foulingResistance", p.foulingResistance, 0, 10);
    check("wearGrowth", p.wearGrowth, 0, 1e6);
    check("foulingGrowth", p.foulingGrowth, 0, 1e6);
    if (p.bearingWear !== undefined) this.x[WEAR] = p.bearingWear;
    if (p.foulingResistance !== undefined) this.x[FOULING] = p.foulingResistance;
    if (p.wearGrowth !== undefined) this.wearGrowth = p.wearGrowth;
    if (p.foulingGrowth !== undefined) this.foulingGrowth = p.foulingGrowth;
  }

  /** Shifts the feed and coolant inlet temperatures from their nominal drift, K (what-if disturbances). */
  setDisturbance(d: { feedTemperatureOffsetK?: number; coolantTemperatureOffsetK?: number }): void {
    for (const v of [d.feedTemperatureOffsetK, d.coolantTemperatureOffsetK]) {
      if (v !== undefined && !(Number.isFinite(v) && Math.abs(v) <= 50)) throw new RangeError(`setDisturbance: offsets must be finite and within ±50 K, got ${v}`);
    }
    if (d.feedTemperatureOffsetK !== undefined) this.feedOffsetK = d.feedTemperatureOffsetK;
    if (d.coolantTemperatureOffsetK !== undefined) this.coolantOffsetK = d.coolantTemperatureOffsetK;
  }

  /** Fault: the coolant control valve sticks, the coolant flow heads for `flowM3h` whatever the PLC asks; null frees it. */
  stickCoolantValve(flowM3h: number | null): void {
    if (flowM3h !== null && !(Number.isFinite(flowM3h) && flowM3h >= 0)) throw new RangeError(`stickCoolantValve: expected a flow ≥ 0 m³/h or null, got ${flowM3h}`);
    this.coolantValveStuckM3h = flowM3h;
  }

  /** Fault: the tank temperature transmitter reports `temperatureC` (failed, stuck) until called with null. */
  forceTemperatureReading(temperatureC: number | null): void {
    if (temperatureC !== null && !Number.isFinite(temperatureC)) throw new RangeError(`forceTemperatureReading: expected a finite temperature or null, got ${temperatureC}`);
    this.temperatureReadingOverrideC = temperatureC;
  }

  /** True internal state (allocates; for tests and debugging). */
  inspect(): DemoCellInternals {
    return {
      timeS: this.time,
      levelM: this.x[LEVEL]!,
      temperatureC: this.x[TEMPERATURE]!,
      bearingWear: this.x[WEAR]!,
      foulingResistance: this.x[FOULING]!,
      pumpSpeedRpm: this.pumpSpeedRpm,
      pumpFlowM3h: this.pump.flowM3h,
      outletFlowM3h: this.outflowM3s * 3600,
      feedTemperatureC: this.feedTemperatureC,
      inflowM3: this.inflowTotalM3,
      outflowM3: this.outflowTotalM3,
      overflowM3: this.overflowTotalM3,
      cellState: this.controller.cellState,
      fillStep: this.controller.fillSequenceStep,
    };
  }

  private get feedTemperatureC(): number {
    return FEED_MEAN_C + this.feedDriftC + this.feedOffsetK;
  }

  private get coolantInTemperatureC(): number {
    return PRODUCT_COOLER.coolantInletC + this.coolantDriftC + this.coolantOffsetK;
  }

  private substep(t: number, h: number): void {
    const x = this.x;
    const plc = this.controller.outputs;

    // 1. Actuators follow the PLC's last scan.
    this.pumpEnergized = plc.pumpRun;
    if (plc.pumpRun) {
      const target = clamp(plc.pumpSpeedRpm, 0, FEED_PUMP.ratedSpeedRpm);
      const maxChange = PUMP_RAMP_RPM_PER_S * h;
      this.pumpSpeedRpm += clamp(target - this.pumpSpeedRpm, -maxChange, maxChange);
    } else {
      // Coasting: fluid drag (∝ speed) plus constant bearing/seal friction, dn/dt = −n/τ − c, solved exactly.
      const offset = PUMP_COAST_TAU_S * PUMP_COAST_FRICTION_RPM_PER_S;
      this.pumpSpeedRpm = Math.max(0, (this.pumpSpeedRpm + offset) * Math.exp(-h / PUMP_COAST_TAU_S) - offset);
    }
    this.heaterKw = clamp(plc.heaterKw, 0, BUFFER_TANK.maxHeaterKw);
    this.fillValveOpen = plc.fillValveOpen;
    if (plc.conveyorIndex) this.conveyor.requestIndex();
    this.coolantFlowTargetM3h = Math.max(0, plc.coolantFlowM3h);
    if (this.coolantValveStuckM3h !== null) this.coolantFlowTargetM3h = this.coolantValveStuckM3h;

    // 2. Slow disturbances (Euler–Maruyama on an Ornstein–Uhlenbeck process).
    this.feedDriftC = ouStep(this.feedDriftC, FEED_DRIFT.tauS, FEED_DRIFT.sdC, h, this.processNoise);
    this.coolantDriftC = ouStep(this.coolantDriftC, COOLANT_DRIFT.tauS, COOLANT_DRIFT.sdC, h, this.processNoise);

    // 3. Algebraic parts, constant over the substep.
    evaluatePump(FEED_PUMP, this.pumpSpeedRpm, x[WEAR]!, this.pumpEnergized, this.pump);
    this.inflowM3s = this.pump.flowM3h / 3600;
    this.outflowM3s = this.fillValveOpen && x[LEVEL]! > BUFFER_TANK.outletMinLevelM ? FILLING_LINE.fillFlowM3h / 3600 : 0;
    evaluateHeatExchanger(
      PRODUCT_COOLER,
      x[FOULING]!,
      x[TEMPERATURE]!,
      this.outflowM3s * 3600,
      this.coolantInTemperatureC,
      x[COOLANT_FLOW]!,
      this.cooler,
    );

    // 4. Continuous physics.
    const levelBefore = x[LEVEL]!;
    this.rk4.step(this.derivative, t, x, h);
    if (x[LEVEL]! >= BUFFER_TANK.heightM) {
      const unclamped = levelBefore + ((this.inflowM3s - this.outflowM3s) * h) / BUFFER_TANK.areaM2;
      this.overflowTotalM3 += Math.max(0, unclamped - BUFFER_TANK.heightM) * BUFFER_TANK.areaM2;
    }
    x[LEVEL] = clamp(x[LEVEL]!, 0, BUFFER_TANK.heightM);
    x[WEAR] = clamp(x[WEAR]!, 0, 1);
    x[FOULING] = Math.max(0, x[FOULING]!);
    x[COOLANT_FLOW] = Math.max(0, x[COOLANT_FLOW]!);
    this.inflowTotalM3 += this.inflowM3s * h;
    this.outflowTotalM3 += this.outflowM3s * h;
    for (let i = 0; i < STATE_SIZE; i++) {
      if (!Number.isFinite(x[i]!)) throw new Error(`demo-cell: state ${i} became ${x[i]} at t=${t + h} s (model bug)`);
    }

    // 5. Discrete parts: the bottle under the filler gets what left the tank; the belt moves.
    this.conveyor.addFill(this.outflowM3s * h);
    this.conveyor.advance(h);

    // 6. Sensors, then one PLC scan.
    this.sampleSensors();
    this.controller.scan(h, this.plcIn, this.plcCmd);
    this.publishPlc();
  }

  /** Takes one reading of every field sensor (with noise) into the signal values and the PLC input image. */
  private sampleSensors(): void {
    const v = this.values;
    const at = this.at;
    const x = this.x;
    const rnd = this.sensorNoise;
    const level = x[LEVEL]!;

    // The pump's reading reflects the current speed (also valid before the first substep).
    evaluatePump(FEED_PUMP, this.pumpSpeedRpm, x[WEAR]!, this.pumpEnergized, this.pump);
    const turning = this.pumpSpeedRpm > 0;
    v[at["feedPump.running"]] = this.pumpEnergized ? 1 : 0;
    v[at["feedPump.speed"]] = turning ? Math.max(0, this.pumpSpeedRpm + rnd.gaussian(0, NOISE.speedRpm)) : 0;
    v[at["feedPump.flow"]] = flowReading(this.pump.flowM3h + rnd.gaussian(0, NOISE.flowM3h));
    v[at["feedPump.dischargePressure"]] = Math.max(0, this.pump.dischargePressureBar + rnd.gaussian(0, NOISE.pressureBar));
    v[at["feedPump.motorCurrent"]] = this.pumpEnergized
      ? Math.max(0, this.pump.motorCurrentA + rnd.gaussian(0, NOISE.currentA))
      : 0;
    v[at["feedPump.vibration"]] = Math.max(0, this.pump.vibrationMmS + rnd.gaussian(0, NOISE.vibrationMmS));

    if (!this.highHighSwitch && level >= BUFFER_TANK.highHighM) this.highHighSwitch = true;
    else if (this.highHighSwitch && level < BUFFER_TANK.highHighM - SWITCH_HYSTERESIS_M) this.highHighSwitch = false;
    const levelReading = this.levelReadingOverrideM ?? Math.max(0, level + rnd.gaussian(0, NOISE.levelM));
    v[at["bufferTank.level"]] = levelReading;
    v[at["bufferTank.temperature"]] = x[TEMPERATURE]! + rnd.gaussian(0, NOISE.temperatureC);
    // A failed transmitter after the noise draw, so the other sensors' noise stays the same.
    if (this.temperatureReadingOverrideC !== null) v[at["bufferTank.temperature"]] = this.temperatureReadingOverrideC;
    v[at["bufferTank.heaterPower"]] = this.heaterKw > 0 ? Math.max(0, this.heaterKw + rnd.gaussian(0, NOISE.heaterKw)) : 0;
    v[at["bufferTank.outletFlow"]] = flowReading(this.outflowM3s * 3600 + (this.outflowM3s > 0 ? rnd.gaussian(0, NOISE.flowM3h) : 0));
    v[at["bufferTank.levelHighHigh"]] = this.highHighSwitch ? 1 : 0;

    v[at["heatExchanger.productOutTemp"]] = x[PRODUCT_OUT]! + rnd.gaussian(0, NOISE.temperatureC);
    v[at["heatExchanger.coolantInTemp"]] = this.coolantInTemperatureC + rnd.gaussian(0, NOISE.temperatureC);
    v[at["heatExchanger.coolantOutTemp"]] = x[COOLANT_OUT]! + rnd.gaussian(0, NOISE.temperatureC);
    v[at["heatExchanger.coolantFlow"]] = flowReading(x[COOLANT_FLOW]! + rnd.gaussian(0, NOISE.coolantFlowM3h));

    v[at["fillingStation.beltSpeed"]] = this.conveyor.beltSpeedMps;
    v[at["fillingStation.fillValveOpen"]] = this.fillValveOpen ? 1 : 0;
    v[at["fillingStation.itemsProduced"]] = this.conveyor.itemsProduced;

    v[at["truth.bearingWear"]] = x[WEAR]!;
    v[at["truth.foulingResistance"]] = x[FOULING]!;

    const pin = this.plcIn;
    pin.levelM = levelReading;
    pin.levelHighHighSwitch = this.highHighSwitch;
    pin.temperatureC = v[at["bufferTank.temperature"]]!;
    pin.conveyorInPosition = this.conveyor.inPosition;
    pin.conveyorMoving = this.conveyor.isMoving;
    pin.fillVolumeL = this.conveyor.fillVolumeL;

    // Operator tags as last written.
    const cmd = this.plcCmd;
    cmd.startCommand = v[at["cell.startCommand"]] !== 0;
    cmd.stopCommand = v[at["cell.stopCommand"]] !== 0;
    cmd.levelSetpointM = v[at["bufferTank.levelSetpoint"]]!;
    cmd.temperatureSetpointC = v[at["bufferTank.temperatureSetpoint"]]!;
    cmd.fillVolumeSetpointL = v[at["fillingStation.fillVolumeSetpoint"]]!;
    cmd.coolantFlowSetpointM3h = v[at["heatExchanger.coolantFlowSetpoint"]]!;
  }

  /** PLC status tags, and the command bits the PLC may have reset. */
  private publishPlc(): void {
    const v = this.values;
    const at = this.at;
    const o = this.controller.outputs;
    v[at["cell.state"]] = o.state;
    v[at["cell.heartbeat"]] = o.heartbeat;
    v[at["cell.interlockActive"]] = o.interlockActive ? 1 : 0;
    v[at["feedPump.tripped"]] = o.pumpTripped ? 1 : 0;
    v[at["cell.startCommand"]] = this.plcCmd.startCommand ? 1 : 0;
    v[at["cell.stopCommand"]] = this.plcCmd.stopCommand ? 1 : 0;
  }

  private publishItems(): void {
    this.itemCount = this.conveyor.positions(this.items);
  }
}

/** Copies the named own fields of a part (private fields are plain own properties at run time). */
function capture(part: object, keys: readonly string[]): Fields {
  const from = part as unknown as Fields;
  const out: Fields = {};
  for (const k of keys) out[k] = from[k]!;
  return out;
}

function apply(part: object, fields: Fields, keys: readonly string[]): void {
  const to = part as unknown as Fields;
  for (const k of keys) {
    if (!(k in fields)) throw new RangeError(`restore: snapshot lacks ${k}`);
    to[k] = fields[k]!;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Zero below the low-flow cutoff, never negative. */
function flowReading(m3h: number): number {
  return m3h < LOW_FLOW_CUTOFF_M3H ? 0 : m3h;
}

/** One Euler–Maruyama step of an Ornstein–Uhlenbeck process with stationary standard deviation `sd`. */
function ouStep(value: number, tauS: number, sd: number, h: number, rnd: Random): number {
  return value - (value / tauS) * h + sd * Math.sqrt((2 * h) / tauS) * rnd.gaussian();
}
