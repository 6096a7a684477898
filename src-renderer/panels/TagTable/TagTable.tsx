/**
 * The tags of one asset (or of all) with their live value, quality and age, re-rendered on the slow tick.
 * Each value cell carries data-testid="tag-value" and data-tag="<tag id>" for tests and automation.
 */
import type { TagInfo } from "../../../src-main/common/api/contract";
import { formatAge, formatValue, isTrendable, qualityName } from "../../format/value";
import { live } from "../../stores/live";
import { MAX_TREND_TAGS } from "../../stores/selection";
import { useTick } from "../../stores/tick";
import { hostNow, isDataStale, useWorkbench } from "../../stores/workbench";

export interface TagGroup {
  title: string | null;
  tags: readonly TagInfo[];
}

const QUALITY_LABEL = { good: "G", uncertain: "U", bad: "B", none: "–" } as const;

export function TagTable({ groups }: { groups: readonly TagGroup[] }) {
  useTick(250);
  const trendTagIds = useWorkbench((s) => s.trendTagIds);
  const setTrended = useWorkbench((s) => s.setTrended);
  const now = hostNow();
  const trendFull = trendTagIds.length >= MAX_TREND_TAGS;
  // When the whole picture is stale every value is only "last known": say so by fading the table.
  const stale = isDataStale(now);

  return (
    <table className={`tag-table${stale ? " is-stale" : ""}`} data-testid="tag-table">
      <thead>
        <tr>
          <th className="col-trend" title="Show in trend">
            ∿
          </th>
          <th>Tag</th>
          <th className="num">Value</th>
          <th className="col-q" title="Quality">
            Q
          </th>
          <th className="num col-age">Age</th>
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group.title ?? ""}>
          {group.title ? (
            <tr className="group-row">
              <th colSpan={5}>{group.title}</th>
            </tr>
          ) : null}
          {group.tags.map((tag) => {
            const i = tag.index;
            const quality = qualityName(live.quality[i] ?? 0);
            const rx = live.rx[i] ?? 0;
            const trended = trendTagIds.includes(tag.id);
            const text = formatValue(tag, live.raw[i]);
            const status = live.status[i] ?? "";
            return (
              <tr key={tag.id} className={`q-row-${quality}`} data-tag-row={tag.id}>
                <td className="col-trend">
                  <input
                    type="checkbox"
                    checked={trended}
                    disabled={!isTrendable(tag) || (!trended && trendFull)}
                    onChange={(e) => setTrended(tag.id, e.target.checked)}
                    aria-label={`Trend ${tag.id}`}
                    data-testid="trend-toggle"
                    data-tag={tag.id}
                  />
                </td>
                <td className="tag-name" title={`${tag.id}\n${tag.nodeId}${tag.description ? `\n${tag.description}` : ""}`}>
                  <span className="tag-key">{tag.key}</span>
                  <span className={`role role-${tag.role}`}>{tag.role}</span>
                </td>
                <td className={`num value v-${quality}`} data-testid="tag-value" data-tag={tag.id} data-quality={quality}>
                  {text}
                </td>
                <td className="col-q">
                  <span className={`q-badge q-${quality}`} title={status || quality}>
                    {QUALITY_LABEL[quality]}
                  </span>
                </td>
                <td className="num col-age">{rx > 0 ? formatAge(now - rx) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
