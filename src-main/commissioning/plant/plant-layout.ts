/**
 * Where things are in the commissioning servers' address spaces, shared by the servers and their clients:
 * the IO list laid out as a scene (so the plant server reuses the simulated PLC's planner for folders, browse
 * names and NodeId checks), and the NodeIds of the control nodes (faults, plant state, forces).
 */
import type { Asset, AssetLevel, Scene, Tag } from "../../common/scene/schema";
import { pascalCase, PlcConfigError, type PlcPlan } from "../../plc/plan";
import type { IoList } from "../io/io-list";
import { rootPrefixOf } from "../opcua/server";

/** Control nodes of the plant server, under `<root>.Commissioning`. */
export function plantControlNodeIds(root: string) {
  const at = (name: string) => `ns=1;s=${root}.Commissioning${name ? `.${name}` : ""}`;
  return {
    folder: at(""),
    /** Double, plant seconds since start: the clock suites and the soft PLC run on. */
    simulationTime: at("SimulationTime"),
    /** Double, the speed factor (×0.5…×10). */
    speed: at("Speed"),
    /** String, JSON list of the active and scheduled faults. */
    activeFaults: at("ActiveFaults"),
    /** Method (Faults: String, a JSON array of fault specs). */
    injectFaults: at("InjectFaults"),
    /** Method (Tags: String[]; empty clears every fault). */
    clearFaults: at("ClearFaults"),
    /** Method (Names: String[], Values: Double[]). */
    setState: at("SetState"),
    /** Method (Seconds: Double, plant seconds): closes every session and stops serving for that long. */
    dropConnections: at("DropConnections"),
    /** String, JSON list of the forced signals `[{tag, value}]`. */
    activeForces: at("ActiveForces"),
    /** Method (Tags: String[], Values: Double[]; Booleans as 0/1): forces simulated signals (all or none). */
    force: at("Force"),
    /** Method (Tags: String[]; empty releases every force). */
    unforce: at("Unforce"),
    /** Method (Speed: Double, ×0.5…×10). */
    setSpeed: at("SetSpeed"),
  };
}

/** Diagnostic and force nodes of the soft PLC, under `<root>.SoftPlc`. */
export function softPlcNodeIds(root: string) {
  const at = (name: string) => `ns=1;s=${root}.SoftPlc${name ? `.${name}` : ""}`;
  return {
    folder: at(""),
    /** Method (Tags: String[], Values: Double[]): forces IO like a PLC's force table (Booleans as 0/1). */
    force: at("Force"),
    /** Method (Tags: String[]; empty removes every force). */
    unforce: at("Unforce"),
    /** String: the active defect, empty for the reference program. */
    defect: at("Defect"),
    /** UInt32: scans run. */
    scans: at("Scans"),
    /** Boolean: the soft PLC reads the plant (false while its connection is lost). */
    plantConnected: at("PlantConnected"),
  };
}

/**
 * The folder prefix both commissioning servers use: the common first segment of the IO list's NodeIds, as the
 * simulated PLC's planner derives it (so the ground truth lands at `<root>.Simulation.*` in both).
 */
export function commissioningRoot(scene: Scene, ioList: IoList): string {
  return rootPrefixOf(
    ioList.signals.map((s) => s.nodeId),
    pascalCase(scene.name),
  );
}

/** NodeId of a ground-truth signal (`truth.tankLevel`) on the plant server, as the planner lays it out. */
export function truthNodeId(root: string, name: string): string {
  return `ns=1;s=${root}.Simulation.${pascalCase(name.replace(/^truth\./, ""))}`;
}

const CHILD_LEVEL: Record<AssetLevel, AssetLevel> = { plant: "line", line: "machine", machine: "component", component: "component" };

/**
 * The IO list as a scene with the scene's assets and hierarchy, each asset holding its IO signals as tags:
 * sensors read-only, actuators writable. Signals of assets the scene lacks go to new assets under the root.
 */
export function plantSceneFromIoList(scene: Scene, ioList: IoList): Scene {
  const assets = new Map<string, Asset>(scene.assets.map((a) => [a.id, { ...a, geometry: [], tags: {} }]));
  const root = scene.assets.find((a) => a.parent === undefined) ?? scene.assets[0]!;
  for (const row of ioList.signals) {
    const dot = row.tag.indexOf(".");
    const assetId = row.tag.slice(0, dot);
    const key = row.tag.slice(dot + 1);
    let asset = assets.get(assetId);
    if (!asset) {
      asset = { id: assetId, name: assetId, level: CHILD_LEVEL[root.level], parent: root.id, geometry: [], tags: {} };
      assets.set(assetId, asset);
    }
    const sensor = row.direction === "input";
    const tag: Tag = {
      nodeId: row.nodeId,
      dataType: row.dataType,
      role: sensor ? (row.dataType === "Boolean" ? "state" : "measurement") : "command",
      access: sensor ? "read" : "readWrite",
      samplingMs: 100,
      trend: false,
      ...(row.unit ? { unit: row.unit } : {}),
      ...(row.range ? { range: row.range } : {}),
      ...(row.description ? { description: row.description } : {}),
    };
    asset.tags[key] = tag;
  }
  return { ...scene, assets: [...assets.values()] };
}

/** Plans with the simulated PLC's planner, saying which server could not serve what (it speaks of "the simulated PLC"). */
export function planIoList(plan: () => PlcPlan, server: string): PlcPlan {
  try {
    return plan();
  } catch (err) {
    if (!(err instanceof PlcConfigError)) throw err;
    throw new Error(`The ${server} cannot serve this scene and IO list (${err.problems.length} problem${err.problems.length === 1 ? "" : "s"}):\n- ${err.problems.join("\n- ")}`);
  }
}
