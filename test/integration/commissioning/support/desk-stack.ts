/**
 * The embedded demo in one process for the commissioning API tests: the plant server and the reference soft PLC
 * (started with the cell running) on free ports, the twin runtime connected to the soft PLC over real OPC UA,
 * and the runtime's commissioning desk attached to the plant server, as `twinbench start` wires them (there
 * each server is a child process of its own).
 */
import { join } from "node:path";
import { loadIoListFile } from "../../../../src-main/commissioning/files";
import { startPlantServer, type PlantServer } from "../../../../src-main/commissioning/plant/plant-server";
import { startSoftPlc, type SoftPlc } from "../../../../src-main/commissioning/softplc/soft-plc";
import type { EventName, EventPayload } from "../../../../src-main/common/api/contract";
import { commissioningDesk } from "../../../../src-main/runtime/areas/commissioning";
import { TwinRuntime } from "../../../../src-main/runtime/twin-runtime";
import { DEMO_SCENE_PATH, demoScene } from "../../../support/demo-stack";
import { setupAdmin, TEST_PASSWORD_COST } from "../../../support/sessions";
import { tempFolder } from "../../../support/temp";

export interface DeskStack {
  virtual: { plant: PlantServer; plc: SoftPlc };
  runtime: TwinRuntime;
  adminToken: string;
  /** Every event of `name` the runtime pushed since the start (the host would send these to renderers). */
  events<E extends EventName>(name: E): EventPayload<E>[];
  /** Resolves with the first event of `name` (seen since the start) that `match` accepts. */
  waitForEvent<E extends EventName>(name: E, match: (p: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>>;
  close(): Promise<void>;
}

export async function startDeskStack(): Promise<DeskStack> {
  const temp = tempFolder("desk");
  const scene = demoScene();
  const ioList = loadIoListFile("scenes/demo-cell.io.csv");
  const plant = await startPlantServer({ scene, ioList, port: 0, pkiFolder: join(temp.path, "pki-plant"), degradationSpeedup: 600 });
  const plc = await startSoftPlc({ scene, ioList, plantEndpoint: plant.endpoint, port: 0, pkiFolder: join(temp.path, "pki-plc"), hmiWrites: { "cell.startCommand": true } });
  const virtual = { plant, plc };
  const runtime = new TwinRuntime({
    scene,
    sceneFile: DEMO_SCENE_PATH,
    host: "headless",
    dataFolder: temp.path,
    endpointOverride: virtual.plc.endpoint,
    degradationSpeedup: 600,
    passwordCost: TEST_PASSWORD_COST,
  });
  const seen = new Map<string, unknown[]>();
  const waiters = new Set<() => void>();
  for (const name of ["commissioning.progress", "commissioning.runChanged"] as const) {
    runtime.on(name, (payload) => {
      seen.set(name, [...(seen.get(name) ?? []), payload]);
      for (const w of waiters) w();
    });
  }
  const desk = commissioningDesk(runtime);
  desk.attach({ source: "embedded-demo", plantEndpoint: virtual.plant.endpoint, plcEndpoint: virtual.plc.endpoint });
  runtime.start();
  const adminToken = await setupAdmin(runtime);
  const events = <E extends EventName>(name: E) => (seen.get(name) ?? []) as EventPayload<E>[];
  return {
    virtual,
    runtime,
    adminToken,
    events,
    waitForEvent(name, match, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events(name).find(match);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching ${name} event within ${timeoutMs} ms; seen: ${JSON.stringify(events(name).slice(-5))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      await desk.close();
      await runtime.stop();
      await plc.stop();
      await plant.stop();
      temp.remove();
    },
  };
}
