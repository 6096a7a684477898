/**
 * Offline estimation over recorded data (`twinbench estimate --scene S --csv IN --out OUT`): the same
 * Estimator core as the live worker, stepped with the same values in the same order, so given the same
 * measurement sequence the offline estimates equal the live ones (bit for bit; tests hold them to 1e-9).
 *
 * CSV input format:
 * - comma-separated, first line a header: `time` (seconds, non-decreasing), then one column per tag by its
 *   scene id (`feedPump.flow`); columns may come in any order, unknown columns are ignored, every tag the
 *   estimator uses (EstimatorLayout.tags) must have a column;
 * - one row per sample; numbers as JavaScript writes them (`String(x)` round-trips a double exactly);
 *   Booleans as 0/1 or true/false;
 * - an empty cell is a missing value: a measurement is skipped that step, an input holds its last value;
 * - blank lines are ignored; no quoting (tag ids and numbers need none).
 *
 * Output: one row per input row, `time`, then for every estimated variable its mean and `<name>.sd`, then
 * `nis`, `nisDof`, `nisLow`, `nisHigh`.
 */
import type { EstimatorConfig } from "./config";
import { Estimator, type EstimatorLayout } from "./estimator";

export interface EstimateRow {
  timeS: number;
  mean: Float64Array;
  sd: Float64Array;
  nis: number;
  nisDof: number;
  nisLow: number;
  nisHigh: number;
}

export interface OfflineResult {
  layout: EstimatorLayout;
  rows: EstimateRow[];
}

/** Parsed measurement table: times and, per row, the values and mask in the estimator's tag order. */
export interface MeasurementTable {
  times: Float64Array;
  values: Float64Array[];
  masks: Uint8Array[];
}

/** Parses CSV text into the value vectors of `tags`; throws a RangeError naming the line and column at fault. */
export function parseMeasurementCsv(csvText: string, tags: readonly string[]): MeasurementTable {
  const lines = csvText.split(/\r?\n/);
  let lineNo = 0;
  while (lineNo < lines.length && lines[lineNo]!.trim() === "") lineNo++;
  if (lineNo >= lines.length) throw new RangeError("CSV: empty input; expected a header line `time,<tag>,…`");
  const header = lines[lineNo]!.split(",").map((h) => h.trim());
  const timeCol = header.indexOf("time");
  if (timeCol < 0) throw new RangeError(`CSV line ${lineNo + 1}: the header needs a \`time\` column (seconds), got: ${header.join(", ")}`);
  const missing = tags.filter((t) => !header.includes(t));
  if (missing.length > 0) throw new RangeError(`CSV line ${lineNo + 1}: no column for tag(s) ${missing.join(", ")}; the estimator needs: ${tags.join(", ")}`);
  const cols = Int32Array.from(tags, (t) => header.indexOf(t));
  const times: number[] = [];
  const values: Float64Array[] = [];
  const masks: Uint8Array[] = [];
  let lastTime = -Infinity;
  for (let i = lineNo + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const cells = line.split(",");
    if (cells.length !== header.length) throw new RangeError(`CSV line ${i + 1}: ${cells.length} cells, the header has ${header.length}`);
    const time = parseCell(cells[timeCol]!, i + 1, "time");
    if (Number.isNaN(time)) throw new RangeError(`CSV line ${i + 1}: time is empty`);
    if (time < lastTime) throw new RangeError(`CSV line ${i + 1}: time ${time} goes back (previous ${lastTime})`);
    lastTime = time;
    const v = new Float64Array(tags.length);
    const m = new Uint8Array(tags.length);
    for (let k = 0; k < tags.length; k++) {
      const x = parseCell(cells[cols[k]!]!, i + 1, tags[k]!);
      v[k] = x;
      m[k] = Number.isNaN(x) ? 0 : 1;
    }
    times.push(time);
    values.push(v);
    masks.push(m);
  }
  return { times: Float64Array.from(times), values, masks };
}

function parseCell(cell: string, line: number, column: string): number {
  const s = cell.trim();
  if (s === "") return Number.NaN;
  if (s === "true") return 1;
  if (s === "false") return 0;
  const x = Number(s);
  if (!Number.isFinite(x)) throw new RangeError(`CSV line ${line}, column ${column}: ${JSON.stringify(s)} is not a number`);
  return x;
}

/** Runs the estimator of `config` over a measurement CSV; one row of estimates per sample. */
export function estimateCsv(config: EstimatorConfig, csvText: string): OfflineResult {
  const estimator = new Estimator(config);
  const table = parseMeasurementCsv(csvText, estimator.layout.tags);
  const n = estimator.model.size;
  const rows: EstimateRow[] = [];
  for (let k = 0; k < table.times.length; k++) {
    const t = table.times[k]!;
    estimator.step(t, table.values[k]!, table.masks[k]!);
    const r = estimator.filter.report;
    rows.push({
      timeS: t,
      mean: Float64Array.from(estimator.filter.mean),
      sd: estimator.sd(new Float64Array(n)),
      nis: r.nis,
      nisDof: r.dof,
      nisLow: estimator.nisLow[r.dof]!,
      nisHigh: estimator.nisHigh[r.dof]!,
    });
  }
  return { layout: estimator.layout, rows };
}

/** Writes the result as CSV text (numbers with full precision; NaN as an empty cell). */
export function formatEstimateCsv(result: OfflineResult): string {
  const names = result.layout.variables.map((v) => v.name);
  const header = ["time", ...names.flatMap((name) => [name, `${name}.sd`]), "nis", "nisDof", "nisLow", "nisHigh"];
  const cell = (x: number) => (Number.isNaN(x) ? "" : String(x));
  const lines = [header.join(",")];
  for (const row of result.rows) {
    const parts = [cell(row.timeS)];
    for (let i = 0; i < names.length; i++) parts.push(cell(row.mean[i]!), cell(row.sd[i]!));
    parts.push(cell(row.nis), String(row.nisDof), cell(row.nisLow), cell(row.nisHigh));
    lines.push(parts.join(","));
  }
  return lines.join("\n") + "\n";
}

/** Writes measurements in the input format (for recording a live run or a simulation). */
export function formatMeasurementCsv(tags: readonly string[], times: ArrayLike<number>, values: readonly Float64Array[], masks?: readonly Uint8Array[]): string {
  const lines = [["time", ...tags].join(",")];
  for (let k = 0; k < times.length; k++) {
    const v = values[k]!;
    const m = masks?.[k];
    const cells = [String(times[k])];
    for (let i = 0; i < tags.length; i++) cells.push(m && m[i] === 0 ? "" : String(v[i]));
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}
