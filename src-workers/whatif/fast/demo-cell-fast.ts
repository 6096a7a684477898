/**
 * The demo cell for what-if studies, fast: the same physics parts and the same PLC program as
 * DemoCellSimulation (the reference, 10 ms substeps, each with RK4 and a PLC scan), integrated in steps of
 * up to `maxStepS` instead:
 *
 * - Discrete events are located on the reference's 10 ms scan grid: a step ends at the scan that first sees
 *   the conveyor in position or the bottle full (both move linearly, so their times are known in advance),
 *   and after any scan that changed the PLC's sequence the next step is one scan long, so chains of
 *   immediate transitions (fill done → index pulse → belt moving) play out scan by scan as in the reference.
 * - The PLC runs once per step with that step's length (sample-and-hold of its inputs and outputs); its loops
 *   are 30 s to 600 s slow, their 1 s and 5 s input filters are discretised for the step.
 * - Slow states (level, temperature, wear, fouling) by RK4 with the flows and heater held over the step;
 *   the fast linear lags (coolant flow 4 s, coolant outlet 3 s, product line washout ~1 s) solved exactly;
 *   feed and coolant drift by the exact Ornstein–Uhlenbeck transition.
 * - Sensors the PLC reads are sampled every step, the others only where the step ends (where they are read).
 *
 * The noise realisation differs from the reference's (fewer draws), so runs agree in distribution, not
 * path by path; test/unit/whatif/fast-accuracy.test.ts measures the difference of KPIs and trajectories.
 * It starts from and produces the reference's snapshots.
 */
import { Rk4, type Derivative } from "../../solvers/rk4";
import { CellState } from "../../models/demo-cell/control";
import { DEMO_CELL_PHYSICS as P, DEMO_CELL_STATE_INDEX as X, MAX_SUBSTEP_S, type DemoCellSnapshot } from "../../models/demo-cell/demo-cell-simulation";
import { FILLING_LINE } from "../../models/demo-cell/filling-conveyor";
import { evaluateHeatExchanger, foulingRate, PRODUCT_COOLER } from "../../models/demo-cell/heat-exchanger";
import { evaluatePump, FEED_PUMP, wearRate } from "../../models/demo-cell/pump";
import { BUFFER_TANK, levelRate, temperatureRate } from "../../models/demo-cell/tank";
import { DemoCellFastState } from "./fast-state";
import { lagExact, ouExact } from "./fields";

/**
 * Default longest step, s: the PLC loops (30 s to 600 s closed loop) see their inputs at least once a second,
 * the resolution what-if runs record and integrate KPIs at. 0.5 s measured no more accurate (fast-accuracy test).
 */
export const FAST_MAX_STEP_S = 1;
const SCAN_S = MAX_SUBSTEP_S;
const EPS = 1e-9;
// Slow state vector of the RK4 part.
const S_LEVEL = 0;
const S_TEMPERATURE = 1;
const S_WEAR = 2;
const S_FOULING = 3;

interface ConveyorInternals {
  travelM: number;
  targetM: number;
}

export interface FastOptions {
  /** Longest step, s (a multiple of the 10 ms scan). */
  maxStepS?: number;
}

export class DemoCellFastSimulation extends DemoCellFastState {
  readonly maxStepS: number;
  private readonly slow = new Float64Array(4);
  private readonly rk4 = new Rk4(4);
  /** Pump speed the flows of this step are computed at (the mean over its ramp). */
  private flowSpeedRpm = 0;

  /** Continues exactly where `snapshot` (of a DemoCellSimulation or of this class) stands. */
  constructor(snapshot: DemoCellSnapshot, options: FastOptions = {}) {
    super(snapshot);
    const maxStep = options.maxStepS ?? FAST_MAX_STEP_S;
    if (!(maxStep >= SCAN_S && maxStep <= 60)) throw new RangeError(`fast demo cell: maxStepS must be in [${SCAN_S}, 60] s, got ${maxStep}`);
    this.maxStepS = Math.round(maxStep / SCAN_S) * SCAN_S;
  }

  private readonly derivative: Derivative = (_t, y, dydt) => {
    const level = y[S_LEVEL]!;
    const temperature = y[S_TEMPERATURE]!;
    dydt[S_LEVEL] = levelRate(BUFFER_TANK, level, this.inflowM3s, this.outflowM3s);
    dydt[S_TEMPERATURE] = temperatureRate(BUFFER_TANK, level, temperature, this.inflowM3s, this.feedTemperatureC, this.heaterKw, P.ambientC);
    dydt[S_WEAR] = wearRate(FEED_PUMP, this.flowSpeedRpm, this.pump.loadRatio, y[S_WEAR]!, this.speedup * this.wearGrowth);
    dydt[S_FOULING] = foulingRate(PRODUCT_COOLER, temperature, this.speedup * this.foulingGrowth);
  };

  step(dtS: number): void {
    if (!Number.isFinite(dtS) || dtS < 0) throw new RangeError(`step: dtS must be a finite number ≥ 0, got ${dtS}`);
    if (dtS === 0) return;
    const start = this.time;
    const end = start + dtS;
    let t = start;
    let quick = this.written;
    this.written = false;
    while (end - t > EPS) {
      this.followPlc();
      let h = Math.min(end - t, this.maxStepS, this.nextEventIn(start, t));
      if (quick) h = Math.min(h, SCAN_S);
      // No sliver of a step left at the end.
      if (end - (t + h) < 0.5 * SCAN_S) h = end - t;
      quick = this.advance(t, h);
      t += h;
    }
    this.time = end;
    this.sampleReadings();
    this.publishItems();
  }

  /** Actuators follow the PLC's last scan (the pump's ramp is taken with the step, in advance). */
  private followPlc(): void {
    const plc = this.controller.outputs;
    this.pumpEnergized = plc.pumpRun;
    this.heaterKw = Math.min(Math.max(plc.heaterKw, 0), BUFFER_TANK.maxHeaterKw);
    this.fillValveOpen = plc.fillValveOpen;
    if (plc.conveyorIndex) this.conveyor.requestIndex();
    this.coolantFlowTargetM3h = this.coolantValveStuckM3h ?? Math.max(0, plc.coolantFlowM3h);
  }

  /** Time from t to the first scan (on this step's 10 ms grid from `start`) that sees the next discrete event. */
  private nextEventIn(start: number, t: number): number {
    let te = Infinity;
    const c = this.conveyor;
    if (c.isMoving) {
      const k = c as unknown as ConveyorInternals;
      te = t + (k.targetM - k.travelM) / FILLING_LINE.beltSpeedMps;
    } else if (this.fillValveOpen && c.inPosition && this.x[X.level]! > BUFFER_TANK.outletMinLevelM) {
      const need = this.plcCmd.fillVolumeSetpointL - c.fillVolumeL;
      // Litres per second through the open valve: m³/h ÷ 3.6.
      te = t + Math.max(0, need) / (FILLING_LINE.fillFlowM3h / 3.6);
    }
    if (this.controller.cellState === CellState.Starting) {
      const timer = (this.controller as unknown as { startTimerS: number }).startTimerS;
      te = Math.min(te, t + Math.max(0, this.controller.params.startTimeoutS - timer));
    }
    if (!Number.isFinite(te)) return Infinity;
    const scan = start + Math.ceil((te - start) / SCAN_S - 1e-6) * SCAN_S;
    return Math.max(SCAN_S, scan - t);
  }

  /** One step of h seconds from t; returns whether the PLC's scan at its end changed the sequence. */
  private advance(t: number, h: number): boolean {
    const x = this.x;
    const plc = this.controller.outputs;

    // Pump: ramp (or coast) over the step; the flows use the mean speed.
    const before = this.pumpSpeedRpm;
    if (plc.pumpRun) {
      const target = Math.min(Math.max(plc.pumpSpeedRpm, 0), FEED_PUMP.ratedSpeedRpm);
      const maxChange = P.pumpRampRpmPerS * h;
      this.pumpSpeedRpm += Math.min(Math.max(target - this.pumpSpeedRpm, -maxChange), maxChange);
    } else {
      const offset = P.pumpCoastTauS * P.pumpCoastFrictionRpmPerS;
      this.pumpSpeedRpm = Math.max(0, (this.pumpSpeedRpm + offset) * Math.exp(-h / P.pumpCoastTauS) - offset);
    }
    this.flowSpeedRpm = 0.5 * (before + this.pumpSpeedRpm);

    // Slow disturbances, exact for any step.
    const rnd = this.processNoise;
    this.feedDriftC = ouExact(this.feedDriftC, P.feedDrift.tauS, P.feedDrift.sdC, h, rnd.gaussian());
    this.coolantDriftC = ouExact(this.coolantDriftC, P.coolantDrift.tauS, P.coolantDrift.sdC, h, rnd.gaussian());

    // Algebraic parts, held over the step.
    evaluatePump(FEED_PUMP, this.flowSpeedRpm, x[X.bearingWear]!, this.pumpEnergized, this.pump);
    this.inflowM3s = this.pump.flowM3h / 3600;
    this.outflowM3s = this.fillValveOpen && x[X.level]! > BUFFER_TANK.outletMinLevelM ? FILLING_LINE.fillFlowM3h / 3600 : 0;
    evaluateHeatExchanger(PRODUCT_COOLER, x[X.foulingResistance]!, x[X.temperature]!, this.outflowM3s * 3600, this.coolantInTemperatureC, x[X.coolantFlow]!, this.cooler);

    // Slow states by RK4, fast linear lags exactly.
    const s = this.slow;
    s[S_LEVEL] = x[X.level]!;
    s[S_TEMPERATURE] = x[X.temperature]!;
    s[S_WEAR] = x[X.bearingWear]!;
    s[S_FOULING] = x[X.foulingResistance]!;
    const levelBefore = s[S_LEVEL]!;
    this.rk4.step(this.derivative, t, s, h);
    if (s[S_LEVEL]! >= BUFFER_TANK.heightM) {
      const unclamped = levelBefore + ((this.inflowM3s - this.outflowM3s) * h) / BUFFER_TANK.areaM2;
      this.overflowTotalM3 += Math.max(0, unclamped - BUFFER_TANK.heightM) * BUFFER_TANK.areaM2;
    }
    x[X.level] = Math.min(Math.max(s[S_LEVEL]!, 0), BUFFER_TANK.heightM);
    x[X.temperature] = s[S_TEMPERATURE]!;
    x[X.bearingWear] = Math.min(Math.max(s[S_WEAR]!, 0), 1);
    x[X.foulingResistance] = Math.max(0, s[S_FOULING]!);
    if (this.outflowM3s > 0) x[X.productOut] = lagExact(x[X.productOut]!, this.cooler.productOutC, PRODUCT_COOLER.productLineVolumeM3 / this.outflowM3s, h);
    x[X.coolantOut] = lagExact(x[X.coolantOut]!, this.cooler.coolantOutC, PRODUCT_COOLER.coolantOutLagS, h);
    x[X.coolantFlow] = Math.max(0, lagExact(x[X.coolantFlow]!, this.coolantFlowTargetM3h, PRODUCT_COOLER.coolantFlowLagS, h));
    this.inflowTotalM3 += this.inflowM3s * h;
    this.outflowTotalM3 += this.outflowM3s * h;
    for (let i = 0; i < 7; i++) {
      if (!Number.isFinite(x[i]!)) throw new Error(`demo-cell (fast): state ${i} became ${x[i]} at t=${t + h} s (model bug)`);
    }

    // Discrete parts, then what the PLC reads, and one scan.
    this.conveyor.addFill(this.outflowM3s * h);
    this.conveyor.advance(h);
    this.samplePlcInputs();
    const c = this.controller;
    const o = c.outputs;
    const sequence = c.cellState * 16 + c.fillSequenceStep * 4 + (o.fillValveOpen ? 2 : 0) + (o.pumpRun ? 1 : 0);
    const interlock = o.interlockActive;
    c.scan(h, this.plcIn, this.plcCmd);
    this.publishPlc();
    const after = c.cellState * 16 + c.fillSequenceStep * 4 + (o.fillValveOpen ? 2 : 0) + (o.pumpRun ? 1 : 0);
    return after !== sequence || o.conveyorIndex || o.interlockActive !== interlock;
  }

}
