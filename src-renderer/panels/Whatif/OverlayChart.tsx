/**
 * One output over the horizon: the baseline (grey, dashed median) and the scenario (accent) each inside
 * its shaded 90 % band. Time in plant time from the fork.
 */
import { Area, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { WhatifSeries } from "../../../src-main/common/api/whatif";
import { formatSeconds } from "./format";

const BASELINE = "#8b9aaa";
const SCENARIO = "#3fd0ff";

interface Row {
  t: number;
  baseline: number | null;
  scenario: number | null;
  baselineBand: [number, number] | null;
  scenarioBand: [number, number] | null;
}

function rows(timesS: readonly number[], s: WhatifSeries): Row[] {
  const band = (lo: number | null | undefined, hi: number | null | undefined): [number, number] | null => (lo != null && hi != null ? [lo, hi] : null);
  return timesS.map((t, i) => ({
    t,
    baseline: s.baseline.p50[i] ?? null,
    scenario: s.scenario.p50[i] ?? null,
    baselineBand: band(s.baseline.p05[i], s.baseline.p95[i]),
    scenarioBand: band(s.scenario.p05[i], s.scenario.p95[i]),
  }));
}

const axisNumber = (v: number) => String(Number(v.toPrecision(4)));

export function OverlayChart({ timesS, series }: { timesS: readonly number[]; series: WhatifSeries }) {
  return (
    <div className="whatif-chart" data-testid="whatif-chart" data-output={series.output}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows(timesS, series)} margin={{ top: 6, right: 10, bottom: 0, left: 0 }}>
          <XAxis
            dataKey="t"
            type="number"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(t: number) => formatSeconds(t)}
            tick={{ fill: "#5f6e7d", fontSize: 10 }}
            stroke="#243040"
            tickCount={6}
            minTickGap={30}
          />
          <YAxis
            width={54}
            domain={["auto", "auto"]}
            tickFormatter={axisNumber}
            tick={{ fill: "#5f6e7d", fontSize: 10 }}
            stroke="#243040"
            label={series.unit && series.unit !== "1" ? { value: series.unit, angle: -90, position: "insideLeft", fill: "#5f6e7d", fontSize: 10, dx: 8 } : undefined}
          />
          <Tooltip
            contentStyle={{ background: "#131a21", border: "1px solid #243040", fontSize: 11 }}
            labelFormatter={(t) => `t = ${formatSeconds(Number(t))}`}
            formatter={(v) => (Array.isArray(v) ? v.map((x) => axisNumber(Number(x))).join(" … ") : axisNumber(Number(v)))}
          />
          <Area name="baseline 90 %" dataKey="baselineBand" stroke="none" fill={BASELINE} fillOpacity={0.18} isAnimationActive={false} className="whatif-band-baseline" />
          <Area name="scenario 90 %" dataKey="scenarioBand" stroke="none" fill={SCENARIO} fillOpacity={0.22} isAnimationActive={false} className="whatif-band-scenario" />
          <Line name="baseline" dataKey="baseline" stroke={BASELINE} strokeWidth={1.2} strokeDasharray="4 3" dot={false} isAnimationActive={false} />
          <Line name="scenario" dataKey="scenario" stroke={SCENARIO} strokeWidth={1.6} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
