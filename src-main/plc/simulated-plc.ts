/**
 * The simulated PLC: an OPC UA server on the loopback interface that plays a scene's plant. Physics and
 * control logic run in the plant worker; this side serves each scene tag at its NodeId and steps the
 * simulation in real time.
 */
import { StatusCodes, type OPCUAServer } from "node-opcua";
import type { Scene } from "../common/scene/schema";
import type {
  SignalSpec,
  SignalValue,
  SimulationFrame,
  SimulationOptions,
  SimulationWorkerApi,
} from "../../src-workers/plant/simulation-types";
import { spawnWorker } from "../runtime/workers";
import { buildPlcAddressSpace, type PlcAddressSpace } from "./address-space";
import { startServer } from "./loopback-server";
import { planPlc } from "./plan";

export interface SimulatedPlcOptions {
  scene: Scene;
  /** TCP port; 0 picks a free one (the endpoint then carries the real port). */
  port: number;
  host?: "127.0.0.1";
  /** The server's own PKI (certificate, trusted and rejected clients). */
  pkiFolder: string;
  /** Loop period, ms. Default 50 (20 Hz). */
  cycleMs?: number;
  /** Speeds up wear and fouling so a demo shows them within minutes. */
  degradationSpeedup?: number;
  log?: (line: string) => void;
  /** The simulation to serve, already created (tests, other hosts). Default: the plant worker. Disposed by stop(). */
  simulation?: SimulationLink;
}

export interface SimulatedPlc {
  /** `opc.tcp://127.0.0.1:PORT/twinbench` */
  endpoint: string;
  /** Completed simulation steps since start. */
  cycles(): number;
  /** Closes the server, stops the loop and disposes the simulation. Idempotent. */
  stop(): Promise<void>;
}

/** The simulation as the PLC uses it: every call asynchronous, plus dispose. */
export interface SimulationLink {
  init(options: SimulationOptions): Promise<SignalSpec[]>;
  step(dtS: number): Promise<SimulationFrame>;
  write(name: string, value: SignalValue): Promise<void>;
  frame(): Promise<SimulationFrame>;
  dispose(): Promise<void>;
}

export const DEFAULT_CYCLE_MS = 50;
/** Largest simulated step: after a pause (debugger, suspended laptop) the physics continues, it does not jump. */
export const MAX_STEP_S = 0.25;
export { FASTEST_INTERVAL_MS, findFreePort } from "./loopback-server";

/** The plant worker behind comlink. A crashed worker fails pending calls instead of leaving them pending forever. */
export function workerSimulationLink(): SimulationLink {
  const handle = spawnWorker<SimulationWorkerApi>("plant.worker");
  let disposing = false;
  let failWith: ((err: Error) => void) | undefined;
  const dead = new Promise<never>((_, reject) => (failWith = reject));
  dead.catch(() => {}); // observed by the races below; never an unhandled rejection on its own
  handle.worker.on("error", (err) => failWith?.(new Error(`plant worker failed: ${err.message}`)));
  handle.worker.on("exit", (code) => {
    if (!disposing) failWith?.(new Error(`plant worker exited (code ${code})`));
  });
  const call = <T>(p: Promise<T>): Promise<T> => Promise.race([p, dead]);
  const api = handle.api;
  return {
    init: (o) => call(Promise.resolve(api.init(o) as Promise<SignalSpec[]>)),
    step: (dt) => call(Promise.resolve(api.step(dt) as Promise<SimulationFrame>)),
    write: (name, value) => call(Promise.resolve(api.write(name, value) as Promise<void>)),
    frame: () => call(Promise.resolve(api.frame() as Promise<SimulationFrame>)),
    dispose: async () => {
      disposing = true;
      await handle.dispose();
    },
  };
}

export async function startSimulatedPlc(options: SimulatedPlcOptions): Promise<SimulatedPlc> {
  const { scene } = options;
  const log = options.log ?? (() => {});
  const host = options.host ?? "127.0.0.1";
  const cycleMs = options.cycleMs ?? DEFAULT_CYCLE_MS;
  if (!(cycleMs > 0 && Number.isFinite(cycleMs))) throw new Error(`cycleMs must be a positive number of milliseconds, not ${cycleMs}`);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error(`port must be 0..65535, not ${options.port}`);
  const model = scene.simulation?.model;
  if (!model) {
    throw new Error(`scene "${scene.name}" has no simulation section: the simulated PLC needs the name of the model that plays the plant`);
  }

  const sim = options.simulation ?? workerSimulationLink();
  let server: OPCUAServer | undefined;
  try {
    const signals = await sim.init({
      model,
      seed: scene.simulation?.seed ?? 1,
      ...(options.degradationSpeedup !== undefined ? { degradationSpeedup: options.degradationSpeedup } : {}),
    });
    const plan = planPlc(scene, signals, model);
    if (plan.unbound.length > 0) log(`simulation signals not bound to a scene tag (not served): ${plan.unbound.join(", ")}`);
    const firstFrame = await sim.frame();
    let space: PlcAddressSpace | undefined;
    const started = await startServer({
      identity: { id: "simulated-plc", name: "Twinbench simulated PLC" },
      port: options.port,
      host,
      pkiFolder: options.pkiFolder,
      log,
      build: (addressSpace: Parameters<typeof buildPlcAddressSpace>[0]) => {
        space = buildPlcAddressSpace(addressSpace, plan, (name, value) => sim.write(name, value), log);
        space.applyFrame(firstFrame, new Date(), 0);
      },
    });
    server = started.server;
    const endpoint = started.endpoint;
    const hidden = plan.variables.filter((v) => v.tagId === undefined).length;
    log(`simulated PLC serving ${plan.variables.length - hidden} tags and ${hidden} ground-truth signals of "${scene.name}" at ${endpoint}, ${cycleMs} ms cycle`);
    return runLoop(started.server, space!, sim, endpoint, cycleMs, log);
  } catch (err) {
    await server?.shutdown(0).catch(() => {});
    await sim.dispose().catch(() => {});
    throw err;
  }
}

function runLoop(server: OPCUAServer, space: PlcAddressSpace, sim: SimulationLink, endpoint: string, cycleMs: number, log: (line: string) => void): SimulatedPlc {
  let cycles = 0;
  let failures = 0;
  /** Consecutive failed steps. */
  let consecutiveFailures = 0;
  let stopped = false;
  let inFlight: Promise<void> | undefined;
  let lastStepAt = performance.now();

  const tick = () => {
    // A step still running (slow worker, GC pause) makes this tick skip; the next step covers the elapsed time.
    if (stopped || inFlight) return;
    const now = performance.now();
    const dt = Math.min(MAX_STEP_S, Math.max(0, (now - lastStepAt) / 1000));
    lastStepAt = now;
    const writesBeforeStep = space.writeCount();
    inFlight = sim
      .step(dt)
      .then(
        (frame) => {
          if (stopped) return;
          space.applyFrame(frame, new Date(), writesBeforeStep);
          consecutiveFailures = 0;
          cycles++;
        },
        (err: unknown) => {
          if (stopped) return;
          // Clients must see that the values stopped updating: the last values stay, no longer Good.
          if (consecutiveFailures === 0) space.markAll(StatusCodes.UncertainLastUsableValue, new Date());
          consecutiveFailures++;
          // Log the first failure and then every 100th, not 20 lines a second.
          if (failures++ % 100 === 0) log(`simulation step failed (${failures} so far): ${err instanceof Error ? err.message : String(err)}`);
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
  };
  const timer = setInterval(tick, cycleMs);

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    cycles: () => cycles,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(timer);
        // Let a running step finish before the worker goes, but do not wait on a stuck one.
        if (inFlight) await Promise.race([inFlight, new Promise((r) => setTimeout(r, 1000).unref())]);
        try {
          await server.shutdown(0);
        } catch (err) {
          log(`OPC UA server shutdown: ${err instanceof Error ? err.message : String(err)}`);
        }
        await sim.dispose();
        log(`simulated PLC at ${endpoint} stopped after ${cycles} cycles`);
      })();
      return stopping;
    },
  };
}
