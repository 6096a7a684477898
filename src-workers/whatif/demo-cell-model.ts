/**
 * The demo cell as a what-if model: scene names for its latent parameters, disturbances and faults, and
 * forking from a PlantState (exactly from a simulator snapshot, approximately from an estimate).
 */
import type { PlantState } from "../../src-main/common/whatif/schema";
import {
  DEMO_CELL_STATE_INDEX,
  DemoCellSimulation,
  type DemoCellLatent,
  type DemoCellSnapshot,
} from "../models/demo-cell/demo-cell-simulation";
import { DEMO_CELL_SIGNALS } from "../models/demo-cell/signals";
import { DemoCellFastSimulation } from "./fast/demo-cell-fast";
import type { ForkOptions, WhatifModel, WhatifPlant } from "./model";

/**
 * Latent names (the scene's `model.latent`, the estimator's rate factors: 1 = the nominal law) → the
 * simulation's.
 */
const LATENT: Record<string, { key: keyof DemoCellLatent; min: number; max: number; unit?: string; rateFactor?: string }> = {
  "feedPump.bearingWear": { key: "bearingWear", min: 0, max: 1, unit: "1", rateFactor: "feedPump.wearRateFactor" },
  "heatExchanger.foulingResistance": { key: "foulingResistance", min: 0, max: 10, unit: "m²K/kW", rateFactor: "heatExchanger.foulingRateFactor" },
  "feedPump.wearRateFactor": { key: "wearGrowth", min: 0, max: 1e6 },
  "heatExchanger.foulingRateFactor": { key: "foulingGrowth", min: 0, max: 1e6 },
};

/** Continuous states an estimate may set, by tag id → position in the snapshot's state vector. */
const CONTINUOUS: Record<string, number> = {
  "bufferTank.level": DEMO_CELL_STATE_INDEX.level,
  "bufferTank.temperature": DEMO_CELL_STATE_INDEX.temperature,
  "heatExchanger.productOutTemp": DEMO_CELL_STATE_INDEX.productOut,
  "heatExchanger.coolantOutTemp": DEMO_CELL_STATE_INDEX.coolantOut,
  "heatExchanger.coolantFlow": DEMO_CELL_STATE_INDEX.coolantFlow,
};

const DISTURBANCES = { feedTemperature: "feedTemperatureOffsetK", coolantTemperature: "coolantTemperatureOffsetK" } as const;
const SCALARS = DEMO_CELL_SIGNALS.filter((s) => s.type !== "DoubleArray").map((s) => s.name);
const SETPOINTS = DEMO_CELL_SIGNALS.filter((s) => s.direction === "input" && s.type === "Double").map((s) => s.name);

export const demoCellModel: WhatifModel = {
  capabilities: {
    model: "demo-cell",
    readable: [...SCALARS, ...Object.keys(LATENT)],
    latent: Object.entries(LATENT).map(([name, l]) => ({ name, min: l.min, max: l.max, unit: l.unit, rateFactor: l.rateFactor })),
    disturbances: Object.keys(DISTURBANCES),
    valves: ["heatExchanger.coolantFlow"],
    sensors: ["bufferTank.level", "bufferTank.temperature"],
    lineStop: { stop: "cell.stopCommand", start: "cell.startCommand" },
    // Scene names for the latent truth (not the simulator's truth.* signals); no heartbeat.
    outputs: [...SCALARS.filter((n) => n !== "cell.heartbeat" && !n.startsWith("truth.")), "feedPump.bearingWear", "heatExchanger.foulingResistance"],
    continuous: Object.keys(CONTINUOUS),
  },

  fork(state: PlantState, options: ForkOptions): WhatifPlant {
    if (state.model !== "demo-cell") throw new RangeError(`demo-cell what-if: cannot fork a ${JSON.stringify(state.model)} state`);
    const sim = new DemoCellSimulation({ model: "demo-cell", seed: options.seed ?? 1, maxSubstepS: options.fidelity === "fast" ? undefined : options.substepS });
    if (state.exact !== undefined) sim.restore(state.exact as DemoCellSnapshot);
    else applyEstimate(sim, state);
    for (const latent of [state.latent, options.latent ?? {}]) {
      for (const [name, value] of Object.entries(latent)) setLatent(sim, name, value);
    }
    if (options.noiseSeed !== undefined) sim.reseedNoise(options.noiseSeed);
    // The fast path continues from the reference's snapshot of the forked state.
    if (options.fidelity === "fast") return new DemoCellPlant(new DemoCellFastSimulation(sim.snapshot(), { maxStepS: options.substepS }));
    return new DemoCellPlant(sim);
  },

  simulatorState(seed: number, warmupS: number, degradationSpeedup = 1): PlantState {
    const sim = new DemoCellSimulation({ model: "demo-cell", seed, degradationSpeedup });
    const whole = Math.floor(warmupS);
    for (let k = 0; k < whole; k++) sim.step(1);
    if (warmupS > whole) sim.step(warmupS - whole);
    return captureDemoCellState(sim);
  },
};

/** The simulator's own state as a PlantState, exact snapshot included. */
export function captureDemoCellState(sim: DemoCellSimulation): PlantState {
  const latent = sim.latent();
  const snapshot = sim.snapshot();
  return {
    model: "demo-cell",
    source: "simulator",
    timeS: sim.timeS,
    latent: Object.fromEntries(Object.entries(LATENT).map(([name, l]) => [name, latent[l.key]])),
    continuous: Object.fromEntries(Object.entries(CONTINUOUS).map(([name, i]) => [name, snapshot.x[i]!])),
    inputs: Object.fromEntries(SETPOINTS.map((name) => [name, sim.read(name) as number])),
    exact: snapshot,
  };
}

function setLatent(sim: DemoCellSimulation | DemoCellFastSimulation, name: string, value: number): void {
  const l = LATENT[name];
  if (!l) throw new RangeError(`demo-cell what-if: unknown latent parameter ${JSON.stringify(name)}; known: ${Object.keys(LATENT).join(", ")}`);
  // Posterior draws can fall outside the physical range; clamp rather than refuse the run.
  sim.setLatent({ [l.key]: Math.min(l.max, Math.max(l.min, value)) });
}

/**
 * An estimate has no controller or sequence states: start from the nominal operating point, then set the
 * estimated setpoints and continuous states, with the PLC's filters at the new readings so its loops
 * see no step.
 */
function applyEstimate(sim: DemoCellSimulation, state: PlantState): void {
  for (const [tag, v] of Object.entries(state.inputs)) {
    if (typeof v === "number" && SETPOINTS.includes(tag)) sim.write(tag, v);
  }
  const snap = sim.snapshot();
  for (const [name, v] of Object.entries(state.continuous)) {
    const i = CONTINUOUS[name];
    if (i === undefined) throw new RangeError(`demo-cell what-if: unknown continuous state ${JSON.stringify(name)}; known: ${Object.keys(CONTINUOUS).join(", ")}`);
    snap.x[i] = v;
    // The continuous names are the tags that read them: their last reading is the estimate.
    snap.values[DEMO_CELL_SIGNALS.findIndex((sig) => sig.name === name)] = v;
  }
  const level = snap.x[DEMO_CELL_STATE_INDEX.level]!;
  const temperature = snap.x[DEMO_CELL_STATE_INDEX.temperature]!;
  snap.controller.levelFiltered = level;
  snap.controller.temperatureFiltered = temperature;
  snap.levelPid.lastPv = level;
  snap.temperaturePid.lastPv = temperature;
  snap.plcIn.levelM = level;
  snap.plcIn.temperatureC = temperature;
  sim.restore(snap);
}

/** What the plant adapter needs of a demo-cell integrator: the reference or the fast one. */
type DemoCellIntegrator = DemoCellSimulation | DemoCellFastSimulation;

class DemoCellPlant implements WhatifPlant {
  constructor(readonly sim: DemoCellIntegrator) {}

  reader(name: string): () => number {
    const l = LATENT[name];
    const sim = this.sim;
    if (l && sim instanceof DemoCellFastSimulation && (l.key === "bearingWear" || l.key === "foulingResistance")) {
      // Straight from the state vector: latent() allocates, and the runner reads these every step.
      const index = DEMO_CELL_STATE_INDEX[l.key];
      return () => sim.state(index);
    }
    if (l) return () => this.sim.latent()[l.key];
    if (!SCALARS.includes(name)) {
      throw new RangeError(`demo-cell what-if: cannot read ${JSON.stringify(name)}; readable: ${demoCellModel.capabilities.readable.join(", ")}`);
    }
    if (sim instanceof DemoCellFastSimulation) {
      // Scalars by index, resolved once: the runner reads every output every step.
      const fast = sim;
      const i = fast.indexOf(name)!;
      return () => fast.valueAt(i);
    }
    return () => {
      const v = sim.read(name);
      return typeof v === "number" ? v : v ? 1 : 0;
    };
  }

  setLatent(name: string, value: number): void {
    setLatent(this.sim, name, value);
  }

  setDisturbance(input: string, offsetK: number): void {
    const key = DISTURBANCES[input as keyof typeof DISTURBANCES];
    if (!key) throw new RangeError(`demo-cell what-if: unknown disturbance ${JSON.stringify(input)}`);
    this.sim.setDisturbance({ [key]: offsetK });
  }

  stickValve(tag: string, value: number | null | undefined): void {
    if (tag !== "heatExchanger.coolantFlow") throw new RangeError(`demo-cell what-if: no valve sets ${JSON.stringify(tag)}`);
    this.sim.stickCoolantValve(value === undefined ? this.sim.snapshot().x[DEMO_CELL_STATE_INDEX.coolantFlow]! : value);
  }

  failSensor(tag: string, value: number | null | undefined): void {
    const reading = value === undefined ? (this.sim.read(tag) as number) : value;
    if (tag === "bufferTank.level") this.sim.forceLevelReading(reading);
    else if (tag === "bufferTank.temperature") this.sim.forceTemperatureReading(reading);
    else throw new RangeError(`demo-cell what-if: sensor ${JSON.stringify(tag)} cannot fail`);
  }
}
