/**
 * From a scene to an estimator configuration: the scene's assets bring their model type, known parameters
 * and latent priors (`model.params`, `model.latent`) and their tags' units and types; the estimation settings
 * bring what the scene schema does not hold yet (auxiliary components, connections, which tags drive and
 * which measure the model, sensor noise, filter, prognosis and anomaly settings). See EstimationSettings.
 */
import type { Scene } from "../../src-main/common/scene/schema";
import { EstimationSettingsSchema, type EstimationSettings } from "../../src-main/common/scene/estimation";
import type { EstimatorConfig } from "./config";

export { EstimationSettingsSchema, type EstimationSettings };


/** Builds the estimator configuration of a scene; throws a RangeError naming the asset or tag at fault. */
export function estimatorConfigFromScene(scene: Scene, settingsInput: EstimationSettings): EstimatorConfig {
  const parsed = EstimationSettingsSchema.safeParse(settingsInput);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(settings)"}: ${i.message}`);
    throw new RangeError(`invalid estimation settings:\n  - ${lines.join("\n  - ")}`);
  }
  const settings = parsed.data;
  const components = settings.assets.map((id) => {
    const asset = scene.assets.find((a) => a.id === id);
    if (!asset) throw new RangeError(`estimation.assets: no asset ${JSON.stringify(id)} in scene ${JSON.stringify(scene.name)}`);
    if (!asset.model) throw new RangeError(`estimation.assets: asset ${id} has no model (add model: {type, params, latent})`);
    const latent = Object.fromEntries(Object.entries(asset.model.latent).map(([k, v]) => [k, { ...v }]));
    return {
      id,
      type: asset.model.type,
      params: { ...asset.model.params, ...settings.params[id] },
      latent: { ...latent, ...settings.latent[id] },
    };
  });
  for (const id of [...Object.keys(settings.params), ...Object.keys(settings.latent)]) {
    if (!settings.assets.includes(id)) throw new RangeError(`estimation: params/latent for ${id}, which is not in estimation.assets`);
  }
  const tagInfo = (tagId: string, where: string): { unit?: string; type: "real" | "boolean" } => {
    const dot = tagId.indexOf(".");
    const asset = scene.assets.find((a) => a.id === tagId.slice(0, dot));
    const tag = asset?.tags[tagId.slice(dot + 1)];
    if (!tag) throw new RangeError(`${where}: no tag ${tagId} in scene ${JSON.stringify(scene.name)}`);
    if (tag.dataType === "DoubleArray") throw new RangeError(`${where}: tag ${tagId} is an array; the estimator takes scalar tags`);
    return tag.dataType === "Boolean" ? { type: "boolean" } : { unit: tag.unit, type: "real" };
  };
  return {
    model: {
      components: [...components, ...settings.components],
      connections: settings.connections,
      inputs: settings.inputs.map((i) => ({ ...i, ...tagInfo(i.tag, `estimation.inputs ${i.tag}`) })),
      constants: settings.constants,
      measurements: settings.measurements.map((m) => ({ ...m, ...tagInfo(m.tag, `estimation.measurements ${m.tag}`) })),
    },
    filter: settings.filter,
    rateHz: scene.loop.rateHz,
    prognosis: settings.prognosis,
    anomaly: settings.anomaly,
  };
}
