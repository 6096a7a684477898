/**
 * `twinbench plc`: the simulated PLC alone (plant physics and control logic behind an OPC UA server).
 * When started by `twinbench start` it reports its endpoint to the parent over the IPC channel and
 * stops when the parent goes away, so no orphan keeps the port.
 */
import { join } from "node:path";
import { startSimulatedPlc } from "../plc/simulated-plc";
import { loadSceneFile } from "../runtime/scene-file";
import { dataFolder } from "./data-folder";
import { onShutdown, shutdown } from "./shutdown";

export interface PlcCommandOptions {
  scene: string;
  port: number;
  cycleMs: number;
  speedup: number;
  data?: string;
}

/** Message a PLC child sends to its parent once it serves. */
export interface PlcReadyMessage {
  type: "plc-ready";
  endpoint: string;
}

export async function plcCommand(options: PlcCommandOptions): Promise<void> {
  const scene = loadSceneFile(options.scene);
  const folder = dataFolder(options.data);
  const plc = await startSimulatedPlc({
    scene,
    port: options.port,
    host: "127.0.0.1",
    pkiFolder: join(folder, "pki", "simulated-plc"),
    cycleMs: options.cycleMs,
    degradationSpeedup: options.speedup,
    log: (line) => console.error(`[plc] ${line}`),
  });
  onShutdown("simulated PLC", () => plc.stop());
  if (process.send) {
    process.send({ type: "plc-ready", endpoint: plc.endpoint } satisfies PlcReadyMessage);
    process.on("disconnect", () => void shutdown(0));
  }
  console.log(`Simulated PLC for "${scene.name}" serving at ${plc.endpoint} (cycle ${options.cycleMs} ms). Ctrl-C stops it.`);
}
