/**
 * The state of the fast demo-cell integrator and everything that is not integration: the reference's
 * snapshot format both ways (same field names as DemoCellSimulation, SNAPSHOT_FIELDS), typed reads and
 * writes, the what-if overrides, and the field sensors as DemoCellSimulation samples them.
 * demo-cell-fast.ts adds the stepping.
 */
import { Random } from "../../random";
import type { PlantSimulation, SignalSpec, SignalValue } from "../../plant/simulation-types";
import { CellController, type PlcCommands, type PlcInputs } from "../../models/demo-cell/control";
import {
  DEMO_CELL_PHYSICS as P,
  DEMO_CELL_STATE_INDEX as X,
  SNAPSHOT_FIELDS,
  type DemoCellLatent,
  type DemoCellSnapshot,
} from "../../models/demo-cell/demo-cell-simulation";
import { FILLING_LINE, FillingConveyor } from "../../models/demo-cell/filling-conveyor";
import { newHeatExchangerState, PRODUCT_COOLER } from "../../models/demo-cell/heat-exchanger";
import { evaluatePump, FEED_PUMP, newPumpState } from "../../models/demo-cell/pump";
import { checkWrite, DEMO_CELL_SIGNALS, signalIndex, type DemoCellSignalName } from "../../models/demo-cell/signals";
import { BUFFER_TANK } from "../../models/demo-cell/tank";
import { applyFields, captureFields } from "./fields";

export abstract class DemoCellFastState implements PlantSimulation {
  readonly signals: readonly SignalSpec[] = DEMO_CELL_SIGNALS;
  // Field names as in DemoCellSimulation (SNAPSHOT_FIELDS.plant): snapshots go both ways.
  protected time = 0;
  protected speedup = 1;
  protected wearGrowth = 1;
  protected foulingGrowth = 1;
  protected feedOffsetK = 0;
  protected coolantOffsetK = 0;
  protected coolantValveStuckM3h: number | null = null;
  protected temperatureReadingOverrideC: number | null = null;
  protected itemCount = 0;
  protected pumpSpeedRpm = 0;
  protected pumpEnergized = false;
  protected heaterKw = 0;
  protected fillValveOpen = false;
  protected coolantFlowTargetM3h = 0;
  protected inflowM3s = 0;
  protected outflowM3s = 0;
  protected feedDriftC = 0;
  protected coolantDriftC = 0;
  protected highHighSwitch = false;
  protected levelReadingOverrideM: number | null = null;
  protected inflowTotalM3 = 0;
  protected outflowTotalM3 = 0;
  protected overflowTotalM3 = 0;

  protected readonly at: Record<DemoCellSignalName, number> = signalIndex();
  protected readonly byName = new Map<string, number>();
  protected readonly values = new Float64Array(DEMO_CELL_SIGNALS.length);
  protected readonly items = new Float64Array(FILLING_LINE.maxItems);
  protected readonly x = new Float64Array(7);
  protected readonly processNoise = new Random(1);
  protected readonly sensorNoise = new Random(2);
  protected readonly pump = newPumpState();
  protected readonly cooler = newHeatExchangerState();
  protected readonly conveyor = new FillingConveyor(FILLING_LINE);
  protected readonly controller = new CellController();
  protected readonly plcIn: PlcInputs = { levelM: 0, levelHighHighSwitch: false, temperatureC: 0, conveyorInPosition: false, conveyorMoving: false, fillVolumeL: 0 };
  protected readonly plcCmd: PlcCommands = { startCommand: false, stopCommand: false, levelSetpointM: 0, temperatureSetpointC: 0, fillVolumeSetpointL: 0, coolantFlowSetpointM3h: 0 };
  /** An input was written since the last step: the PLC reads it at the next scan, not a long step later. */
  protected written = false;

  /** Continues exactly where `snapshot` (of a DemoCellSimulation or of this class) stands. */
  constructor(snapshot: DemoCellSnapshot) {
    this.signals.forEach((s, i) => this.byName.set(s.name, i));
    this.restore(snapshot);
  }

  abstract step(dtS: number): void;

  get timeS(): number {
    return this.time;
  }

  restore(s: DemoCellSnapshot): void {
    if (s?.model !== "demo-cell" || s.version !== 1 || s.x?.length !== 7 || s.values?.length !== this.values.length) {
      throw new RangeError("restore: not a demo-cell snapshot of this version");
    }
    const c = this.controller as unknown as { levelPid: object; temperaturePid: object };
    this.x.set(s.x);
    this.values.set(s.values);
    applyFields(this, s.plant, SNAPSHOT_FIELDS.plant);
    Object.assign(this.pump, s.pump);
    Object.assign(this.cooler, s.cooler);
    Object.assign(this.plcIn, s.plcIn);
    Object.assign(this.plcCmd, s.plcCmd);
    Object.assign(this.controller.outputs, s.plcOut);
    applyFields(this.controller, s.controller, SNAPSHOT_FIELDS.controller);
    applyFields(c.levelPid, s.levelPid, SNAPSHOT_FIELDS.pid);
    applyFields(c.temperaturePid, s.temperaturePid, SNAPSHOT_FIELDS.pid);
    applyFields(this.conveyor, s.conveyor, SNAPSHOT_FIELDS.conveyor);
    applyFields(this.processNoise, s.processNoise, SNAPSHOT_FIELDS.random);
    applyFields(this.sensorNoise, s.sensorNoise, SNAPSHOT_FIELDS.random);
    this.publishItems();
  }

  snapshot(): DemoCellSnapshot {
    const c = this.controller as unknown as { levelPid: object; temperaturePid: object };
    return {
      model: "demo-cell",
      version: 1,
      x: Array.from(this.x),
      values: Array.from(this.values),
      plant: captureFields(this, SNAPSHOT_FIELDS.plant),
      pump: { ...this.pump },
      cooler: { ...this.cooler },
      plcIn: { ...this.plcIn },
      plcCmd: { ...this.plcCmd },
      plcOut: { ...this.controller.outputs },
      controller: captureFields(this.controller, SNAPSHOT_FIELDS.controller),
      levelPid: captureFields(c.levelPid, SNAPSHOT_FIELDS.pid),
      temperaturePid: captureFields(c.temperaturePid, SNAPSHOT_FIELDS.pid),
      conveyor: captureFields(this.conveyor, SNAPSHOT_FIELDS.conveyor),
      processNoise: captureFields(this.processNoise, SNAPSHOT_FIELDS.random),
      sensorNoise: captureFields(this.sensorNoise, SNAPSHOT_FIELDS.random),
    };
  }

  read(name: string): SignalValue {
    const i = this.byName.get(name);
    if (i === undefined) throw new RangeError(`read ${JSON.stringify(name)}: unknown signal`);
    const spec = this.signals[i]!;
    if (spec.type === "DoubleArray") return Array.from(this.items.subarray(0, this.itemCount));
    const v = this.values[i]!;
    return spec.type === "Boolean" ? v !== 0 : v;
  }

  /** The latest value of a scalar signal by index (no allocation; readers resolve the index once). */
  valueAt(index: number): number {
    return this.values[index]!;
  }

  indexOf(name: string): number | undefined {
    return this.byName.get(name);
  }

  write(name: string, value: SignalValue): void {
    checkWrite(this.signals, name, value);
    this.values[this.byName.get(name)!] = typeof value === "boolean" ? (value ? 1 : 0) : (value as number);
    this.written = true;
  }

  latent(): DemoCellLatent {
    return { bearingWear: this.x[X.bearingWear]!, foulingResistance: this.x[X.foulingResistance]!, wearGrowth: this.wearGrowth, foulingGrowth: this.foulingGrowth };
  }

  setLatent(p: Partial<DemoCellLatent>): void {
    if (p.bearingWear !== undefined) this.x[X.bearingWear] = p.bearingWear;
    if (p.foulingResistance !== undefined) this.x[X.foulingResistance] = p.foulingResistance;
    if (p.wearGrowth !== undefined) this.wearGrowth = p.wearGrowth;
    if (p.foulingGrowth !== undefined) this.foulingGrowth = p.foulingGrowth;
  }

  setDisturbance(d: { feedTemperatureOffsetK?: number; coolantTemperatureOffsetK?: number }): void {
    if (d.feedTemperatureOffsetK !== undefined) this.feedOffsetK = d.feedTemperatureOffsetK;
    if (d.coolantTemperatureOffsetK !== undefined) this.coolantOffsetK = d.coolantTemperatureOffsetK;
  }

  stickCoolantValve(flowM3h: number | null): void {
    this.coolantValveStuckM3h = flowM3h;
  }

  forceLevelReading(levelM: number | null): void {
    this.levelReadingOverrideM = levelM;
  }

  forceTemperatureReading(temperatureC: number | null): void {
    this.temperatureReadingOverrideC = temperatureC;
  }

  /** A continuous state by its DEMO_CELL_STATE_INDEX position. */
  state(index: number): number {
    return this.x[index]!;
  }

  protected get feedTemperatureC(): number {
    return P.feedMeanC + this.feedDriftC + this.feedOffsetK;
  }

  protected get coolantInTemperatureC(): number {
    return PRODUCT_COOLER.coolantInletC + this.coolantDriftC + this.coolantOffsetK;
  }

  /** The PLC's input image: level, the high-high switch, temperature, the conveyor; operator tags as written. */
  protected samplePlcInputs(): void {
    const v = this.values;
    const at = this.at;
    const x = this.x;
    const rnd = this.sensorNoise;
    const level = x[X.level]!;
    if (!this.highHighSwitch && level >= BUFFER_TANK.highHighM) this.highHighSwitch = true;
    else if (this.highHighSwitch && level < BUFFER_TANK.highHighM - P.switchHysteresisM) this.highHighSwitch = false;
    const levelReading = this.levelReadingOverrideM ?? Math.max(0, level + rnd.gaussian(0, P.noise.levelM));
    v[at["bufferTank.level"]] = levelReading;
    v[at["bufferTank.temperature"]] = this.temperatureReadingOverrideC ?? x[X.temperature]! + rnd.gaussian(0, P.noise.temperatureC);
    v[at["bufferTank.levelHighHigh"]] = this.highHighSwitch ? 1 : 0;
    const pin = this.plcIn;
    pin.levelM = levelReading;
    pin.levelHighHighSwitch = this.highHighSwitch;
    pin.temperatureC = v[at["bufferTank.temperature"]]!;
    pin.conveyorInPosition = this.conveyor.inPosition;
    pin.conveyorMoving = this.conveyor.isMoving;
    pin.fillVolumeL = this.conveyor.fillVolumeL;
    const cmd = this.plcCmd;
    cmd.startCommand = v[at["cell.startCommand"]] !== 0;
    cmd.stopCommand = v[at["cell.stopCommand"]] !== 0;
    cmd.levelSetpointM = v[at["bufferTank.levelSetpoint"]]!;
    cmd.temperatureSetpointC = v[at["bufferTank.temperatureSetpoint"]]!;
    cmd.fillVolumeSetpointL = v[at["fillingStation.fillVolumeSetpoint"]]!;
    cmd.coolantFlowSetpointM3h = v[at["heatExchanger.coolantFlowSetpoint"]]!;
  }

  /** Every other field sensor, read where a step ends (as DemoCellSimulation's sampleSensors computes them). */
  protected sampleReadings(): void {
    const v = this.values;
    const at = this.at;
    const x = this.x;
    const rnd = this.sensorNoise;
    evaluatePump(FEED_PUMP, this.pumpSpeedRpm, x[X.bearingWear]!, this.pumpEnergized, this.pump);
    v[at["feedPump.running"]] = this.pumpEnergized ? 1 : 0;
    v[at["feedPump.speed"]] = this.pumpSpeedRpm > 0 ? Math.max(0, this.pumpSpeedRpm + rnd.gaussian(0, P.noise.speedRpm)) : 0;
    v[at["feedPump.flow"]] = flow(this.pump.flowM3h + rnd.gaussian(0, P.noise.flowM3h));
    v[at["feedPump.dischargePressure"]] = Math.max(0, this.pump.dischargePressureBar + rnd.gaussian(0, P.noise.pressureBar));
    v[at["feedPump.motorCurrent"]] = this.pumpEnergized ? Math.max(0, this.pump.motorCurrentA + rnd.gaussian(0, P.noise.currentA)) : 0;
    v[at["feedPump.vibration"]] = Math.max(0, this.pump.vibrationMmS + rnd.gaussian(0, P.noise.vibrationMmS));
    v[at["bufferTank.heaterPower"]] = this.heaterKw > 0 ? Math.max(0, this.heaterKw + rnd.gaussian(0, P.noise.heaterKw)) : 0;
    v[at["bufferTank.outletFlow"]] = flow(this.outflowM3s * 3600 + (this.outflowM3s > 0 ? rnd.gaussian(0, P.noise.flowM3h) : 0));
    v[at["heatExchanger.productOutTemp"]] = x[X.productOut]! + rnd.gaussian(0, P.noise.temperatureC);
    v[at["heatExchanger.coolantInTemp"]] = this.coolantInTemperatureC + rnd.gaussian(0, P.noise.temperatureC);
    v[at["heatExchanger.coolantOutTemp"]] = x[X.coolantOut]! + rnd.gaussian(0, P.noise.temperatureC);
    v[at["heatExchanger.coolantFlow"]] = flow(x[X.coolantFlow]! + rnd.gaussian(0, P.noise.coolantFlowM3h));
    v[at["fillingStation.beltSpeed"]] = this.conveyor.beltSpeedMps;
    v[at["fillingStation.fillValveOpen"]] = this.fillValveOpen ? 1 : 0;
    v[at["fillingStation.itemsProduced"]] = this.conveyor.itemsProduced;
    v[at["truth.bearingWear"]] = x[X.bearingWear]!;
    v[at["truth.foulingResistance"]] = x[X.foulingResistance]!;
  }

  protected publishPlc(): void {
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

  protected publishItems(): void {
    this.itemCount = this.conveyor.positions(this.items);
  }

}

/** Magnetic flowmeters report zero below their low-flow cutoff. */
function flow(m3h: number): number {
  return m3h < P.lowFlowCutoffM3h ? 0 : m3h;
}
