// Installs Twinbench's dependencies on any machine, with or without access to Electron's binary download.
// npm's own install of electron would fail (and roll back everything) where GitHub is unreachable, so the
// package is installed without its binary, then the binary is fetched as a separate, optional step.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const installed = join(root, "node_modules", ".package-lock.json");
const lock = join(root, "package-lock.json");

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.error("Installing dependencies (npm ci)…");
  const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electronDir = join(root, "node_modules", "electron");
const hasBinary = existsSync(join(electronDir, "path.txt"));
const skip = process.env.CI || process.env.TWINBENCH_NO_ELECTRON === "1";
if (existsSync(electronDir) && !hasBinary && !skip) {
  console.error("Fetching the Electron binary (optional: without it the workbench opens in your browser)…");
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [join(electronDir, "install.js")], { cwd: electronDir, stdio: ["ignore", "ignore", "pipe"], env, timeout: 180_000 });
  if (r.status === 0 && existsSync(join(electronDir, "path.txt"))) console.error("Electron is ready: `npm start` opens the desktop window.");
  else console.error("The Electron binary could not be downloaded here; `npm start` will serve the workbench to your browser instead.");
}
