// `npm test`: builds when needed (integration and e2e tests run the built renderer and CLI), then runs the unit,
// integration and end-to-end suites with Node's test runner. `npm test -- unit` runs one suite.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const suites = ["unit", "integration", "e2e"];
const wanted = process.argv.slice(2).filter((a) => suites.includes(a));
const chosen = wanted.length ? wanted : suites;

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith(".test.ts") ? [relative(root, path)] : [];
  });
}

if (chosen.includes("e2e") || chosen.includes("integration")) {
  const built = spawnSync(process.execPath, [join(root, "build", "ensure-built.mjs")], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const files = chosen.flatMap((suite) => testFiles(join(root, "test", suite)).sort());
if (files.length === 0) {
  console.error(`no test files found in ${chosen.map((s) => `test/${s}`).join(", ")}`);
  process.exit(1);
}
// One file at a time: the integration and e2e suites open real servers and a browser on a 2-core machine.
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...files], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "test" },
});
process.exit(r.status ?? 1);
