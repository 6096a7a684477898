/**
 * The asset hierarchy (plant → line → machine → component) built from each asset's `parent`.
 * Each row shows the worst quality among the asset's tags, refreshed on the slow tick.
 */
import { useMemo, type KeyboardEvent } from "react";
import type { Asset } from "../../../src-main/common/scene/schema";
import type { TagInfo } from "../../../src-main/common/api/contract";
import { live, Q_BAD, Q_NONE, Q_UNCERTAIN } from "../../stores/live";
import { useTick } from "../../stores/tick";
import { useWorkbench } from "../../stores/workbench";

interface Node {
  asset: Asset;
  depth: number;
}

/** Depth-first order; assets whose parent is missing are shown as roots rather than dropped. */
function flatten(assets: readonly Asset[]): Node[] {
  const ids = new Set(assets.map((a) => a.id));
  const children = new Map<string | undefined, Asset[]>();
  for (const a of assets) {
    const parent = a.parent && ids.has(a.parent) ? a.parent : undefined;
    const list = children.get(parent) ?? [];
    list.push(a);
    children.set(parent, list);
  }
  const out: Node[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const a of children.get(parent) ?? []) {
      out.push({ asset: a, depth });
      walk(a.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}

/** "bad" if any tag is bad or has no value, "uncertain" if any is uncertain, else "good". */
function worstQuality(tags: readonly TagInfo[]): "good" | "uncertain" | "bad" | "none" {
  if (tags.length === 0) return "none";
  let worst = 0;
  for (const t of tags) {
    const q = live.quality[t.index] ?? Q_NONE;
    const rank = q === Q_BAD || q === Q_NONE ? 2 : q === Q_UNCERTAIN ? 1 : 0;
    if (rank > worst) worst = rank;
  }
  return worst === 2 ? "bad" : worst === 1 ? "uncertain" : "good";
}

/** Enter or Space on a focused row selects it, as a click would. */
function onKey(select: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      select();
    }
  };
}

export function AssetTree({ assets, tagsByAsset }: { assets: readonly Asset[]; tagsByAsset: Map<string, TagInfo[]> }) {
  useTick(1000);
  const selected = useWorkbench((s) => s.selectedAssetId);
  const selectAsset = useWorkbench((s) => s.selectAsset);
  const nodes = useMemo(() => flatten(assets), [assets]);
  return (
    <ul className="asset-tree" role="tree" data-testid="asset-tree">
      <li
        role="treeitem"
        aria-selected={selected === null}
        className={selected === null ? "selected" : ""}
        tabIndex={0}
        onClick={() => selectAsset(null)}
        onKeyDown={onKey(() => selectAsset(null))}
        data-asset=""
      >
        <span className="asset-name">All assets</span>
        <span className="asset-meta">{assets.length}</span>
      </li>
      {nodes.map(({ asset, depth }) => {
        const tags = tagsByAsset.get(asset.id) ?? [];
        const health = worstQuality(tags);
        return (
          <li
            key={asset.id}
            role="treeitem"
            aria-selected={selected === asset.id}
            className={selected === asset.id ? "selected" : ""}
            style={{ paddingLeft: `${0.6 + depth * 1.1}rem` }}
            tabIndex={0}
            onClick={() => selectAsset(asset.id)}
            onKeyDown={onKey(() => selectAsset(asset.id))}
            title={asset.description}
            data-asset={asset.id}
          >
            <span className={`health-dot q-${health}`} aria-label={`quality ${health}`} />
            <span className="asset-name">{asset.name}</span>
            <span className="asset-meta">
              {asset.level} · {tags.length}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
