/**
 * What the commissioning subcommands do (cli.ts only declares them): serve the plant, run the soft PLC,
 * check an IO list, run suites and write their reports.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { dataFolder } from "../cli/data-folder";
import { onShutdown, shutdown } from "../cli/shutdown";
import { loadSceneFile } from "../runtime/scene-file";
import { defaultIoListFile, loadIoListFile, loadSuiteFile } from "./files";
import { checkIoList, formatIoMismatches } from "./io/io-check";
import { startPlantServer, type PlantServer } from "./plant/plant-server";
import { htmlReport } from "./report/html-report";
import { junitXml } from "./report/junit";
import { runCommissioning } from "./runner/commission";
import { runCounts, runPassed } from "./runner/results";
import type { RunEvent } from "./runner/suite-runner";
import type { Defect } from "./softplc/defects";
import { startSoftPlc } from "./softplc/soft-plc";
import { currentCliEntry, startServingChild, type PlantReadyMessage, type ServingChild, type SoftPlcReadyMessage } from "./softplc/softplc-child";
import { createPlantModel, PLANT_MODELS } from "../../src-workers/plant/create-plant-model";

export interface ServePlantOptions {
  scene: string;
  io?: string;
  port: number;
  speed: number;
  cycle: number;
  speedup?: number;
  data?: string;
}

export async function servePlantCommand(o: ServePlantOptions): Promise<void> {
  const scene = loadSceneFile(o.scene);
  const ioFile = o.io ?? defaultIoListFile(o.scene);
  const plant = await startPlantServer({
    scene,
    ioList: loadIoListFile(ioFile),
    port: o.port,
    pkiFolder: join(dataFolder(o.data), "pki", "plant-server"),
    speed: o.speed,
    cycleMs: o.cycle,
    ...(o.speedup !== undefined ? { degradationSpeedup: o.speedup } : {}),
    log: (line) => console.error(`[plant] ${line}`),
  });
  onShutdown("plant server", () => plant.stop());
  announce({ type: "plant-ready", endpoint: plant.endpoint } satisfies PlantReadyMessage);
  console.log(`Plant server for "${scene.name}" (IO list ${ioFile}) serving at ${plant.endpoint}: ${plant.signals.length} signals, ${plant.cycleMs} ms cycle, ×${plant.speed()}. Ctrl-C stops it.`);
}

export interface SoftPlcCommandOptions {
  scene: string;
  io?: string;
  plant: string;
  port: number;
  cycle: number;
  defect?: Defect;
  /** Start the cell on the first inputs, straight into production when the plant allows (the embedded demo). */
  startCell?: boolean;
  data?: string;
}

export async function softPlcCommand(o: SoftPlcCommandOptions): Promise<void> {
  const scene = loadSceneFile(o.scene);
  const plc = await startSoftPlc({
    scene,
    ioList: loadIoListFile(o.io ?? defaultIoListFile(o.scene)),
    plantEndpoint: o.plant,
    port: o.port,
    pkiFolder: join(dataFolder(o.data), "pki", "softplc"),
    cycleMs: o.cycle,
    ...(o.defect ? { defect: o.defect } : {}),
    ...(o.startCell ? { startCell: true } : {}),
    log: (line) => console.error(`[softplc] ${line}`),
  });
  onShutdown("soft PLC", () => plc.stop());
  announce({ type: "softplc-ready", endpoint: plc.endpoint } satisfies SoftPlcReadyMessage);
  console.log(`Soft PLC for "${scene.name}"${o.defect ? ` (defect: ${o.defect})` : ""} serving its HMI at ${plc.endpoint}, IO from ${o.plant}. Ctrl-C stops it.`);
}

/** Tells a parent process (over IPC) that this child serves, and stops when the parent goes away. */
function announce(message: PlantReadyMessage | SoftPlcReadyMessage): void {
  if (!process.send) return;
  process.send(message);
  process.on("disconnect", () => void shutdown(0));
}

/** `check-io`: prints every mismatch line by line; returns the exit code. */
export function checkIoCommand(o: { scene: string; io?: string }): number {
  const scene = loadSceneFile(o.scene);
  const file = o.io ?? defaultIoListFile(o.scene);
  const ioList = loadIoListFile(file);
  const model = scene.simulation?.model;
  // A plant model of its own is checked too; a plant played from the IO list (io-rig) only against the scene.
  const own = model && model !== "io-rig" && PLANT_MODELS.includes(model) ? model : undefined;
  const mismatches = checkIoList(ioList, scene, own ? { name: own, signals: createPlantModel({ model: own, seed: 1 }).signals } : undefined);
  if (mismatches.length === 0) {
    console.log(`IO list ${file} matches "${scene.name}": ${ioList.signals.length} signals (${ioList.signals.filter((s) => s.direction === "input").length} inputs, ${ioList.signals.filter((s) => s.direction === "output").length} outputs)`);
    return 0;
  }
  console.error(formatIoMismatches(file, mismatches));
  return 1;
}

export interface CommissionCommandOptions {
  scene: string;
  suite: string[];
  io?: string;
  plcEndpoint?: string;
  plantEndpoint?: string;
  speed: number;
  cycle: number;
  plcCycle: number;
  defect?: Defect;
  test?: string[];
  junit?: string;
  report?: string;
  data?: string;
}

export async function commissionCommand(o: CommissionCommandOptions): Promise<void> {
  const scene = loadSceneFile(o.scene);
  const ioFile = o.io ?? defaultIoListFile(o.scene);
  const ioList = loadIoListFile(ioFile);
  const suites = o.suite.map((file) => ({ ...loadSuiteFile(file, scene, ioList), file }));
  if (o.defect && o.plcEndpoint) throw new Error("--defect applies to the reference soft PLC that commission starts; it cannot change the PLC at --plc-endpoint");
  const data = dataFolder(o.data);
  const log = (line: string) => console.error(line);

  let plant: PlantServer | undefined;
  let plc: ServingChild | undefined;
  const cleanup = async () => {
    await plc?.stop();
    await plant?.stop();
  };
  onShutdown("commissioning rig", cleanup);
  let plantEndpoint = o.plantEndpoint;
  if (!plantEndpoint) {
    plant = await startPlantServer({ scene, ioList, port: 0, pkiFolder: join(data, "pki", "plant-server"), speed: o.speed, cycleMs: o.cycle, log: (l) => log(`[plant] ${l}`) });
    plantEndpoint = plant.endpoint;
  }
  let plcEndpoint = o.plcEndpoint;
  if (!plcEndpoint) {
    const args = ["softplc", "--scene", resolve(o.scene), "--io", resolve(ioFile), "--plant", plantEndpoint, "--port", "0", "--cycle", String(o.plcCycle), "--data", data, ...(o.defect ? ["--defect", o.defect] : [])];
    plc = await startServingChild(currentCliEntry(), args, "softplc-ready", (l) => log(l));
    plcEndpoint = plc.endpoint;
  }
  log(`commissioning "${scene.name}": plant ${plantEndpoint}, PLC ${plcEndpoint}${o.defect ? ` (reference soft PLC with defect ${o.defect})` : ""}`);

  const run = await runCommissioning({
    scene,
    ioList,
    suites,
    plantEndpoint,
    plcEndpoint,
    pkiFolder: join(data, "pki", "commission"),
    ...(o.test?.length ? { only: o.test, skipIoCheckout: true } : {}),
    properties: { ioList: ioFile, suites: o.suite.join(", "), ...(o.defect ? { defect: o.defect } : {}), plc: o.plcEndpoint ? "external" : "reference soft PLC" },
    onEvent: (e) => printEvent(e),
  });
  if (o.junit) writeOut(o.junit, junitXml(run));
  if (o.report) writeOut(o.report, htmlReport(run));
  const c = runCounts(run);
  console.log(`${runPassed(run) ? "PASSED" : "FAILED"}: ${c.tests} tests, ${c.passed} passed, ${c.failed} failed, ${c.errors} errors, ${c.skipped} skipped in ${run.durationS.toFixed(1)} s${o.junit ? `; JUnit ${o.junit}` : ""}${o.report ? `; report ${o.report}` : ""}`);
  await shutdown(runPassed(run) ? 0 : 1);
}

function printEvent(e: RunEvent): void {
  if (e.type !== "test-finished") return;
  const mark = { passed: "✓", failed: "✗", error: "!", skipped: "-" }[e.result.status];
  console.log(`${mark} ${e.suite} › ${e.result.name} (${e.result.durationS.toFixed(1)} s)`);
  if (e.result.failure) console.log(e.result.failure.message.split("\n").map((l) => `    ${l}`).join("\n"));
}

function writeOut(file: string, content: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, content);
}
