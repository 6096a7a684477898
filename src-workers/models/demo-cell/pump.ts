/**
 * Feed pump P-101: a speed-controlled centrifugal pump on a feed line to the top of the buffer tank.
 * Quasi-static hydraulics (the fluid in the line has negligible inertia against the 10 ms steps):
 * the operating point is where the pump curve meets the system curve at the present speed.
 */

export const WATER_DENSITY = 1000; // kg/m³
export const GRAVITY = 9.81; // m/s²

export interface PumpParams {
  ratedSpeedRpm: number;
  /** Head at zero flow and rated speed, new bearing. */
  shutoffHeadM: number;
  /** Best-efficiency flow at rated speed. */
  ratedFlowM3h: number;
  /** Head at rated flow and speed; fixes the curvature of the head curve. */
  ratedHeadM: number;
  bestEfficiency: number;
  /** Fraction of the shut-off head lost at wear 1 (rubbing, internal recirculation from a worn bearing). */
  wearHeadLoss: number;
  /** Static head of the feed line: lift to the tank inlet plus the inlet nozzle's back-pressure. */
  staticHeadM: number;
  /** Friction of the feed line (filter, valves, piping): head = c·Q². */
  lineFrictionMPerM3h2: number;
  noLoadCurrentA: number;
  supplyVoltageV: number;
  powerFactor: number;
  motorEfficiency: number;
  /** Bearing friction loss at rated speed: base + wear² term. */
  bearingLossBaseW: number;
  bearingLossWearW: number;
  /** Vibration velocity (mm/s RMS) at rated speed: base + wear² term. */
  vibrationBaseMmS: number;
  vibrationWearMmS: number;
  /** Wear per second of running at rated speed, no load, new bearing; scaled by the degradation speed-up. */
  wearRatePerS: number;
}

/** P-101 (scene: ratedSpeedRpm 2900, shutoffHeadM 32, ratedFlowM3h 18), a 2.2 kW motor on 400 V. */
export const FEED_PUMP: PumpParams = {
  ratedSpeedRpm: 2900,
  shutoffHeadM: 32,
  ratedFlowM3h: 18,
  ratedHeadM: 24,
  bestEfficiency: 0.72,
  wearHeadLoss: 0.25,
  staticHeadM: 6,
  lineFrictionMPerM3h2: 0.104,
  noLoadCurrentA: 2.4,
  supplyVoltageV: 400,
  powerFactor: 0.86,
  motorEfficiency: 0.88,
  bearingLossBaseW: 40,
  bearingLossWearW: 1500,
  vibrationBaseMmS: 1.2,
  vibrationWearMmS: 9,
  // A bearing already in distress: at speed-up 1 it runs for days, at 600 it fails within minutes.
  wearRatePerS: 5e-6,
};

/** Everything the pump shows at one instant. Written in place to keep the simulation step allocation-free. */
export interface PumpState {
  flowM3h: number;
  /** Head the pump generates (at zero flow: against the closed check valve). */
  headM: number;
  dischargePressureBar: number;
  shaftPowerKw: number;
  motorCurrentA: number;
  vibrationMmS: number;
  /** Shaft power relative to rated shaft power; drives bearing wear. */
  loadRatio: number;
}

export function newPumpState(): PumpState {
  return { flowM3h: 0, headM: 0, dischargePressureBar: 0, shaftPowerKw: 0, motorCurrentA: 0, vibrationMmS: 0, loadRatio: 0 };
}

/** Head-curve coefficient k in H = H0·s² − k·Q². */
function curveK(p: PumpParams): number {
  return (p.shutoffHeadM - p.ratedHeadM) / (p.ratedFlowM3h * p.ratedFlowM3h);
}

/** Shut-off head at speed ratio s, reduced by bearing wear. */
export function shutoffHead(p: PumpParams, speedRatio: number, wear: number): number {
  return p.shutoffHeadM * speedRatio * speedRatio * (1 - p.wearHeadLoss * wear);
}

/** Flow where the pump curve meets the system curve; 0 while the pump cannot beat the static head (check valve shut). */
export function pumpFlowM3h(p: PumpParams, speedRatio: number, wear: number): number {
  const excess = shutoffHead(p, speedRatio, wear) - p.staticHeadM;
  if (excess <= 0) return 0;
  return Math.sqrt(excess / (curveK(p) + p.lineFrictionMPerM3h2));
}

/** Speed (rpm) that delivers `flowM3h` against the system curve; the inverse of pumpFlowM3h. */
export function speedForFlowRpm(p: PumpParams, flowM3h: number, wear: number): number {
  const head = p.staticHeadM + (curveK(p) + p.lineFrictionMPerM3h2) * flowM3h * flowM3h;
  return p.ratedSpeedRpm * Math.sqrt(head / (p.shutoffHeadM * (1 - p.wearHeadLoss * wear)));
}

function ratedShaftPowerKw(p: PumpParams): number {
  return (WATER_DENSITY * GRAVITY * (p.ratedFlowM3h / 3600) * p.ratedHeadM) / p.bestEfficiency / 1000;
}

/**
 * Computes the pump's state at `speedRpm` (actual shaft speed) and `wear` (0 new … 1 worn out).
 * `energized`: the drive feeds the motor (no-load current flows, even at low speed).
 */
export function evaluatePump(p: PumpParams, speedRpm: number, wear: number, energized: boolean, out: PumpState): PumpState {
  const s = Math.max(0, speedRpm) / p.ratedSpeedRpm;
  const q = pumpFlowM3h(p, s, wear);
  const head = Math.max(0, shutoffHead(p, s, wear) - curveK(p) * q * q);
  out.flowM3h = q;
  out.headM = head;
  out.dischargePressureBar = (WATER_DENSITY * GRAVITY * head) / 1e5;

  // Hydraulic losses by the affinity laws: at speed ratio s the pump behaves like the rated-speed pump
  // at flow q/s and head H/s², with power scaled by s³. Efficiency is a parabola through zero with its
  // peak at the rated flow; the ratio P_hyd/η then stays finite at zero flow (the shut-off power).
  let hydraulicKw = 0;
  if (s > 1e-6) {
    const x = Math.min(1.8, q / s / p.ratedFlowM3h);
    const headEq = head / (s * s);
    const ratedPowerEqW = (WATER_DENSITY * GRAVITY * headEq * (p.ratedFlowM3h / 3600)) / (p.bestEfficiency * (2 - x));
    hydraulicKw = (s * s * s * ratedPowerEqW) / 1000;
  }
  const bearingKw = (s * (p.bearingLossBaseW + p.bearingLossWearW * wear * wear)) / 1000;
  out.shaftPowerKw = hydraulicKw + bearingKw;
  out.loadRatio = out.shaftPowerKw / ratedShaftPowerKw(p);
  const currentPerKw = 1000 / (Math.sqrt(3) * p.supplyVoltageV * p.powerFactor * p.motorEfficiency);
  out.motorCurrentA = energized ? p.noLoadCurrentA + out.shaftPowerKw * currentPerKw : 0;
  // A damaged bearing's vibration grows with the square of the damage; its amplitude with speed.
  out.vibrationMmS = s > 1e-6 ? (p.vibrationBaseMmS + p.vibrationWearMmS * wear * wear) * (0.35 + 0.65 * s) : 0;
  return out;
}

/**
 * d(wear)/dt: grows only while turning, faster at high speed and load, and faster the more worn the bearing
 * already is (spalling feeds itself). `speedup` is the demo's degradation speed-up.
 */
export function wearRate(p: PumpParams, speedRpm: number, loadRatio: number, wear: number, speedup: number): number {
  if (wear >= 1 || speedRpm <= 0) return 0;
  const s = speedRpm / p.ratedSpeedRpm;
  return speedup * p.wearRatePerS * s * s * (0.5 + loadRatio) * (1 + 4 * Math.max(0, wear));
}
