/**
 * The estimator configuration of a scene that declares an `estimation` block (scenes/demo-cell.scene.yaml
 * explains the demo's model choices), plus the demo's degradation speed-up: a knob of the simulated plant
 * that the twin is told, so its rate-factor priors stay near 1.
 */import type { Scene } from "../../src-main/common/scene/schema";
import { estimatorConfigFromScene } from "./scene-config";
import type { EstimatorConfig } from "./config";

export interface DemoCellEstimationOptions {
  /** The simulator's degradationSpeedup (a demo knob, known to the twin); 1 for a real plant. */
  degradationSpeedup?: number;
}

/** The estimator configuration from a scene's `estimation` block (the demo cell's degradation speed-up added). */
export function demoCellEstimatorConfig(scene: Scene, options: DemoCellEstimationOptions = {}): EstimatorConfig {
  const speedup = options.degradationSpeedup ?? 1;
  if (!scene.estimation) throw new RangeError(`scene ${JSON.stringify(scene.name)} has no estimation block`);
  return estimatorConfigFromScene(scene, {
    ...scene.estimation,
    params: { feedPump: { degradationSpeedup: speedup }, heatExchanger: { degradationSpeedup: speedup } },
  });
}
