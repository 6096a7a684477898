/**
 * Which subscription and monitored-item group each bound tag joins. Subscriptions are keyed by publishing
 * interval (a subscription has one); inside one, tags with the same sampling interval, queue size and
 * deadband share a group (a CreateMonitoredItems call takes one parameter set per group here), and groups
 * are cut to the server's per-call limit. Pure.
 */
import type { Deadband, TagBinding } from "./types";

export interface MonitoringGroupPlan {
  samplingMs: number;
  queueSize: number;
  deadband?: Deadband;
  tags: TagBinding[];
}

export interface SubscriptionPlan {
  publishingMs: number;
  groups: MonitoringGroupPlan[];
}

/** Publishing intervals a tag's sampling interval is rounded up to, so a scene makes few subscriptions. */
export const PUBLISHING_STEPS_MS = [10, 20, 50, 100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
/** Exception-based tags (sampling 0) are published at this interval unless told otherwise. */
export const EXCEPTION_BASED_PUBLISHING_MS = 100;
export const DEFAULT_QUEUE_SIZE = 10;

export function publishingIntervalOf(tag: TagBinding): number {
  if (tag.publishingMs !== undefined) return tag.publishingMs;
  if (tag.samplingMs <= 0) return EXCEPTION_BASED_PUBLISHING_MS;
  return PUBLISHING_STEPS_MS.find((p) => p >= tag.samplingMs) ?? PUBLISHING_STEPS_MS[PUBLISHING_STEPS_MS.length - 1]!;
}

/** Enough room for every sample taken between two publishes, and never less than the default. */
export function queueSizeOf(tag: TagBinding, publishingMs: number): number {
  if (tag.queueSize !== undefined) return Math.max(1, Math.floor(tag.queueSize));
  const perPublish = tag.samplingMs > 0 ? Math.ceil(publishingMs / tag.samplingMs) + 1 : DEFAULT_QUEUE_SIZE;
  return Math.max(DEFAULT_QUEUE_SIZE, perPublish);
}

export function planSubscriptions(tags: readonly TagBinding[], maxItemsPerCall = 1000): SubscriptionPlan[] {
  const byPublishing = new Map<number, Map<string, MonitoringGroupPlan>>();
  for (const tag of tags) {
    const publishingMs = publishingIntervalOf(tag);
    const queueSize = queueSizeOf(tag, publishingMs);
    const key = `${tag.samplingMs}|${queueSize}|${tag.deadband ? `${tag.deadband.type}:${tag.deadband.value}` : "-"}`;
    let groups = byPublishing.get(publishingMs);
    if (!groups) byPublishing.set(publishingMs, (groups = new Map()));
    let group = groups.get(key);
    if (!group) {
      group = { samplingMs: tag.samplingMs, queueSize, ...(tag.deadband ? { deadband: tag.deadband } : {}), tags: [] };
      groups.set(key, group);
    }
    group.tags.push(tag);
  }
  const limit = Math.max(1, maxItemsPerCall);
  return [...byPublishing.entries()]
    .sort(([a], [b]) => a - b)
    .map(([publishingMs, groups]) => ({
      publishingMs,
      groups: [...groups.values()].flatMap((g) => {
        const parts: MonitoringGroupPlan[] = [];
        for (let k = 0; k < g.tags.length; k += limit) parts.push({ ...g, tags: g.tags.slice(k, k + limit) });
        return parts;
      }),
    }));
}
