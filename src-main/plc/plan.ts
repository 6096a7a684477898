/**
 * What the simulated PLC serves, decided before any OPC UA object exists: which simulation signal backs
 * each scene tag, at which NodeId, in which folder, with which type, unit and access.
 *
 * Pure (no node-opcua, no threads) so that a scene that does not fit its simulation fails fast with a
 * message that names the tag, and so that the matching rules are unit tested without a server.
 */
import type { Scene, TagDataType } from "../common/scene/schema";
import type { SignalSpec } from "../../src-workers/plant/simulation-types";

/** The only namespace the PLC serves: node-opcua's own namespace of the server, index 1. */
export const PLC_NAMESPACE_INDEX = 1;
/** Folder key of the hidden ground-truth signals (`truth.*`); the space keeps it apart from every asset id. */
export const SIMULATION_FOLDER_KEY = "simulation folder";

/** A configuration that cannot be served. `problems` holds one line per problem, each naming the tag. */
export class PlcConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The simulated PLC cannot serve this scene (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n- ${problems.join("\n- ")}`);
    this.name = "PlcConfigError";
  }
}

export interface ParsedNodeId {
  /** Type letter of the identifier: i numeric, s string, g GUID, b opaque. */
  kind: "i" | "s" | "g" | "b";
  identifier: string;
}

/**
 * Checks that a scene NodeId lives in the PLC's own namespace (`ns=1;…`). Anything else could collide with
 * standard nodes (ns=0) or would need a namespace table the demo does not have.
 */
export function parsePlcNodeId(nodeId: string): ParsedNodeId {
  const m = /^ns=(\d+);([isgb])=(.+)$/.exec(nodeId);
  if (!m) {
    if (nodeId.startsWith("nsu=")) {
      throw new Error(`NodeId ${nodeId} uses a namespace URI; the simulated PLC serves only its own namespace, write it as ns=1;…`);
    }
    throw new Error(`NodeId ${nodeId} has no namespace index (namespace 0 holds the standard nodes); the simulated PLC serves only ns=1;…`);
  }
  const ns = Number(m[1]);
  if (ns !== PLC_NAMESPACE_INDEX) {
    throw new Error(`NodeId ${nodeId} is in namespace ${ns}; the simulated PLC serves only its own namespace ns=1`);
  }
  return { kind: m[2] as ParsedNodeId["kind"], identifier: m[3]! };
}

export interface PlcFolder {
  /** Asset id, or SIMULATION_FOLDER_KEY. */
  key: string;
  /** Key of the parent folder; null for folders directly under the root folder. */
  parentKey: string | null;
  nodeId: string | undefined;
  browseName: string;
  displayName: string;
  description?: string;
}

export interface PlcVariable {
  signal: SignalSpec;
  /** Position of the signal in `signals`, i.e. in `SimulationFrame.scalars`. */
  signalIndex: number;
  /** Scene tag id; undefined for a hidden ground-truth signal. */
  tagId: string | undefined;
  nodeId: string;
  folderKey: string;
  browseName: string;
  description?: string;
  /** OPC UA type served (a scene Float is served as Float even though the simulation computes a Double). */
  dataType: TagDataType;
  writable: boolean;
  unit?: string;
  /** EURange of an analog item. */
  range?: [number, number];
  /** Served as AnalogItemType (with EURange and EngineeringUnits) rather than a BaseDataVariable. */
  analog: boolean;
}

export interface PlcPlan {
  /** First segment shared by the scene's string NodeIds (`DemoCell`), used for the root and Simulation folders. */
  rootPrefix: string;
  root: PlcFolder;
  /** Parents before children. */
  folders: PlcFolder[];
  variables: PlcVariable[];
  /** Visible simulation signals no scene tag binds: not served. */
  unbound: string[];
}

/** Which simulation signal types can back a scene data type. Float: the simulation only computes Doubles. */
const COMPATIBLE: Record<TagDataType, SignalSpec["type"]> = {
  Double: "Double",
  Float: "Double",
  Int32: "Int32",
  UInt32: "UInt32",
  Boolean: "Boolean",
  DoubleArray: "DoubleArray",
};

export function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("") || "Plant";
}

function describeSignal(s: SignalSpec): string {
  return `${s.name} (${s.type} ${s.direction})`;
}

/** Matches every scene tag with its simulation signal and lays out folders and NodeIds. Throws PlcConfigError. */
export function planPlc(scene: Scene, signals: readonly SignalSpec[], modelName = scene.simulation?.model ?? "?"): PlcPlan {
  const problems: string[] = [];
  const byName = new Map<string, { spec: SignalSpec; index: number }>();
  signals.forEach((spec, index) => byName.set(spec.name, { spec, index }));

  const rootPrefix = commonPrefix(scene) ?? pascalCase(scene.name);
  const usedNodeIds = new Set<string>();
  const tagAt = new Map<string, string>();
  for (const asset of scene.assets) {
    for (const [key, tag] of Object.entries(asset.tags)) {
      // The scene allows one NodeId on two connections; the simulated PLC has a single address space.
      const other = tagAt.get(tag.nodeId);
      if (other) problems.push(`tag ${asset.id}.${key} (NodeId ${tag.nodeId}): tag ${other} has the same NodeId on another connection; the simulated PLC serves one address space`);
      tagAt.set(tag.nodeId, `${asset.id}.${key}`);
      usedNodeIds.add(tag.nodeId);
    }
  }
  /** A generated folder NodeId steps aside (node-opcua then assigns one) rather than clash with a tag. */
  const folderNodeId = (name: string): string | undefined => {
    const id = `ns=${PLC_NAMESPACE_INDEX};s=${rootPrefix}.${name}`;
    if (usedNodeIds.has(id)) return undefined;
    usedNodeIds.add(id);
    return id;
  };

  const rootNodeId = `ns=${PLC_NAMESPACE_INDEX};s=${rootPrefix}`;
  const root: PlcFolder = {
    key: "",
    parentKey: null,
    nodeId: usedNodeIds.has(rootNodeId) ? undefined : rootNodeId,
    browseName: rootPrefix,
    displayName: scene.name,
    ...optional("description", scene.description),
  };
  usedNodeIds.add(rootNodeId);

  // Parents before children: breadth first from the root asset (the scene parser guarantees one root).
  const folders: PlcFolder[] = [];
  const children = new Map<string | undefined, Scene["assets"]>();
  for (const a of scene.assets) children.set(a.parent, [...(children.get(a.parent) ?? []), a]);
  const queue = [...(children.get(undefined) ?? [])];
  const variables: PlcVariable[] = [];
  const bound = new Set<string>();
  while (queue.length > 0) {
    const asset = queue.shift()!;
    queue.push(...(children.get(asset.id) ?? []));
    folders.push({
      key: asset.id,
      parentKey: asset.parent ?? null,
      nodeId: folderNodeId(pascalCase(asset.id)),
      browseName: pascalCase(asset.id),
      displayName: asset.name,
      ...optional("description", asset.description),
    });
    const browseNames = new Set<string>();
    for (const [key, tag] of Object.entries(asset.tags)) {
      const tagId = `${asset.id}.${key}`;
      const where = `tag ${tagId} (NodeId ${tag.nodeId}, ${tag.dataType})`;
      let parsed: ParsedNodeId;
      try {
        parsed = parsePlcNodeId(tag.nodeId);
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message}`);
        continue;
      }
      const found = byName.get(tagId);
      if (!found) {
        problems.push(`${where}: simulation "${modelName}" has no signal ${tagId}; it offers ${offered(signals, asset.id)}`);
        continue;
      }
      const { spec, index } = found;
      if (COMPATIBLE[tag.dataType] !== spec.type) {
        problems.push(`${where}: the scene says ${tag.dataType} but simulation "${modelName}" offers ${describeSignal(spec)}`);
        continue;
      }
      if (spec.hidden) {
        problems.push(`${where}: ${spec.name} is hidden simulation ground truth and cannot be bound as a scene tag`);
        continue;
      }
      if (tag.access === "readWrite" && spec.direction !== "input") {
        problems.push(`${where}: the scene makes it writable but simulation "${modelName}" computes it (${describeSignal(spec)})`);
        continue;
      }
      bound.add(spec.name);
      let browseName = parsed.kind === "s" ? parsed.identifier.split(".").pop()! : pascalCase(key);
      if (browseNames.has(browseName)) browseName = key;
      browseNames.add(browseName);
      const range = tag.range ?? spec.range;
      const unit = tag.unit ?? spec.unit;
      variables.push({
        signal: spec,
        signalIndex: index,
        tagId,
        nodeId: tag.nodeId,
        folderKey: asset.id,
        browseName,
        ...optional("description", tag.description ?? spec.description),
        dataType: tag.dataType,
        // A setpoint the scene declares read-only stays read-only: the scene decides what a client may write.
        writable: tag.access === "readWrite",
        ...optional("unit", unit),
        ...optional("range", range),
        analog: (tag.dataType === "Double" || tag.dataType === "Float") && (unit !== undefined || range !== undefined),
      });
    }
  }

  const hidden = signals.filter((s) => s.hidden);
  if (hidden.length > 0) {
    folders.push({
      key: SIMULATION_FOLDER_KEY,
      parentKey: null,
      nodeId: folderNodeId("Simulation"),
      browseName: "Simulation",
      displayName: "Simulation",
      description: "Ground truth of the simulation: latent quantities (wear, fouling) that a real plant does not measure. Served only to test estimators.",
    });
    for (const spec of hidden) {
      const name = pascalCase(spec.name.replace(/^truth\./, ""));
      const nodeId = `ns=${PLC_NAMESPACE_INDEX};s=${rootPrefix}.Simulation.${name}`;
      if (usedNodeIds.has(nodeId)) {
        problems.push(`hidden signal ${spec.name} would be served at NodeId ${nodeId}, which is already in use`);
        continue;
      }
      usedNodeIds.add(nodeId);
      const type: TagDataType = spec.type;
      variables.push({
        signal: spec,
        signalIndex: signals.indexOf(spec),
        tagId: undefined,
        nodeId,
        folderKey: SIMULATION_FOLDER_KEY,
        browseName: name,
        description: `Simulation ground truth (${spec.name})${spec.description ? `: ${spec.description}` : ""}. Not a measurement; a real plant has no such signal.`,
        dataType: type,
        writable: false,
        ...optional("unit", spec.unit),
        ...optional("range", spec.range),
        analog: type === "Double" && (spec.unit !== undefined || spec.range !== undefined),
      });
    }
  }

  if (problems.length > 0) throw new PlcConfigError(problems);
  const unbound = signals.filter((s) => !s.hidden && !bound.has(s.name)).map((s) => s.name);
  return { rootPrefix, root, folders, variables, unbound };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The signals worth naming in an error: those of the same asset if any, otherwise all visible ones. */
function offered(signals: readonly SignalSpec[], assetId: string): string {
  const visible = signals.filter((s) => !s.hidden);
  const same = visible.filter((s) => s.name.startsWith(`${assetId}.`));
  const list = (same.length > 0 ? same : visible).map(describeSignal);
  if (list.length === 0) return "no signals at all";
  return `${same.length > 0 ? `for ${assetId}: ` : ""}${list.join(", ")}`;
}

/** `DemoCell` when every string NodeId of the scene starts with `DemoCell.`; undefined otherwise. */
function commonPrefix(scene: Scene): string | undefined {
  let prefix: string | undefined;
  for (const asset of scene.assets) {
    for (const tag of Object.values(asset.tags)) {
      const m = /^ns=\d+;s=([^.]+)\./.exec(tag.nodeId);
      if (!m) return undefined;
      if (prefix === undefined) prefix = m[1];
      else if (prefix !== m[1]) return undefined;
    }
  }
  return prefix && /^[A-Za-z0-9_]+$/.test(prefix) ? prefix : undefined;
}
