/**
 * What a node's DataType is, by name and by the built-in type that goes on the wire. A PLC's DataType is
 * often a subtype (UtcTime, Duration, an enumeration, a vendor type): the built-in type is found by walking
 * HasSubtype up to namespace 0's built-in types.
 */
import { AttributeIds, BrowseDirection, DataType, DataTypeIds, NodeClass, coerceNodeId, type NodeId } from "node-opcua";
import type { BrowseSession } from "./session-like";

const NAMES = new Map<number, string>(Object.entries(DataTypeIds).map(([name, id]) => [id as number, name]));
const ENUMERATION = 29;
const BASE_DATA_TYPE = 24;
/** Built-in types are ns=0;i=1 … i=25 (OPC UA Part 6, 5.1.2). */
const LAST_BUILTIN = DataType.DiagnosticInfo;

export function dataTypeNameOf(id: NodeId, browseName?: string): string {
  if (id.namespace === 0 && typeof id.value === "number") return NAMES.get(id.value) ?? `i=${id.value}`;
  return browseName ?? id.toString();
}

export interface NodeType {
  dataTypeId: string;
  dataType: string;
  /** The built-in type the value is encoded as (Int32 for enumerations, ExtensionObject for structures). */
  builtin: DataType;
  /** -1 scalar, 1 one-dimensional array, … (OPC UA ValueRank). */
  valueRank: number;
  arrayDimensions: number[];
  accessLevel: number;
  userAccessLevel: number;
}

/** Caches DataType facts per DataType NodeId (they do not change while a server runs). */
export class DataTypeResolver {
  private readonly builtin = new Map<string, DataType>();
  private readonly names = new Map<string, string>();

  constructor(private readonly session: () => BrowseSession | undefined) {}

  clear(): void {
    this.builtin.clear();
    this.names.clear();
  }

  /** Reads a Variable's DataType, ValueRank, ArrayDimensions and access levels; an Error names what is wrong. */
  async nodeType(nodeId: string): Promise<NodeType> {
    const session = this.require();
    const attributes = [AttributeIds.NodeClass, AttributeIds.DataType, AttributeIds.ValueRank, AttributeIds.ArrayDimensions, AttributeIds.AccessLevel, AttributeIds.UserAccessLevel];
    const values = await session.read(attributes.map((attributeId) => ({ nodeId, attributeId })));
    const [nodeClass, dataType, valueRank, dims, access, userAccess] = values;
    if (!nodeClass || nodeClass.statusCode.isNotGood()) throw new Error(`node ${nodeId} does not exist on the server (${nodeClass?.statusCode.name ?? "no answer"})`);
    if (nodeClass.value.value !== NodeClass.Variable) throw new Error(`node ${nodeId} is a ${NodeClass[nodeClass.value.value as number] ?? "node"}, not a Variable`);
    const typeId = coerceNodeId(dataType!.value.value as NodeId);
    return {
      dataTypeId: typeId.toString(),
      dataType: await this.name(typeId),
      builtin: await this.builtinOf(typeId),
      valueRank: (valueRank?.value.value as number | undefined) ?? -1,
      arrayDimensions: Array.from((dims?.value.value as ArrayLike<number> | null) ?? []),
      accessLevel: (access?.value.value as number | undefined) ?? 0,
      userAccessLevel: (userAccess?.value.value as number | undefined) ?? (access?.value.value as number | undefined) ?? 0,
    };
  }

  /** The DataType's display name: the standard name in namespace 0, the browse name elsewhere. */
  async name(typeId: NodeId): Promise<string> {
    if (typeId.namespace === 0 && typeof typeId.value === "number") return dataTypeNameOf(typeId);
    const key = typeId.toString();
    const known = this.names.get(key);
    if (known) return known;
    const [dv] = await this.require().read([{ nodeId: typeId, attributeId: AttributeIds.BrowseName }]);
    const name = (dv?.value.value as { name?: string } | null)?.name ?? key;
    this.names.set(key, name);
    return name;
  }

  async builtinOf(typeId: NodeId): Promise<DataType> {
    const key = typeId.toString();
    const known = this.builtin.get(key);
    if (known !== undefined) return known;
    let current = typeId;
    for (let depth = 0; depth < 20; depth++) {
      if (current.namespace === 0 && typeof current.value === "number") {
        if (current.value === ENUMERATION) return this.remember(key, DataType.Int32);
        if (current.value >= 1 && current.value <= LAST_BUILTIN) return this.remember(key, current.value as DataType);
        if (current.value === BASE_DATA_TYPE) return this.remember(key, DataType.Variant);
      }
      const [result] = await this.require().browse([
        { nodeId: current, browseDirection: BrowseDirection.Inverse, referenceTypeId: "HasSubtype", includeSubtypes: false, resultMask: 0 },
      ]);
      const parent = result?.references?.[0]?.nodeId;
      if (!parent) break;
      current = coerceNodeId(parent);
    }
    return this.remember(key, DataType.Null);
  }

  private remember(key: string, type: DataType): DataType {
    this.builtin.set(key, type);
    return type;
  }

  private require(): BrowseSession {
    const s = this.session();
    if (!s) throw new Error("not connected");
    return s;
  }
}
