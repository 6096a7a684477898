/**
 * The simulated PLC's OPC UA nodes: one folder per asset (nested as the asset hierarchy) under a root folder,
 * one variable per scene tag at exactly the scene's NodeId, and the hidden ground truth under `Simulation`.
 *
 * Values are pushed from simulation frames (`applyFrame`); client writes to inputs are forwarded to the
 * simulation and only stored once the simulation has accepted them.
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
import type { SignalValue, SimulationFrame } from "../../src-workers/plant/simulation-types";
import type { TagDataType } from "../common/scene/schema";
import { engineeringUnits } from "./engineering-units";
import { PLC_NAMESPACE_INDEX, type PlcFolder, type PlcPlan, type PlcVariable } from "./plan";

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

interface Served {
  readonly plan: PlcVariable;
  readonly node: UAVariable;
  /** Last value stored in the node (coerced), to skip unchanged scalars and arrays. */
  last: number | boolean | Float64Array | undefined;
  /** Sequence number of the last write sent for this input. */
  lastWrite: number;
}

/** OPC UA DataType of each scene data type (a DoubleArray is a Double with ValueRank 1). */
const OPCUA_TYPE: Record<TagDataType, DataType> = {
  Double: DataType.Double,
  Float: DataType.Float,
  Int32: DataType.Int32,
  UInt32: DataType.UInt32,
  Boolean: DataType.Boolean,
  DoubleArray: DataType.Double,
};

/** What an analog item without a known range claims as EURange (the property is mandatory). */
const UNBOUNDED: [number, number] = [-Number.MAX_VALUE, Number.MAX_VALUE];

export function buildPlcAddressSpace(
  addressSpace: AddressSpace,
  plan: PlcPlan,
  writeInput: WriteInput,
  log: (line: string) => void = () => {},
): PlcAddressSpace {
  const namespace = addressSpace.getOwnNamespace();
  if (namespace.index !== PLC_NAMESPACE_INDEX) {
    // Scene NodeIds say ns=1; a server that loaded extra nodesets first would put its own namespace elsewhere.
    throw new Error(`the server's own namespace has index ${namespace.index}, but scene NodeIds use ns=${PLC_NAMESPACE_INDEX}`);
  }
  const folderOptions = (f: PlcFolder) => ({
    browseName: f.browseName,
    displayName: f.displayName,
    ...(f.nodeId !== undefined ? { nodeId: f.nodeId } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
  });
  const rootNode = namespace.addFolder(addressSpace.rootFolder.objects, folderOptions(plan.root));
  const folders = new Map<string, UAObject>();
  for (const f of plan.folders) {
    const parent = f.parentKey === null ? rootNode : folders.get(f.parentKey);
    if (!parent) throw new Error(`internal: folder ${f.key} comes before its parent ${f.parentKey}`);
    folders.set(f.key, namespace.addFolder(parent, folderOptions(f)));
  }

  const served: Served[] = [];
  let writeSeq = 0;

  for (const v of plan.variables) {
    const folder = folders.get(v.folderKey);
    if (!folder) throw new Error(`internal: no folder ${v.folderKey} for ${v.nodeId}`);
    const access = v.writable ? "CurrentRead | CurrentWrite" : "CurrentRead";
    const unitNote = !v.analog && v.unit !== undefined ? ` [${v.unit}]` : "";
    const description = v.description !== undefined || unitNote ? `${v.description ?? v.browseName}${unitNote}` : undefined;
    const common = {
      organizedBy: folder,
      nodeId: v.nodeId,
      browseName: v.browseName,
      displayName: v.browseName,
      ...(description !== undefined ? { description } : {}),
      accessLevel: access,
      userAccessLevel: access,
      // 0: the value changes only when the loop pushes it, and every push notifies monitored items, so any
      // sampling interval is honoured exactly (with a positive value node-opcua would raise faster requests).
      minimumSamplingInterval: 0,
    } as const;
    const type = OPCUA_TYPE[v.dataType];
    let node: UAVariable;
    if (v.dataType === "DoubleArray") {
      node = namespace.addVariable({
        ...common,
        dataType: "Double",
        valueRank: 1,
        arrayDimensions: [0],
        value: { dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array(0) },
      });
    } else if (v.analog) {
      const [low, high] = v.range ?? UNBOUNDED;
      node = namespace.addAnalogDataItem({
        ...common,
        dataType: v.dataType,
        engineeringUnitsRange: { low, high },
        ...(v.unit !== undefined ? { engineeringUnits: engineeringUnits(v.unit) } : {}),
        value: { dataType: type, value: 0 },
      }) as unknown as UAVariable;
    } else {
      node = namespace.addVariable({ ...common, dataType: v.dataType, value: { dataType: type, value: initialValue(v.dataType) } });
    }
    const entry: Served = { plan: v, node, last: undefined, lastWrite: 0 };
    served.push(entry);
    if (v.writable) interceptWrites(entry);
  }

  /** Routes client writes of the Value through the simulation, which has the final say on range and type. */
  function interceptWrites(entry: Served): void {
    const { node, plan: v } = entry;
    type Callback = (err: Error | null, statusCode?: StatusCode) => void;
    const original = node.writeAttribute.bind(node) as (c: ISessionContext | null, w: WriteValueOptions, cb: Callback) => void;
    const viaSimulation = async (context: ISessionContext | null, options: WriteValueOptions): Promise<StatusCode> => {
      const writeValue = options instanceof WriteValue ? options : new WriteValue(options);
      if (writeValue.attributeId !== AttributeIds.Value) {
        return new Promise((resolve, reject) => original(context, writeValue, (err, sc) => (err ? reject(err) : resolve(sc ?? StatusCodes.Good))));
      }
      // The checks node-opcua would make, made first: the simulation must not see a write the server refuses.
      const ctx = context ?? SessionContext.defaultContext;
      if (!node.isWritable(ctx)) return StatusCodes.BadNotWritable;
      if (!node.isUserWritable(ctx)) return StatusCodes.BadUserAccessDenied;
      if (writeValue.indexRange && !writeValue.indexRange.isEmpty()) return StatusCodes.BadWriteNotSupported;
      const value = fromVariant(writeValue.value?.value, v.dataType);
      if (value === undefined) return StatusCodes.BadTypeMismatch;
      if (typeof value === "number") {
        const range = v.signal.range;
        if (!Number.isFinite(value) || (range && (value < range[0] || value > range[1]))) return StatusCodes.BadOutOfRange;
      }
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
    };
    const replacement = (context: ISessionContext | null, options: WriteValueOptions, callback?: Callback): Promise<StatusCode> | void => {
      const result = viaSimulation(context, options);
      if (!callback) return result;
      result.then(
        (sc) => callback(null, sc),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    };
    // An own property shadows the prototype method; the server's Write service calls node.writeAttribute.
    (node as unknown as { writeAttribute: typeof replacement }).writeAttribute = replacement;
  }

  function store(entry: Served, value: number | boolean | Float64Array, sourceTime: Date): void {
    const v = entry.plan;
    const variant =
      value instanceof Float64Array
        ? new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value })
        : new Variant({ dataType: OPCUA_TYPE[v.dataType], value });
    entry.node.setValueFromSource(variant, StatusCodes.Good, sourceTime);
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

function initialValue(type: TagDataType): number | boolean {
  return type === "Boolean" ? false : 0;
}

/** A frame scalar (Booleans as 0/1) as the served type: integers rounded and clamped, Floats rounded to single precision. */
export function coerceScalar(raw: number, type: TagDataType): number | boolean {
  switch (type) {
    case "Boolean":
      return raw !== 0 && !Number.isNaN(raw);
    case "Int32":
      return Number.isNaN(raw) ? 0 : Math.min(2147483647, Math.max(-2147483648, Math.round(raw)));
    case "UInt32":
      return Number.isNaN(raw) ? 0 : Math.min(4294967295, Math.max(0, Math.round(raw)));
    case "Float":
      return Math.fround(raw);
    default:
      return raw;
  }
}

/**
 * A written Variant as a simulation value, or undefined when its type is not exactly the variable's
 * (OPC UA does not convert on write: a Float written to a Double is BadTypeMismatch).
 */
export function fromVariant(variant: Variant | null | undefined, type: TagDataType): SignalValue | undefined {
  if (!variant) return undefined;
  const isArray = variant.arrayType === VariantArrayType.Array;
  if (type === "DoubleArray") {
    if (!isArray || variant.dataType !== DataType.Double) return undefined;
    return Array.from(variant.value as ArrayLike<number>);
  }
  if (isArray || variant.arrayType !== VariantArrayType.Scalar) return undefined;
  if (variant.dataType !== OPCUA_TYPE[type]) return undefined;
  if (type === "Boolean") return typeof variant.value === "boolean" ? variant.value : undefined;
  return typeof variant.value === "number" ? variant.value : undefined;
}

function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
