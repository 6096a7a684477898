/**
 * `twinbench whatif --scene S --scenario F [--from-csv IN] --out OUT`: a batch study. Forks the scene's
 * simulator after a warm-up (or a historian moment from CSV), runs the baseline and every scenario of F
 * over the worker pool and writes into the folder OUT:
 *
 *   kpis.csv              KPI bands per scenario: baseline, scenario, paired difference
 *   <scenario>.series.csv every output over time: scenario median and band, baseline median, median difference
 *   study.json            settings, state, KPI table and assumptions
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { parseStudy, WhatifFileError } from "../common/whatif/parse";
import type { StudyResult, WhatifProgress } from "../common/whatif/results";
import { Fidelity, type PlantState } from "../common/whatif/schema";
import { formatNumber } from "../common/whatif/validate";
import { DEMO_SCENE_FILE, loadSceneFile } from "../runtime/scene-file";
import { whatifModel } from "../../src-workers/whatif/models";
import { loadWhatifContext } from "./context";
import { stateFromCsv } from "./csv-state";
import { WhatifPool } from "./pool";
import { runStudy } from "./study";

export interface WhatifBatchOptions {
  scene: string;
  scenarioFile: string;
  fromCsv?: string;
  /** Output folder (created). */
  out: string;
  /** Worker threads; default cores − 1. */
  workers?: number;
  /** Overrides the study file's settings.fidelity (default there: exact). */
  fidelity?: Fidelity;
  log?(line: string): void;
  onProgress?(progress: WhatifProgress): void;
}

export interface WhatifBatchSummary {
  study: StudyResult;
  files: string[];
}

export async function runWhatifBatch(o: WhatifBatchOptions): Promise<WhatifBatchSummary> {
  const log = o.log ?? (() => undefined);
  const scene = loadSceneFile(o.scene);
  const ctx = loadWhatifContext(o.scene, scene);
  const parsed = parseStudy(readText(o.scenarioFile));
  if (!parsed.ok) throw new WhatifFileError(o.scenarioFile, parsed.problems);
  const study = parsed.value;

  let state: PlantState;
  if (o.fromCsv) {
    state = stateFromCsv(readText(o.fromCsv), ctx, o.fromCsv);
    log(`State: ${o.fromCsv} at ${new Date(state.timeS * 1000).toISOString()} (${Object.keys(state.inputs).length} setpoints, ${Object.keys(state.continuous).length} states, ${Object.keys(state.latent).length} latent)`);
  } else {
    state = whatifModel(ctx.model.model).simulatorState(scene.simulation!.seed, study.warmupS);
    log(`State: the ${ctx.model.model} simulator (seed ${scene.simulation!.seed}) after ${formatNumber(study.warmupS)} s`);
  }

  const pool = new WhatifPool({ size: o.workers });
  let result: StudyResult;
  try {
    const settings = o.fidelity ? { ...study.settings, fidelity: o.fidelity } : study.settings;
    result = await runStudy(pool, ctx, { state, scenarios: study.scenarios, settings, monteCarlo: study.monteCarlo }, { onProgress: o.onProgress });
  } finally {
    await pool.close();
  }

  mkdirSync(o.out, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const file = join(o.out, name);
    writeFileSync(file, text);
    files.push(file);
  };
  write("kpis.csv", kpiCsv(result));
  for (const s of result.scenarios) write(`${s.name}.series.csv`, seriesCsv(s));
  write("study.json", `${JSON.stringify(summary(result), null, 2)}\n`);
  for (const line of kpiTable(result)) log(line);
  return { study: result, files };
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

const cell = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(8))) : "");

function kpiCsv(r: StudyResult): string {
  const head = "scenario,kpi,label,unit,baseline_p05,baseline_p50,baseline_p95,scenario_p05,scenario_p50,scenario_p95,delta_p05,delta_p50,delta_p95";
  const rows = r.scenarios.flatMap((s) =>
    s.kpis.map((k) =>
      [s.name, k.id, JSON.stringify(k.label), JSON.stringify(k.unit), ...[k.baseline, k.scenario, k.delta].flatMap((b) => [b.p05, b.p50, b.p95].map(cell))].join(","),
    ),
  );
  return `${[head, ...rows].join("\n")}\n`;
}

function seriesCsv(s: StudyResult["scenarios"][number]): string {
  const n = s.scenario.timesS.length;
  const head = ["time_s", ...s.scenario.outputs.flatMap((o) => [`${o}.p05`, `${o}.p50`, `${o}.p95`, `${o}.baseline_p50`, `${o}.delta_p50`])];
  const lines = [head.join(",")];
  for (let k = 0; k < n; k++) {
    const row = [cell(s.scenario.timesS[k]!)];
    s.scenario.outputs.forEach((_, o) => {
      const i = o * n + k;
      row.push(cell(s.scenario.p05[i]!), cell(s.scenario.p50[i]!), cell(s.scenario.p95[i]!), cell(s.baseline.p50[i]!), cell(s.delta.p50[i]!));
    });
    lines.push(row.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** study.json: everything but the series (they are in the CSV files). */
function summary(r: StudyResult) {
  return {
    state: r.state,
    runsPerArm: r.runsPerArm,
    seed: r.seed,
    stepS: r.stepS,
    sampleS: r.sampleS,
    substepS: r.substepS,
    wallMs: Math.round(r.wallMs),
    scenarios: r.scenarios.map((s) => ({ name: s.name, description: s.description, horizonS: s.horizonS, kpis: s.kpis })),
    assumptions: r.assumptions,
  };
}

function kpiTable(r: StudyResult): string[] {
  const lines = [`${r.scenarios.length} scenario(s), ${r.runsPerArm} run(s) per arm, ${formatNumber(r.wallMs / 1000)} s`];
  for (const s of r.scenarios) {
    lines.push(`${s.name} (${formatNumber(s.horizonS / 3600)} h): KPI, baseline → scenario, difference [90 % band]`);
    for (const k of s.kpis) {
      const unit = k.unit === "1" ? "" : ` ${k.unit}`;
      lines.push(`  ${k.label}: ${formatNumber(k.baseline.p50)} → ${formatNumber(k.scenario.p50)}${unit}, Δ ${formatNumber(k.delta.p50)} [${formatNumber(k.delta.p05)}, ${formatNumber(k.delta.p95)}]`);
    }
  }
  return lines;
}

function workerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`"${value}" is not a worker count (1-64)`);
  return n;
}

function fidelityOption(value: string): Fidelity {
  const parsed = Fidelity.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`"${value}" is not a fidelity (exact or fast)`);
  return parsed.data;
}

/** Adds `twinbench whatif` to the program. */
export function registerWhatifCommand(program: Command): Command {
  return program
    .command("whatif")
    .description("Run what-if scenarios against a baseline (batch): KPI table and series with Monte Carlo bands into a folder.")
    .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
    .requiredOption("--scenario <file>", "scenario or study file (YAML)")
    .option("--from-csv <file>", "start from a historian export (time,<tag>… or time,tag,value) instead of the simulator")
    .requiredOption("--out <folder>", "output folder (kpis.csv, <scenario>.series.csv, study.json)")
    .option("--workers <n>", "worker threads (default: cores − 1)", workerCount)
    .option("--fidelity <exact|fast>", "exact: the model's reference integration (default); fast: its event-located fast path, tens of times faster, equal in distribution", fidelityOption)
    .action(async (o: { scene: string; scenario: string; fromCsv?: string; out: string; workers?: number; fidelity?: Fidelity }) => {
      let last = 0;
      const summary = await runWhatifBatch({
        scene: o.scene,
        scenarioFile: o.scenario,
        fromCsv: o.fromCsv,
        out: o.out,
        workers: o.workers,
        ...(o.fidelity ? { fidelity: o.fidelity } : {}),
        log: (line) => console.log(line),
        onProgress: (p) => {
          if (p.done < p.total && performance.now() - last < 1000) return;
          last = performance.now();
          const left = p.etaMs === null ? "" : `, about ${Math.ceil(p.etaMs / 1000)} s left`;
          console.error(`runs ${p.done}/${p.total}${left}`);
        },
      });
      console.log(`Wrote ${summary.files.length} files to ${o.out}`);
    });
}
