#!/usr/bin/env node
// The twinbench command runs the built CLI (out/main/cli.js). `npm start` builds first when needed.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../out/main/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error("twinbench: not built yet. Run `npm run build` (or `npm start`, which builds when needed).");
  process.exit(1);
}
await import(cli.href);
