/**
 * Whether an Electron window can be opened here, and opening it. The electron package exports the path
 * of its binary; without the binary (install skipped or not downloadable) requiring it throws.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../runtime/entries";

export function electronBinary(): { path?: string; why?: string } {
  if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { why: "no display (DISPLAY and WAYLAND_DISPLAY are unset)" };
  }
  try {
    const path = createRequire(join(PACKAGE_ROOT, "package.json"))("electron") as unknown;
    if (typeof path === "string" && existsSync(path)) return { path };
    return { why: "the electron package has no binary" };
  } catch (err) {
    return { why: `Electron is not installed (${(err as Error).message.split("\n")[0]})` };
  }
}

export function launchElectron(binary: string, args: string[]): ChildProcess {
  const main = join(PACKAGE_ROOT, "out", "main", "index.js");
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return spawn(binary, [main, ...args], { stdio: "inherit", env });
}
