/**
 * The reference soft PLC: a control program in its own process that reaches the plant only as a real PLC
 * would, as an OPC UA client of the plant server. Each scan it reads every IO list input in one request,
 * runs the program on the plant's clock (`SimulationTime`, so timers and loops keep their tuning at ×10),
 * and writes the outputs that changed.
 *
 * Like a PLC with an embedded OPC UA server it serves its HMI: every scene tag at the scene's NodeId (status
 * and operator tags from the program, measurements from its input image), the IO list signals the scene
 * lacks at their IO NodeIds, its diagnostic tags, and a force table under `<root>.SoftPlc`.
 */
import { join } from "node:path";
import type { OPCUAServer } from "node-opcua";
import type { Asset, Scene, Tag, TagDataType } from "../../common/scene/schema";
import type { SignalSpec, SignalValue, SimulationFrame } from "../../../src-workers/plant/simulation-types";
import { buildPlcAddressSpace, type PlcAddressSpace } from "../../plc/address-space";
import { planPlc } from "../../plc/plan";
import type { IoList, IoSignal } from "../io/io-list";
import { connectClient, PatientReader, plainValue, writeValues } from "../opcua/client";
import { startServer } from "../opcua/server";
import { commissioningRoot, planIoList, plantControlNodeIds } from "../plant/plant-layout";
import type { Defect } from "./defects";
import { createProgram, type InputReading } from "./program";
import { addSoftPlcNodes } from "./softplc-nodes";

export interface SoftPlcOptions {
  scene: Scene;
  ioList: IoList;
  /** The plant server (or the real plant's OPC UA server). */
  plantEndpoint: string;
  /** Port of the soft PLC's own server; 0 picks a free one. */
  port: number;
  host?: "127.0.0.1";
  /** Root of the PKI folders (server and client). */
  pkiFolder: string;
  /** Scan period, ms (wall clock). Default 20. */
  cycleMs?: number;
  /** IO watchdog, ms: inputs unanswered for this long are Bad and the IO link counts as lost. Default 500. */
  ioWatchdogMs?: number;
  defect?: Defect;
  /** HMI writes made once before the first scan, as an operator would (the embedded demo starts the cell so). */
  hmiWrites?: Readonly<Record<string, SignalValue>>;
  /**
   * Start the cell once the first inputs arrive, as the embedded demo shows it (`softplc --start-cell`): the
   * program decides how (the demo cell's goes straight to Running at its design operating point).
   */
  startCell?: boolean;
  log?: (line: string) => void;
}

export interface SoftPlc {
  endpoint: string;
  defect: Defect | undefined;
  scans(): number;
  plantConnected(): boolean;
  force(values: Record<string, SignalValue>): void;
  unforce(tags?: readonly string[]): void;
  stop(): Promise<void>;
}

const TYPE: Record<TagDataType, SignalSpec["type"]> = { Double: "Double", Float: "Double", Int32: "Int32", UInt32: "UInt32", Boolean: "Boolean", DoubleArray: "DoubleArray" };

export async function startSoftPlc(options: SoftPlcOptions): Promise<SoftPlc> {
  const log = options.log ?? (() => {});
  const { scene, ioList, defect } = options;
  const cycleMs = options.cycleMs ?? 20;
  if (!(cycleMs >= 5)) throw new RangeError(`soft PLC scan must be at least 5 ms, got ${cycleMs}`);
  const program = createProgram(scene.simulation?.model, defect);
  const root = commissioningRoot(scene, ioList);
  const io = new Map(ioList.signals.map((s) => [s.tag, s]));
  const inputs = ioList.signals.filter((s) => s.direction === "input");
  const outputs = ioList.signals.filter((s) => s.direction === "output");
  for (const tag of program.outputs) if (!io.has(tag)) log(`the program drives ${tag}, which the IO list lacks: it stays unwired`);

  /** Where the PLC reads an input: its IO list NodeId. */
  const inputAddress = (s: IoSignal): string => {
    // DEFECT wrong-level-sensor-address: the level input points at the outlet flowmeter's NodeId (a copy-paste
    // slip in the IO configuration), so the program reads FT-202 where it expects LT-201.
    if (defect === "wrong-level-sensor-address" && s.tag === "bufferTank.level") return io.get("bufferTank.outletFlow")?.nodeId ?? s.nodeId;
    return s.nodeId;
  };
  const readList = [plantControlNodeIds(root).simulationTime, ...inputs.map(inputAddress)];

  // The IO image as the HMI sees it, and the forces applied to it.
  const image = new Map<string, InputReading>();
  for (const s of ioList.signals) image.set(s.tag, { value: undefined, good: false });
  const forces = new Map<string, SignalValue>();
  const reading = (tag: string): InputReading => (forces.has(tag) ? { value: forces.get(tag)!, good: true } : (image.get(tag) ?? { value: undefined, good: false }));

  const servedScene = withTags(scene, [
    ...ioList.signals.filter((s) => !sceneHas(scene, s.tag)).map((s) => ({ id: s.tag, tag: ioTag(s) })),
    ...program.extraTags.map((e) => ({ id: e.name, tag: { nodeId: `ns=1;s=${root}.${e.path}`, dataType: e.dataType, role: "state", access: "read", samplingMs: 100, trend: false, description: e.description } satisfies Tag })),
  ]);
  const hmi = new Map(program.hmiSignals.map((s) => [s.name, s]));
  const signals: SignalSpec[] = [];
  for (const asset of servedScene.assets) {
    for (const [key, tag] of Object.entries(asset.tags)) {
      const name = `${asset.id}.${key}`;
      signals.push(hmi.get(name) ?? { name, type: TYPE[tag.dataType], direction: tag.access === "readWrite" ? "input" : "output" });
    }
  }
  const plan = planIoList(() => planPlc(servedScene, signals, "soft PLC"), "soft PLC");

  const force = (values: Record<string, SignalValue>) => {
    const parsed = Object.entries(values).map(([tag, v]) => {
      const s = io.get(tag);
      if (!s) throw new RangeError(`force ${tag}: not an IO list signal`);
      return [tag, s.dataType === "Boolean" ? Boolean(typeof v === "number" ? v !== 0 : v) : s.dataType === "DoubleArray" ? (Array.isArray(v) ? v : [Number(v)]) : Number(v)] as const;
    });
    for (const [tag, v] of parsed) forces.set(tag, v);
  };
  const unforce = (tags?: readonly string[]) => {
    if (!tags) forces.clear();
    else for (const t of tags) forces.delete(t);
  };

  let space: PlcAddressSpace | undefined;
  let linkUp = true;
  let scans = 0;
  // The connection to the plant and the own server start side by side (each takes a while: certificates, nodesets).
  const [connecting, serving] = await Promise.allSettled([
    connectClient(options.plantEndpoint, { name: "twinbench-softplc", pkiFolder: join(options.pkiFolder, "client") }),
    startServer({
      identity: { id: "softplc", name: "Twinbench soft PLC" },
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      pkiFolder: join(options.pkiFolder, "server"),
      log,
      build(addressSpace) {
        space = buildPlcAddressSpace(addressSpace, plan, async (name, value) => program.writeHmi(name, value), log);
        addSoftPlcNodes(addressSpace, root, {
          defect: () => defect ?? "",
          scans: () => scans,
          plantConnected: () => linkUp,
          force: (tags, values) => force(Object.fromEntries(tags.map((t, i) => [t, values[i]!]))),
          unforce: (tags) => unforce(tags),
        }, log);
      },
    }),
  ]);
  if (connecting.status === "rejected" || serving.status === "rejected") {
    if (connecting.status === "fulfilled") await connecting.value.close();
    if (serving.status === "fulfilled") await serving.value.server.shutdown(0).catch(() => {});
    throw connecting.status === "rejected" ? connecting.reason : (serving as PromiseRejectedResult).reason;
  }
  const plant = connecting.value;
  const started = serving.value;
  const server: OPCUAServer = started.server;
  try {
    const served = space!;
    for (const [name, value] of Object.entries(options.hmiWrites ?? {})) program.writeHmi(name, value);
    let startCellPending = options.startCell === true;
    if (startCellPending && !program.startCell) {
      log("--start-cell: this plant's program has no cell to start");
      startCellPending = false;
    }

    const reader = new PatientReader(plant);
    const watchdogMs = options.ioWatchdogMs ?? 500;
    let writing = false;
    let lastPlantS: number | undefined;
    let lastWall = performance.now();
    const written = new Map<string, SignalValue>();
    let rewriteAll = true;
    plant.onReconnect(() => (rewriteAll = true));

    const frame: SimulationFrame = { timeS: 0, scalars: new Float64Array(signals.length), arrays: {} };
    const valueOf = (name: string): SignalValue | undefined => (hmi.has(name) ? program.hmi(name) : reading(name).value);

    const scan = async () => {
      const writesBefore = served.writeCount();
      let plantS: number | undefined;
      const values = await reader.read(readList, watchdogMs);
      if (values) {
        const clock = plainValue(values[0]);
        plantS = clock.good && typeof clock.value === "number" ? clock.value : undefined;
        inputs.forEach((s, i) => {
          const r = plainValue(values[i + 1]);
          image.set(s.tag, { value: r.value, good: r.good });
        });
        if (!linkUp) log("plant answers again: inputs are live");
        linkUp = true;
      } else {
        if (linkUp) log(`plant unanswered for ${watchdogMs} ms: IO link lost, inputs are Bad until it answers again`);
        linkUp = false;
        rewriteAll = true;
        for (const s of inputs) image.set(s.tag, { value: image.get(s.tag)?.value, good: false });
      }
      // The program runs on the plant's clock when the plant has one, so it keeps its tuning at any plant speed.
      const now = performance.now();
      const dtS = plantS !== undefined && lastPlantS !== undefined ? Math.min(5, Math.max(0, plantS - lastPlantS)) : (now - lastWall) / 1000;
      if (plantS !== undefined) lastPlantS = plantS;
      lastWall = now;
      // The cell starts on the first image read from the plant: how depends on the state the plant is in.
      if (startCellPending && values) {
        startCellPending = false;
        program.startCell!(reading);
      }
      program.scan(dtS, reading, linkUp);
      scans++;

      const changes: { nodeId: string; value: SignalValue; type: TagDataType; tag: string }[] = [];
      for (const s of outputs) {
        const value = forces.get(s.tag) ?? program.output(s.tag);
        if (value === undefined) continue;
        image.set(s.tag, { value, good: true });
        if (rewriteAll || !sameValue(written.get(s.tag), value)) changes.push({ nodeId: s.nodeId, value, type: s.dataType, tag: s.tag });
      }
      // One write in flight at most; what changes meanwhile goes with the next one. The scan waits for it (up to
      // the watchdog) so the HMI never shows a state before the plant received the outputs that go with it.
      if (linkUp && changes.length > 0 && !writing) {
        writing = true;
        rewriteAll = false;
        const write = writeValues(plant.session, changes)
          .then((statuses) =>
            statuses.forEach((st, i) => {
              const c = changes[i]!;
              if (st.isGood()) written.set(c.tag, c.value);
              else {
                written.delete(c.tag);
                log(`write ${c.tag} = ${JSON.stringify(c.value)} refused by the plant: ${st.name}`);
              }
            }),
          )
          .catch(() => (rewriteAll = true))
          .finally(() => (writing = false));
        await Promise.race([write, new Promise((r) => setTimeout(r, watchdogMs))]);
      }

      frame.timeS = plantS ?? 0;
      signals.forEach((s, i) => {
        const v = valueOf(s.name);
        if (s.type === "DoubleArray") {
          frame.scalars[i] = Number.NaN;
          frame.arrays[s.name] = Float64Array.from(Array.isArray(v) ? v : []);
        } else {
          frame.scalars[i] = typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "number" ? v : Number.NaN;
        }
      });
      served.applyFrame(frame, new Date(), writesBefore);
    };

    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: Promise<void> | undefined;
    let next = performance.now();
    const loop = () => {
      if (stopped) return;
      inFlight = scan()
        .catch((err: unknown) => log(`scan failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          inFlight = undefined;
          next = Math.max(next + cycleMs, performance.now());
          if (!stopped) timer = setTimeout(loop, Math.max(0, next - performance.now()));
        });
    };
    loop();
    log(`soft PLC${defect ? ` with defect ${defect}` : ""} scanning every ${cycleMs} ms against ${options.plantEndpoint}, serving its HMI at ${started.endpoint}`);

    let stopping: Promise<void> | undefined;
    return {
      endpoint: started.endpoint,
      defect,
      scans: () => scans,
      plantConnected: () => linkUp,
      force,
      unforce,
      stop() {
        stopping ??= (async () => {
          stopped = true;
          if (timer) clearTimeout(timer);
          if (inFlight) await Promise.race([inFlight, new Promise((r) => setTimeout(r, 1000))]);
          await server.shutdown(0).catch(() => {});
          await plant.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await server.shutdown(0).catch(() => {});
    await plant.close();
    throw err;
  }
}

function sameValue(a: SignalValue | undefined, b: SignalValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function sceneHas(scene: Scene, tagId: string): boolean {
  const dot = tagId.indexOf(".");
  return scene.assets.some((a) => a.id === tagId.slice(0, dot) && Object.hasOwn(a.tags, tagId.slice(dot + 1)));
}

function ioTag(s: IoSignal): Tag {
  return {
    nodeId: s.nodeId,
    dataType: s.dataType,
    role: s.direction === "output" ? "state" : s.dataType === "Boolean" ? "state" : "measurement",
    access: "read",
    samplingMs: 100,
    trend: false,
    ...(s.unit ? { unit: s.unit } : {}),
    ...(s.range ? { range: s.range } : {}),
    ...(s.description ? { description: s.description } : {}),
  };
}

/** The scene with extra tags added to their assets (an asset the scene lacks is created under the root). */
function withTags(scene: Scene, extra: { id: string; tag: Tag }[]): Scene {
  const assets = new Map<string, Asset>(scene.assets.map((a) => [a.id, { ...a, tags: { ...a.tags } }]));
  const root = scene.assets.find((a) => a.parent === undefined) ?? scene.assets[0]!;
  for (const { id, tag } of extra) {
    const dot = id.indexOf(".");
    const assetId = id.slice(0, dot);
    let asset = assets.get(assetId);
    if (!asset) {
      asset = { id: assetId, name: assetId, level: "component", parent: root.id, geometry: [], tags: {} };
      assets.set(assetId, asset);
    }
    asset.tags[id.slice(dot + 1)] = tag;
  }
  return { ...scene, assets: [...assets.values()] };
}
