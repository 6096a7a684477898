/**
 * The IO list as the commissioning panel shows it: each signal of the IO list with what the plant server
 * serves now (one OPC UA read of every signal plus the control folder's clock, faults and forces), its
 * quality, its force and its fault, and what can be done to it.
 */
import type { ActiveFaultInfo, IoRow } from "../../common/api/commissioning";
import type { ActiveForce } from "../faults/fault-board";
import { describeFault, faultKindsOf, type ActiveFault } from "../faults/fault-spec";
import type { IoList } from "../io/io-list";
import { plainValue, readValues, textValue, type ClientLink } from "../opcua/client";
import { plantControlNodeIds } from "../plant/plant-layout";

export interface IoView {
  plantTimeS: number | null;
  speed: number | null;
  rows: IoRow[];
  faults: ActiveFaultInfo[];
  forces: ActiveForce[];
}

export async function readIoView(plant: ClientLink, root: string, ioList: IoList): Promise<IoView> {
  const ids = plantControlNodeIds(root);
  const control = [ids.simulationTime, ids.speed, ids.activeFaults, ids.activeForces];
  const values = await readValues(plant.session, [...control, ...ioList.signals.map((s) => s.nodeId)]);
  const number = (i: number) => {
    const v = plainValue(values[i]).value;
    return typeof v === "number" ? v : null;
  };
  const faults = parseJson<ActiveFault>(textValue(values[2])).map(faultInfo);
  const forces = parseJson<ActiveForce>(textValue(values[3]));
  const faultOf = new Map(faults.map((f) => [f.spec.tag, f]));
  const forceOf = new Map(forces.map((f) => [f.tag, f.value]));
  const rows = ioList.signals.map((s, i): IoRow => {
    const r = plainValue(values[control.length + i]);
    const fault = faultOf.get(s.tag);
    const forced = forceOf.get(s.tag);
    return {
      tag: s.tag,
      nodeId: s.nodeId,
      dataType: s.dataType,
      direction: s.direction,
      ...(s.unit ? { unit: s.unit } : {}),
      ...(s.range ? { range: s.range } : {}),
      ...(s.description ? { description: s.description } : {}),
      line: s.line,
      value: r.value ?? null,
      status: r.status,
      quality: r.status.startsWith("Good") ? "good" : r.status.startsWith("Uncertain") ? "uncertain" : "bad",
      ...(forced !== undefined ? { forced } : {}),
      ...(fault ? { fault } : {}),
      // Seen from the PLC: an input is a sensor of the plant, an output an actuator.
      faultKinds: faultKindsOf(s.direction === "input" ? "sensor" : "actuator", s.dataType),
      forceable: s.dataType !== "DoubleArray",
    };
  });
  return { plantTimeS: number(0), speed: number(1), rows, faults, forces };
}

export function faultInfo(f: ActiveFault): ActiveFaultInfo {
  return { ...f, description: describeFault(f.spec) };
}

function parseJson<T>(text: string | undefined): T[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}
