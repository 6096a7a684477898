/**
 * `twinbench replay`: a recording played through the twin at 1× or faster, so an engineer can work on a
 * laptop away from the plant. The recording (a CSV in the historian's format, or a time range of this
 * installation's historian) is served as the plant over OPC UA on 127.0.0.1 (historian/replay-plant.ts),
 * and the workbench runs on it exactly as on a live PLC: rules, historian, estimator, UI.
 *
 * The replaying twin keeps its own data folder (default `<data>/replay`): what it records is the replay,
 * never mixed into the plant's own history, and it has its own accounts (the first run asks for an
 * administrator, as a fresh installation does).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { parseTime } from "../historian/csv-format";
import { replayCsv, replayHistorian, type ReplayOptions, type ReplayResult } from "../historian/replay";
import { MAX_REPLAY_SPEED, startReplayPlant } from "../historian/replay-plant";
import { HISTORIAN_FILE, HistorianStore } from "../historian/store";
import { startHeadlessHost } from "../host/headless-host";
import { PACKAGE_ROOT } from "../runtime/entries";
import { DEMO_SCENE_FILE, loadSceneFile } from "../runtime/scene-file";
import { TwinRuntime } from "../runtime/twin-runtime";
import { port, positive } from "./arguments";
import { dataFolder } from "./data-folder";
import { electronBinary, launchElectron } from "./electron-launch";
import { SCENE_LINE_PREFIX } from "./output";
import { onShutdown, shutdown } from "./shutdown";

export interface ReplayCommandOptions {
  scene: string;
  csv?: string;
  from?: number;
  to?: number;
  speed: number;
  headless: boolean;
  port: number;
  data?: string;
  twinData?: string;
  speedup: number;
  exit: boolean;
}

function isoTime(value: string): number {
  const t = parseTime(value);
  if (!t.ok) throw new InvalidArgumentError(`"${value}" is not a time: ${t.expected}`);
  return t.value;
}

function speed(value: string): number {
  const n = positive(value);
  if (n > MAX_REPLAY_SPEED) throw new InvalidArgumentError(`"${value}" is faster than ${MAX_REPLAY_SPEED}×: the twin's subscriptions would see almost nothing (use twinbench estimate for offline runs)`);
  return n;
}

/** The recording to play, as the replay plant asks for it; closes what it opened on shutdown. */
function recording(o: ReplayCommandOptions, folder: string, tagIds: string[]): { describe: string; play(options: ReplayOptions): Promise<ReplayResult> } {
  if (o.csv !== undefined && o.from !== undefined) throw new Error("give either --csv or --from/--to, not both");
  if (o.csv !== undefined) {
    const file = o.csv;
    if (!existsSync(file)) throw new Error(`cannot read ${file}: no such file`);
    return {
      describe: file,
      play: async (options) => {
        const r = await replayCsv(file, options);
        if (r.csv.errorCount > 0) console.error(`${file}: ${r.csv.skippedLines} line(s) skipped, first: line ${r.csv.errors[0]?.line}: ${r.csv.errors[0]?.message}`);
        return r;
      },
    };
  }
  if (o.from === undefined) throw new Error("nothing to replay: give --csv FILE, or --from TIME (and --to TIME) for a range of the historian");
  const from = o.from;
  const to = o.to ?? Date.now();
  if (!(from < to)) throw new Error(`--from ${new Date(from).toISOString()} must be before --to ${new Date(to).toISOString()}`);
  const historian = join(folder, "historian");
  if (!existsSync(join(historian, HISTORIAN_FILE))) throw new Error(`${historian} holds no historian (${HISTORIAN_FILE}); --data names the installation whose history to replay`);
  const store = HistorianStore.open(historian);
  onShutdown("recorded historian", () => store.close());
  return {
    describe: `${historian} from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
    play: (options) => replayHistorian(store, { tagIds, from, to }, options),
  };
}

export async function replayCommand(o: ReplayCommandOptions): Promise<void> {
  const scene = loadSceneFile(o.scene);
  const folder = dataFolder(o.data);
  const twinFolder = dataFolder(o.twinData ?? join(folder, "replay"));
  if (twinFolder === folder) throw new Error("--twin-data must differ from --data: the replay would be recorded into the history it replays");
  const tagIds = scene.assets.flatMap((a) => Object.keys(a.tags).map((key) => `${a.id}.${key}`));
  const source = recording(o, folder, tagIds);

  const plant = await startReplayPlant({
    scene,
    port: 0,
    pkiFolder: join(twinFolder, "pki", "replay"),
    speed: o.speed,
    play: source.play,
    log: (line) => console.error(`[replay] ${line}`),
  });
  onShutdown("replay plant", () => plant.stop());
  console.error(`Replay of ${source.describe} serving "${scene.name}" at ${plant.endpoint}, ${o.speed}×`);

  const electron = o.headless ? { why: "--headless" } : electronBinary();
  if (electron.path) {
    const child = launchElectron(electron.path, ["--scene", o.scene, "--endpoint", plant.endpoint, "--data", twinFolder, "--speedup", String(o.speedup)]);
    onShutdown("Electron window", () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    });
    child.on("exit", (code) => void shutdown(code ?? 0));
  } else {
    const runtime = new TwinRuntime({
      scene,
      sceneFile: o.scene,
      host: "headless",
      dataFolder: twinFolder,
      endpointOverride: plant.endpoint,
      degradationSpeedup: o.speedup,
      log: (line) => console.error(`[runtime] ${line}`),
    });
    onShutdown("twin runtime", () => runtime.stop());
    runtime.start();
    const host = await startHeadlessHost({ runtime, rendererDir: join(PACKAGE_ROOT, "out", "renderer"), port: o.port, log: (line) => console.error(`[host] ${line}`) });
    onShutdown("headless host", () => host.close());
    console.error(`Serving the workbench headless (${electron.why}). Open this URL in a browser:`);
    console.log(host.url);
    console.error(`${SCENE_LINE_PREFIX}${scene.name} from ${o.scene}, data ${twinFolder}; Ctrl-C stops everything.`);
  }

  await plant.whenSubscribed();
  console.error("The twin is subscribed; replaying.");
  const t0 = performance.now();
  const r = await plant.run();
  const span = r.first !== null && r.last !== null ? `${new Date(r.first).toISOString()} to ${new Date(r.last).toISOString()}` : "nothing";
  const skipped = r.skippedUnknownTags > 0 ? `, ${r.skippedUnknownTags} of tags not in the scene skipped` : "";
  console.error(`Replay ${r.cancelled ? "stopped" : "done"}: ${r.samples} values (${span}) in ${((performance.now() - t0) / 1000).toFixed(1)} s${skipped}.`);
  if (o.exit) await shutdown(0);
  else console.error("The workbench keeps the last replayed values; Ctrl-C stops it.");
}

export function registerReplayCommand(program: Command): void {
  program
    .command("replay")
    .description(
      "Replay a recording through the twin at 1× or faster: a CSV (src-main/historian/CSV.md) or a time range of the historian is served as the plant over OPC UA on 127.0.0.1, and the workbench runs on it as on a live PLC.",
    )
    .option("--scene <file>", "scene file", DEMO_SCENE_FILE)
    .option("--csv <file>", "recording to replay (historian CSV, long or wide)")
    .option("--from <time>", "start of the historian range to replay (ISO 8601, e.g. 2025-03-01T08:00:00Z)", isoTime)
    .option("--to <time>", "end of the historian range (ISO 8601; default now)", isoTime)
    .option("--speed <factor>", "1 = real time, 10 = ten times faster", speed, 1)
    .option("--headless", "serve the workbench on 127.0.0.1 instead of opening a window", false)
    .option("--port <port>", "HTTP port of the headless host (0: any free port)", port, 0)
    .option("--data <folder>", "data folder whose historian holds the range (default $TWINBENCH_HOME or ~/.local/share/twinbench)")
    .option("--twin-data <folder>", "data folder of the replaying twin (default <data>/replay)")
    .option("--speedup <factor>", "degradation speed-up of the recorded (simulated) plant, told to the estimator", positive, 1)
    .option("--exit", "exit when the replay has ended (default: keep serving until Ctrl-C)", false)
    .action(async (o: ReplayCommandOptions) => {
      await replayCommand(o);
    });
}
