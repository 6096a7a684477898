/**
 * The plant worker's API as a plain class: owns one simulation, steps it and packs frames for the trip
 * between threads. Testable without threads; plant.worker.ts only exposes it through comlink.
 */
import { checkWrite } from "../models/demo-cell/signals";
import { createSimulation } from "./create-simulation";
import type { PlantSimulation, SignalSpec, SignalValue, SimulationFrame, SimulationOptions, SimulationWorkerApi } from "./simulation-types";

export class SimulationService implements SimulationWorkerApi {
  private sim: PlantSimulation | null = null;
  private signals: readonly SignalSpec[] = [];

  /** Creates (or replaces) the simulation; returns its signals in frame order. */
  init(options: SimulationOptions): SignalSpec[] {
    const sim = createSimulation(options);
    this.sim = sim;
    this.signals = sim.signals;
    // Plain copies: structured-clonable and safe from mutation by the receiver.
    return sim.signals.map((s) => ({ ...s, ...(s.range ? { range: [s.range[0], s.range[1]] as [number, number] } : {}) }));
  }

  step(dtS: number): SimulationFrame {
    const sim = this.require("step");
    sim.step(dtS);
    return this.pack(sim);
  }

  /** Sets an input; throws a RangeError naming the signal, the value and what is allowed. */
  write(name: string, value: SignalValue): void {
    const sim = this.require("write");
    // Checked here too, so every model gets the same messages whatever its own checks.
    checkWrite(this.signals, name, value);
    sim.write(name, value);
  }

  frame(): SimulationFrame {
    return this.pack(this.require("frame"));
  }

  private require(what: string): PlantSimulation {
    if (!this.sim) throw new Error(`simulation ${what}: not initialised; call init({ model, seed }) first`);
    return this.sim;
  }

  private pack(sim: PlantSimulation): SimulationFrame {
    const n = this.signals.length;
    const scalars = new Float64Array(n);
    const arrays: Record<string, Float64Array> = {};
    for (let i = 0; i < n; i++) {
      const spec = this.signals[i]!;
      const value = sim.read(spec.name);
      if (spec.type === "DoubleArray") {
        scalars[i] = Number.NaN;
        arrays[spec.name] = Float64Array.from(Array.isArray(value) ? value : []);
      } else {
        scalars[i] = typeof value === "boolean" ? (value ? 1 : 0) : (value as number);
      }
    }
    return { timeS: sim.timeS, scalars, arrays };
  }
}
