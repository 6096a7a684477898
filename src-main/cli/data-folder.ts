/** Where Twinbench keeps its files on this machine (PKI, historian, accounts) when run from the CLI. */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function dataFolder(explicit?: string): string {
  const folder = explicit
    ? resolve(explicit)
    : process.env.TWINBENCH_HOME
      ? resolve(process.env.TWINBENCH_HOME)
      : join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "twinbench");
  mkdirSync(folder, { recursive: true });
  return folder;
}
