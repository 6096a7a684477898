/**
 * Commissioning files on disk, beside the scene: the IO list (`<scene>.io.csv`) and the suites
 * (`suites/*.yaml`). Errors name the file and the line.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Scene } from "../common/scene/schema";
import { IoListError, parseIoList, type IoList } from "./io/io-list";
import { commissioningRoot } from "./plant/plant-layout";
import { TagDirectory } from "./runner/tag-directory";
import { parseSuite, SuiteError, type Suite } from "./suite/suite-parse";

/** `scenes/demo-cell.scene.yaml` → `scenes/demo-cell.io.csv`. */
export function defaultIoListFile(sceneFile: string): string {
  return join(dirname(sceneFile), `${basename(sceneFile).replace(/(\.scene)?\.(ya?ml|json)$/i, "")}.io.csv`);
}

function read(file: string, what: string): string {
  try {
    return readFileSync(resolve(file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the ${what} ${file}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
}

export function loadIoListFile(file: string): IoList {
  const r = parseIoList(read(file, "IO list"));
  if (!r.ok) throw new IoListError(file, r.problems);
  return r.ioList;
}

/** Loads a suite and checks every tag it names against the scene, the IO list and its own plcTags. */
export function loadSuiteFile(file: string, scene: Scene, ioList: IoList): { suite: Suite; directory: TagDirectory } {
  const text = read(file, "suite");
  // Its plcTags are part of the directory its tags are checked against: read them first.
  const first = parseSuite(text);
  if (!first.ok) throw new SuiteError(file, first.problems);
  const directory = new TagDirectory(scene, ioList, commissioningRoot(scene, ioList), first.suite.plcTags);
  const checked = parseSuite(text, directory.check);
  if (!checked.ok) throw new SuiteError(file, checked.problems);
  return { suite: checked.suite, directory };
}
