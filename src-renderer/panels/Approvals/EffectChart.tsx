/**
 * One predicted trajectory: baseline (grey) and proposed (accent), each median line inside its shaded 90 %
 * band. Time in seconds from the moment the change would be made. Small multiples: no legend, few ticks.
 */
import { Area, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PredictedEffect } from "../../../src-main/common/api/whatif";
import { formatHorizon, trajectoryRows } from "./effect";

const BASELINE = "#8b9aaa";
const PROPOSED = "#3fd0ff";

const axisNumber = (v: number) => String(Number(v.toPrecision(3)));

export function EffectChart({ series }: { series: PredictedEffect["series"][number] }) {
  const rows = trajectoryRows(series);
  return (
    <figure className="effect-chart" data-testid="effect-chart" data-series={series.id}>
      <figcaption>
        {series.name}
        {series.unit ? <span className="gov-dim"> [{series.unit}]</span> : null}
      </figcaption>
      {rows.length < 2 ? (
        <div className="gov-dim">no trajectory</div>
      ) : (
        <div className="effect-chart-plot">
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <XAxis
                dataKey="t"
                type="number"
                domain={["dataMin", "dataMax"]}
                tickFormatter={(t: number) => formatHorizon(t)}
                tick={{ fill: "#5f6e7d", fontSize: 10 }}
                stroke="#243040"
                tickCount={4}
                minTickGap={30}
              />
              <YAxis width={48} domain={["auto", "auto"]} tickFormatter={axisNumber} tick={{ fill: "#5f6e7d", fontSize: 10 }} stroke="#243040" tickCount={3} />
              <Tooltip
                contentStyle={{ background: "#131a21", border: "1px solid #243040", fontSize: 11 }}
                labelFormatter={(t) => `t = ${formatHorizon(Number(t))}`}
                formatter={(v) => (Array.isArray(v) ? v.map((x) => axisNumber(Number(x))).join(" … ") : axisNumber(Number(v)))}
              />
              <Area name="baseline 90 %" dataKey="baselineBand" stroke="none" fill={BASELINE} fillOpacity={0.18} isAnimationActive={false} />
              <Area name="proposed 90 %" dataKey="proposedBand" stroke="none" fill={PROPOSED} fillOpacity={0.2} isAnimationActive={false} />
              <Line name="baseline" dataKey="baseline" stroke={BASELINE} strokeWidth={1.2} strokeDasharray="4 3" dot={false} isAnimationActive={false} />
              <Line name="proposed" dataKey="proposed" stroke={PROPOSED} strokeWidth={1.5} dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
