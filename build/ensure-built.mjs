// Builds (electron-vite) only when a source is newer than the last build, so `npm start` stays fast.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const stamp = join(root, "out", ".build-stamp");
const inputs = ["src-main", "src-renderer", "src-workers", "assets", "electron.vite.config.ts", "package-lock.json", "tsconfig.base.json"];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changedAt = Math.max(...inputs.map((p) => newest(join(root, p))));
if (builtAt > changedAt && existsSync(join(root, "out/main/cli.js")) && existsSync(join(root, "out/renderer/index.html"))) {
  process.exit(0);
}
console.error("Building Twinbench (electron-vite build)…");
const bin = join(root, "node_modules", ".bin", "electron-vite");
if (!existsSync(bin)) {
  console.error("Dependencies are not installed: run `npm run setup` (or `npm run demo`) first.");
  process.exit(1);
}
try {
  execFileSync(bin, ["build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
} catch {
  console.error("The build failed; run `npm run build` to see the full output.");
  process.exit(1);
}
writeFileSync(stamp, new Date().toISOString() + "\n");
