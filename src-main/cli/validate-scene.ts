/** `twinbench validate-scene FILE`: exit 0 and a summary for a good scene, 1 and every problem for a bad one. */
import { SceneError } from "../common/scene/parse";
import { demoCellEstimatorConfig } from "../../src-workers/estimation/demo-cell";
import { EstimatorService } from "../../src-workers/estimation/estimator-service";
import { tagsOfScene } from "../runtime/tag-table";
import { loadSceneFile } from "../runtime/scene-file";

export function validateSceneCommand(file: string): number {
  try {
    const scene = loadSceneFile(file);
    if (scene.estimation) {
      // The composition (ports, connections, inputs, measurements) is checked by building the estimator.
      try {
        new EstimatorService().init(demoCellEstimatorConfig(scene));
      } catch (err) {
        throw new SceneError(file, [{ path: "estimation", message: err instanceof Error ? err.message : String(err) }]);
      }
    }
    const tags = tagsOfScene(scene);
    const writable = tags.filter((t) => t.writable).length;
    console.log(
      `${file}: valid scene "${scene.name}": ${scene.assets.length} assets, ${tags.length} tags (${writable} writable), ` +
        `${scene.connections.length} connection${scene.connections.length === 1 ? "" : "s"}` +
        (scene.estimation ? `, estimation over ${scene.estimation.assets.length} assets and ${scene.estimation.measurements.length} measurements` : ""),
    );
    return 0;
  } catch (err) {
    if (err instanceof SceneError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
