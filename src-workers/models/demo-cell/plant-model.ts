/**
 * The demo process cell without its PLC program, for virtual commissioning: feed pump → heated buffer tank →
 * product cooler → filling line. Actuator commands (pump run and speed, heater power, coolant flow demand, fill
 * valve, conveyor index) are inputs written by a PLC over OPC UA; the field sensors are outputs. The physics
 * modules are the same as in the combined simulation (demo-cell-simulation.ts), so the plant a PLC is
 * commissioned against is the plant the live twin later shows.
 *
 * Each step is cut into substeps of at most 10 ms: actuators follow the last commands, RK4 integrates the
 * continuous physics, the belt and the bottle advance, the sensors are sampled.
 */
import { deriveSeed, Random } from "../../random";
import { Rk4, type Derivative } from "../../solvers/rk4";
import type { PlantModel, PlantStateSpec } from "../../plant/plant-model-types";
import type { SignalSpec, SignalValue, SimulationOptions } from "../../plant/simulation-types";
import { MAX_SUBSTEP_S } from "./demo-cell-simulation";
import { FILLING_LINE, FillingConveyor } from "./filling-conveyor";
import { evaluateHeatExchanger, foulingRate, newHeatExchangerState, PRODUCT_COOLER } from "./heat-exchanger";
import { evaluatePump, FEED_PUMP, newPumpState, wearRate } from "./pump";
import { checkWrite, DEMO_CELL_SIGNALS } from "./signals";
import { BUFFER_TANK, levelRate, temperatureRate } from "./tank";

// Continuous state vector and the plant's constants, as in the combined simulation (demo-cell-simulation.ts).
const [LEVEL, TEMPERATURE, WEAR, FOULING, PRODUCT_OUT, COOLANT_OUT, COOLANT_FLOW, STATE_SIZE] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
/** Design figures of the site (the feed's mean temperature drifts around FEED_MEAN_C); PLC start values use them too. */
export const AMBIENT_C = 20;
export const FEED_MEAN_C = 12;
const FEED_DRIFT = { tauS: 900, sdC: 0.7 };
const COOLANT_DRIFT = { tauS: 600, sdC: 0.3 };
const PUMP_RAMP_RPM_PER_S = 580;
const PUMP_COAST_TAU_S = 1.5;
const PUMP_COAST_FRICTION_RPM_PER_S = 50;
const SWITCH_HYSTERESIS_M = 0.01;
const LOW_FLOW_CUTOFF_M3H = 0.1;
const NOISE = { speedRpm: 2, flowM3h: 0.04, pressureBar: 0.005, currentA: 0.03, vibrationMmS: 0.04, levelM: 0.001, temperatureC: 0.05, heaterKw: 0.1, coolantFlowM3h: 0.03 };

/** Field sensors the combined simulation already declares (same names, units and ranges as the scene). */
const SENSORS_FROM_SCENE = [
  "feedPump.running", "feedPump.speed", "feedPump.flow", "feedPump.dischargePressure", "feedPump.motorCurrent", "feedPump.vibration",
  "bufferTank.level", "bufferTank.temperature", "bufferTank.heaterPower", "bufferTank.outletFlow", "bufferTank.levelHighHigh",
  "heatExchanger.productOutTemp", "heatExchanger.coolantInTemp", "heatExchanger.coolantOutTemp", "heatExchanger.coolantFlow",
  "fillingStation.beltSpeed", "fillingStation.fillValveOpen", "fillingStation.itemsProduced", "fillingStation.itemPositions",
  "truth.bearingWear", "truth.foulingResistance",
] as const;

const actuator = (name: string, type: "Boolean" | "Double", range: [number, number], unit: string | undefined, description: string): SignalSpec =>
  Object.freeze({ name, type, direction: "input", ...(unit ? { unit } : {}), range, description });

/** Sensors, actuators and ground truth of the plant alone, in frame order. */
export const DEMO_CELL_PLANT_SIGNALS: readonly SignalSpec[] = [
  ...SENSORS_FROM_SCENE.map((name) => DEMO_CELL_SIGNALS.find((s) => s.name === name)!),
  Object.freeze({ name: "fillingStation.inPosition", type: "Boolean", direction: "output", description: "Proximity switch: a bottle stands under the filler" }),
  Object.freeze({ name: "fillingStation.fillVolume", type: "Double", direction: "output", unit: "L", range: [0, 5], description: "Filler flowmeter totaliser: litres in the bottle under the filler" }),
  actuator("feedPump.runCommand", "Boolean", [0, 1], undefined, "Drive enable of P-101"),
  actuator("feedPump.speedCommand", "Double", [0, 2900], "rpm", "Speed reference of the P-101 drive"),
  actuator("bufferTank.heaterCommand", "Double", [0, 60], "kW", "Power demand of the T-201 heater"),
  actuator("heatExchanger.coolantFlowCommand", "Double", [0, 20], "m³/h", "Flow demand of the coolant valve FCV-301"),
  actuator("fillingStation.fillValveCommand", "Boolean", [0, 1], undefined, "Opens the filling valve"),
  actuator("fillingStation.indexCommand", "Boolean", [0, 1], undefined, "Belt run: a rising edge indexes to the next bottle; the drive stops in position"),
  Object.freeze({ name: "truth.tankLevel", type: "Double", direction: "output", unit: "m", range: [0, 2.5], hidden: true, description: "True level of T-201, whatever its transmitter says" }),
  Object.freeze({ name: "truth.tankOverflow", type: "Double", direction: "output", unit: "m³", range: [0, 1000], hidden: true, description: "Product spilled over the rim of T-201 since start" }),
] as SignalSpec[];

export const DEMO_CELL_PLANT_STATES: readonly PlantStateSpec[] = [
  { name: "bufferTank.level", unit: "m", range: [0, 2.5], description: "Level of T-201" },
  { name: "bufferTank.temperature", unit: "°C", range: [0, 100], description: "Temperature of the tank content" },
  { name: "truth.bearingWear", unit: "1", range: [0, 1], description: "Feed pump bearing wear" },
  { name: "truth.foulingResistance", unit: "m²K/kW", range: [0, 1], description: "Product cooler fouling resistance" },
];

export class DemoCellPlantModel implements PlantModel {
  readonly signals = DEMO_CELL_PLANT_SIGNALS;
  readonly states = DEMO_CELL_PLANT_STATES;
  private time = 0;
  private readonly at = new Map<string, number>();
  /** Latest value of every signal in frame order (Booleans as 0/1, arrays NaN). */
  private readonly values: Float64Array;
  private readonly items = new Float64Array(FILLING_LINE.maxItems);
  private itemCount = 0;
  private readonly x = new Float64Array(STATE_SIZE);
  private readonly rk4 = new Rk4(STATE_SIZE);
  private readonly processNoise: Random;
  private readonly sensorNoise: Random;
  private readonly speedup: number;
  private readonly pump = newPumpState();
  private readonly cooler = newHeatExchangerState();
  // The belt starts stopped with a bottle in position, as a line waits for its first start.
  private readonly conveyor = new FillingConveyor(FILLING_LINE, FILLING_LINE.fillerPositionM);
  private indexRequested = false;

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
  private overflowTotalM3 = 0;

  private readonly derivative: Derivative = (_t, y, dydt) => {
    const level = y[LEVEL]!;
    const temperature = y[TEMPERATURE]!;
    dydt[LEVEL] = levelRate(BUFFER_TANK, level, this.inflowM3s, this.outflowM3s);
    dydt[TEMPERATURE] = temperatureRate(BUFFER_TANK, level, temperature, this.inflowM3s, FEED_MEAN_C + this.feedDriftC, this.heaterKw, AMBIENT_C);
    dydt[WEAR] = wearRate(FEED_PUMP, this.pumpSpeedRpm, this.pump.loadRatio, y[WEAR]!, this.speedup);
    dydt[FOULING] = foulingRate(PRODUCT_COOLER, temperature, this.speedup);
    dydt[PRODUCT_OUT] = (this.outflowM3s * (this.cooler.productOutC - y[PRODUCT_OUT]!)) / PRODUCT_COOLER.productLineVolumeM3;
    dydt[COOLANT_OUT] = (this.cooler.coolantOutC - y[COOLANT_OUT]!) / PRODUCT_COOLER.coolantOutLagS;
    dydt[COOLANT_FLOW] = (this.coolantFlowTargetM3h - y[COOLANT_FLOW]!) / PRODUCT_COOLER.coolantFlowLagS;
  };

  constructor(options: SimulationOptions) {
    const speedup = options.degradationSpeedup ?? 1;
    if (!Number.isFinite(speedup) || speedup < 0) throw new RangeError(`demo-cell plant: degradationSpeedup must be a finite number ≥ 0, got ${speedup}`);
    if (!Number.isFinite(options.seed)) throw new RangeError(`demo-cell plant: seed must be a finite number, got ${options.seed}`);
    this.speedup = speedup;
    this.processNoise = new Random(deriveSeed(options.seed, 1));
    this.sensorNoise = new Random(deriveSeed(options.seed, 2));
    this.values = new Float64Array(this.signals.length);
    this.signals.forEach((s, i) => {
      this.at.set(s.name, i);
      if (s.type === "DoubleArray") this.values[i] = Number.NaN;
    });
    // A warm tank at its usual level, every drive off: the plant as the PLC finds it on a cold start.
    const truthDraw = new Random(deriveSeed(options.seed, 3));
    const x = this.x;
    x[LEVEL] = 1.2;
    x[TEMPERATURE] = 55;
    x[WEAR] = clamp(0.1 + 0.03 * truthDraw.gaussian(), 0.02, 0.25);
    x[FOULING] = clamp(0.02 + 0.008 * truthDraw.gaussian(), 0.005, 0.05);
    x[PRODUCT_OUT] = x[TEMPERATURE]!;
    x[COOLANT_OUT] = PRODUCT_COOLER.coolantInletC;
    x[COOLANT_FLOW] = 0;
    this.sampleSensors();
    this.itemCount = this.conveyor.positions(this.items);
  }

  get timeS(): number {
    return this.time;
  }

  step(dtS: number): void {
    if (!Number.isFinite(dtS) || dtS < 0) throw new RangeError(`step: dtS must be a finite number ≥ 0, got ${dtS}`);
    if (dtS === 0) return;
    const n = Math.max(1, Math.ceil(dtS / MAX_SUBSTEP_S - 1e-9));
    const h = dtS / n;
    const t0 = this.time;
    for (let i = 0; i < n; i++) this.substep(t0 + i * h, h);
    this.time = t0 + dtS;
    this.itemCount = this.conveyor.positions(this.items);
  }

  read(name: string): SignalValue {
    const i = this.at.get(name);
    if (i === undefined) throw new RangeError(`read ${JSON.stringify(name)}: unknown signal`);
    const s = this.signals[i]!;
    if (s.type === "DoubleArray") return Array.from(this.items.subarray(0, this.itemCount));
    const v = this.values[i]!;
    return s.type === "Boolean" ? v !== 0 : v;
  }

  /** The frame as read() gives it, without allocating (the plant clock publishes it every cycle). */
  frameScalars(): Float64Array {
    return this.values;
  }

  copyArray(index: number, target: Float64Array, offset: number, capacity: number): number {
    if (this.signals[index]?.type !== "DoubleArray") return 0;
    const n = Math.min(this.itemCount, capacity);
    for (let k = 0; k < n; k++) target[offset + k] = this.items[k]!;
    return n;
  }

  write(name: string, value: SignalValue): void {
    checkWrite(this.signals, name, value);
    const i = this.at.get(name)!;
    const next = typeof value === "boolean" ? (value ? 1 : 0) : (value as number);
    // The index drive starts on the rising edge of its command; holding the command does not restart it.
    if (name === "fillingStation.indexCommand" && next === 1 && this.values[i] === 0) this.indexRequested = true;
    this.values[i] = next;
  }

  setState(name: string, value: number): void {
    const state = this.states.find((s) => s.name === name);
    if (!state) throw new RangeError(`set state ${JSON.stringify(name)}: unknown; settable states are: ${this.states.map((s) => s.name).join(", ")}`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < state.range[0] || value > state.range[1]) {
      throw new RangeError(`set state ${name} = ${String(value)}: out of range, allowed [${state.range[0]}, ${state.range[1]}]${state.unit ? ` ${state.unit}` : ""}`);
    }
    const slot = { "bufferTank.level": LEVEL, "bufferTank.temperature": TEMPERATURE, "truth.bearingWear": WEAR, "truth.foulingResistance": FOULING }[name]!;
    this.x[slot] = value;
    if (slot === LEVEL) this.highHighSwitch = value >= BUFFER_TANK.highHighM;
    this.sampleSensors();
  }

  private command(name: string): number {
    return this.values[this.at.get(name)!]!;
  }

  private substep(t: number, h: number): void {
    const x = this.x;
    // 1. Actuators follow the last commands.
    this.pumpEnergized = this.command("feedPump.runCommand") !== 0;
    if (this.pumpEnergized) {
      const target = clamp(this.command("feedPump.speedCommand"), 0, FEED_PUMP.ratedSpeedRpm);
      const maxChange = PUMP_RAMP_RPM_PER_S * h;
      this.pumpSpeedRpm += clamp(target - this.pumpSpeedRpm, -maxChange, maxChange);
    } else {
      const offset = PUMP_COAST_TAU_S * PUMP_COAST_FRICTION_RPM_PER_S;
      this.pumpSpeedRpm = Math.max(0, (this.pumpSpeedRpm + offset) * Math.exp(-h / PUMP_COAST_TAU_S) - offset);
    }
    this.heaterKw = clamp(this.command("bufferTank.heaterCommand"), 0, BUFFER_TANK.maxHeaterKw);
    this.fillValveOpen = this.command("fillingStation.fillValveCommand") !== 0;
    if (this.indexRequested) {
      this.conveyor.requestIndex();
      this.indexRequested = false;
    }
    this.coolantFlowTargetM3h = Math.max(0, this.command("heatExchanger.coolantFlowCommand"));

    // 2. Slow disturbances.
    this.feedDriftC = ouStep(this.feedDriftC, FEED_DRIFT.tauS, FEED_DRIFT.sdC, h, this.processNoise);
    this.coolantDriftC = ouStep(this.coolantDriftC, COOLANT_DRIFT.tauS, COOLANT_DRIFT.sdC, h, this.processNoise);

    // 3. Algebraic parts, constant over the substep.
    evaluatePump(FEED_PUMP, this.pumpSpeedRpm, x[WEAR]!, this.pumpEnergized, this.pump);
    this.inflowM3s = this.pump.flowM3h / 3600;
    this.outflowM3s = this.fillValveOpen && x[LEVEL]! > BUFFER_TANK.outletMinLevelM ? FILLING_LINE.fillFlowM3h / 3600 : 0;
    evaluateHeatExchanger(PRODUCT_COOLER, x[FOULING]!, x[TEMPERATURE]!, this.outflowM3s * 3600, this.coolantInC, x[COOLANT_FLOW]!, this.cooler);

    // 4. Continuous physics; what would rise above the rim spills.
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
    for (let i = 0; i < STATE_SIZE; i++) {
      if (!Number.isFinite(x[i]!)) throw new Error(`demo-cell plant: state ${i} became ${x[i]} at t=${t + h} s (model bug)`);
    }

    // 5. Discrete parts, then the sensors.
    this.conveyor.addFill(this.outflowM3s * h);
    this.conveyor.advance(h);
    this.sampleSensors();
  }

  private get coolantInC(): number {
    return PRODUCT_COOLER.coolantInletC + this.coolantDriftC;
  }

  /** One reading of every field sensor, with noise. */
  private sampleSensors(): void {
    const x = this.x;
    const rnd = this.sensorNoise;
    const set = (name: string, value: number) => (this.values[this.at.get(name)!] = value);
    const level = x[LEVEL]!;
    evaluatePump(FEED_PUMP, this.pumpSpeedRpm, x[WEAR]!, this.pumpEnergized, this.pump);
    set("feedPump.running", this.pumpEnergized ? 1 : 0);
    set("feedPump.speed", this.pumpSpeedRpm > 0 ? Math.max(0, this.pumpSpeedRpm + rnd.gaussian(0, NOISE.speedRpm)) : 0);
    set("feedPump.flow", flowReading(this.pump.flowM3h + rnd.gaussian(0, NOISE.flowM3h)));
    set("feedPump.dischargePressure", Math.max(0, this.pump.dischargePressureBar + rnd.gaussian(0, NOISE.pressureBar)));
    set("feedPump.motorCurrent", this.pumpEnergized ? Math.max(0, this.pump.motorCurrentA + rnd.gaussian(0, NOISE.currentA)) : 0);
    set("feedPump.vibration", Math.max(0, this.pump.vibrationMmS + rnd.gaussian(0, NOISE.vibrationMmS)));

    if (!this.highHighSwitch && level >= BUFFER_TANK.highHighM) this.highHighSwitch = true;
    else if (this.highHighSwitch && level < BUFFER_TANK.highHighM - SWITCH_HYSTERESIS_M) this.highHighSwitch = false;
    set("bufferTank.level", Math.max(0, level + rnd.gaussian(0, NOISE.levelM)));
    set("bufferTank.temperature", x[TEMPERATURE]! + rnd.gaussian(0, NOISE.temperatureC));
    set("bufferTank.heaterPower", this.heaterKw > 0 ? Math.max(0, this.heaterKw + rnd.gaussian(0, NOISE.heaterKw)) : 0);
    set("bufferTank.outletFlow", flowReading(this.outflowM3s * 3600 + (this.outflowM3s > 0 ? rnd.gaussian(0, NOISE.flowM3h) : 0)));
    set("bufferTank.levelHighHigh", this.highHighSwitch ? 1 : 0);

    set("heatExchanger.productOutTemp", x[PRODUCT_OUT]! + rnd.gaussian(0, NOISE.temperatureC));
    set("heatExchanger.coolantInTemp", this.coolantInC + rnd.gaussian(0, NOISE.temperatureC));
    set("heatExchanger.coolantOutTemp", x[COOLANT_OUT]! + rnd.gaussian(0, NOISE.temperatureC));
    set("heatExchanger.coolantFlow", flowReading(x[COOLANT_FLOW]! + rnd.gaussian(0, NOISE.coolantFlowM3h)));

    set("fillingStation.beltSpeed", this.conveyor.beltSpeedMps);
    set("fillingStation.fillValveOpen", this.fillValveOpen ? 1 : 0);
    set("fillingStation.itemsProduced", this.conveyor.itemsProduced);
    set("fillingStation.inPosition", this.conveyor.inPosition ? 1 : 0);
    set("fillingStation.fillVolume", this.conveyor.fillVolumeL);

    set("truth.bearingWear", x[WEAR]!);
    set("truth.foulingResistance", x[FOULING]!);
    set("truth.tankLevel", level);
    set("truth.tankOverflow", this.overflowTotalM3);
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function flowReading(m3h: number): number {
  return m3h < LOW_FLOW_CUTOFF_M3H ? 0 : m3h;
}

function ouStep(value: number, tauS: number, sd: number, h: number, rnd: Random): number {
  return value - (value / tauS) * h + sd * Math.sqrt((2 * h) / tauS) * rnd.gaussian();
}
