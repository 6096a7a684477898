/**
 * `twinbench start`: the embedded default. Without --endpoint it starts the virtual plant of the scene as a
 * child process (the plant server and the reference soft PLC: the twin connects to the soft PLC, the
 * commissioning desk drives the plant server); then it opens the Electron window where Electron is installed
 * (and a display exists), otherwise it serves the workbench on 127.0.0.1 and prints the URL with its token.
 */
import { join } from "node:path";
import { SCENE_LINE_PREFIX } from "./output";
import { startHeadlessHost } from "../host/headless-host";
import { PACKAGE_ROOT } from "../runtime/entries";
import { loadSceneFile } from "../runtime/scene-file";
import { commissioningDesk } from "../runtime/areas/commissioning";
import { TwinRuntime } from "../runtime/twin-runtime";
import { dataFolder } from "./data-folder";
import { electronBinary, launchElectron } from "./electron-launch";
import { startPlcChild } from "./plc-child";
import { onShutdown, shutdown } from "./shutdown";

export interface StartOptions {
  scene: string;
  endpoint?: string;
  headless: boolean;
  port: number;
  plcPort: number;
  speedup: number;
  data?: string;
}

export async function startCommand(options: StartOptions): Promise<void> {
  const t0 = performance.now();
  const scene = loadSceneFile(options.scene); // fail fast on a broken scene, before starting anything
  const folder = dataFolder(options.data);
  let endpoint = options.endpoint;
  let plantEndpoint: string | undefined;
  if (!endpoint) {
    const plc = await startPlcChild({ scene: options.scene, port: options.plcPort, speedup: options.speedup, data: folder });
    onShutdown("virtual plant", () => plc.stop());
    endpoint = plc.endpoint;
    plantEndpoint = plc.plantEndpoint;
    console.error(`Virtual plant serving "${scene.name}": soft PLC at ${endpoint}, plant server at ${plantEndpoint}`);
  }

  const electron = options.headless ? { why: "--headless" } : electronBinary();
  if (electron.path) {
    const speedup = options.endpoint ? 1 : options.speedup;
    const child = launchElectron(electron.path, [
      "--scene", options.scene, "--endpoint", endpoint, "--data", folder, "--speedup", String(speedup),
      ...(plantEndpoint ? ["--plant-endpoint", plantEndpoint] : []),
    ]);
    onShutdown("Electron window", () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    });
    child.on("exit", (code) => void shutdown(code ?? 0));
    return;
  }

  const runtime = new TwinRuntime({
    scene,
    sceneFile: options.scene,
    host: "headless",
    dataFolder: folder,
    endpointOverride: endpoint,
    // The estimator is told how fast the simulated plant degrades; a real PLC degrades in real time.
    degradationSpeedup: options.endpoint ? 1 : options.speedup,
    log: (line) => console.error(`[runtime] ${line}`),
  });
  onShutdown("twin runtime", () => runtime.stop());
  if (plantEndpoint) {
    const desk = commissioningDesk(runtime);
    desk.attach({ source: "embedded-demo", plantEndpoint, plcEndpoint: endpoint });
    onShutdown("commissioning desk", () => desk.close());
  }
  runtime.start();
  const host = await startHeadlessHost({
    runtime,
    rendererDir: join(PACKAGE_ROOT, "out", "renderer"),
    port: options.port,
    log: (line) => console.error(`[host] ${line}`),
  });
  onShutdown("headless host", () => host.close());
  console.error(`Serving the workbench headless (${electron.why}). Open this URL in a browser:`);
  console.log(host.url);
  console.error(`${SCENE_LINE_PREFIX}${scene.name} from ${options.scene}; Ctrl-C stops everything.`);
  void runtime.whenFirstValue().then(() => {
    console.error(`First live value after ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
  });
}
