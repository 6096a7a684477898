/**
 * Checks an IO list against the scene (the twin's view of the PLC's tags) and the plant model (what the plant
 * server can serve), row by row: a tag neither knows, a wrong NodeId, data type, direction, range or units.
 * These are the mistakes that otherwise surface on site as a sensor wired to the wrong input.
 */
import type { Scene, Tag, TagDataType } from "../../common/scene/schema";
import type { SignalSpec } from "../../../src-workers/plant/simulation-types";
import { parsePlcNodeId } from "../../plc/plan";
import type { IoList, IoSignal } from "./io-list";

export type IoField = "tag" | "nodeId" | "dataType" | "direction" | "range" | "unit";

export interface IoMismatch {
  /** Line of the IO list row; undefined for a signal the IO list lacks. */
  line?: number;
  tag: string;
  field: IoField;
  message: string;
}

export interface PlantModelSignals {
  /** Model name, for messages. */
  name: string;
  signals: readonly SignalSpec[];
}

/** Which simulation signal type backs an IO data type (a Float is computed as a Double). */
const MODEL_TYPE: Record<TagDataType, SignalSpec["type"]> = {
  Double: "Double",
  Float: "Double",
  Int32: "Int32",
  UInt32: "UInt32",
  Boolean: "Boolean",
  DoubleArray: "DoubleArray",
};

const DIRECTION_TEXT = { input: "input (sensor → PLC)", output: "output (PLC → actuator)" } as const;

/**
 * Every mismatch, ordered by line (rows the IO list lacks last). `model` is the plant model's signals; omit
 * it for a plant played from the IO list itself (`io-rig`), where only the scene is checked.
 */
export function checkIoList(ioList: IoList, scene: Scene, model?: PlantModelSignals): IoMismatch[] {
  const out: IoMismatch[] = [];
  const sceneTags = new Map<string, Tag>();
  for (const asset of scene.assets) for (const [key, tag] of Object.entries(asset.tags)) sceneTags.set(`${asset.id}.${key}`, tag);
  const modelSignals = new Map(model?.signals.map((s) => [s.name, s]));

  for (const row of ioList.signals) {
    const add = (field: IoField, message: string) => out.push({ line: row.line, tag: row.tag, field, message });
    try {
      parsePlcNodeId(row.nodeId);
    } catch (err) {
      add("nodeId", (err as Error).message.replace("the simulated PLC", "the plant server"));
    }
    const tag = sceneTags.get(row.tag);
    if (tag) checkAgainstScene(row, tag, add);
    if (!model) continue;
    const spec = modelSignals.get(row.tag);
    if (!spec || spec.hidden) {
      const why = spec?.hidden ? `${row.tag} is the model's ground truth, not a field signal` : `the plant model "${model.name}" has no signal ${row.tag}`;
      add("tag", tag ? `missing tag: ${why}, so the plant server cannot serve it` : `missing tag: neither the scene nor the plant model "${model.name}" knows ${row.tag}`);
      continue;
    }
    const expected = spec.direction === "output" ? "input" : "output";
    if (row.direction !== expected) {
      add("direction", `direction: the IO list says ${DIRECTION_TEXT[row.direction]}, but in the plant model ${row.tag} is ${spec.direction === "output" ? "a sensor" : "an actuator"}: expected ${DIRECTION_TEXT[expected]}`);
    }
    if (MODEL_TYPE[row.dataType] !== spec.type) add("dataType", `data type: the IO list says ${row.dataType}, the plant model serves ${spec.type}`);
    if (!tag) {
      if (row.range && spec.range && !sameRange(row.range, spec.range)) add("range", `range: the IO list has ${showRange(row.range)}, the plant model ${showRange(spec.range)}`);
      if (row.unit && spec.unit && row.unit !== spec.unit) add("unit", `units: the IO list has ${row.unit}, the plant model ${spec.unit}`);
    }
  }

  if (model) {
    const listed = new Set(ioList.signals.map((s) => s.tag));
    for (const spec of model.signals) {
      if (spec.hidden || listed.has(spec.name)) continue;
      const kind = spec.direction === "output" ? "sensor" : "actuator";
      out.push({ tag: spec.name, field: "tag", message: `missing tag: the plant model's ${kind} ${spec.name} has no row in the IO list, so no PLC can ${kind === "sensor" ? "read" : "drive"} it` });
    }
  }
  return out;
}

function checkAgainstScene(row: IoSignal, tag: Tag, add: (field: IoField, message: string) => void): void {
  if (row.nodeId !== tag.nodeId) add("nodeId", `NodeId: the IO list has ${row.nodeId}, the scene binds ${row.tag} to ${tag.nodeId}`);
  if (row.dataType !== tag.dataType) add("dataType", `data type: the IO list says ${row.dataType}, the scene says ${tag.dataType}`);
  if (tag.access === "readWrite" || tag.role === "setpoint" || tag.role === "command") {
    add("direction", `direction: in the scene ${row.tag} is an operator tag (role ${tag.role}, written from the HMI), not field IO`);
  }
  if (row.range && tag.range && !sameRange(row.range, tag.range)) add("range", `range: the IO list has ${showRange(row.range)}, the scene ${showRange(tag.range)}`);
  if (row.unit && tag.unit && row.unit !== tag.unit) add("unit", `units: the IO list has ${row.unit}, the scene ${tag.unit}`);
}

function sameRange(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function showRange(r: readonly [number, number]): string {
  return `${r[0]}..${r[1]}`;
}

/** One line per mismatch: `file:line: tag: message` (rows the IO list lacks: `file: tag: message`). */
export function formatIoMismatches(file: string, mismatches: readonly IoMismatch[]): string {
  const lines = mismatches.map((m) => `${m.line !== undefined ? `${file}:${m.line}` : file}: ${m.tag}: ${m.message}`);
  return `IO list ${file} does not match (${mismatches.length} mismatch${mismatches.length === 1 ? "" : "es"}):\n${lines.join("\n")}`;
}

/**
 * The IO list's signals as a plant model plays them (`io-rig`): a PLC input is a sensor the plant computes
 * (model output), a PLC output an actuator command the plant takes (model input).
 */
export function ioRigSignals(ioList: IoList): SignalSpec[] {
  return ioList.signals.map((s) => ({
    name: s.tag,
    type: MODEL_TYPE[s.dataType],
    direction: s.direction === "input" ? "output" : "input",
    ...(s.unit ? { unit: s.unit } : {}),
    ...(s.range ? { range: [s.range[0], s.range[1]] as [number, number] } : s.dataType === "Boolean" ? { range: [0, 1] as [number, number] } : {}),
    ...(s.description ? { description: s.description } : {}),
  }));
}
