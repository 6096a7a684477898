/**
 * The tags on the history chart: a chip per tag (with its colour; × removes it) and a list of the scene's
 * chartable tags and the estimator's variables to add, up to the API's 16 per chart.
 */
import type { TagInfo } from "../../../src-main/common/api/contract";
import type { EstimatedVariable } from "../../../src-main/common/api/estimation";
import type { ChartTag } from "./HistoryChart";

export const MAX_CHART_TAGS = 16;

export interface TagPickerProps {
  chosen: readonly ChartTag[];
  sceneTags: readonly TagInfo[];
  estimates: readonly EstimatedVariable[];
  onAdd(tagId: string): void;
  onRemove(tagId: string): void;
}

export function TagPicker({ chosen, sceneTags, estimates, onAdd, onRemove }: TagPickerProps) {
  const taken = new Set(chosen.map((t) => t.id));
  const assets = [...new Set(sceneTags.map((t) => t.assetId))];
  const full = chosen.length >= MAX_CHART_TAGS;
  return (
    <div className="history-tags">
      <ul className="trend-legend history-legend">
        {chosen.map((t) => (
          <li key={t.id} data-testid="history-tag" data-tag-id={t.id}>
            <span className="swatch" style={{ background: t.color }} />
            <span className="legend-name">{t.id}</span>
            {t.unit ? <span className="panel-sub">{t.unit}</span> : null}
            <button type="button" className="legend-remove" aria-label={`Remove ${t.id} from the history chart`} onClick={() => onRemove(t.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <select
        className="dock-reopen"
        data-testid="history-add-tag"
        aria-label="Add a tag to the history chart"
        value=""
        disabled={full}
        title={full ? `At most ${MAX_CHART_TAGS} tags per chart` : "Add a tag"}
        onChange={(e) => {
          if (e.target.value) onAdd(e.target.value);
        }}
      >
        <option value="">+ tag</option>
        {assets.map((asset) => (
          <optgroup key={asset} label={asset}>
            {sceneTags
              .filter((t) => t.assetId === asset && !taken.has(t.id))
              .map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id}
                  {t.unit ? ` [${t.unit}]` : ""}
                </option>
              ))}
          </optgroup>
        ))}
        {estimates.length > 0 ? (
          <optgroup label="estimates">
            {estimates
              .filter((v) => !taken.has(`est.${v.name}`))
              .map((v) => (
                <option key={v.name} value={`est.${v.name}`}>
                  est.{v.name}
                  {v.unit ? ` [${v.unit}]` : ""}
                </option>
              ))}
          </optgroup>
        ) : null}
      </select>
    </div>
  );
}
