/**
 * Where a runnable entry lives. Built (out/main): `<name>.js` beside the main bundles, no loader.
 * From source (tests, tsx): the TypeScript file, run through tsx. One rule for workers and child processes.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface EntryLocation {
  file: string;
  /** Node options the entry needs (tsx for sources). */
  execArgv: string[];
  built: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
/** True when this code runs from out/main (bundled), false when it runs from src-main (tsx). */
export const RUNNING_BUILT = !import.meta.url.endsWith(".ts");

/** The repository (or installed package) root. */
export const PACKAGE_ROOT = resolve(here, "../.."); // out/main or src-main/runtime: both two levels down

export function locateEntry(builtName: string, sourcePath: string): EntryLocation {
  const built = join(PACKAGE_ROOT, "out/main", `${builtName}.js`);
  const source = join(PACKAGE_ROOT, sourcePath);
  if (RUNNING_BUILT && existsSync(built)) return { file: built, execArgv: [], built: true };
  if (existsSync(source)) return { file: source, execArgv: ["--import", "tsx"], built: false };
  if (existsSync(built)) return { file: built, execArgv: [], built: true };
  throw new Error(`${builtName}: neither ${built} nor ${source} exists (run npm run build)`);
}
