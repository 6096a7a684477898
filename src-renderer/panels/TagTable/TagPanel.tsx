/** The right-hand panel: the asset tree on top, the selected asset's details and tag table below. */
import { useMemo } from "react";
import type { TagInfo } from "../../../src-main/common/api/contract";
import { useWorkbench } from "../../stores/workbench";
import { AssetTree } from "./AssetTree";
import { TagTable, type TagGroup } from "./TagTable";

export function TagPanel() {
  const scene = useWorkbench((s) => s.scene);
  const tags = useWorkbench((s) => s.tags);
  const selectedId = useWorkbench((s) => s.selectedAssetId);

  const tagsByAsset = useMemo(() => {
    const map = new Map<string, TagInfo[]>();
    for (const t of tags) {
      const list = map.get(t.assetId) ?? [];
      list.push(t);
      map.set(t.assetId, list);
    }
    return map;
  }, [tags]);

  const selected = scene?.assets.find((a) => a.id === selectedId) ?? null;
  const groups: TagGroup[] = useMemo(() => {
    if (!scene) return [];
    if (selected) return [{ title: null, tags: tagsByAsset.get(selected.id) ?? [] }];
    return scene.assets
      .filter((a) => (tagsByAsset.get(a.id)?.length ?? 0) > 0)
      .map((a) => ({ title: a.name, tags: tagsByAsset.get(a.id) ?? [] }));
  }, [scene, selected, tagsByAsset]);

  if (!scene) return <section className="panel tag-panel" />;
  return (
    <section className="panel tag-panel" aria-label="Assets and tags">
      <header className="panel-header">
        <h2>Assets</h2>
      </header>
      <AssetTree assets={scene.assets} tagsByAsset={tagsByAsset} />
      <header className="panel-header asset-header" data-testid="selected-asset" data-asset={selected?.id ?? ""}>
        <h2>{selected ? selected.name : "All tags"}</h2>
        <span className="panel-sub">
          {selected ? `${selected.id} · ${selected.level}${selected.model ? ` · model ${selected.model.type}` : ""}` : `${tags.length} tags`}
        </span>
        {selected?.description ? <p className="asset-description">{selected.description}</p> : null}
      </header>
      <div className="tag-scroll">
        <TagTable groups={groups} />
      </div>
    </section>
  );
}
