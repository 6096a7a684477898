/**
 * Starting the embedded demo's plant as child processes and waiting until they serve: the plant server (the
 * plant model at the IO list's NodeIds) and the reference soft PLC, each its own process as a real plant and
 * PLC are their own devices. Both start at once (the plant server's port is picked first, and the soft PLC
 * connects as soon as it serves), so their start-up work runs on two cores. The twin connects to the soft PLC
 * as to a real PLC; the plant server's endpoint goes to the workbench's commissioning desk. The children stop
 * when their parent goes away, so no orphan keeps the ports.
 */
import type { ChildProcess } from "node:child_process";
import { startServingChild, type ServingChild } from "../commissioning/softplc/softplc-child";
import { findFreePort } from "../plc/loopback-server";
import { locateEntry } from "../runtime/entries";

export interface PlcChild {
  /** The soft PLC, `opc.tcp://127.0.0.1:PORT/twinbench`. */
  endpoint: string;
  /** The plant server the soft PLC drives. */
  plantEndpoint: string;
  /** The soft PLC's process. */
  process: ChildProcess;
  plantProcess: ChildProcess;
  /** Asks both children to stop and waits for them (SIGKILL after `graceMs`); the PLC first. */
  stop(graceMs?: number): Promise<void>;
}

export async function startPlcChild(args: { scene: string; port: number; speedup: number; data?: string }): Promise<PlcChild> {
  const cli = locateEntry("cli", "src-main/cli/main.ts");
  const entry = { file: cli.file, execArgv: cli.execArgv };
  const common = ["--scene", args.scene, ...(args.data ? ["--data", args.data] : [])];
  const plantPort = await findFreePort("127.0.0.1");
  const log = (line: string) => console.error(line);
  const [plant, plc] = await Promise.allSettled([
    startServingChild(entry, ["serve-plant", ...common, "--port", String(plantPort), "--speedup", String(args.speedup)], "plant-ready", log, 30_000),
    startServingChild(entry, ["softplc", ...common, "--plant", `opc.tcp://127.0.0.1:${plantPort}/twinbench`, "--port", String(args.port), "--start-cell"], "softplc-ready", log, 30_000),
  ]);
  if (plant.status === "rejected" || plc.status === "rejected") {
    await Promise.all([plant, plc].map((r) => (r.status === "fulfilled" ? r.value.stop(1_000) : undefined)));
    const why = [plant.status === "rejected" ? `plant server: ${String(plant.reason)}` : "", plc.status === "rejected" ? `soft PLC: ${String(plc.reason)}` : ""].filter(Boolean);
    throw new Error(`the virtual plant did not start (${why.join("; ")}); see its messages above`);
  }
  const children: [ServingChild, ServingChild] = [plc.value, plant.value];
  return {
    endpoint: plc.value.endpoint,
    plantEndpoint: plant.value.endpoint,
    process: plc.value.process,
    plantProcess: plant.value.process,
    async stop(graceMs) {
      for (const child of children) await child.stop(graceMs);
    },
  };
}
