/**
 * Starting worker threads that run a module of src-workers, and pairing every wrap with a dispose.
 *
 * Built (out/main): each worker is its own bundle entry beside the main bundles (`<name>.js`).
 * From source (tests, tsx): the `.worker.ts` file in src-workers, loaded through tsx. Node 20 does not
 * apply `--import tsx` to a worker's own entry file, so a tiny data: URL registers tsx, then imports it.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/umd/node-adapter.js";
import { locateEntry } from "./entries";

/** Worker entries: bundle name → source path below src-workers. The build config reads this list too. */
export const WORKER_ENTRIES = {
  "plant.worker": "plant/plant.worker.ts",
  "estimator.worker": "estimation/estimator.worker.ts",
  "whatif.worker": "whatif/whatif.worker.ts",
  "plant-clock.worker": "plant/plant-clock.worker.ts",
} as const;
export type WorkerName = keyof typeof WORKER_ENTRIES;

export interface WorkerHandle<T> {
  api: Comlink.Remote<T>;
  worker: Worker;
  dispose(): Promise<void>;
}

export function spawnWorker<T>(name: WorkerName): WorkerHandle<T> {
  const { file, built } = locateEntry(name, `src-workers/${WORKER_ENTRIES[name]}`);
  const worker = built ? new Worker(file) : new Worker(new URL(`data:text/javascript,${encodeURIComponent(tsxBoot(file))}`));
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

function tsxBoot(file: string): string {
  const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  return `import { register } from ${tsx}; register(); await import(${JSON.stringify(pathToFileURL(file).href)});`;
}
