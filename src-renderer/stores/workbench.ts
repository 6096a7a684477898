/**
 * The workbench store: slow-changing state only (what we are connected to, the scene, the selection).
 * Built from typed slices; live tag values are NOT here, they are in stores/live.ts.
 */
import { create } from "zustand";
import { createAuthSlice, type AuthSlice } from "./auth";
import { createEstimationSlice, type EstimationSlice } from "./estimation";
import { live } from "./live";
import { createPlantSlice, type PlantSlice } from "./plant";
import { createSelectionSlice, type SelectionSlice } from "./selection";
import { createSessionSlice, type SessionSlice } from "./session";

export type Workbench = SessionSlice & PlantSlice & SelectionSlice & EstimationSlice & AuthSlice;

export const useWorkbench = create<Workbench>()((...a) => ({
  ...createSessionSlice(...a),
  ...createPlantSlice(...a),
  ...createSelectionSlice(...a),
  ...createEstimationSlice(...a),
  ...createAuthSlice(...a),
}));

/** The host's clock now (our clock corrected by the skew the last plant status showed). */
export function hostNow(): number {
  return Date.now() + useWorkbench.getState().clockSkewMs;
}

/** How long data may go without a new value before we call it stale. */
export const STALE_AFTER_MS = 2_000;

/** When the newest value reached the host (host clock, ms), 0 before any. */
export function lastValueAt(): number {
  return Math.max(useWorkbench.getState().plantStatus?.lastValueAt ?? 0, live.lastRx);
}

/**
 * Whether the values on screen can be trusted as current: the link is live, every plant connection is
 * connected and a value arrived within STALE_AFTER_MS. Cheap enough to call once per frame.
 */
export function isDataStale(now: number = hostNow()): boolean {
  const s = useWorkbench.getState();
  if (s.phase !== "live") return true;
  const status = s.plantStatus;
  if (!status) return true;
  for (const c of status.connections) if (c.state !== "connected") return true;
  const last = lastValueAt();
  return last <= 0 || now - last > STALE_AFTER_MS;
}
