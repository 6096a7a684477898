/**
 * The OPC UA nodes of a PlcPlan, shared by the servers built from one (the simulated PLC, the soft PLC, the
 * commissioning plant server): one folder per asset under the plan's root, one variable per planned signal at
 * its NodeId (analog items with their range and unit, arrays as Double with ValueRank 1), and the write path
 * of writable variables with the checks a field device or PLC makes before it acts on a value.
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
import type { SignalValue } from "../../src-workers/plant/simulation-types";
import type { TagDataType } from "../common/scene/schema";
import { engineeringUnits } from "./engineering-units";
import { PLC_NAMESPACE_INDEX, type PlcFolder, type PlcPlan, type PlcVariable } from "./plan";

/** OPC UA DataType of each scene data type (a DoubleArray is a Double with ValueRank 1). */
export const OPCUA_TYPE: Record<TagDataType, DataType> = {
  Double: DataType.Double,
  Float: DataType.Float,
  Int32: DataType.Int32,
  UInt32: DataType.UInt32,
  Boolean: DataType.Boolean,
  DoubleArray: DataType.Double,
};

/** What an analog item without a known range claims as EURange (the property is mandatory). */
const UNBOUNDED: [number, number] = [-Number.MAX_VALUE, Number.MAX_VALUE];

export interface PlanNode {
  readonly plan: PlcVariable;
  readonly node: UAVariable;
}

/**
 * Adds the plan's folders and variables to the server's own namespace (which must be ns=1, as the NodeIds
 * say; `source` names where they come from in the error). `describe` gives a variable's description.
 */
export function addPlanNodes(addressSpace: AddressSpace, plan: PlcPlan, source: string, describe: (v: PlcVariable) => string | undefined = (v) => v.description): PlanNode[] {
  const namespace = addressSpace.getOwnNamespace();
  if (namespace.index !== PLC_NAMESPACE_INDEX) {
    // A server that loaded extra nodesets first would put its own namespace elsewhere.
    throw new Error(`the server's own namespace has index ${namespace.index}, but ${source} NodeIds use ns=${PLC_NAMESPACE_INDEX}`);
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

  return plan.variables.map((v) => {
    const folder = folders.get(v.folderKey);
    if (!folder) throw new Error(`internal: no folder ${v.folderKey} for ${v.nodeId}`);
    const access = v.writable ? "CurrentRead | CurrentWrite" : "CurrentRead";
    const description = describe(v);
    const common = {
      organizedBy: folder,
      nodeId: v.nodeId,
      browseName: v.browseName,
      displayName: v.browseName,
      ...(description !== undefined ? { description } : {}),
      accessLevel: access,
      userAccessLevel: access,
      // 0: the value changes only when the server pushes it, and every push notifies monitored items, so any
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
      node = namespace.addVariable({ ...common, dataType: v.dataType, value: { dataType: type, value: v.dataType === "Boolean" ? false : 0 } });
    }
    return { plan: v, node };
  });
}

/** A value as the Variant of a variable of `type`. */
export function variantOf(value: number | boolean | number[] | Float64Array, type: TagDataType): Variant {
  return Array.isArray(value) || value instanceof Float64Array
    ? new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: value instanceof Float64Array ? value : Float64Array.from(value) })
    : new Variant({ dataType: OPCUA_TYPE[type], value });
}

/**
 * Routes client writes of a variable's Value through `decide` once the checks node-opcua would make (and the
 * range check a device makes) have passed, so the receiver never sees a write the server refuses. The node
 * stores nothing itself: `decide` stores the value when it accepts it. Other attributes are written as usual.
 */
export function interceptValueWrites(entry: PlanNode, decide: (value: SignalValue) => StatusCode | Promise<StatusCode>): void {
  const { node, plan: v } = entry;
  type Callback = (err: Error | null, statusCode?: StatusCode) => void;
  const original = node.writeAttribute.bind(node) as (c: ISessionContext | null, w: WriteValueOptions, cb: Callback) => void;
  const write = async (context: ISessionContext | null, options: WriteValueOptions): Promise<StatusCode> => {
    const writeValue = options instanceof WriteValue ? options : new WriteValue(options);
    if (writeValue.attributeId !== AttributeIds.Value) {
      return new Promise((resolve, reject) => original(context, writeValue, (err, sc) => (err ? reject(err) : resolve(sc ?? StatusCodes.Good))));
    }
    const ctx = context ?? SessionContext.defaultContext;
    if (!node.isWritable(ctx)) return StatusCodes.BadNotWritable;
    if (!node.isUserWritable(ctx)) return StatusCodes.BadUserAccessDenied;
    if (writeValue.indexRange && !writeValue.indexRange.isEmpty()) return StatusCodes.BadWriteNotSupported;
    const value = fromVariant(writeValue.value?.value, v.dataType);
    if (value === undefined) return StatusCodes.BadTypeMismatch;
    const range = v.signal.range;
    if (typeof value === "number" && (!Number.isFinite(value) || (range && (value < range[0] || value > range[1])))) return StatusCodes.BadOutOfRange;
    return decide(value);
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
