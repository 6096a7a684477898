/** Slice: the plant's connection status as the host last reported it. */
import type { StateCreator } from "zustand";
import type { PlantStatus } from "../../src-main/common/api/contract";
import type { Workbench } from "./workbench";

export interface PlantSlice {
  plantStatus: PlantStatus | null;
  /** Host clock minus our clock, from `status.now`; add it to Date.now() to get host time. */
  clockSkewMs: number;
  setPlantStatus(status: PlantStatus): void;
}

export const createPlantSlice: StateCreator<Workbench, [], [], PlantSlice> = (set) => ({
  plantStatus: null,
  clockSkewMs: 0,
  setPlantStatus: (status) => set({ plantStatus: status, clockSkewMs: status.now - Date.now() }),
});
