/**
 * The plant server: the plant model alone (no control logic) behind an OPC UA server, for virtual
 * commissioning. Sensors are read-only variables the model updates, actuators writable variables it obeys,
 * at the NodeIds of the IO list, so the PLC program that connects here connects to the real plant later.
 *
 * The model runs on its own thread with a precise clock (plant-clock.worker), in real time or scaled ×0.5…×10;
 * this thread serves the newest frame through the faults. Faults, plant states and the loss of the connection
 * are offered here as an API (for the UI) and as OPC UA methods (for suites).
 */
import { StatusCodes, type OPCUAServer } from "node-opcua";
import type { Scene } from "../../common/scene/schema";
import type { JitterSummary } from "../../../src-workers/plant/cycle-clock";
import { PLANT_MODELS } from "../../../src-workers/plant/create-plant-model";
import { checkSpeed, MIN_CYCLE_MS } from "../../../src-workers/plant/plant-loop";
import type { PlantStateSpec } from "../../../src-workers/plant/plant-model-types";
import type { SignalValue } from "../../../src-workers/plant/simulation-types";
import { planPlc, type PlcVariable } from "../../plc/plan";
import { FaultBoard, type ActiveForce } from "../faults/fault-board";
import { FaultSpec, type ActiveFault, type FaultSpecInput } from "../faults/fault-spec";
import { checkIoList, ioRigSignals, type IoMismatch } from "../io/io-check";
import type { IoDirection, IoList } from "../io/io-list";
import { startServer } from "../opcua/server";
import { buildPlantAddressSpace, type PlantAddressSpace, type ServedValue } from "./plant-address-space";
import { startPlantClock } from "./plant-clock-link";
import { addPlantControlNodes } from "./plant-control-nodes";
import { commissioningRoot, planIoList, plantSceneFromIoList } from "./plant-layout";

export interface PlantServerOptions {
  scene: Scene;
  ioList: IoList;
  /** TCP port; 0 picks a free one (the endpoint carries it). */
  port: number;
  host?: "127.0.0.1";
  pkiFolder: string;
  /** Times real time, 0.5…10. Default 1. */
  speed?: number;
  /** Plant cycle, ms (≥ 10). Default 20. */
  cycleMs?: number;
  degradationSpeedup?: number;
  log?: (line: string) => void;
}

export interface PlantSignal {
  tag: string;
  nodeId: string;
  direction: IoDirection;
  dataType: PlcVariable["dataType"];
  unit?: string;
  range?: [number, number];
}

export interface PlantIoRow extends PlantSignal {
  value: ServedValue["value"];
  status: string;
  /** The fault on this signal, if any. */
  fault?: ActiveFault;
  /** The value this signal is forced to, if it is. */
  forced?: number | boolean;
}

export interface PlantServer {
  endpoint: string;
  /** Prefix of the server's own folders (`DemoCell` → `ns=1;s=DemoCell.Commissioning…`). */
  root: string;
  /** Plant model played (`demo-cell`, or `io-rig` for a scene without one). */
  model: string;
  cycleMs: number;
  signals: readonly PlantSignal[];
  states: readonly PlantStateSpec[];
  /** IO list rows that do not match the scene or the model (served anyway where possible). */
  mismatches: readonly IoMismatch[];
  timeS(): number;
  speed(): number;
  setSpeed(speed: number): Promise<void>;
  /** Checks and applies fault specs; throws a RangeError naming the tag for one that does not apply (none is applied then). */
  injectFaults(specs: readonly FaultSpecInput[]): void;
  clearFaults(tags?: readonly string[]): string[];
  faults(): ActiveFault[];
  onDidChangeFaults(listener: (faults: ActiveFault[]) => void): () => void;
  /** Forces signals (all or nothing); throws a RangeError naming the tag for one that cannot be forced. */
  force(values: Readonly<Record<string, number | boolean>>): void;
  /** Releases the forces of `tags` (all when omitted); returns the tags that were forced. */
  unforce(tags?: readonly string[]): string[];
  forces(): ActiveForce[];
  setState(name: string, value: number): Promise<void>;
  /** Loss of the connection: closes every session, refuses connections for `seconds` plant seconds, actuators go safe. */
  dropConnections(seconds: number): Promise<void>;
  /** The value a client reads now (after faults) and its status. */
  value(tag: string): ServedValue | undefined;
  /** The IO list as the commissioning panel shows it: each signal's served value, status and fault. */
  ioTable(): PlantIoRow[];
  cycleStats(): JitterSummary;
  resetCycleStats(): void;
  stop(): Promise<void>;
}

export const DEFAULT_PLANT_CYCLE_MS = 20;

export async function startPlantServer(options: PlantServerOptions): Promise<PlantServer> {
  const log = options.log ?? (() => {});
  const { scene, ioList } = options;
  const cycleMs = options.cycleMs ?? DEFAULT_PLANT_CYCLE_MS;
  if (!(cycleMs >= MIN_CYCLE_MS)) throw new RangeError(`plant cycle must be at least ${MIN_CYCLE_MS} ms, got ${cycleMs}`);
  let speed = checkSpeed(options.speed ?? 1);
  const sceneModel = scene.simulation?.model;
  const model = sceneModel && sceneModel !== "io-rig" && PLANT_MODELS.includes(sceneModel) ? sceneModel : "io-rig";
  if (sceneModel && model === "io-rig") log(`no plant model "${sceneModel}": the plant is played from the IO list (io-rig)`);
  const seed = scene.simulation?.seed ?? 1;

  const clock = await startPlantClock(
    {
      options: { model, seed, ...(options.degradationSpeedup !== undefined ? { degradationSpeedup: options.degradationSpeedup } : {}), ...(model === "io-rig" ? { signals: ioRigSignals(ioList) } : {}) },
      cycleMs,
      speed,
    },
    log,
  );
  let server: OPCUAServer | undefined;
  try {
    const signals = clock.ready.signals;
    const mismatches = checkIoList(ioList, scene, model === "io-rig" ? undefined : { name: model, signals });
    for (const m of mismatches) log(`IO list ${m.line !== undefined ? `line ${m.line}` : "(missing row)"}: ${m.tag}: ${m.message}`);
    const plan = planIoList(() => planPlc(plantSceneFromIoList(scene, ioList), signals, model), "plant server");
    const root = commissioningRoot(scene, ioList);
    const faults = new FaultBoard(signals, seed);
    const commanded = new Map<string, SignalValue>();
    const faultListeners = new Set<(faults: ActiveFault[]) => void>();
    const notifyFaults = () => {
      const list = faults.list();
      for (const l of faultListeners) l(list);
    };
    let space: PlantAddressSpace | undefined;
    let dropped = false;
    let restoreTimer: ReturnType<typeof setTimeout> | undefined;

    /** Sends what the plant obeys for an actuator: the PLC's command through its fault. */
    const drive = (name: string) => {
      const value = commanded.get(name);
      if (value === undefined) return;
      clock.request({ type: "write", name, value: faults.actuator(name, value) }).catch((err: unknown) => log(`actuator ${name}: ${String(err)}`));
    };
    const actuators = plan.variables.filter((v) => v.writable);
    for (const v of actuators) commanded.set(v.signal.name, safeValue(v));

    const control = {
      timeS: () => clock.frames.timeS,
      speed: () => speed,
      faultsJson: () => JSON.stringify(faults.list()),
      injectFaults(specs: readonly FaultSpecInput[]) {
        const parsed = specs.map((s) => FaultSpec.parse(s));
        // All or nothing: check every spec on a scratch board first.
        const scratch = new FaultBoard(signals, seed);
        for (const s of parsed) scratch.inject(s, clock.frames.timeS);
        for (const s of parsed) faults.inject(s, clock.frames.timeS);
        for (const t of faults.advance(clock.frames.timeS)) if (commanded.has(t)) drive(t);
        notifyFaults();
      },
      clearFaults(tags?: readonly string[]) {
        const cleared = faults.clear(tags);
        for (const t of cleared) if (commanded.has(t)) drive(t);
        if (cleared.length > 0) notifyFaults();
        return cleared;
      },
      setState: (name: string, value: number) => clock.request({ type: "setState", name, value }),
      dropConnections: (seconds: number) => dropConnections(seconds),
      forcesJson: () => JSON.stringify(faults.forces()),
      force(values: readonly { tag: string; value: number | boolean }[]) {
        // All or nothing: every value is checked before any is applied.
        const checked = values.map(({ tag, value }) => ({ tag, value: faults.checkForce(tag, value) }));
        for (const { tag, value } of checked) faults.force(tag, value);
        for (const { tag } of checked) if (commanded.has(tag)) drive(tag);
        if (checked.length > 0) log(`forced ${checked.map((f) => `${f.tag} = ${String(f.value)}`).join(", ")}`);
      },
      unforce(tags?: readonly string[]) {
        const released = faults.unforce(tags);
        for (const t of released) if (commanded.has(t)) drive(t);
        if (released.length > 0) log(`released ${released.join(", ")}`);
        return released;
      },
      async setSpeed(next: number) {
        await clock.request({ type: "speed", speed: checkSpeed(next) });
        speed = next;
      },
    };

    const started = await startServer({
      identity: { id: "plant-server", name: "Twinbench plant server" },
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      pkiFolder: options.pkiFolder,
      log,
      build(addressSpace) {
        space = buildPlantAddressSpace(addressSpace, plan, (v, value) => {
          if (dropped) return StatusCodes.BadCommunicationError;
          commanded.set(v.signal.name, value);
          drive(v.signal.name);
          return StatusCodes.Good;
        });
        addPlantControlNodes(addressSpace, root, control, log);
      },
    });
    server = started.server;
    const served = space!;
    clock.frames.read();
    served.publish(clock.frames, faults, new Date());
    clock.start();

    // Serving thread: publish the newest frame once per cycle (a frame written meanwhile is simply newer).
    let lastCycle = -1;
    const publisher = setInterval(() => {
      if (!clock.frames.read() || clock.frames.cycle === lastCycle) return;
      lastCycle = clock.frames.cycle;
      const changed = faults.advance(clock.frames.timeS);
      if (changed.length > 0) {
        for (const t of changed) if (commanded.has(t)) drive(t);
        notifyFaults();
      }
      served.publish(clock.frames, faults, new Date());
    }, cycleMs);

    async function dropConnections(seconds: number): Promise<void> {
      if (!(seconds > 0)) throw new RangeError(`dropConnections: seconds must be positive, got ${seconds}`);
      if (dropped || !server) return;
      dropped = true;
      const wallMs = (seconds / speed) * 1000;
      log(`connection loss: every session closed, not serving for ${seconds} plant s (${Math.round(wallMs)} ms)`);
      // A remote IO coupler whose fieldbus watchdog expires de-energises its outputs: every actuator goes safe.
      for (const v of actuators) {
        commanded.set(v.signal.name, safeValue(v));
        served.showCommand(v.signal.name, safeValue(v), new Date());
        drive(v.signal.name);
      }
      await Promise.all(
        server.endpoints.map(async (ep) => {
          // Stop accepting first, then cut every open channel (which lets the listener close at once).
          const suspended = new Promise<void>((r) => ep.suspendConnection(() => r()));
          ep.abruptlyInterruptChannels();
          await suspended;
        }),
      );
      await new Promise<void>((resolve) => (restoreTimer = setTimeout(resolve, wallMs)));
      restoreTimer = undefined;
      if (!server) return;
      await Promise.all(server.endpoints.map((ep) => new Promise<void>((r) => ep.restoreConnection(() => r()))));
      dropped = false;
      log("connection loss over: serving again");
    }

    let stopping: Promise<void> | undefined;
    const signalsInfo: PlantSignal[] = plan.variables
      .filter((v) => v.tagId !== undefined)
      .map((v) => ({
        tag: v.signal.name,
        nodeId: v.nodeId,
        direction: v.writable ? "output" : "input",
        dataType: v.dataType,
        ...(v.unit !== undefined ? { unit: v.unit } : {}),
        ...(v.range !== undefined ? { range: v.range } : {}),
      }));
    log(`plant server playing "${model}" for "${scene.name}": ${signalsInfo.length} IO signals at ${started.endpoint}, ${cycleMs} ms cycle, ×${speed}`);
    return {
      endpoint: started.endpoint,
      root,
      model,
      cycleMs,
      signals: signalsInfo,
      states: clock.ready.states,
      mismatches,
      timeS: () => clock.frames.timeS,
      speed: () => speed,
      setSpeed: (next) => control.setSpeed(next),
      injectFaults: (specs) => control.injectFaults(specs),
      clearFaults: (tags) => control.clearFaults(tags),
      faults: () => faults.list(),
      onDidChangeFaults(listener) {
        faultListeners.add(listener);
        return () => faultListeners.delete(listener);
      },
      force: (values) => control.force(Object.entries(values).map(([tag, value]) => ({ tag, value }))),
      unforce: (tags) => control.unforce(tags),
      forces: () => faults.forces(),
      setState: control.setState,
      dropConnections,
      value: (tag) => served.served(tag),
      ioTable() {
        const active = new Map(faults.list().map((f) => [f.spec.tag, f]));
        const forced = new Map(faults.forces().map((f) => [f.tag, f.value]));
        return signalsInfo.map((s) => {
          const v = served.served(s.tag);
          const fault = active.get(s.tag);
          const force = forced.get(s.tag);
          return { ...s, value: v?.value, status: v?.status ?? "not served", ...(fault ? { fault } : {}), ...(force !== undefined ? { forced: force } : {}) };
        });
      },
      cycleStats: () => clock.stats.summary(cycleMs),
      resetCycleStats: () => clock.stats.reset(),
      stop() {
        stopping ??= (async () => {
          clearInterval(publisher);
          if (restoreTimer) clearTimeout(restoreTimer);
          const s = server;
          server = undefined;
          await s?.shutdown(0).catch((err: unknown) => log(`OPC UA server shutdown: ${String(err)}`));
          await clock.stop();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await server?.shutdown(0).catch(() => {});
    await clock.stop();
    throw err;
  }
}

/** What an actuator falls to when nobody drives it: off, closed, zero. */
function safeValue(v: PlcVariable): SignalValue {
  return v.dataType === "Boolean" ? false : v.dataType === "DoubleArray" ? [] : 0;
}
