/**
 * Electron bootstrap: the window, its security, and the IPC bridge to the same runtime the headless
 * host serves. Started by `twinbench start` with --scene, --endpoint and --data.
 */
import { join } from "node:path";
import { app } from "electron";
import { bridgeIpc } from "./electron/ipc-bridge";
import { parseShellArgs } from "./electron/args";
import { createWorkbenchWindow, denyWebviewsAndPermissions, registerAppScheme, serveRenderer } from "./electron/window";
import { PACKAGE_ROOT } from "./runtime/entries";
import { commissioningDesk } from "./runtime/areas/commissioning";
import { DEMO_SCENE_FILE, loadSceneFile } from "./runtime/scene-file";
import { TwinRuntime } from "./runtime/twin-runtime";

const args = parseShellArgs(process.argv);
registerAppScheme();
denyWebviewsAndPermissions();
app.enableSandbox();

app.whenReady().then(
  () => {
    const sceneFile = args.scene ?? DEMO_SCENE_FILE;
    const runtime = new TwinRuntime({
      scene: loadSceneFile(sceneFile),
      sceneFile,
      host: "electron",
      dataFolder: args.data ?? app.getPath("userData"),
      endpointOverride: args.endpoint,
      degradationSpeedup: args.speedup ? Number(args.speedup) : 1,
      log: (line) => console.error(`[runtime] ${line}`),
    });
    // The virtual plant `twinbench start` ran for the embedded demo: its plant server is the desk's to drive.
    const desk = args.plantEndpoint && args.endpoint ? commissioningDesk(runtime) : undefined;
    desk?.attach({ source: "embedded-demo", plantEndpoint: args.plantEndpoint!, plcEndpoint: args.endpoint! });
    runtime.start();
    serveRenderer(join(PACKAGE_ROOT, "out", "renderer"));
    const win = createWorkbenchWindow(join(PACKAGE_ROOT, "out", "preload", "index.cjs"));
    const unbridge = bridgeIpc(runtime, win);
    app.on("window-all-closed", () => {
      unbridge();
      void Promise.resolve(desk?.close())
        .then(() => runtime.stop())
        .finally(() => app.quit());
    });
  },
  (err: unknown) => {
    console.error("Twinbench could not start:", err);
    app.exit(1);
  },
);
