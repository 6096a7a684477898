/**
 * `twinbench estimate --scene S --csv IN --out OUT`: the estimator over recorded measurements, offline.
 * It runs the same estimator core as the live worker, so the same measurements give the same estimates.
 * Input and output formats: src-workers/estimation/offline.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { demoCellEstimatorConfig } from "../../src-workers/estimation/demo-cell";
import { estimateCsv, formatEstimateCsv } from "../../src-workers/estimation/offline";
import { loadSceneFile } from "../runtime/scene-file";
import { positive } from "./arguments";

export interface EstimateCommandOptions {
  scene: string;
  csv: string;
  out: string;
  /** The recording's degradation speed-up (a simulated plant's demo knob); 1 for a real plant. */
  speedup: number;
}

export function estimateCommand(o: EstimateCommandOptions): { rows: number; variables: number } {
  const scene = loadSceneFile(o.scene);
  if (!scene.estimation) throw new Error(`${o.scene}: the scene declares no estimation block`);
  let text: string;
  try {
    text = readFileSync(o.csv, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${o.csv}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  const result = estimateCsv(demoCellEstimatorConfig(scene, { degradationSpeedup: o.speedup }), text);
  writeFileSync(o.out, formatEstimateCsv(result));
  return { rows: result.rows.length, variables: result.layout.variables.length };
}

export function registerEstimateCommand(program: Command): void {
  program
    .command("estimate")
    .description("Run the estimator over recorded measurements (CSV: time in seconds, one column per tag); writes every estimate and its standard deviation per step.")
    .requiredOption("--scene <file>", "scene file")
    .requiredOption("--csv <file>", "measurements (see src-workers/estimation/offline.ts for the format)")
    .requiredOption("--out <file>", "estimates CSV to write")
    .option("--speedup <factor>", "degradation speed-up of the recorded (simulated) plant", positive, 1)
    .action((opts: EstimateCommandOptions) => {
      const { rows, variables } = estimateCommand(opts);
      console.log(`${opts.out}: ${rows} steps, ${variables} estimated variables (mean and sd each)`);
    });
}
