/**
 * `npm run bench [GROUP…] [--json FILE]`: runs benchmark groups and prints one line per figure,
 * `group.figure: value unit` (medians over repeated runs, with min–max). Speed and memory targets are
 * checked here, never in timed unit tests: the machines are shared and noisy.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { BenchGroup, Figure } from "./figures";

/** Every file in groups/ exports one BenchGroup (as `group`); issues add groups without touching this file. */
async function loadGroups(): Promise<BenchGroup[]> {
  const dir = new URL("./groups/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  const groups: BenchGroup[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(new URL(file, dir).pathname).href)) as { group?: BenchGroup };
    if (!mod.group) throw new Error(`test/bench/groups/${file} does not export \`group\``);
    groups.push(mod.group);
  }
  return groups;
}

function format(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

async function main(): Promise<number> {
  const GROUPS = await loadGroups();
  const args = process.argv.slice(2);
  let jsonFile: string | undefined;
  const names: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === "--json") jsonFile = args[++k];
    else if (args[k] === "--help") {
      console.log(`usage: npm run bench -- [GROUP…] [--json FILE]\ngroups:\n${GROUPS.map((g) => `  ${g.name}: ${g.description}`).join("\n")}`);
      return 0;
    } else names.push(args[k]!);
  }
  const unknown = names.filter((n) => !GROUPS.some((g) => g.name === n));
  if (unknown.length) {
    console.error(`unknown benchmark group(s): ${unknown.join(", ")}; known: ${GROUPS.map((g) => g.name).join(", ")}`);
    return 2;
  }
  const chosen = names.length ? GROUPS.filter((g) => names.includes(g.name)) : GROUPS;
  const figures: Figure[] = [];
  for (const group of chosen) {
    console.error(`# ${group.name}: ${group.description}`);
    for (const f of await group.run((line) => console.error(line))) {
      figures.push(f);
      console.log(`${f.name}: ${format(f.value)} ${f.unit}   (median of ${f.runs}; min ${format(f.min)}, max ${format(f.max)})`);
    }
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ at: new Date().toISOString(), figures }, null, 2) + "\n");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
