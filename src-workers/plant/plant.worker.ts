/**
 * Worker-thread entry: serves a SimulationService to the main process through comlink.
 */
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/umd/node-adapter.js";
import { parentPort } from "node:worker_threads";
import { SimulationService } from "./simulation-service";

if (!parentPort) {
  throw new Error("plant.worker must run in a worker thread (spawnWorker(\"plant.worker\")); parentPort is null");
}
Comlink.expose(new SimulationService(), nodeEndpoint(parentPort));
