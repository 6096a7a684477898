/**
 * The suites beside a scene (`<scene folder>/suites/*.yaml`), as the commissioning panel lists them: each
 * loaded and checked against the scene and the IO list, or the problem that keeps it from running (a suite
 * written for another scene names the tag and the line). Read afresh on every call: suites are edited while
 * the workbench runs.
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { SuiteInfo } from "../../common/api/commissioning";
import type { Scene } from "../../common/scene/schema";
import { loadSuiteFile } from "../files";
import type { IoList } from "../io/io-list";
import type { TagDirectory } from "../runner/tag-directory";
import type { Suite } from "../suite/suite-parse";

export interface CatalogEntry {
  info: SuiteInfo;
  /** Present when the suite loaded and checked. */
  loaded?: { suite: Suite; directory: TagDirectory; file: string };
}

export function suitesFolder(sceneFile: string): string {
  return join(dirname(sceneFile), "suites");
}

export function listSuites(sceneFile: string, scene: Scene, ioList: IoList): CatalogEntry[] {
  const folder = suitesFolder(sceneFile);
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => /\.ya?ml$/i.test(f)).sort();
  } catch {
    return [];
  }
  return files.map((name) => {
    const file = join(folder, name);
    const id = basename(name).replace(/\.ya?ml$/i, "");
    try {
      const { suite, directory } = loadSuiteFile(file, scene, ioList);
      return {
        info: {
          id,
          file,
          name: suite.name,
          ...(suite.description ? { description: suite.description } : {}),
          tests: suite.tests.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), steps: t.steps.length })),
          ioCheckout: suite.ioCheckout !== undefined,
        },
        loaded: { suite, directory, file },
      };
    } catch (err) {
      return { info: { id, file, name: id, tests: [], ioCheckout: false, problem: err instanceof Error ? err.message : String(err) } };
    }
  });
}
