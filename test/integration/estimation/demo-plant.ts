/**
 * The simulated demo plant as ground truth for estimator tests: steps a DemoCellSimulation in-process at the
 * scene's 20 Hz and packs its measurements in the estimator's tag order (the hidden truth is read apart).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseScene } from "../../../src-main/common/scene/parse";
import type { Scene } from "../../../src-main/common/scene/schema";
import { DemoCellSimulation } from "../../../src-workers/models/demo-cell/demo-cell-simulation";

export const DT = 0.05;

export function demoScene(): Scene {
  const parsed = parseScene(readFileSync(new URL("../../../scenes/demo-cell.scene.yaml", import.meta.url), "utf8"));
  assert.ok(parsed.ok, "demo scene parses");
  return parsed.scene;
}

export class DemoPlant {
  readonly sim: DemoCellSimulation;
  readonly values: Float64Array;
  readonly mask: Uint8Array;

  constructor(
    readonly tags: readonly string[],
    seed: number,
    degradationSpeedup: number,
  ) {
    this.sim = new DemoCellSimulation({ model: "demo-cell", seed, degradationSpeedup });
    this.values = new Float64Array(tags.length);
    this.mask = new Uint8Array(tags.length).fill(1);
    this.sample();
  }

  get timeS(): number {
    return this.sim.timeS;
  }

  /** Advances one loop period and samples every tag (Booleans as 0/1). */
  step(): void {
    this.sim.step(DT);
    this.sample();
  }

  truth(name: "bearingWear" | "foulingResistance"): number {
    return this.sim.read(`truth.${name}`) as number;
  }

  private sample(): void {
    this.tags.forEach((t, i) => {
      this.values[i] = Number(this.sim.read(t));
    });
  }
}

/** Simulated time at which a truth signal first reaches `threshold` (run separately, same seed). */
export function truthCrossing(seed: number, degradationSpeedup: number, name: "bearingWear" | "foulingResistance", threshold: number, limitS: number): number {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed, degradationSpeedup });
  while (sim.timeS < limitS) {
    sim.step(DT);
    if ((sim.read(`truth.${name}`) as number) >= threshold) return sim.timeS;
  }
  return Infinity;
}
