/**
 * What governance's interlocks ask of the live plant, answered from the runtime's tag table, the link's
 * connection states and the estimator's alarms. Synchronous and cheap: it runs on every policy check.
 *
 * "Related" tags are the other tags of the same asset (a setpoint's process value, its sensors): a write is
 * held while any of them is stale or bad, or while the anomaly detector names one of them.
 */
import type { ConnectionStatus, TagInfo, TagSample } from "../common/api/contract";
import type { EstimateSnapshot } from "../common/api/estimation";
import type { ConnectionHealth, PlantConditions } from "../governance/plc-writer";

export interface LivePlant {
  tag(id: string): TagInfo | undefined;
  tagsOfAsset(assetId: string): readonly TagInfo[];
  latest(index: number): TagSample | undefined;
  connection(id: string): ConnectionStatus | undefined;
  estimate(): EstimateSnapshot | null;
}

export function plantConditions(plant: LivePlant): PlantConditions {
  const related = (tagId: string): readonly TagInfo[] => {
    const tag = plant.tag(tagId);
    return tag ? plant.tagsOfAsset(tag.assetId).filter((t) => t.id !== tagId) : [];
  };
  return {
    connectionState(tagId): ConnectionHealth {
      const tag = plant.tag(tagId);
      if (!tag) return { health: "down", detail: `tag ${tagId} is not in the scene` };
      const c = plant.connection(tag.connection);
      if (!c) return { health: "down", detail: `connection ${tag.connection} is unknown` };
      if (c.state !== "connected") {
        const attempt = c.state === "reconnecting" && c.reconnects > 0 ? ` (reconnect ${c.reconnects})` : "";
        return { health: "down", detail: `${c.id} ${c.state}${attempt}${c.lastError ? `: ${c.lastError}` : ""}` };
      }
      const own = plant.latest(tag.index);
      if (!own) return { health: "degraded", detail: `${c.id} connected but ${tagId} has no value yet` };
      if (own.q === "bad") return { health: "degraded", detail: `${c.id} connected but ${tagId} is ${own.status}` };
      return { health: "up", detail: `${c.id} connected` };
    },
    staleInputs(tagId) {
      return related(tagId)
        .filter((t) => {
          const s = plant.latest(t.index);
          return s === undefined || s.q === "bad";
        })
        .map((t) => t.id);
    },
    anomalyOnRelated(tagId) {
      const estimate = plant.estimate();
      const tag = plant.tag(tagId);
      if (!estimate || !tag) return [];
      const named = new Set<string>();
      for (const alarm of estimate.alarms) {
        for (const { tag: id } of alarm.tags) if (id === tagId || plant.tag(id)?.assetId === tag.assetId) named.add(id);
      }
      return [...named];
    },
    currentValue(tagId) {
      const tag = plant.tag(tagId);
      const s = tag ? plant.latest(tag.index) : undefined;
      if (!s || s.q !== "good") return null;
      return typeof s.v === "number" || typeof s.v === "boolean" ? s.v : null;
    },
  };
}
