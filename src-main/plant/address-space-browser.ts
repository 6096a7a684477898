/**
 * The address-space browser behind the UI's tree: children of a node loaded lazily (with what an engineer
 * needs to pick a tag: DataType, access level, whether it has children), one node described in full (value,
 * EngineeringUnits, EURange), and a search by name. Reads and browses only: it is given no write method.
 */
import { AttributeIds, BrowseDirection, NodeClass, coerceNodeId, type BrowseResult, type DataValue, type NodeId, type ReferenceDescription } from "node-opcua";
import { DataTypeResolver } from "./data-types";
import { qualityOf, timeOf, valueOf } from "./quality";
import type { BrowseSession } from "./session-like";
import type { PlantValue } from "./types";

export interface BrowsedNode {
  nodeId: string;
  /** Qualified name as UaExpert shows it, e.g. `1:Speed`. */
  browseName: string;
  displayName: string;
  nodeClass: string;
  /** Variables only. */
  dataType?: string;
  valueRank?: number;
  accessLevel?: string[];
  userAccessLevel?: string[];
  hasChildren: boolean;
}

export interface NodeDescription extends BrowsedNode {
  description?: string;
  value?: PlantValue;
  quality?: "good" | "uncertain" | "bad";
  status?: string;
  sourceTs?: number | null;
  serverTs?: number | null;
  engineeringUnits?: { displayName: string; description: string; unitId: number; namespaceUri: string };
  euRange?: { low: number; high: number };
  instrumentRange?: { low: number; high: number };
  minimumSamplingIntervalMs?: number;
}

export interface SearchHit extends BrowsedNode {
  /** Display names from the start node, e.g. `Line1/Pump1/Speed`. */
  path: string;
}

export const OBJECTS_FOLDER = "i=85";
/** The Server object: thousands of diagnostics nodes nobody binds a tag to; searched only when asked. */
const SERVER_OBJECT = "i=2253";
/** As browse results print it (`ns=0;i=2253`), which is what the search compares. */
const SERVER_OBJECT_ID = coerceNodeId(SERVER_OBJECT).toString();
const ACCESS_FLAGS = ["CurrentRead", "CurrentWrite", "HistoryRead", "HistoryWrite", "SemanticChange", "StatusWrite", "TimestampWrite"];
const BROWSE_BATCH = 50;
const READ_BATCH = 250;

/** The NodeId in node-opcua's canonical text form (`i=85` → `ns=0;i=85`), or why the text is not a NodeId. */
export function canonicalNodeId(text: string): { ok: true; nodeId: string } | { ok: false; reason: string } {
  try {
    return { ok: true, nodeId: coerceNodeId(text).toString() };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.split("\n")[0]! : String(err) };
  }
}

export function accessFlags(level: number): string[] {
  return ACCESS_FLAGS.filter((_, bit) => level & (1 << bit));
}

export class AddressSpaceBrowser {
  private readonly types: DataTypeResolver;

  constructor(private readonly session: () => BrowseSession | undefined) {
    this.types = new DataTypeResolver(session);
  }

  /** The node's hierarchical children (Organizes, HasComponent, HasProperty, …). */
  async children(nodeId: string = OBJECTS_FOLDER): Promise<BrowsedNode[]> {
    const [references] = await this.browseAll([nodeId], true);
    return this.enrich(references ?? []);
  }

  async describe(nodeId: string): Promise<NodeDescription> {
    const s = this.require();
    const ids = [AttributeIds.NodeClass, AttributeIds.BrowseName, AttributeIds.DisplayName, AttributeIds.Description];
    const head = await s.read(ids.map((attributeId) => ({ nodeId, attributeId })));
    if (!head[0] || head[0].statusCode.isNotGood()) throw new Error(`node ${nodeId} does not exist on the server (${head[0]?.statusCode.name ?? "no answer"})`);
    const nodeClass = head[0].value.value as NodeClass;
    const [children] = await this.browseAll([nodeId]);
    const node: NodeDescription = {
      nodeId: coerceNodeId(nodeId).toString(),
      browseName: String(head[1]?.value.value ?? ""),
      displayName: (head[2]?.value.value as { text?: string } | null)?.text ?? "",
      nodeClass: NodeClass[nodeClass] ?? String(nodeClass),
      hasChildren: (children ?? []).length > 0,
    };
    const description = (head[3]?.value.value as { text?: string } | null)?.text;
    if (description) node.description = description;
    if (nodeClass !== NodeClass.Variable) return node;

    const [variable] = await this.variableFacts([nodeId]);
    Object.assign(node, variable);
    const attrs = [AttributeIds.Value, AttributeIds.MinimumSamplingInterval];
    const [value, minSampling] = await s.read(attrs.map((attributeId) => ({ nodeId, attributeId })));
    if (value) Object.assign(node, this.valueFacts(value));
    if (minSampling?.statusCode.isGood()) node.minimumSamplingIntervalMs = minSampling.value.value as number;

    // EngineeringUnits, EURange and InstrumentRange are properties of an AnalogItem, found by browse name.
    const properties = (children ?? []).filter((r) => ["EngineeringUnits", "EURange", "InstrumentRange"].includes(r.browseName.name ?? ""));
    // A read of nothing is an error (BadNothingToDo), not an empty answer.
    const propertyValues = properties.length > 0 ? await s.read(properties.map((p) => ({ nodeId: p.nodeId, attributeId: AttributeIds.Value }))) : [];
    properties.forEach((p, k) => {
      const v = propertyValues[k]?.value.value as Record<string, unknown> | null | undefined;
      if (!v || propertyValues[k]!.statusCode.isNotGood()) return;
      if (p.browseName.name === "EngineeringUnits") {
        node.engineeringUnits = {
          displayName: (v.displayName as { text?: string } | null)?.text ?? "",
          description: (v.description as { text?: string } | null)?.text ?? "",
          unitId: Number(v.unitId ?? 0),
          namespaceUri: String(v.namespaceUri ?? ""),
        };
      } else {
        const range = { low: Number(v.low), high: Number(v.high) };
        if (p.browseName.name === "EURange") node.euRange = range;
        else node.instrumentRange = range;
      }
    });
    return node;
  }

  /**
   * Nodes whose browse or display name contains `name` (case-insensitive), breadth first from `from`, at most
   * `maxDepth` levels down and `maxResults` hits. The Server object is skipped unless the search starts in it.
   */
  async search(name: string, options: { maxDepth?: number; maxResults?: number; from?: string } = {}): Promise<SearchHit[]> {
    const needle = name.trim().toLowerCase();
    if (!needle) return [];
    const maxDepth = options.maxDepth ?? 6;
    const maxResults = options.maxResults ?? 50;
    const from = options.from ?? OBJECTS_FOLDER;
    const visited = new Set<string>([coerceNodeId(from).toString()]);
    const hits: { ref: ReferenceDescription; path: string }[] = [];
    let frontier: { nodeId: string; path: string }[] = [{ nodeId: from, path: "" }];
    for (let depth = 1; depth <= maxDepth && frontier.length > 0 && hits.length < maxResults; depth++) {
      const results = await this.browseAll(frontier.map((f) => f.nodeId));
      const next: typeof frontier = [];
      results.forEach((refs, k) => {
        for (const ref of refs) {
          const id = ref.nodeId.toString();
          if (visited.has(id)) continue;
          visited.add(id);
          const path = frontier[k]!.path ? `${frontier[k]!.path}/${ref.displayName.text ?? ""}` : (ref.displayName.text ?? "");
          const names = `${ref.browseName.name ?? ""}\u0000${ref.displayName.text ?? ""}`.toLowerCase();
          if (names.includes(needle) && hits.length < maxResults) hits.push({ ref, path });
          if (id !== SERVER_OBJECT_ID && ref.nodeClass !== NodeClass.Method) next.push({ nodeId: id, path });
        }
      });
      frontier = next;
    }
    const nodes = await this.enrich(hits.map((h) => h.ref));
    return nodes.map((n, k) => ({ ...n, path: hits[k]!.path }));
  }

  /**
   * Forward hierarchical references of each node, following continuation points. `strict`: a node the server
   * cannot browse (unknown, say) is an error, not a node without children.
   */
  private async browseAll(nodeIds: string[], strict = false): Promise<ReferenceDescription[][]> {
    const s = this.require();
    const out: ReferenceDescription[][] = [];
    for (let start = 0; start < nodeIds.length; start += BROWSE_BATCH) {
      const batch = nodeIds.slice(start, start + BROWSE_BATCH);
      const results = await s.browse(
        batch.map((nodeId) => ({ nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: "HierarchicalReferences", includeSubtypes: true, nodeClassMask: 0, resultMask: 63 })),
      );
      results.forEach((result, k) => {
        if (strict && result.statusCode.isNotGood()) throw new Error(`node ${batch[k]} cannot be browsed on the server (${result.statusCode.name})`);
      });
      for (const result of results) out.push(await this.follow(s, result));
    }
    return out;
  }

  private async follow(s: BrowseSession, first: BrowseResult): Promise<ReferenceDescription[]> {
    const refs = [...(first.references ?? [])];
    let cp: Buffer | null = first.continuationPoint;
    while (cp && cp.length > 0) {
      const [more] = await s.browseNext([cp], false);
      refs.push(...(more?.references ?? []));
      cp = more?.continuationPoint ?? null;
    }
    return refs;
  }

  /** References → nodes, with variable facts and whether each has children (two batched round trips). */
  private async enrich(references: ReferenceDescription[]): Promise<BrowsedNode[]> {
    const seen = new Set<string>();
    const unique = references.filter((r) => {
      const id = r.nodeId.toString();
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const ids = unique.map((r) => r.nodeId.toString());
    const grandchildren = await this.browseAll(ids);
    const variables = unique.filter((r) => r.nodeClass === NodeClass.Variable).map((r) => r.nodeId.toString());
    const facts = new Map((await this.variableFacts(variables)).map((f, k) => [variables[k]!, f]));
    return unique.map((r, k) => ({
      nodeId: ids[k]!,
      browseName: r.browseName.toString(),
      displayName: r.displayName.text ?? r.browseName.name ?? "",
      nodeClass: NodeClass[r.nodeClass] ?? String(r.nodeClass),
      ...facts.get(ids[k]!),
      hasChildren: (grandchildren[k] ?? []).length > 0,
    }));
  }

  private async variableFacts(nodeIds: string[]): Promise<Pick<BrowsedNode, "dataType" | "valueRank" | "accessLevel" | "userAccessLevel">[]> {
    const s = this.require();
    const attrs = [AttributeIds.DataType, AttributeIds.ValueRank, AttributeIds.AccessLevel, AttributeIds.UserAccessLevel];
    const out: Pick<BrowsedNode, "dataType" | "valueRank" | "accessLevel" | "userAccessLevel">[] = [];
    for (let start = 0; start < nodeIds.length; start += READ_BATCH) {
      const batch = nodeIds.slice(start, start + READ_BATCH);
      const values = await s.read(batch.flatMap((nodeId) => attrs.map((attributeId) => ({ nodeId, attributeId }))));
      for (let k = 0; k < batch.length; k++) {
        const [type, rank, access, user] = values.slice(k * 4, k * 4 + 4);
        const typeId = type?.statusCode.isGood() ? (type.value.value as NodeId) : undefined;
        out.push({
          ...(typeId ? { dataType: await this.types.name(typeId) } : {}),
          ...(rank?.statusCode.isGood() ? { valueRank: rank.value.value as number } : {}),
          ...(access?.statusCode.isGood() ? { accessLevel: accessFlags(access.value.value as number) } : {}),
          ...(user?.statusCode.isGood() ? { userAccessLevel: accessFlags(user.value.value as number) } : {}),
        });
      }
    }
    return out;
  }

  private valueFacts(dv: DataValue): Pick<NodeDescription, "value" | "quality" | "status" | "sourceTs" | "serverTs"> {
    const v = valueOf(dv.value);
    return {
      value: v.value,
      quality: v.problem ? "bad" : qualityOf(dv.statusCode.value),
      status: v.problem ? `${dv.statusCode.name} (${v.problem})` : dv.statusCode.name,
      sourceTs: timeOf(dv.sourceTimestamp, dv.sourcePicoseconds),
      serverTs: timeOf(dv.serverTimestamp, dv.serverPicoseconds),
    };
  }

  private require(): BrowseSession {
    const s = this.session();
    if (!s) throw new Error("not connected");
    return s;
  }
}
