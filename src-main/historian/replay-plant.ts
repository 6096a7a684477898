/**
 * A recording served as a plant: an OPC UA server on 127.0.0.1 with the scene's tags (those of its first
 * connection, the one the CLI's endpoint replaces) at their NodeIds, read-only, their values set by a replay
 * (replay.ts) at the chosen speed. Each value keeps its recorded quality and status; its source time is the
 * replay's clock, `start + (recorded − first) / speed`, so the twin sees the recording as if it happened now
 * (N times faster at N×). The twin connects to it as to a PLC: values go through the same OPC UA client,
 * rules, historian, estimator and UI as live ones.
 *
 * At N× a subscription still samples each tag at its `samplingMs` of wall time, so the twin sees about every
 * N-th value of a tag that changes every sample (slow tags lose nothing).
 */
import { DataType, StatusCodes, Variant, VariantArrayType, type AddressSpace, type OPCUAServer, type StatusCode, type UAVariable } from "node-opcua";
import type { TagInfo, TagSample } from "../common/api/contract";
import type { Scene, TagDataType } from "../common/scene/schema";
import { startServer } from "../plc/loopback-server";
import { tagsOfScene } from "../runtime/tag-table";
import type { ReplayOptions, ReplayResult } from "./replay";

export interface ReplayPlantOptions {
  scene: Scene;
  /** TCP port; 0 picks a free one. */
  port: number;
  pkiFolder: string;
  /** 1 = real time, N = N times faster. */
  speed: number;
  /** Plays the recording with these options: `replayCsv(file, o)` or `replayHistorian(store, range, o)`. */
  play(options: ReplayOptions): Promise<ReplayResult>;
  log?(line: string): void;
}

export interface ReplayPlant {
  /** `opc.tcp://127.0.0.1:PORT/twinbench` */
  endpoint: string;
  /** Tags served (the scene's first connection's). */
  tagIds: string[];
  /** Resolves once clients monitor every served tag (so the first replayed values are not missed). */
  whenSubscribed(): Promise<void>;
  /** Plays the recording; resolves when it has ended or was stopped. Once. */
  run(): Promise<ReplayResult>;
  /** Stops the replay and closes the server. Idempotent. */
  stop(): Promise<void>;
}

/** Largest speed-up: beyond it a subscription sees too few values to be worth calling a replay. */
export const MAX_REPLAY_SPEED = 1_000;

const OPCUA_TYPE: Record<TagDataType, DataType> = {
  Double: DataType.Double,
  Float: DataType.Float,
  Int32: DataType.Int32,
  UInt32: DataType.UInt32,
  Boolean: DataType.Boolean,
  DoubleArray: DataType.Double,
};

interface Served {
  tag: TagInfo;
  node: UAVariable;
}

export async function startReplayPlant(options: ReplayPlantOptions): Promise<ReplayPlant> {
  if (!(options.speed > 0 && options.speed <= MAX_REPLAY_SPEED)) throw new RangeError(`replay speed must be in (0, ${MAX_REPLAY_SPEED}], got ${options.speed}`);
  const log = options.log ?? (() => {});
  const infos = tagsOfScene(options.scene);
  const connection = options.scene.connections[0]!.id;
  const tags = infos.filter((t) => t.connection === connection);
  if (tags.length < infos.length) log(`replay serves the ${tags.length} tags of connection ${connection}; ${infos.length - tags.length} tags of other connections are not replayed`);
  const served: (Served | undefined)[] = [];
  const started = await startServer({
    identity: { id: "replay", name: "Twinbench replay" },
    port: options.port,
    pkiFolder: options.pkiFolder,
    log,
    build: (space) => {
      for (const s of buildReplaySpace(space, options.scene.name, tags)) served[s.tag.index] = s;
    },
  });
  const server = started.server;
  const abort = new AbortController();
  let running: Promise<ReplayResult> | undefined;
  let stopping: Promise<void> | undefined;

  return {
    endpoint: started.endpoint,
    tagIds: tags.map((t) => t.id),
    whenSubscribed: () => waitForMonitoring(server, tags.length, abort.signal),
    run() {
      running ??= (async () => {
        let first: number | null = null;
        let start = 0;
        return options.play({
          speed: options.speed,
          tags: infos,
          signal: abort.signal,
          onSamples: (samples, clock) => {
            if (first === null) [first, start] = [clock, Date.now()];
            const at = new Date(start + (clock - first) / options.speed);
            for (const sample of samples) {
              const s = served[sample.i];
              if (s) apply(s, sample, at);
            }
          },
        });
      })();
      return running;
    },
    stop() {
      stopping ??= (async () => {
        abort.abort();
        await running?.catch(() => undefined);
        await server.shutdown(0).catch((err: unknown) => log(`replay server shutdown: ${err instanceof Error ? err.message : String(err)}`));
      })();
      return stopping;
    },
  };
}

/** A folder with one read-only variable per tag at its NodeId, waiting for the first replayed value. */
function buildReplaySpace(space: AddressSpace, sceneName: string, tags: readonly TagInfo[]): Served[] {
  const namespace = space.getOwnNamespace();
  if (namespace.index !== 1) throw new Error(`the server's own namespace has index ${namespace.index}, but scene NodeIds use ns=1`);
  const folder = namespace.addFolder(space.rootFolder.objects, { browseName: "Replay", displayName: `Replay of ${sceneName}` });
  const now = new Date();
  return tags.map((tag) => {
    const array = tag.dataType === "DoubleArray";
    const type = OPCUA_TYPE[tag.dataType as TagDataType] ?? DataType.Double;
    const node = namespace.addVariable({
      organizedBy: folder,
      nodeId: tag.nodeId,
      browseName: tag.id,
      displayName: tag.id,
      dataType: array ? "Double" : (tag.dataType as TagDataType),
      ...(array ? { valueRank: 1, arrayDimensions: [0] } : {}),
      accessLevel: "CurrentRead",
      userAccessLevel: "CurrentRead",
      // Every replayed value notifies the monitored items (see the simulated PLC's address space).
      minimumSamplingInterval: 0,
    });
    const initial = array ? new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array(0) }) : new Variant({ dataType: type, value: type === DataType.Boolean ? false : 0 });
    node.setValueFromSource(initial, StatusCodes.BadWaitingForInitialData, now);
    return { tag, node };
  });
}

/** Sets a replayed value with its status; a value without one (bad) keeps the node's last value. */
function apply(s: Served, sample: TagSample, at: Date): void {
  const status = statusOf(sample);
  const variant = sample.v === null ? s.node.readValue().value : variantOf(s.tag.dataType as TagDataType, sample.v);
  if (variant) s.node.setValueFromSource(variant, status, at);
}

function statusOf(sample: TagSample): StatusCode {
  // Replay marks non-finite values "Good (value NaN)": the name is the first word.
  const name = sample.status.split(" ")[0] ?? "";
  const known = (StatusCodes as unknown as Record<string, StatusCode | undefined>)[name];
  const severity = known ? (known.isGood() ? "good" : known.isBad() ? "bad" : "uncertain") : null;
  // A name that disagrees with the recorded quality (edited by hand) yields to the quality.
  if (known && severity === sample.q) return known;
  return sample.q === "good" ? StatusCodes.Good : sample.q === "uncertain" ? StatusCodes.UncertainLastUsableValue : StatusCodes.Bad;
}

/** The recorded value as the tag's OPC UA type; undefined when it cannot be (an array for a scalar tag). */
function variantOf(type: TagDataType, v: Exclude<TagSample["v"], null>): Variant | undefined {
  if (type === "DoubleArray") return Array.isArray(v) ? new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: Float64Array.from(v) }) : undefined;
  if (Array.isArray(v)) return undefined;
  const x = typeof v === "boolean" ? (v ? 1 : 0) : v;
  switch (type) {
    case "Boolean":
      return new Variant({ dataType: DataType.Boolean, value: x !== 0 });
    case "Int32":
      return new Variant({ dataType: DataType.Int32, value: Math.min(2147483647, Math.max(-2147483648, Math.round(x))) });
    case "UInt32":
      return new Variant({ dataType: DataType.UInt32, value: Math.min(4294967295, Math.max(0, Math.round(x))) });
    default:
      return new Variant({ dataType: OPCUA_TYPE[type], value: x });
  }
}

/** Waits until the server's sessions monitor at least `items` items (polling: node-opcua has no event for it). */
async function waitForMonitoring(server: OPCUAServer, items: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    let monitored = 0;
    for (const session of server.engine.getSessions()) monitored += session.currentMonitoredItemCount;
    if (monitored >= items) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
