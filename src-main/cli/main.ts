/**
 * The `twinbench` command. Each subcommand lives in its own file; this one only declares the options.
 */
import { Command } from "commander";
import { SceneError } from "../common/scene/parse";
import { registerCommissioningCommands } from "../commissioning/cli";
import { registerWhatifCommand } from "../whatif/cli";
import { endpoint, port, positive } from "./arguments";
import { registerAuditCommand } from "./audit";
import { registerUsersCommand } from "./users";
import { registerEstimateCommand } from "./estimate";
import { DEMO_SCENE_FILE } from "../runtime/scene-file";
import { VERSION } from "../runtime/version";
import { plcCommand } from "./plc";
import { registerReplayCommand } from "./replay";
import { installSignalHandlers, shutdown } from "./shutdown";
import { startCommand } from "./start";
import { validateSceneCommand } from "./validate-scene";

const program = new Command()
  .name("twinbench")
  .description("Twinbench: a workbench for industrial digital twins.")
  .version(VERSION)
  .showHelpAfterError();

program
  .command("start")
  .description("Start the workbench. With no --endpoint it runs the scene's virtual plant too (plant server + reference soft PLC: the embedded demo).")
  .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
  .option("--endpoint <url>", "OPC UA endpoint of a real PLC or server (replaces the scene's first connection)", endpoint)
  .option("--headless", "serve the workbench on 127.0.0.1 instead of opening a window", false)
  .option("--port <port>", "HTTP port of the headless host (0: any free port)", port, 0)
  .option("--plc-port <port>", "port of the demo PLC (the soft PLC the twin connects to) (0: any free port)", port, 0)
  .option("--speedup <factor>", "how much faster than real time the simulated plant wears and fouls", positive, 600)
  .option("--data <folder>", "data folder (default $TWINBENCH_HOME or ~/.local/share/twinbench)")
  .action(async (o: { scene: string; endpoint?: string; headless: boolean; port: number; plcPort: number; speedup: number; data?: string }) => {
    await startCommand(o);
  });

program
  .command("plc")
  .description("Run the simulated PLC alone: the scene's plant physics and control logic behind an OPC UA server.")
  .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
  .option("--port <port>", "OPC UA port (0: any free port)", port, 4840)
  .option("--cycle <ms>", "control and physics cycle, milliseconds", positive, 50)
  .option("--speedup <factor>", "how much faster than real time the plant wears and fouls", positive, 1)
  .option("--data <folder>", "data folder (PKI)")
  .action(async (o: { scene: string; port: number; cycle: number; speedup: number; data?: string }) => {
    await plcCommand({ scene: o.scene, port: o.port, cycleMs: o.cycle, speedup: o.speedup, data: o.data });
  });

program
  .command("validate-scene")
  .description("Check a scene file; prints every problem with its line, field path and what was expected.")
  .argument("<file>", "scene file (YAML or JSON)")
  .action((file: string) => {
    process.exitCode = validateSceneCommand(file);
  });

registerAuditCommand(program);
registerUsersCommand(program);
registerWhatifCommand(program);
registerEstimateCommand(program);
registerReplayCommand(program);
registerCommissioningCommands(program);

installSignalHandlers();
program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof SceneError ? err.message : `twinbench: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
