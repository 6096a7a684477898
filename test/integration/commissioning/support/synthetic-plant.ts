/**
 * A synthetic plant of N IO points for load tests: a scene (JSON, a subset of YAML) with machines of 100 tags
 * each and its IO list, played by the io-rig plant model. Four in five points are sensors (mostly analog,
 * some switches and counters), one in five actuators.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SceneInput } from "../../../../src-main/common/scene/schema";

export interface SyntheticPlant {
  sceneFile: string;
  ioFile: string;
  points: number;
}

export function writeSyntheticPlant(folder: string, points: number): SyntheticPlant {
  const machines = Math.ceil(points / 100);
  const rows = ["tag,nodeId,dataType,direction,range,unit,description"];
  const assets: SceneInput["assets"] = [{ id: "rig", name: "Synthetic rig", level: "line", tags: {} }];
  for (let m = 0; m < machines; m++) {
    const id = `m${String(m).padStart(2, "0")}`;
    const tags: Record<string, NonNullable<SceneInput["assets"][number]["tags"]>[string]> = {};
    for (let k = 0; k < 100 && m * 100 + k < points; k++) {
      const key = `p${String(k).padStart(3, "0")}`;
      const nodeId = `ns=1;s=Rig.M${String(m).padStart(2, "0")}.P${String(k).padStart(3, "0")}`;
      const output = k % 5 === 4;
      const dataType = k % 10 === 3 ? "Boolean" : k % 10 === 7 && !output ? "Int32" : "Double";
      const range = dataType === "Boolean" ? undefined : dataType === "Int32" ? ([0, 1000] as [number, number]) : ([0, 10 + (k % 7) * 15] as [number, number]);
      const unit = dataType === "Double" ? "bar" : "";
      rows.push([`${id}.${key}`, nodeId, dataType, output ? "output" : "input", range ? `${range[0]}..${range[1]}` : "", unit, `synthetic point ${m * 100 + k}`].join(","));
      tags[key] = { nodeId, dataType, role: output ? "state" : dataType === "Boolean" ? "state" : "measurement", ...(range ? { range } : {}), ...(unit ? { unit } : {}) };
    }
    assets.push({ id, name: `Machine ${m}`, level: "machine", parent: "rig", tags });
  }
  const scene: SceneInput = {
    scene: 1,
    name: `Synthetic rig of ${points} points`,
    connections: [{ id: "plc", endpoint: "opc.tcp://127.0.0.1:4842/twinbench" }],
    simulation: { model: "io-rig", seed: 1 },
    assets,
  };
  const sceneFile = join(folder, "rig.scene.json");
  const ioFile = join(folder, "rig.io.csv");
  writeFileSync(sceneFile, JSON.stringify(scene, null, 1));
  writeFileSync(ioFile, rows.join("\n") + "\n");
  return { sceneFile, ioFile, points };
}
