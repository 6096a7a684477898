/** Slice: the link to the host and what it told us on connecting (app info, scene, tag list). */
import type { StateCreator } from "zustand";
import type { AppInfo, TagInfo } from "../../src-main/common/api/contract";
import type { Scene } from "../../src-main/common/scene/schema";
import type { TransportKind } from "../api/transport";
import type { Workbench } from "./workbench";

/**
 * connecting: opening the link; login: the link is open but nobody is logged in on this page; loading: link open, fetching scene and tags; live: values flowing;
 * disconnected: link lost, retrying at `retryAt`; error: the host answered but something was unusable.
 */
export type SessionPhase = "connecting" | "login" | "loading" | "live" | "disconnected" | "error";

export interface SessionSlice {
  transport: TransportKind | null;
  phase: SessionPhase;
  /** Why we are disconnected or in error, for the banner. */
  phaseDetail: string;
  retryAt: number | null;
  appInfo: AppInfo | null;
  scene: Scene | null;
  /** Sorted by index. */
  tags: TagInfo[];
  /** Tag id (`asset.key`) → tag. */
  tagById: Record<string, TagInfo>;
  setPhase(phase: SessionPhase, detail?: string, retryAt?: number | null): void;
  setLoaded(loaded: { transport: TransportKind; appInfo: AppInfo; scene: Scene; tags: TagInfo[] }): void;
}

export const createSessionSlice: StateCreator<Workbench, [], [], SessionSlice> = (set) => ({
  transport: null,
  phase: "connecting",
  phaseDetail: "",
  retryAt: null,
  appInfo: null,
  scene: null,
  tags: [],
  tagById: {},
  setPhase: (phase, detail = "", retryAt = null) => set({ phase, phaseDetail: detail, retryAt }),
  setLoaded: ({ transport, appInfo, scene, tags }) => {
    const sorted = [...tags].sort((a, b) => a.index - b.index);
    const tagById: Record<string, TagInfo> = {};
    for (const t of sorted) tagById[t.id] = t;
    set({ transport, appInfo, scene, tags: sorted, tagById });
  },
});

/** True when the new tag list differs from the old one (then live values and selections are reset). */
export function sameTagList(a: readonly TagInfo[], b: readonly TagInfo[]): boolean {
  if (a.length !== b.length) return false;
  const indexOf = new Map(a.map((t) => [t.id, t.index]));
  return b.every((t) => indexOf.get(t.id) === t.index);
}

/** How many slots the live arrays need: indices need not be dense. */
export function tagSlots(tags: readonly TagInfo[]): number {
  let max = -1;
  for (const t of tags) if (t.index > max) max = t.index;
  return max + 1;
}
