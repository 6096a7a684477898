/**
 * Worker-thread entry: serves a WhatifService to the main process's what-if pool through comlink.
 */
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/umd/node-adapter.js";
import { parentPort } from "node:worker_threads";
import { WhatifService } from "./whatif-service";

if (!parentPort) {
  throw new Error("whatif.worker must run in a worker thread (spawnWorker(\"whatif.worker\")); parentPort is null");
}
Comlink.expose(new WhatifService(), nodeEndpoint(parentPort));
