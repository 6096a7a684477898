/** Loading a scene file from disk, with errors that name the file, the line and the field. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseScene, SceneError } from "../common/scene/parse";
import type { Scene } from "../common/scene/schema";
import { PACKAGE_ROOT } from "./entries";

/** The demo plant that `twinbench start` runs when no scene is given. */
export const DEMO_SCENE_FILE = join(PACKAGE_ROOT, "scenes", "demo-cell.scene.yaml");

export function loadSceneFile(file: string): Scene {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : (err as Error).message;
    throw new SceneError(file, [{ path: "", message: `cannot read the scene file: ${why}` }]);
  }
  const result = parseScene(text);
  if (!result.ok) throw new SceneError(file, result.problems);
  return result.scene;
}
