/**
 * Worker-thread entry: serves an EstimatorService to the main process through comlink.
 */
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/umd/node-adapter.js";
import { parentPort } from "node:worker_threads";
import { EstimatorService } from "./estimator-service";

if (!parentPort) {
  throw new Error("estimator.worker must run in a worker thread (spawnWorker(\"estimator.worker\")); parentPort is null");
}
Comlink.expose(new EstimatorService(), nodeEndpoint(parentPort));
