/**
 * The virtual commissioning subcommands of `twinbench`, declared here and registered by the CLI's main with
 * `registerCommissioningCommands(program)`:
 *
 *   serve-plant   the plant model alone behind an OPC UA server, at the IO list's NodeIds
 *   softplc       the reference soft PLC (the demo's control program) as an OPC UA client of the plant
 *   check-io      an IO list against the scene and the plant model, line by line
 *   commission    run suites against the plant and a PLC; JUnit XML and an HTML report; non-zero exit on failure
 */
import { InvalidArgumentError, type Command } from "commander";
import { endpoint, port, positive } from "../cli/arguments";
import { DEMO_SCENE_FILE } from "../runtime/scene-file";
import { checkIoCommand, commissionCommand, servePlantCommand, softPlcCommand } from "./commands";
import { DEFECTS, parseDefect, type Defect } from "./softplc/defects";

function speed(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n >= 0.5 && n <= 10)) throw new InvalidArgumentError(`"${value}" is not a plant speed between 0.5 and 10 (times real time)`);
  return n;
}

function cycle(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n >= min && n <= 10_000)) throw new InvalidArgumentError(`"${value}" is not a cycle in milliseconds (${min} to 10000)`);
    return n;
  };
}

function defect(value: string): Defect {
  try {
    return parseDefect(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const DEFECT_HELP = Object.entries(DEFECTS)
  .map(([name, text]) => `${name}: ${text}`)
  .join(" | ");

export function registerCommissioningCommands(program: Command): void {
  program
    .command("serve-plant")
    .description("Serve the scene's plant model alone (no control logic) over OPC UA for virtual commissioning: sensors read-only, actuators writable, at the IO list's NodeIds.")
    .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
    .option("--io <file>", "IO list CSV (default: <scene>.io.csv beside the scene)")
    .option("--port <port>", "OPC UA port (0: any free port)", port, 4841)
    .option("--speed <factor>", "plant speed, times real time (0.5 to 10)", speed, 1)
    .option("--cycle <ms>", "plant cycle in milliseconds (10 or more)", cycle(10), 20)
    .option("--speedup <factor>", "how much faster than real time the plant wears and fouls", positive)
    .option("--data <folder>", "data folder (PKI)")
    .action(async (o: { scene: string; io?: string; port: number; speed: number; cycle: number; speedup?: number; data?: string }) => {
      await servePlantCommand(o);
    });

  program
    .command("softplc")
    .description("Run the reference soft PLC: the demo's control program as its own process, an OPC UA client of the plant server that serves its HMI tags (setpoints, commands, state, heartbeat) at the scene's NodeIds.")
    .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
    .option("--io <file>", "IO list CSV (default: <scene>.io.csv beside the scene)")
    .requiredOption("--plant <url>", "OPC UA endpoint of the plant server (twinbench serve-plant)", endpoint)
    .option("--port <port>", "port of the soft PLC's own OPC UA server (0: any free port)", port, 4842)
    .option("--cycle <ms>", "scan period in milliseconds", cycle(5), 20)
    .option("--defect <name>", `make the program misbehave on purpose: ${DEFECT_HELP}`, defect)
    .option("--start-cell", "start the cell on the first inputs: with the tank above its start level, straight into Running at the design operating point (a running line, as the embedded demo shows it)")
    .option("--data <folder>", "data folder (PKI)")
    .action(async (o: { scene: string; io?: string; plant: string; port: number; cycle: number; defect?: Defect; startCell?: boolean; data?: string }) => {
      await softPlcCommand(o);
    });

  program
    .command("check-io")
    .description("Check an IO list (tag, NodeId, data type, direction, range, units) against the scene and the plant model; prints every mismatch with its line.")
    .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
    .option("--io <file>", "IO list CSV (default: <scene>.io.csv beside the scene)")
    .action((o: { scene: string; io?: string }) => {
      process.exitCode = checkIoCommand(o);
    });

  program
    .command("commission")
    .description("Run commissioning suites against the plant server and a PLC (by default the reference soft PLC); writes JUnit XML and an HTML report and exits non-zero when a test fails.")
    .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
    .requiredOption("--suite <file>", "suite YAML (repeat for several)", collect)
    .option("--io <file>", "IO list CSV (default: <scene>.io.csv beside the scene)")
    .option("--plc-endpoint <url>", "OPC UA endpoint of the PLC under test (default: start the reference soft PLC)", endpoint)
    .option("--plant-endpoint <url>", "OPC UA endpoint of a running plant server (default: start one)", endpoint)
    .option("--speed <factor>", "plant speed of the plant server started here, times real time (0.5 to 10)", speed, 5)
    .option("--cycle <ms>", "plant cycle of the plant server started here, milliseconds", cycle(10), 10)
    .option("--plc-cycle <ms>", "scan period of the soft PLC started here, milliseconds", cycle(5), 20)
    .option("--defect <name>", `start the reference soft PLC with a documented defect (${Object.keys(DEFECTS).join(", ")})`, defect)
    .option("--test <name>", "run only this test (repeat for several; skips the IO checkout)", collect)
    .option("--junit <file>", "write JUnit XML here")
    .option("--report <file>", "write the HTML report here")
    .option("--data <folder>", "data folder (PKI)")
    .action(async (o: { scene: string; suite: string[]; io?: string; plcEndpoint?: string; plantEndpoint?: string; speed: number; cycle: number; plcCycle: number; defect?: Defect; test?: string[]; junit?: string; report?: string; data?: string }) => {
      await commissionCommand(o);
    });
}
