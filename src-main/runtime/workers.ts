/**
 * Starting worker threads that run a module of src-workers, and pairing every wrap with a dispose.
 *
 * Built (out/main): each worker is its own bundle entry beside the main bundles (`<name>.js`).
 * From source (tests, tsx): the `.worker.ts` file in src-workers, loaded through tsx.
 */
import { Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/umd/node-adapter.js";
import { locateEntry } from "./entries";

/** Worker entries: bundle name → source path below src-workers. The build config reads this list too. */
export const WORKER_ENTRIES = {
  "plant.worker": "plant/plant.worker.ts",
} as const;
export type WorkerName = keyof typeof WORKER_ENTRIES;

export interface WorkerHandle<T> {
  api: Comlink.Remote<T>;
  worker: Worker;
  dispose(): Promise<void>;
}

export function spawnWorker<T>(name: WorkerName): WorkerHandle<T> {
  const { file, execArgv } = locateEntry(name, `src-workers/${WORKER_ENTRIES[name]}`);
  const worker = new Worker(file, { execArgv });
  const api = Comlink.wrap<T>(nodeEndpoint(worker));
  let disposed = false;
  return {
    api,
    worker,
    async dispose() {
      if (disposed) return;
      disposed = true;
      api[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}
