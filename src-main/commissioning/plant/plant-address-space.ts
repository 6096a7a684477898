/**
 * The plant server's signal nodes: one variable per IO list signal at its NodeId (sensors read-only,
 * actuators writable), the ground truth under `Simulation`. A variation of the simulated PLC's address space
 * (plc/address-space.ts) for what commissioning needs on top: each sensor's quality is its own (a fault makes
 * one Bad while the others stay Good), and an actuator shows what the PLC commanded while the plant may obey
 * something else (a stuck valve).
 */
import {
  AttributeIds,
  DataType,
  SessionContext,
  StatusCodes,
  Variant,
  VariantArrayType,
  WriteValue,
  type AddressSpace,
  type ISessionContext,
  type StatusCode,
  type UAObject,
  type UAVariable,
  type WriteValueOptions,
} from "node-opcua";
import type { TagDataType } from "../../common/scene/schema";
import type { SignalValue } from "../../../src-workers/plant/simulation-types";
import type { FrameSnapshot } from "../../../src-workers/plant/shared-frame";
import { coerceScalar, fromVariant } from "../../plc/address-space";
import { engineeringUnits } from "../../plc/engineering-units";
import { PLC_NAMESPACE_INDEX, type PlcFolder, type PlcPlan, type PlcVariable } from "../../plc/plan";
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

const OPCUA_TYPE: Record<TagDataType, DataType> = {
  Double: DataType.Double,
  Float: DataType.Float,
  Int32: DataType.Int32,
  UInt32: DataType.UInt32,
  Boolean: DataType.Boolean,
  DoubleArray: DataType.Double,
};

interface Served {
  plan: PlcVariable;
  node: UAVariable;
  last: number | boolean | number[] | undefined;
  status: FaultStatus | "Good";
}

export function buildPlantAddressSpace(addressSpace: AddressSpace, plan: PlcPlan, accept: CommandSink): PlantAddressSpace {
  const namespace = addressSpace.getOwnNamespace();
  if (namespace.index !== PLC_NAMESPACE_INDEX) throw new Error(`the server's own namespace has index ${namespace.index}, but IO list NodeIds use ns=${PLC_NAMESPACE_INDEX}`);
  const folderOptions = (f: PlcFolder) => ({
    browseName: f.browseName,
    displayName: f.displayName,
    ...(f.nodeId !== undefined ? { nodeId: f.nodeId } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
  });
  const rootNode = namespace.addFolder(addressSpace.rootFolder.objects, folderOptions(plan.root));
  const folders = new Map<string, UAObject>();
  for (const f of plan.folders) folders.set(f.key, namespace.addFolder(f.parentKey === null ? rootNode : folders.get(f.parentKey)!, folderOptions(f)));

  const served = new Map<string, Served>();
  const variables = new Map<string, PlcVariable>();
  for (const v of plan.variables) {
    const access = v.writable ? "CurrentRead | CurrentWrite" : "CurrentRead";
    const common = {
      organizedBy: folders.get(v.folderKey)!,
      nodeId: v.nodeId,
      browseName: v.browseName,
      displayName: v.browseName,
      ...(v.description !== undefined ? { description: v.description } : {}),
      accessLevel: access,
      userAccessLevel: access,
      // Values change only when pushed, and every push notifies monitored items: any sampling interval holds.
      minimumSamplingInterval: 0,
    } as const;
    let node: UAVariable;
    if (v.dataType === "DoubleArray") {
      node = namespace.addVariable({ ...common, dataType: "Double", valueRank: 1, arrayDimensions: [0], value: { dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array(0) } });
    } else if (v.analog) {
      const [low, high] = v.range ?? [-Number.MAX_VALUE, Number.MAX_VALUE];
      node = namespace.addAnalogDataItem({
        ...common,
        dataType: v.dataType,
        engineeringUnitsRange: { low, high },
        ...(v.unit !== undefined ? { engineeringUnits: engineeringUnits(v.unit) } : {}),
        value: { dataType: OPCUA_TYPE[v.dataType], value: 0 },
      }) as unknown as UAVariable;
    } else {
      node = namespace.addVariable({ ...common, dataType: v.dataType, value: { dataType: OPCUA_TYPE[v.dataType], value: v.dataType === "Boolean" ? false : 0 } });
    }
    const entry: Served = { plan: v, node, last: undefined, status: "Good" };
    served.set(v.signal.name, entry);
    variables.set(v.signal.name, v);
    if (v.writable) interceptWrites(entry, accept);
  }

  function store(entry: Served, value: number | boolean | number[], status: FaultStatus | "Good", sourceTime: Date): void {
    const variant = Array.isArray(value)
      ? new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: Float64Array.from(value) })
      : new Variant({ dataType: OPCUA_TYPE[entry.plan.dataType], value });
    entry.node.setValueFromSource(variant, StatusCodes[status], sourceTime);
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
  const { node, plan: v } = entry;
  type Callback = (err: Error | null, statusCode?: StatusCode) => void;
  const original = node.writeAttribute.bind(node) as (c: ISessionContext | null, w: WriteValueOptions, cb: Callback) => void;
  const write = (context: ISessionContext | null, options: WriteValueOptions): Promise<StatusCode> => {
    const writeValue = options instanceof WriteValue ? options : new WriteValue(options);
    if (writeValue.attributeId !== AttributeIds.Value) {
      return new Promise((resolve, reject) => original(context, writeValue, (err, sc) => (err ? reject(err) : resolve(sc ?? StatusCodes.Good))));
    }
    const ctx = context ?? SessionContext.defaultContext;
    if (!node.isWritable(ctx)) return Promise.resolve(StatusCodes.BadNotWritable);
    if (!node.isUserWritable(ctx)) return Promise.resolve(StatusCodes.BadUserAccessDenied);
    if (writeValue.indexRange && !writeValue.indexRange.isEmpty()) return Promise.resolve(StatusCodes.BadWriteNotSupported);
    const value = fromVariant(writeValue.value?.value, v.dataType);
    if (value === undefined) return Promise.resolve(StatusCodes.BadTypeMismatch);
    const range = v.signal.range;
    if (typeof value === "number" && (!Number.isFinite(value) || (range && (value < range[0] || value > range[1])))) return Promise.resolve(StatusCodes.BadOutOfRange);
    const status = accept(v, value);
    if (status.isGood()) {
      const shown = typeof value === "number" ? coerceScalar(value, v.dataType) : value;
      node.setValueFromSource(
        Array.isArray(shown)
          ? new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: Float64Array.from(shown) })
          : new Variant({ dataType: OPCUA_TYPE[v.dataType], value: shown }),
        StatusCodes.Good,
        new Date(),
      );
      entry.last = shown;
      entry.status = "Good";
    }
    return Promise.resolve(status);
  };
  const replacement = (context: ISessionContext | null, options: WriteValueOptions, callback?: Callback): Promise<StatusCode> | void => {
    const result = write(context, options);
    if (!callback) return result;
    result.then(
      (sc) => callback(null, sc),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  };
  // An own property shadows the prototype method; the server's Write service calls node.writeAttribute.
  (node as unknown as { writeAttribute: typeof replacement }).writeAttribute = replacement;
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
