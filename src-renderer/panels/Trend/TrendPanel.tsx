/**
 * The trend: the selected tags over the last 1, 5 or 10 minutes. Re-rendered twice a second from the live
 * rings (never per value batch), ~600 points per line. With one or two units each gets its own y axis;
 * with more, every line is drawn in % of its range so they share one axis.
 */
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TooltipContentProps } from "recharts";
import { useShallow } from "zustand/react/shallow";
import type { TagInfo } from "../../../src-main/common/api/contract";
import { formatClock, formatNumber, formatValue } from "../../format/value";
import { live } from "../../stores/live";
import { TREND_WINDOWS_MIN } from "../../stores/selection";
import { useTick } from "../../stores/tick";
import { hostNow, lastValueAt, useWorkbench } from "../../stores/workbench";
import { buildRows, timeTicks, type SeriesInput } from "./series";

/** Distinct on a dark background, and none of them the alarm red. */
export const TREND_COLORS = ["#4cc9f0", "#f8a13c", "#8bd46e", "#c77dff", "#f9d84a", "#3ed1b0", "#ff7eb6", "#9aa9ff"];

/** Axis ticks: at most four significant digits, no trailing zeros. */
function axisNumber(v: number): string {
  return String(Number(v.toPrecision(4)));
}

interface Axis {
  id: string;
  side: "left" | "right";
  label: string;
}

interface Plan {
  axes: Axis[];
  series: (SeriesInput & { axisId: string; color: string; step: boolean })[];
  normalised: boolean;
}

/** Range used for % scaling: the engineering range, else what the window shows. */
function scalingRange(tag: TagInfo, since: number): [number, number] {
  if (tag.range) return tag.range;
  if (tag.dataType === "Boolean") return [0, 1];
  const ring = live.rings[tag.index];
  let lo = Infinity;
  let hi = -Infinity;
  if (ring) {
    for (let i = ring.lowerBound(since); i < ring.count; i++) {
      const v = ring.v[ring.slot(i)] ?? NaN;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo < hi ? [lo, hi] : [lo - 1, lo + 1];
}

function plan(tags: readonly TagInfo[], since: number): Plan {
  const units = [...new Set(tags.map((t) => t.unit ?? ""))];
  const normalised = units.length > 2;
  const axes: Axis[] = normalised
    ? [{ id: "pct", side: "left", label: "% of range" }]
    : units.map((u, k) => ({ id: `u${k}`, side: k === 0 ? "left" : "right", label: u }));
  const series = tags.map((tag, k) => {
    const [lo, hi] = normalised ? scalingRange(tag, since) : [0, 1];
    const span = hi - lo || 1;
    return {
      tag,
      ring: live.rings[tag.index] ?? null,
      scale: normalised ? (v: number) => ((v - lo) / span) * 100 : (v: number) => v,
      axisId: normalised ? "pct" : `u${units.indexOf(tag.unit ?? "")}`,
      color: TREND_COLORS[k % TREND_COLORS.length] ?? "#fff",
      // Integers and booleans change in steps; drawing a slope between two states would be a lie.
      step: tag.dataType !== "Double" && tag.dataType !== "Float",
    };
  });
  return { axes, series, normalised };
}

export function TrendPanel() {
  useTick(500);
  const { trendTagIds, tagById, windowMin, setWindow, setTrended } = useWorkbench(
    useShallow((s) => ({
      trendTagIds: s.trendTagIds,
      tagById: s.tagById,
      windowMin: s.trendWindowMin,
      setWindow: s.setTrendWindow,
      setTrended: s.setTrended,
    })),
  );
  const loaded = Object.keys(tagById).length > 0;

  const now = hostNow();
  const since = now - windowMin * 60_000;
  const tags = trendTagIds.map((id) => tagById[id]).filter((t): t is TagInfo => t !== undefined);
  const p = plan(tags, since);
  const rows = buildRows(p.series, since, now, lastValueAt());

  const tooltip = (props: TooltipContentProps) => {
    if (!props.active || props.payload.length === 0) return null;
    const row = props.payload[0]?.payload as Record<string, number | null> | undefined;
    return (
      <div className="trend-tooltip">
        <div className="trend-tooltip-time">{formatClock(Number(props.label ?? 0))}</div>
        {p.series.map((s, k) => {
          const raw = row?.[`r${k}`];
          return (
            <div key={s.tag.id} className="trend-tooltip-row">
              <span className="swatch" style={{ background: s.color }} />
              <span className="trend-tooltip-name">{s.tag.id}</span>
              <span className="trend-tooltip-value">
                {raw === null || raw === undefined ? "—" : `${formatNumber(s.tag, raw)} ${s.tag.unit ?? ""}`}
              </span>
            </div>
          );
        })}
      </div>
    );
  };

  return (
    <section className="panel trend-panel" aria-label="Trend">
      <header className="panel-header trend-header">
        <h2>Trend</h2>
        <ul className="trend-legend">
          {p.series.map((s) => (
            <li key={s.tag.id} title={s.tag.description ?? s.tag.id}>
              <span className="swatch" style={{ background: s.color }} />
              <span className="legend-name">{s.tag.id}</span>
              <span className="legend-value">{formatValue(s.tag, live.raw[s.tag.index])}</span>
              <button
                type="button"
                className="legend-remove"
                aria-label={`Remove ${s.tag.id} from the trend`}
                onClick={() => setTrended(s.tag.id, false)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="segmented" role="group" aria-label="Trend window">
          {TREND_WINDOWS_MIN.map((m) => (
            <button
              key={m}
              type="button"
              className={m === windowMin ? "active" : ""}
              onClick={() => setWindow(m)}
              data-testid="trend-window"
              data-minutes={m}
            >
              {m} min
            </button>
          ))}
        </div>
      </header>
      <div className="trend-chart" data-testid="trend-chart" data-series={p.series.length}>
        {p.series.length === 0 ? (
          <p className="empty">{loaded ? "No tags in the trend. Tick a tag in the table to add it." : "Waiting for the host…"}</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 10, right: 8, bottom: 0, left: 4 }}>
              <CartesianGrid stroke="#26313c" strokeDasharray="2 4" />
              <XAxis
                dataKey="t"
                type="number"
                domain={[since, now]}
                ticks={timeTicks(since, now)}
                tickFormatter={formatClock}
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
                  width={52}
                  tickFormatter={axisNumber}
                  label={{
                    value: a.label,
                    angle: a.side === "left" ? -90 : 90,
                    position: a.side === "left" ? "insideLeft" : "insideRight",
                    fill: "#8a9aab",
                    fontSize: 11,
                  }}
                />
              ))}
              <Tooltip content={tooltip} isAnimationActive={false} />
              {p.series.map((s, k) => (
                <Line
                  key={s.tag.id}
                  yAxisId={s.axisId}
                  dataKey={`s${k}`}
                  name={s.tag.id}
                  type={s.step ? "stepAfter" : "linear"}
                  stroke={s.color}
                  strokeWidth={1.6}
                  dot={false}
                  activeDot={{ r: 3 }}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}
