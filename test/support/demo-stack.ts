/**
 * The demo stack in one process for integration tests: the simulated PLC on a free port, the twin
 * runtime connected to it over real OPC UA, and the headless host on a free port.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseScene } from "../../src-main/common/scene/parse";
import type { Scene } from "../../src-main/common/scene/schema";
import { startHeadlessHost, type HeadlessHost } from "../../src-main/host/headless-host";
import { startSimulatedPlc, type SimulatedPlc } from "../../src-main/plc/simulated-plc";
import { TwinRuntime } from "../../src-main/runtime/twin-runtime";
import { setupAdmin, TEST_PASSWORD_COST } from "./sessions";
import { tempFolder } from "./temp";

export const DEMO_SCENE_PATH = "scenes/demo-cell.scene.yaml";

export function demoScene(): Scene {
  const r = parseScene(readFileSync(DEMO_SCENE_PATH, "utf8"));
  if (!r.ok) throw new Error(`demo scene invalid: ${JSON.stringify(r.problems)}`);
  return r.scene;
}

export interface DemoStack {
  plc: SimulatedPlc;
  runtime: TwinRuntime;
  host: HeadlessHost;
  rendererDir: string;
  /** Session token of the first admin ("admin", TEST_PASSWORD), created at start. */
  adminToken: string;
  close(): Promise<void>;
}

export async function startDemoStack(): Promise<DemoStack> {
  const temp = tempFolder("stack");
  const scene = demoScene();
  const plc = await startSimulatedPlc({ scene, port: 0, pkiFolder: join(temp.path, "pki-plc"), degradationSpeedup: 600 });
  const runtime = new TwinRuntime({
    scene,
    sceneFile: DEMO_SCENE_PATH,
    host: "headless",
    dataFolder: temp.path,
    endpointOverride: plc.endpoint,
    degradationSpeedup: 600,
    passwordCost: TEST_PASSWORD_COST,
  });
  runtime.start();
  const adminToken = await setupAdmin(runtime);
  // The API is what these tests exercise; a minimal page stands in for the renderer (the e2e suite serves the real one).
  writeFileSync(join(temp.path, "index.html"), "<!doctype html><title>twinbench test page</title>");
  const host = await startHeadlessHost({ runtime, rendererDir: temp.path, port: 0 });
  return {
    plc,
    runtime,
    host,
    rendererDir: temp.path,
    adminToken,
    async close() {
      await host.close();
      await runtime.stop();
      await plc.stop();
      temp.remove();
    },
  };
}
