/** Slice: what the user is looking at: the selected asset, the trended tags and the trend window. */
import type { StateCreator } from "zustand";
import type { TagInfo } from "../../src-main/common/api/contract";
import type { Workbench } from "./workbench";

export const TREND_WINDOWS_MIN = [1, 5, 10] as const;
export type TrendWindowMin = (typeof TREND_WINDOWS_MIN)[number];
/** More lines than this make a chart nobody can read (and we have this many distinct colours). */
export const MAX_TREND_TAGS = 8;

export interface SelectionSlice {
  /** Null means the whole plant. */
  selectedAssetId: string | null;
  trendTagIds: string[];
  trendWindowMin: TrendWindowMin;
  selectAsset(assetId: string | null): void;
  /** Adds or removes a tag from the trend. */
  setTrended(tagId: string, on: boolean): void;
  setTrendWindow(minutes: TrendWindowMin): void;
  /** Starts the trend with the tags the scene marks `trend: true`. */
  resetTrend(tags: readonly TagInfo[]): void;
}

export const createSelectionSlice: StateCreator<Workbench, [], [], SelectionSlice> = (set) => ({
  selectedAssetId: null,
  trendTagIds: [],
  trendWindowMin: 5,
  selectAsset: (assetId) => set({ selectedAssetId: assetId }),
  setTrended: (tagId, on) =>
    set((s) => {
      const has = s.trendTagIds.includes(tagId);
      if (on === has) return {};
      if (!on) return { trendTagIds: s.trendTagIds.filter((id) => id !== tagId) };
      if (s.trendTagIds.length >= MAX_TREND_TAGS) return {};
      return { trendTagIds: [...s.trendTagIds, tagId] };
    }),
  setTrendWindow: (minutes) => set({ trendWindowMin: minutes }),
  resetTrend: (tags) =>
    set({
      trendTagIds: tags
        .filter((t) => t.trend)
        .slice(0, MAX_TREND_TAGS)
        .map((t) => t.id),
    }),
});
