/**
 * Saved scenarios: one YAML file per scenario (`<name>.scenario.yaml`) in a folder per scene, so they can
 * be listed, re-run, versioned and run in batch (`twinbench whatif --scenario <file>`). Writes are atomic
 * (temp file, then rename), so a crash never leaves half a scenario.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseScenario, scenarioToYaml, WhatifFileError, type WhatifProblem } from "../common/whatif/parse";
import { Scenario, ScenarioName, type ScenarioInput } from "../common/whatif/schema";
import { compileScenario } from "../common/whatif/validate";
import type { WhatifContext } from "./context";

const SUFFIX = ".scenario.yaml";

export interface ScenarioListing {
  name: string;
  description?: string;
  horizonS: number;
  file: string;
}

/** The folder of a scene's scenarios in the data folder: `<data>/whatif/<scene name as a file name>`. */
export function scenarioFolder(dataFolder: string, sceneName: string): string {
  const slug = sceneName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "scene";
  return join(dataFolder, "whatif", slug);
}

export class ScenarioStore {
  /** With a context, `save` refuses a scenario that breaks the scene's write limits. */
  constructor(
    readonly folder: string,
    private readonly ctx?: WhatifContext,
  ) {}

  fileOf(name: string): string {
    const checked = ScenarioName.safeParse(name);
    if (!checked.success) throw new RangeError(`scenario name ${JSON.stringify(name)}: ${checked.error.issues[0]!.message}`);
    return join(this.folder, `${name}${SUFFIX}`);
  }

  /** Valid saved scenarios, by name; files that do not parse are reported in `problems`. */
  list(): { scenarios: ScenarioListing[]; problems: { file: string; problems: WhatifProblem[] }[] } {
    const scenarios: ScenarioListing[] = [];
    const problems: { file: string; problems: WhatifProblem[] }[] = [];
    if (!existsSync(this.folder)) return { scenarios, problems };
    for (const name of readdirSync(this.folder).filter((f) => f.endsWith(SUFFIX)).sort()) {
      const file = join(this.folder, name);
      const parsed = parseScenario(readFileSync(file, "utf8"));
      if (!parsed.ok) problems.push({ file, problems: parsed.problems });
      else {
        const listing: ScenarioListing = { name: parsed.value.name, horizonS: parsed.value.horizonS, file };
        if (parsed.value.description !== undefined) listing.description = parsed.value.description;
        scenarios.push(listing);
      }
    }
    return { scenarios, problems };
  }

  load(name: string): Scenario {
    const file = this.fileOf(name);
    if (!existsSync(file)) throw new Error(`no saved scenario "${name}" (${file})`);
    const parsed = parseScenario(readFileSync(file, "utf8"));
    if (!parsed.ok) throw new WhatifFileError(file, parsed.problems);
    return parsed.value;
  }

  /** Saves (or replaces) a scenario; returns its file. */
  save(input: ScenarioInput): string {
    const scenario = Scenario.parse(input);
    // Limits that do not depend on the state (min, max, names) are checked now; maxStep when it runs.
    if (this.ctx) compileScenario(scenario, { limits: this.ctx.limits, model: this.ctx.model, inputs: {} });
    const file = this.fileOf(scenario.name);
    mkdirSync(this.folder, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, scenarioToYaml(scenario));
    renameSync(temp, file);
    return file;
  }

  remove(name: string): boolean {
    const file = this.fileOf(name);
    if (!existsSync(file)) return false;
    rmSync(file);
    return true;
  }
}
