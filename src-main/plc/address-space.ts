/**
 * The simulated PLC's OPC UA nodes: one folder per asset (nested as the asset hierarchy) under a root folder,
 * one variable per scene tag at exactly the scene's NodeId, and the hidden ground truth under `Simulation`.
 *
 * Values are pushed from simulation frames (`applyFrame`); client writes to inputs are forwarded to the
 * simulation and only stored once the simulation has accepted them.
 */
import { StatusCodes, type AddressSpace, type StatusCode } from "node-opcua";
import type { SignalValue, SimulationFrame } from "../../src-workers/plant/simulation-types";
import type { PlcPlan } from "./plan";
import { addPlanNodes, coerceScalar, interceptValueWrites, variantOf, type PlanNode } from "./plan-nodes";

export { coerceScalar, fromVariant } from "./plan-nodes";

/** Sends a value to a simulation input; rejects (with the simulation's message) when the simulation refuses it. */
export type WriteInput = (name: string, value: SignalValue) => Promise<void>;

export interface PlcAddressSpace {
  readonly variableCount: number;
  /**
   * Stores a frame's values (only those that changed) with `sourceTime` and Good status.
   * `writesBeforeStep` is `writeCount()` when the step that produced the frame was sent: an input written
   * after that keeps its written value, since the frame predates the write.
   */
  applyFrame(frame: SimulationFrame, sourceTime: Date, writesBeforeStep: number): void;
  /** Writes sent to the simulation so far. */
  writeCount(): number;
  /** Marks every value with `status` (e.g. UncertainLastUsableValue when steps fail); the next frame stores all values anew. */
  markAll(status: StatusCode, sourceTime: Date): void;
}

interface Served extends PlanNode {
  /** Last value stored in the node (coerced), to skip unchanged scalars and arrays. */
  last: number | boolean | Float64Array | undefined;
  /** Sequence number of the last write sent for this input. */
  lastWrite: number;
}

export function buildPlcAddressSpace(
  addressSpace: AddressSpace,
  plan: PlcPlan,
  writeInput: WriteInput,
  log: (line: string) => void = () => {},
): PlcAddressSpace {
  // A unit that is not an analog item's EngineeringUnits goes into the description.
  const describe = (v: PlcPlan["variables"][number]) => {
    const unitNote = !v.analog && v.unit !== undefined ? ` [${v.unit}]` : "";
    return v.description !== undefined || unitNote ? `${v.description ?? v.browseName}${unitNote}` : undefined;
  };
  const served: Served[] = addPlanNodes(addressSpace, plan, "scene", describe).map((n) => ({ ...n, last: undefined, lastWrite: 0 }));
  let writeSeq = 0;
  for (const entry of served) if (entry.plan.writable) interceptWrites(entry);

  /** Routes client writes of the Value through the simulation, which has the final say on range and type. */
  function interceptWrites(entry: Served): void {
    const v = entry.plan;
    interceptValueWrites(entry, async (value) => {
      entry.lastWrite = ++writeSeq;
      try {
        await writeInput(v.signal.name, value);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`write ${v.nodeId} = ${JSON.stringify(value)} refused by the simulation: ${message}`);
        return /\btype\b|boolean|integer|array|not a number/i.test(message) ? StatusCodes.BadTypeMismatch : StatusCodes.BadOutOfRange;
      }
      store(entry, typeof value === "number" ? coerceScalar(value, v.dataType) : Array.isArray(value) ? Float64Array.from(value) : value, new Date());
      return StatusCodes.Good;
    });
  }

  function store(entry: Served, value: number | boolean | Float64Array, sourceTime: Date): void {
    entry.node.setValueFromSource(variantOf(value, entry.plan.dataType), StatusCodes.Good, sourceTime);
    entry.last = value;
  }

  return {
    variableCount: served.length,
    writeCount: () => writeSeq,
    markAll(status, sourceTime) {
      for (const entry of served) {
        entry.node.setValueFromSource(entry.node.readValue().value, status, sourceTime);
        entry.last = undefined;
      }
    },
    applyFrame(frame, sourceTime, writesBeforeStep) {
      for (const entry of served) {
        if (entry.lastWrite > writesBeforeStep) continue;
        const v = entry.plan;
        if (v.dataType === "DoubleArray") {
          const array = frame.arrays[v.signal.name];
          if (!array) continue;
          const last = entry.last;
          if (last instanceof Float64Array && sameArray(last, array)) continue;
          // A copy: an in-process simulation may reuse its buffer, and node-opcua keeps the reference.
          store(entry, Float64Array.from(array), sourceTime);
        } else {
          const raw = frame.scalars[v.signalIndex];
          if (raw === undefined) continue;
          const value = coerceScalar(raw, v.dataType);
          if (Object.is(value, entry.last)) continue;
          store(entry, value, sourceTime);
        }
      }
    },
  };
}

function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
