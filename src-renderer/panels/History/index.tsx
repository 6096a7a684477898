/**
 * The History panel: the historian's values of several tags over any range (quick ranges that follow the
 * present, zoom and pan), quality on the curve (gaps for bad values, markers for values that broke a rule),
 * each tag's validation state, and CSV export of what is shown (import for engineers).
 *
 * The host reduces each series to about one point per pixel column of the chart (maxPoints ≈ its width),
 * so a week of data draws as fast as a minute.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { isTrendable } from "../../format/value";
import { roleAtLeast } from "../../stores/auth";
import { hostNow, useWorkbench } from "../../stores/workbench";
import { TREND_COLORS } from "../Trend/TrendPanel";
import { CsvControls } from "./CsvControls";
import { HistoryChart, type ChartTag } from "./HistoryChart";
import { advance, formatSpan, formatStamp, pan, QUICK_RANGES, quickRange, selection, zoomAbout, type ViewRange } from "./range";
import { MAX_CHART_TAGS, TagPicker } from "./TagPicker";
import { useHistorySeries, useValidation } from "./useHistory";
import { ValidationTable } from "./ValidationTable";

/** A following range moves (and asks again) this often. */
const FOLLOW_EVERY_MS = 5_000;

/** About one point per pixel column, in steps of 50 px so a small resize does not ask again. */
function pointsFor(width: number): number {
  return Math.min(4_000, Math.max(100, Math.round(width / 50) * 50));
}

export default function HistoryPanel() {
  const { tags, tagById, estimationInfo, role } = useWorkbench(
    useShallow((s) => ({ tags: s.tags, tagById: s.tagById, estimationInfo: s.estimationInfo, role: s.user?.role })),
  );
  const chartable = useMemo(() => tags.filter(isTrendable), [tags]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  // Until the user picks, the scene's trend tags.
  const tagIds = useMemo(() => chosen ?? chartable.filter((t) => t.trend).map((t) => t.id).slice(0, MAX_CHART_TAGS), [chosen, chartable]);
  const [range, setRange] = useState<ViewRange>(() => quickRange(QUICK_RANGES[0]!.ms, hostNow()));
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!range.follow) return;
    const timer = setInterval(() => setRange((r) => advance(r, hostNow())), FOLLOW_EVERY_MS);
    return () => clearInterval(timer);
  }, [range.follow]);

  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w && w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const maxPoints = pointsFor(width);

  const series = useHistorySeries(tagIds, range.from, range.to, maxPoints, asked);
  const validation = useValidation();

  const chartTags: ChartTag[] = useMemo(
    () =>
      tagIds.map((id, k) => {
        const tag = tagById[id];
        const estimate = id.startsWith("est.") ? estimationInfo?.variables.find((v) => `est.${v.name}` === id.replace(/\.sd$/, "")) : undefined;
        return {
          id,
          unit: tag?.unit ?? estimate?.unit,
          range: tag?.range,
          step: tag ? tag.dataType !== "Double" && tag.dataType !== "Float" : false,
          color: TREND_COLORS[k % TREND_COLORS.length] ?? "#fff",
        };
      }),
    [tagIds, tagById, estimationInfo],
  );

  const holdUntil = useCallback(
    (tagId: string) => {
      const s = validation.states?.find((v) => v.tagId === tagId);
      const stale = s?.active.find((a) => a.rule === "stale");
      // A tag that went silent is not drawn on past its last value.
      return stale ? stale.since : Math.min(range.to, hostNow());
    },
    [validation.states, range.to],
  );

  const setTags = (next: string[]) => setChosen(next.slice(0, MAX_CHART_TAGS));
  const now = () => hostNow();
  const span = range.to - range.from;
  const answer = series.data;
  const sources = answer ? [...new Set(answer.series.map((s) => (s.source === "raw" ? "raw values" : s.source === "raw-minmax" ? "min/max of raw values" : `min/max of ${formatSpan(s.bucketMs ?? 0)} rollups`)))] : [];

  return (
    <section className="panel history-panel" aria-label="History" data-testid="history-panel">
      <header className="panel-header history-header">
        <h2>History</h2>
        <div className="segmented" role="group" aria-label="Quick ranges">
          {QUICK_RANGES.map((q) => (
            <button
              key={q.label}
              type="button"
              className={range.follow && Math.abs(span - q.ms) < 1_000 ? "active" : ""}
              data-testid="history-range"
              data-label={q.label}
              onClick={() => setRange(quickRange(q.ms, now()))}
            >
              {q.label}
            </button>
          ))}
        </div>
        <div className="history-nav" role="group" aria-label="Zoom and pan">
          <button type="button" className="ghost" data-testid="history-pan-back" title="Back in time" onClick={() => setRange((r) => pan(r, -0.5, now()))}>
            ◀
          </button>
          <button type="button" className="ghost" data-testid="history-zoom-out" title="Zoom out" onClick={() => setRange((r) => zoomAbout(r, (r.from + r.to) / 2, 2, now()))}>
            −
          </button>
          <button type="button" className="ghost" data-testid="history-zoom-in" title="Zoom in" onClick={() => setRange((r) => zoomAbout(r, (r.from + r.to) / 2, 0.5, now()))}>
            +
          </button>
          <button type="button" className="ghost" data-testid="history-pan-forward" title="Forward in time" disabled={range.follow} onClick={() => setRange((r) => pan(r, 0.5, now()))}>
            ▶
          </button>
        </div>
        <span className="panel-sub history-range-label" data-testid="history-range-label" data-follow={range.follow ? "true" : "false"}>
          {formatStamp(range.from).slice(0, 19)} → {range.follow ? "now" : formatStamp(range.to).slice(0, 19)} ({formatSpan(span)})
          {series.loading ? " · loading…" : ""}
        </span>
        <CsvControls tagIds={tagIds} from={range.from} to={range.to} canImport={roleAtLeast(role, "engineer")} onImported={() => setAsked((n) => n + 1)} />
      </header>
      <div className="history-tag-bar">
        <TagPicker
          chosen={chartTags}
          sceneTags={chartable}
          estimates={estimationInfo?.variables ?? []}
          onAdd={(id) => setTags([...tagIds, id])}
          onRemove={(id) => setTags(tagIds.filter((t) => t !== id))}
        />
        <span className="panel-sub" data-testid="history-source">
          {sources.join(", ")}
        </span>
      </div>
      <div className="history-body">
        <div className="history-plot" ref={box}>
          {tagIds.length === 0 ? (
            <p className="empty">No tags on the chart. Add one with “+ tag”.</p>
          ) : series.error && !answer ? (
            <p className="empty gov-invalid">{series.error}</p>
          ) : (
            <HistoryChart
              answer={answer}
              tags={chartTags}
              from={range.from}
              to={range.to}
              columns={Math.floor(maxPoints / 2)}
              holdUntil={holdUntil}
              onSelect={(a, b) => {
                const r = selection(a, b, now());
                if (r) setRange(r);
              }}
              onZoom={(at, factor) => setRange((r) => zoomAbout(r, at, factor, now()))}
              onPan={(fraction) => setRange((r) => pan(r, fraction, now()))}
            />
          )}
          {series.error && answer ? <p className="history-error gov-invalid">{series.error}</p> : null}
        </div>
        <ValidationTable
          states={validation.states}
          error={validation.error}
          charted={new Set(tagIds)}
          onChart={(id) => {
            if (!tagIds.includes(id)) setTags([...tagIds, id]);
          }}
        />
      </div>
    </section>
  );
}
