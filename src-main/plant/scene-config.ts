/**
 * What the plant link is told by a scene: each connection (endpoint, security, identity) and each bound tag
 * with its monitoring settings (sampling, queue size, deadband, and its connection's publishing interval).
 * Pure: the scene and its tag table in, the link's configuration out.
 */
import type { Scene } from "../common/scene/schema";
import type { ConnectionConfig, TagBinding } from "./types";

/** A bound tag as the runtime's tag table lists it (TagInfo has more; these are what the link needs). */
export interface TableTag {
  index: number;
  assetId: string;
  key: string;
  nodeId: string;
  connection: string;
}

export function linkConfigOfScene(scene: Scene, tags: readonly TableTag[]): { connections: ConnectionConfig[]; tags: TagBinding[] } {
  const connections = scene.connections.map(
    (c): ConnectionConfig => ({
      id: c.id,
      endpoint: c.endpoint,
      securityMode: c.securityMode,
      securityPolicy: c.securityPolicy,
      // The scene names the environment variable of a password, never the password itself.
      ...(c.identity?.type === "username" ? { identity: { type: "username", user: c.identity.user, passwordEnv: c.identity.passwordEnv } } : {}),
    }),
  );
  const publishing = new Map(scene.connections.map((c) => [c.id, c.publishingMs]));
  const assets = new Map(scene.assets.map((a) => [a.id, a]));
  const bindings = tags.map((t): TagBinding => {
    const tag = assets.get(t.assetId)?.tags[t.key];
    if (!tag) throw new Error(`tag ${t.assetId}.${t.key} is not in the scene`);
    const publishingMs = publishing.get(t.connection);
    return {
      index: t.index,
      connection: t.connection,
      nodeId: t.nodeId,
      samplingMs: tag.samplingMs,
      ...(tag.queueSize !== undefined ? { queueSize: tag.queueSize } : {}),
      ...(tag.deadband ? { deadband: { type: tag.deadband.type, value: tag.deadband.value } } : {}),
      ...(publishingMs !== undefined ? { publishingMs } : {}),
    };
  });
  return { connections, tags: bindings };
}
