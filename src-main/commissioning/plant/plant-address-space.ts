/**
 * The plant server's signal nodes: one variable per IO list signal at its NodeId (sensors read-only,
 * actuators writable), the ground truth under `Simulation`, built from the plan like the simulated PLC's
 * (plc/plan-nodes.ts), with what commissioning needs on top: each sensor's quality is its own (a fault makes
 * one Bad while the others stay Good), and an actuator shows what the PLC commanded while the plant may obey
 * something else (a stuck valve).
 */
import { StatusCodes, type AddressSpace, type StatusCode } from "node-opcua";
import type { SignalValue } from "../../../src-workers/plant/simulation-types";
import type { FrameSnapshot } from "../../../src-workers/plant/shared-frame";
import type { PlcPlan, PlcVariable } from "../../plc/plan";
import { addPlanNodes, coerceScalar, interceptValueWrites, variantOf, type PlanNode } from "../../plc/plan-nodes";
import type { FaultBoard } from "../faults/fault-board";
import type { FaultStatus } from "../faults/fault-spec";

/** Accepts (Good) or refuses (Bad…) an actuator command a client wrote. Called after type and range checks. */
export type CommandSink = (variable: PlcVariable, value: SignalValue) => StatusCode;

export interface ServedValue {
  value: SignalValue | undefined;
  /** Status name: `Good`, or the fault's Bad/Uncertain code. */
  status: string;
}

export interface PlantAddressSpace {
  /** Nodes by model signal name. */
  readonly variables: ReadonlyMap<string, PlcVariable>;
  /** Stores sensors and ground truth of a frame, passed through the faults; unchanged values are skipped. */
  publish(frame: FrameSnapshot, faults: FaultBoard, sourceTime: Date): void;
  /** Shows an actuator's commanded value (after a safe-state change; client writes show themselves). */
  showCommand(name: string, value: SignalValue, sourceTime: Date): void;
  served(name: string): ServedValue | undefined;
}

interface Served extends PlanNode {
  last: number | boolean | number[] | undefined;
  status: FaultStatus | "Good";
}

export function buildPlantAddressSpace(addressSpace: AddressSpace, plan: PlcPlan, accept: CommandSink): PlantAddressSpace {
  const served = new Map<string, Served>();
  const variables = new Map<string, PlcVariable>();
  for (const n of addPlanNodes(addressSpace, plan, "IO list")) {
    const entry: Served = { ...n, last: undefined, status: "Good" };
    served.set(n.plan.signal.name, entry);
    variables.set(n.plan.signal.name, n.plan);
    if (n.plan.writable) interceptWrites(entry, accept);
  }

  function store(entry: Served, value: number | boolean | number[], status: FaultStatus | "Good", sourceTime: Date): void {
    entry.node.setValueFromSource(variantOf(value, entry.plan.dataType), StatusCodes[status], sourceTime);
    entry.last = value;
    entry.status = status;
  }

  return {
    variables,
    publish(frame, faults, sourceTime) {
      for (const entry of served.values()) {
        const v = entry.plan;
        if (v.writable) continue;
        const hidden = v.tagId === undefined;
        if (v.dataType === "DoubleArray") {
          const raw = frame.array(v.signalIndex);
          const r = hidden ? { value: raw } : faults.sensorArray(v.signal.name, raw);
          const status = r.status ?? "Good";
          if (status === entry.status && Array.isArray(entry.last) && sameArray(entry.last, r.value)) continue;
          store(entry, r.value, status, sourceTime);
        } else {
          const raw = frame.scalar(v.signalIndex);
          const r = hidden ? { value: raw } : faults.sensor(v.signal.name, raw, frame.timeS);
          const value = coerceScalar(r.value, v.dataType);
          const status = r.status ?? "Good";
          if (status === entry.status && Object.is(value, entry.last)) continue;
          store(entry, value, status, sourceTime);
        }
      }
    },
    showCommand(name, value, sourceTime) {
      const entry = served.get(name);
      if (!entry) return;
      store(entry, typeof value === "number" ? coerceScalar(value, entry.plan.dataType) : value, "Good", sourceTime);
    },
    served(name) {
      const entry = served.get(name);
      return entry ? { value: entry.last, status: entry.status } : undefined;
    },
  };
}

/** Client writes of an actuator's Value: checked for type and range like a field device would, then handed to `accept`. */
function interceptWrites(entry: Served, accept: CommandSink): void {
  const v = entry.plan;
  interceptValueWrites(entry, (value) => {
    const status = accept(v, value);
    if (status.isGood()) {
      const shown = typeof value === "number" ? coerceScalar(value, v.dataType) : value;
      entry.node.setValueFromSource(variantOf(shown, v.dataType), StatusCodes.Good, new Date());
      entry.last = shown;
      entry.status = "Good";
    }
    return status;
  });
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
