/**
 * Worker-thread entry of the commissioning plant server: gives a PlantLoop its own thread and a precise clock,
 * so the plant keeps its cycle while the serving thread is busy answering OPC UA requests.
 *
 * The timer sleeps coarsely with setTimeout (which lets messages in) until shortly before the deadline, then
 * precisely with Atomics.wait, which blocks only this thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { PlantModelOptions } from "./plant-model-types";
import { PlantLoop, type PlantRequest } from "./plant-loop";

/** What the serving thread passes as workerData. */
export interface PlantClockData {
  options: PlantModelOptions;
  cycleMs: number;
  speed: number;
}

/** Messages to the plant thread. */
export type PlantClockCommand = { type: "start" } | { type: "stop" } | { type: "request"; id: number; request: PlantRequest };

/** Below this many ms to the deadline the clock stops using setTimeout (1 ms resolution) and waits precisely. */
const FINE_WAIT_MS = 2;

const port = parentPort;
if (!port) throw new Error("plant-clock.worker must run in a worker thread; parentPort is null");

let loop: PlantLoop;
try {
  const data = workerData as PlantClockData;
  loop = new PlantLoop(data.options, data.cycleMs, data.speed);
  port.postMessage({ type: "ready", ready: loop.ready() });
} catch (err) {
  port.postMessage({ type: "failed", message: err instanceof Error ? err.message : String(err) });
  throw err;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
let running = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

function schedule(): void {
  if (!running) return;
  const deadline = loop.nextDeadline(performance.now());
  const coarse = deadline - performance.now() - FINE_WAIT_MS;
  timer = setTimeout(() => fine(deadline), Math.max(0, coarse));
}

function fine(deadline: number): void {
  if (!running) return;
  const remaining = deadline - performance.now();
  if (remaining > 0) Atomics.wait(sleeper, 0, 0, remaining);
  try {
    loop.cycle(performance.now());
  } catch (err) {
    // Report the first failure and then every 100th; the clock keeps running so a transient fault recovers.
    if (failures++ % 100 === 0) port!.postMessage({ type: "log", line: `plant step failed (${failures} so far): ${err instanceof Error ? err.message : String(err)}` });
  }
  schedule();
}

port.on("message", (command: PlantClockCommand) => {
  switch (command.type) {
    case "start":
      if (!running) {
        running = true;
        schedule();
      }
      break;
    case "stop":
      running = false;
      if (timer) clearTimeout(timer);
      port.close();
      break;
    case "request":
      try {
        loop.handle(command.request);
        port.postMessage({ type: "reply", id: command.id });
      } catch (err) {
        port.postMessage({ type: "reply", id: command.id, error: err instanceof Error ? err.message : String(err) });
      }
      break;
  }
});
