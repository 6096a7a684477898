/**
 * A tag binding saved to the scene file: read the file as it is now (it may have been edited since the twin
 * started), edit its text in place (bindTagInSceneText keeps comments and layout) and replace it atomically,
 * so that a crash mid-write never leaves half a scene. Edits of one file are made one at a time.
 */
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { parseScene, type SceneProblem } from "../common/scene/parse";
import type { Scene } from "../common/scene/schema";
import { bindTagInSceneText, type TagBindingEdit } from "./scene-binding";

export type SceneFileBinding =
  | { ok: true; scene: Scene; created: boolean }
  | { ok: false; stage: "read" | "current" | "edit"; problems: SceneProblem[] };

const queues = new Map<string, Promise<unknown>>();

/** Sees the scene as the file holds it before the edit: may refuse (throw), or settle the edit against it. */
export type BindingCheck = (current: Scene, edit: TagBindingEdit) => TagBindingEdit | Promise<TagBindingEdit>;

/** Resolves with the scene after the edit, or the problems (the file unchanged). */
export function bindTagInSceneFile(file: string, edit: TagBindingEdit, check: BindingCheck): Promise<SceneFileBinding> {
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => bindNow(file, edit, check));
  queues.set(file, next);
  void next.finally(() => queues.get(file) === next && queues.delete(file)).catch(() => {});
  return next;
}

async function bindNow(file: string, requested: TagBindingEdit, check: BindingCheck): Promise<SceneFileBinding> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    return { ok: false, stage: "read", problems: [{ path: "", message: `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  const current = parseScene(text);
  if (!current.ok) return { ok: false, stage: "current", problems: current.problems };
  const edit = await check(current.scene, requested);
  const result = bindTagInSceneText(text, edit);
  if (!result.ok) return { ok: false, stage: "edit", problems: result.problems };
  const temp = `${file}.${process.pid}.tmp`;
  const { mode } = await stat(file);
  await writeFile(temp, result.text, { encoding: "utf8", mode });
  await rename(temp, file);
  return { ok: true, scene: result.scene, created: result.created };
}
