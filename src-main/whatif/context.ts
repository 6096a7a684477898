/**
 * Everything a study needs to know about the scene: the model's capabilities, the write policies and the
 * declared KPIs and objective, checked against each other once.
 *
 * Until the scene schema carries `kpis`, `objective` and `scenarios`, they live in `<scene>.whatif.yaml`
 * beside the scene file, falling back to the packaged `scenes/<model>.whatif.yaml`.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Scene } from "../common/scene/schema";
import { parseDeclarations, WhatifFileError } from "../common/whatif/parse";
import type { WhatifDeclarations } from "../common/whatif/schema";
import { writeLimitsOfScene, type WriteLimits } from "../common/whatif/validate";
import { PACKAGE_ROOT } from "../runtime/entries";
import type { WhatifModel } from "../../src-workers/whatif/model";
import { whatifModel } from "../../src-workers/whatif/models";

export interface WhatifContext {
  scene: Scene;
  model: WhatifModel["capabilities"];
  limits: ReadonlyMap<string, WriteLimits>;
  declarations: WhatifDeclarations;
}

/** Where a scene's what-if declarations are looked for, in order. */
export function declarationFiles(sceneFile: string, scene: Scene): string[] {
  const base = basename(sceneFile).replace(/(\.scene)?\.(ya?ml|json)$/i, "");
  const files = [join(dirname(sceneFile), `${base}.whatif.yaml`)];
  if (scene.simulation) files.push(join(PACKAGE_ROOT, "scenes", `${scene.simulation.model}.whatif.yaml`));
  return files;
}

export function readDeclarations(file: string): WhatifDeclarations {
  const parsed = parseDeclarations(readFileSync(file, "utf8"));
  if (!parsed.ok) throw new WhatifFileError(file, parsed.problems);
  return parsed.value;
}

export function loadWhatifContext(sceneFile: string, scene: Scene): WhatifContext {
  const files = declarationFiles(sceneFile, scene);
  const file = files.find((f) => existsSync(f));
  if (!file) throw new Error(`no what-if declarations (KPIs) for ${sceneFile}: looked for ${files.join(", ")}`);
  return whatifContext(scene, readDeclarations(file), file);
}

/** Checks the declarations against the scene and its model; throws naming every problem. */
export function whatifContext(scene: Scene, declarations: WhatifDeclarations, file = "what-if declarations"): WhatifContext {
  if (!scene.simulation) throw new Error(`scene "${scene.name}" names no simulation model: a what-if needs one (scene field simulation.model)`);
  const model = whatifModel(scene.simulation.model).capabilities;
  const limits = writeLimitsOfScene(scene);
  const readable = new Set(model.readable);
  const problems: { path: string; message: string }[] = [];
  const need = (path: string, name: string) => {
    if (!readable.has(name)) problems.push({ path, message: `${name}: the ${model.model} model has no such signal or latent parameter` });
  };
  declarations.kpis.forEach((k, i) => {
    if ("tag" in k) need(`kpis[${i}].tag`, k.tag);
    if ("terms" in k) k.terms.forEach((t, j) => need(`kpis[${i}].terms[${j}].tag`, t.tag));
  });
  declarations.objective?.setpoints.forEach((tag, i) => {
    const l = limits.get(tag);
    if (!l || l.dataType === "Boolean") problems.push({ path: `objective.setpoints[${i}]`, message: `${tag}: not a writable setpoint of the scene; writable: ${[...limits.keys()].join(", ")}` });
  });
  if (problems.length) throw new WhatifFileError(file, problems);
  return { scene, model, limits, declarations };
}
