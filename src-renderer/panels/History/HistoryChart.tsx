/**
 * The history chart: several tags on one time axis, gaps where values were bad, markers where values broke
 * a validation rule (red: quarantined, amber: flagged only), the rule in the tooltip. Drag across the plot
 * to zoom into a range, turn the wheel to zoom about the pointer, Shift+wheel (or a sideways swipe) to pan.
 * With one or two units each gets its own axis; with more, every line is drawn in % of its range.
 */
import { useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import type { HistoryAnswer } from "./useHistory";
import { formatSpan, formatStamp, formatTick, timeTicks } from "./range";
import { buildRows, extent, keys, type Row, type RowSeries } from "./rows";

/** A charted tag as the panel describes it. */
export interface ChartTag {
  id: string;
  unit?: string;
  range?: [number, number];
  /** Booleans and integers change in steps. */
  step: boolean;
  color: string;
}

export interface HistoryChartProps {
  answer: HistoryAnswer | null;
  tags: readonly ChartTag[];
  from: number;
  to: number;
  columns: number;
  /** Until when a tag's last value may be held on the right (the present, or its last value if it went stale). */
  holdUntil(tagId: string): number;
  onSelect(from: number, to: number): void;
  /** factor < 1 zooms in, > 1 out, about time `at`. */
  onZoom(at: number, factor: number): void;
  /** fraction of the span, negative: back in time. */
  onPan(fraction: number): void;
}

const MARGIN = { top: 10, right: 8, bottom: 0, left: 4 };
const AXIS_WIDTH = 52;

function axisNumber(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function valueText(v: number, unit?: string): string {
  const text = Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
  return unit ? `${text} ${unit}` : text;
}

interface Plan {
  axes: { id: string; side: "left" | "right"; label: string }[];
  normalised: boolean;
  series: (RowSeries & { tag: ChartTag; axisId: string })[];
}

function plan(tags: readonly ChartTag[], answer: HistoryAnswer | null, holdUntil: (id: string) => number): Plan {
  const units = [...new Set(tags.map((t) => t.unit ?? ""))];
  const normalised = units.length > 2;
  const axes = normalised
    ? [{ id: "pct", side: "left" as const, label: "% of range" }]
    : units.map((u, k) => ({ id: `u${k}`, side: k === 0 ? ("left" as const) : ("right" as const), label: u }));
  const series: Plan["series"] = [];
  for (const tag of tags) {
    const data = answer?.series.find((s) => s.tagId === tag.id);
    if (!data) continue;
    const [lo, hi] = normalised ? (tag.range ?? extent(data) ?? [0, 1]) : [0, 1];
    const span = hi - lo || 1;
    series.push({
      tag,
      data,
      axisId: normalised ? "pct" : `u${units.indexOf(tag.unit ?? "")}`,
      scale: normalised ? (v: number) => ((v - lo) / span) * 100 : (v: number) => v,
      holdUntil: holdUntil(tag.id),
    });
  }
  return { axes, normalised, series };
}

/**
 * A marker: a red triangle above a quarantined value; a small amber dot on a value a flag-only rule marked
 * (such a rule may stay active for a long stretch, and triangles on every value would bury the curve).
 */
function markerDot(quarantinedKey: string) {
  return function MarkerDot(props: { cx?: number; cy?: number; payload?: Row; index?: number }) {
    const { cx, cy, payload } = props;
    if (cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy)) return <g key={props.index} />;
    if (payload?.[quarantinedKey] !== 1) return <circle key={props.index} className="history-marker flagged" data-testid="history-marker" cx={cx} cy={cy} r={2.5} />;
    return <path key={props.index} className="history-marker quarantined" data-testid="history-marker" d={`M${cx - 4},${cy - 9} L${cx + 4},${cy - 9} L${cx},${cy - 2} Z`} />;
  };
}

export function HistoryChart(props: HistoryChartProps) {
  const { answer, tags, from, to, columns, holdUntil } = props;
  const p = useMemo(() => plan(tags, answer, holdUntil), [tags, answer, holdUntil]);
  const rows = useMemo(() => buildRows(p.series, from, to, columns), [p, from, to, columns]);
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const span = to - from;
  const plotLeft = MARGIN.left + AXIS_WIDTH;
  const plotRight = MARGIN.right + (p.axes.length > 1 ? AXIS_WIDTH : 0);

  /** Time under a horizontal position inside the box. */
  const timeAt = (x: number): number => {
    const width = (box.current?.clientWidth ?? 1) - plotLeft - plotRight;
    return from + (Math.min(Math.max(x - plotLeft, 0), width) / Math.max(width, 1)) * span;
  };
  const latest = useRef({ timeAt, onZoom: props.onZoom, onPan: props.onPan });
  latest.current = { timeAt, onZoom: props.onZoom, onPan: props.onPan };

  // A native listener: React's wheel listener is passive, and the page must not scroll while zooming.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const sideways = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
      const delta = sideways ? e.deltaX || e.deltaY : e.deltaY;
      if (delta === 0) return;
      if (sideways) latest.current.onPan(Math.sign(delta) * 0.1);
      else latest.current.onZoom(latest.current.timeAt(e.clientX - el.getBoundingClientRect().left), delta > 0 ? 1.25 : 0.8);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const xOf = (e: ReactMouseEvent) => e.clientX - (box.current?.getBoundingClientRect().left ?? 0);
  const endDrag = () => {
    if (drag && Math.abs(drag.x1 - drag.x0) > 4) props.onSelect(timeAt(drag.x0), timeAt(drag.x1));
    setDrag(null);
  };

  const tooltip = (t: TooltipContentProps) => {
    if (!t.active || t.payload.length === 0) return null;
    const row = t.payload[0]?.payload as Row | undefined;
    if (!row) return null;
    // Markers sit on the first row of their column.
    const at = rows.indexOf(row);
    const columnRow = rows[at - (at % 2)] ?? row;
    return (
      <div className="trend-tooltip history-tooltip">
        <div className="trend-tooltip-time">≈ {formatStamp(row.t)}</div>
        {p.series.map((s, k) => {
          const key = keys(k);
          const raw = row[key.raw];
          const why = columnRow[key.why];
          const quality = row[key.quality];
          return (
            <div key={s.tag.id}>
              <div className="trend-tooltip-row">
                <span className="swatch" style={{ background: s.tag.color }} />
                <span className="trend-tooltip-name">{s.tag.id}</span>
                <span className="trend-tooltip-value">{typeof raw === "number" ? valueText(raw, s.tag.unit) : quality === "bad" ? "bad" : "—"}</span>
              </div>
              {quality === "uncertain" ? <div className="history-tooltip-note">uncertain quality</div> : null}
              {typeof why === "string" ? <div className="history-tooltip-rule">⚑ {why}</div> : null}
            </div>
          );
        })}
      </div>
    );
  };

  const points = p.series.reduce((n, s) => n + s.data.t.length, 0);
  const sources = [...new Set(p.series.map((s) => s.data.source))].join(",");
  return (
    <div
      ref={box}
      className="history-chart"
      data-testid="history-chart"
      data-from={from}
      data-to={to}
      data-series={p.series.length}
      data-points={points}
      data-markers={p.series.reduce((n, s) => n + s.data.markers.length, 0)}
      data-source={sources}
      title={`${formatSpan(span)}: drag to zoom into a range, wheel to zoom, Shift+wheel to pan`}
      onMouseDown={(e) => {
        if (e.button === 0) setDrag({ x0: xOf(e), x1: xOf(e) });
      }}
      onMouseMove={(e) => {
        if (drag) setDrag({ ...drag, x1: xOf(e) });
      }}
      onMouseUp={endDrag}
      onMouseLeave={() => setDrag(null)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={MARGIN}>
          <CartesianGrid stroke="#26313c" strokeDasharray="2 4" />
          <XAxis
            dataKey="t"
            type="number"
            domain={[from, to]}
            ticks={timeTicks(from, to)}
            tickFormatter={(t: number) => formatTick(t, span)}
            allowDataOverflow
            stroke="#6f7f8f"
            tick={{ fontSize: 11 }}
          />
          {p.axes.map((a) => (
            <YAxis
              key={a.id}
              yAxisId={a.id}
              orientation={a.side}
              domain={p.normalised ? [0, 100] : ["auto", "auto"]}
              stroke="#6f7f8f"
              tick={{ fontSize: 11 }}
              width={AXIS_WIDTH}
              tickFormatter={axisNumber}
              label={{ value: a.label, angle: a.side === "left" ? -90 : 90, position: a.side === "left" ? "insideLeft" : "insideRight", fill: "#8a9aab", fontSize: 11 }}
            />
          ))}
          <Tooltip content={tooltip} isAnimationActive={false} />
          {p.series.map((s, k) => (
            <Line
              key={s.tag.id}
              yAxisId={s.axisId}
              dataKey={keys(k).plot}
              name={s.tag.id}
              type={s.tag.step ? "stepAfter" : "linear"}
              stroke={s.tag.color}
              strokeWidth={1.6}
              dot={false}
              activeDot={{ r: 3 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
          {p.series.map((s, k) => (
            <Line
              key={`${s.tag.id}#markers`}
              yAxisId={s.axisId}
              dataKey={keys(k).mark}
              stroke="none"
              dot={markerDot(keys(k).quarantined)}
              activeDot={false}
              legendType="none"
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      {drag && Math.abs(drag.x1 - drag.x0) > 4 ? (
        <div className="history-selection" style={{ left: Math.min(drag.x0, drag.x1), width: Math.abs(drag.x1 - drag.x0) }} />
      ) : null}
    </div>
  );
}
