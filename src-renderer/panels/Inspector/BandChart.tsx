/**
 * One estimated variable over time: the posterior mean as a line inside its shaded 95% band
 * (mean ± 1.96·sd). Small multiples: no legend, few ticks, the unit on the axis.
 */
import { Area, ComposedChart, Line, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { formatClock } from "../../format/value";
import { isDimensionless, Z95 } from "./format";

export interface EstimateSeries {
  t: readonly number[];
  mean: readonly (number | null)[];
  sd: readonly (number | null)[];
}

interface Row {
  t: number;
  mean: number | null;
  band: [number, number] | null;
}

/** More points than a 300 px wide chart can show are thinned by striding. */
const MAX_POINTS = 240;

function rowsOf(s: EstimateSeries): Row[] {
  const n = s.t.length;
  const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
  const rows: Row[] = [];
  for (let i = 0; i < n; i += stride) {
    const m = s.mean[i] ?? null;
    const sd = s.sd[i] ?? null;
    rows.push({ t: s.t[i] ?? 0, mean: m, band: m !== null && sd !== null ? [m - Z95 * sd, m + Z95 * sd] : null });
  }
  return rows;
}

function axisNumber(v: number): string {
  return String(Number(v.toPrecision(3)));
}

export function BandChart({ series, unit, color }: { series: EstimateSeries | undefined; unit: string; color: string }) {
  const rows = series ? rowsOf(series) : [];
  if (rows.length < 2) return <div className="band-chart empty">collecting history…</div>;
  return (
    <div className="band-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis
            dataKey="t"
            type="number"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(t: number) => formatClock(t)}
            tick={{ fill: "#5f6e7d", fontSize: 10 }}
            stroke="#243040"
            tickCount={3}
            minTickGap={40}
          />
          <YAxis
            width={52}
            domain={["auto", "auto"]}
            tickFormatter={axisNumber}
            tick={{ fill: "#5f6e7d", fontSize: 10 }}
            stroke="#243040"
            tickCount={3}
            label={!isDimensionless(unit) ? { value: unit, angle: -90, position: "insideLeft", fill: "#5f6e7d", fontSize: 10, dx: 6 } : undefined}
          />
          <Area dataKey="band" stroke="none" fill={color} fillOpacity={0.22} isAnimationActive={false} connectNulls={false} />
          <Line dataKey="mean" stroke={color} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
