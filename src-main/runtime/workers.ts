/**
 * Starting worker threads that run a module of src-workers, and pairing every wrap with a dispose.
 *
 * Built (out/main): each worker is its own bundle entry beside the main bundles (`<name>.js`).
 * From source (tests, tsx): the `.worker.ts` file in src-workers, loaded through tsx.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/umd/node-adapter.js";

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

function locateWorker(name: WorkerName): { file: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, `${name}.js`);
  if (existsSync(built)) return { file: built, execArgv: [] };
  const source = resolve(here, "../../src-workers", WORKER_ENTRIES[name]);
  if (existsSync(source)) return { file: source, execArgv: ["--import", "tsx"] };
  throw new Error(`worker ${name}: neither ${built} nor ${source} exists (run npm run build)`);
}

export function spawnWorker<T>(name: WorkerName): WorkerHandle<T> {
  const { file, execArgv } = locateWorker(name);
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
