/**
 * The write policies of a scene, by tag id: which tags may be written at all, at which node, and under
 * which rules. A tag without a write policy cannot be proposed.
 */
import type { Scene, TagDataType, WritePolicy } from "../common/scene/schema";
import { canonicalJson } from "./audit-hash";

export interface WritableTag {
  /** `<asset id>.<tag key>` */
  tagId: string;
  nodeId: string;
  connection: string;
  dataType: TagDataType;
  unit?: string;
  policy: WritePolicy;
}

export class PolicyBook {
  private constructor(private readonly byId: ReadonlyMap<string, WritableTag>) {}

  static fromTags(tags: readonly WritableTag[]): PolicyBook {
    return new PolicyBook(new Map(tags.map((t) => [t.tagId, t])));
  }

  static fromScene(scene: Scene): PolicyBook {
    const byId = new Map<string, WritableTag>();
    const defaultConnection = scene.connections[0]?.id ?? "";
    for (const asset of scene.assets) {
      for (const [key, tag] of Object.entries(asset.tags)) {
        if (!tag.write || tag.access !== "readWrite") continue;
        const tagId = `${asset.id}.${key}`;
        byId.set(tagId, {
          tagId,
          nodeId: tag.nodeId,
          connection: tag.connection ?? defaultConnection,
          dataType: tag.dataType,
          ...(tag.unit !== undefined ? { unit: tag.unit } : {}),
          policy: tag.write,
        });
      }
    }
    return new PolicyBook(byId);
  }

  get(tagId: string): WritableTag | undefined {
    return this.byId.get(tagId);
  }

  tags(): WritableTag[] {
    return [...this.byId.values()];
  }
}

export interface PolicyChange {
  tagId: string;
  before: WritableTag | null;
  after: WritableTag | null;
}

/** Tags whose write policy or node appeared, disappeared or changed between two scenes. */
export function policyChanges(before: PolicyBook | null, after: PolicyBook): PolicyChange[] {
  const ids = new Set([...(before?.tags() ?? []).map((t) => t.tagId), ...after.tags().map((t) => t.tagId)]);
  const out: PolicyChange[] = [];
  for (const tagId of [...ids].sort()) {
    const b = before?.get(tagId) ?? null;
    const a = after.get(tagId) ?? null;
    if (canonicalJson(b) !== canonicalJson(a)) out.push({ tagId, before: b, after: a });
  }
  return out;
}
