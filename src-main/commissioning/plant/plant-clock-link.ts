/**
 * The plant thread of the plant server: starts plant-clock.worker, waits until its model exists, and offers
 * its requests as promises and its frames and cycle statistics as shared memory.
 *
 * Built (out/main): `plant-clock.worker.js` beside the main bundles (an entry in runtime/workers.ts
 * WORKER_ENTRIES). From source: the .ts file through tsx, booted like runtime/workers.ts does.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { PlantClockCommand, PlantClockData } from "../../../src-workers/plant/plant-clock.worker";
import { CycleStats } from "../../../src-workers/plant/cycle-clock";
import type { PlantReady, PlantRequest } from "../../../src-workers/plant/plant-loop";
import { FrameReader } from "../../../src-workers/plant/shared-frame";
import { locateEntry } from "../../runtime/entries";

export const PLANT_CLOCK_ENTRY = { name: "plant-clock.worker", source: "src-workers/plant/plant-clock.worker.ts" } as const;

export interface PlantClockLink {
  ready: PlantReady;
  frames: FrameReader;
  stats: CycleStats;
  start(): void;
  /** Resolves when the plant thread applied the request; rejects with the model's message when it refused it. */
  request(request: PlantRequest): Promise<void>;
  stop(): Promise<void>;
}

type WorkerMessage =
  | { type: "ready"; ready: PlantReady }
  | { type: "failed"; message: string }
  | { type: "reply"; id: number; error?: string }
  | { type: "log"; line: string };

export async function startPlantClock(data: PlantClockData, log: (line: string) => void): Promise<PlantClockLink> {
  const worker = spawn(data);
  const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let stopping = false;
  const failWith = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  // One listener per event for the thread's whole life (Worker uses its own listeners to ref its port, so
  // they are never removed); until the model is ready they settle the start-up, afterwards the requests.
  let starting: { resolve: (r: PlantReady) => void; reject: (err: Error) => void } | undefined;
  const readyPromise = new Promise<PlantReady>((resolve, reject) => (starting = { resolve, reject }));
  const fail = (err: Error) => {
    if (starting) starting.reject(err);
    else failWith(err);
  };
  worker.on("message", (m: WorkerMessage) => {
    if (m.type === "ready") starting?.resolve(m.ready);
    else if (m.type === "failed") starting?.reject(new Error(m.message));
    else if (m.type === "reply") {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new RangeError(m.error));
      else p?.resolve();
    } else if (m.type === "log") log(m.line);
  });
  worker.on("error", (err) => fail(new Error(`plant thread failed: ${err.message}`)));
  worker.on("exit", (code) => {
    if (stopping) return;
    if (!starting) log(`plant thread exited (code ${code})`);
    fail(new Error(`plant thread exited (code ${code})`));
  });
  let ready: PlantReady;
  try {
    ready = await readyPromise;
  } catch (err) {
    stopping = true;
    await worker.terminate();
    throw err;
  }
  starting = undefined;

  const post = (command: PlantClockCommand) => worker.postMessage(command);
  return {
    ready,
    frames: new FrameReader(ready.layout, ready.frame),
    stats: new CycleStats(ready.stats),
    start: () => post({ type: "start" }),
    request(request) {
      if (stopping) return Promise.reject(new Error("the plant thread is stopping"));
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post({ type: "request", id, request });
      });
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      failWith(new Error("the plant thread stopped"));
      await worker.terminate();
    },
  };
}

function spawn(data: PlantClockData): Worker {
  const { file, built } = locateEntry(PLANT_CLOCK_ENTRY.name, PLANT_CLOCK_ENTRY.source);
  if (built) return new Worker(file, { workerData: data });
  // Node 20 does not apply `--import tsx` to a worker's entry: a data: URL registers tsx, then imports the file.
  const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const boot = `import { register } from ${tsx}; register(); await import(${JSON.stringify(pathToFileURL(file).href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: data });
}
