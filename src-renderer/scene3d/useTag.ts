/** Resolves a geometry's tag reference (a short key of its asset) to the tag the host bound. */
import type { TagInfo } from "../../src-main/common/api/contract";
import { useWorkbench } from "../stores/workbench";

/** The TagInfo of `<assetId>.<key>`, or undefined when the key is absent or unknown. */
export function useTag(assetId: string, key: string | undefined): TagInfo | undefined {
  return useWorkbench((s) => (key ? s.tagById[`${assetId}.${key}`] : undefined));
}

/** Range used to scale a value: the geometry's own range, else the tag's engineering range, else the fallback. */
export function scaleRange(
  own: readonly [number, number] | undefined,
  tag: TagInfo | undefined,
  fallback: readonly [number, number],
): readonly [number, number] {
  return own ?? tag?.range ?? fallback;
}
