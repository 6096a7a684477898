/**
 * Slice: what the estimator told us: its layout (`estimation.info`) and the newest estimate, which arrives
 * a few times a second (`estimation.estimate`) and is kept here at most 4 times a second.
 *
 * The 3D view does not subscribe to this slice: each estimate is also folded into `assetHealth` below, a
 * plain map of mutable cells (one per asset) that `useFrame` reads without React.
 */
import type { StateCreator } from "zustand";
import type { TagInfo } from "../../src-main/common/api/contract";
import type { EstimateSnapshot, EstimationInfo } from "../../src-main/common/api/estimation";
import type { Workbench } from "./workbench";

/** The 3D view's per-asset health: mutated in place, never replaced while the layout stays the same. */
export interface AssetHealthCell {
  /** Worst health over the asset's targets: 1 healthy … 0 at threshold; NaN when none or unknown. */
  health: number;
  /** Whether the asset has at least one health target. */
  targeted: boolean;
  /** An active anomaly alarm names one of the asset's tags. */
  alarmed: boolean;
}

export const assetHealth = new Map<string, AssetHealthCell>();

/** Estimates closer together than this are not put into React state (the host sends ~4 a second; the UI keeps up to 5). */
const UI_MIN_PERIOD_MS = 200;

export interface EstimationSlice {
  /** Null until loaded (or when the host could not answer). */
  estimationInfo: EstimationInfo | null;
  estimate: EstimateSnapshot | null;
  setEstimationInfo(info: EstimationInfo | null): void;
  setEstimate(snapshot: EstimateSnapshot | null): void;
}

let lastUiUpdate = 0;

export const createEstimationSlice: StateCreator<Workbench, [], [], EstimationSlice> = (set, get) => ({
  estimationInfo: null,
  estimate: null,
  setEstimationInfo: (info) => {
    assetHealth.clear();
    for (const h of info?.health ?? []) {
      assetHealth.set(h.component, { health: NaN, targeted: true, alarmed: false });
    }
    set({ estimationInfo: info, estimate: null });
  },
  setEstimate: (snapshot) => {
    const { estimationInfo, tagById } = get();
    if (snapshot && estimationInfo) foldHealth(estimationInfo, snapshot, tagById);
    const now = Date.now();
    if (snapshot && now - lastUiUpdate < UI_MIN_PERIOD_MS) return;
    lastUiUpdate = now;
    set({ estimate: snapshot });
  },
});

/** The asset a tag id belongs to: the host's binding, else the `<asset>.<key>` prefix. */
export function assetOfTag(tagId: string, tagById: Record<string, TagInfo>): string {
  return tagById[tagId]?.assetId ?? tagId.slice(0, Math.max(0, tagId.indexOf(".")));
}

function cellOf(assetId: string): AssetHealthCell {
  let cell = assetHealth.get(assetId);
  if (!cell) assetHealth.set(assetId, (cell = { health: NaN, targeted: false, alarmed: false }));
  return cell;
}

/** Worst health per asset and alarm flags, written into the existing cells. */
function foldHealth(info: EstimationInfo, snapshot: EstimateSnapshot, tagById: Record<string, TagInfo>): void {
  for (const cell of assetHealth.values()) {
    cell.health = NaN;
    cell.alarmed = false;
  }
  for (let k = 0; k < info.health.length; k++) {
    const target = info.health[k];
    const h = snapshot.health[k];
    if (!target || h === null || h === undefined) continue;
    const cell = cellOf(target.component);
    cell.health = Number.isNaN(cell.health) ? h : Math.min(cell.health, h);
  }
  for (const alarm of snapshot.alarms) {
    for (const { tag } of alarm.tags) cellOf(assetOfTag(tag, tagById)).alarmed = true;
  }
}
