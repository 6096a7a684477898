/**
 * The historian as the history API shows it: chart series with validation markers, validation states with
 * the rules each tag is checked against (in words), and CSV export into a string the UI saves as a file.
 */
import { Writable } from "node:stream";
import type { HistorySeries, TagValidation } from "../common/api/history";
import { valueBefore } from "./chart";
import type { CsvError, CsvExportOptions } from "./csv";
import type { Historian } from "./historian";
import type { TagValidationState } from "./rules/engine";
import type { ResolvedRules } from "./rules-schema";
import { flagNames, QualityFlag, type RuleName } from "./sample";

/** One tag's chart series over [from, to] with its flagged points as markers. */
export function seriesView(
  historian: Historian,
  tagId: string,
  range: { from: number; to: number; maxPoints: number },
  extra: { unit?: string; holdMs: number | null },
): HistorySeries {
  const { from, to, maxPoints } = range;
  const s = historian.query(tagId, from, to, maxPoints);
  const markers: HistorySeries["markers"] = [];
  for (let k = 0; k < s.t.length; k++) {
    const flags = s.flags[k]!;
    if (flags === 0) continue;
    const rules = flagNames(flags).filter((n): n is RuleName => n !== "quarantined");
    markers.push({ t: s.t[k]!, v: s.v[k]!, rules, quarantined: (flags & QualityFlag.quarantined) !== 0 });
  }
  const before = valueBefore(historian.store.db, historian.store.tagKey(tagId), from);
  const unit = extra.unit ? { unit: extra.unit } : {};
  return { tagId, ...unit, source: s.source, bucketMs: s.bucketMs, before, holdMs: extra.holdMs, t: s.t, v: s.v, q: s.q, markers };
}

function num(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** The rules a tag is checked against, each with its setting in words. */
export function describeChecks(r: ResolvedRules): TagValidation["checks"] {
  const u = r.unit ? ` ${r.unit}` : "";
  const q = (rule: RuleName) => rule !== "stale" && (r.quarantineMask & QualityFlag[rule]) !== 0;
  const out: TagValidation["checks"] = [];
  const add = (rule: RuleName, detail: string) => out.push({ rule, detail, quarantines: q(rule) });
  if (r.range) add("range", `${num(r.range[0])} … ${num(r.range[1])}${u}`);
  if (r.maxRatePerS !== null) add("rate", `at most ${num(r.maxRatePerS)}${u}/s`);
  if (r.stuck) add("stuck", `no change beyond ±${num(r.stuck.epsilon)}${u} for ${num(r.stuck.windowMs / 1000)} s`);
  if (r.spike) add("spike", `a jump over ${num(r.spike.sigma)} × the typical deviation and over ${num(r.spike.minDelta)}${u}`);
  add("nonFinite", "NaN or ±Infinity");
  if (r.staleAfterMs !== null) add("stale", `no update within ${num(r.staleAfterMs / 1000)} s`);
  if (r.drift) add("drift", `mean difference to ${r.drift.against} over ${num(r.drift.windowMs / 1000)} s above ${num(r.drift.threshold)}${u}`);
  return out;
}

export function validationView(state: TagValidationState, rules: ResolvedRules | undefined): TagValidation {
  return {
    tagId: state.tagId,
    ok: state.ok,
    active: state.active.map((a) => ({ rule: a.rule, since: a.since, lastAt: a.lastAt, message: a.message, quarantines: a.quarantines, count: a.count })),
    checks: rules ? describeChecks(rules) : [],
    lastValueAt: state.lastValueAt,
  };
}

/** Values of the tags in [from, to], counted up to `limit + 1` per tag (enough to tell "over the limit"). */
export function countInRange(historian: Historian, tagIds: readonly string[], from: number, to: number, limit: number): number {
  let total = 0;
  for (const id of tagIds) {
    total += historian.store.countRange(id, from, to, limit + 1 - total);
    if (total > limit) break;
  }
  return total;
}

/** The CSV export (CSV.md) as one string. */
export async function exportCsvText(historian: Historian, options: CsvExportOptions): Promise<{ samples: number; lines: number; content: string }> {
  const chunks: string[] = [];
  const sink = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      done();
    },
  });
  const { samples, lines } = await historian.exportCsv(sink, options);
  await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { samples, lines, content: chunks.join("") };
}

/** `twinbench-history-20250301T080000Z-long.csv`: the start of the range in UTC and the layout. */
export function exportFileName(from: number, format: "wide" | "long"): string {
  const stamp = new Date(from).toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  return `twinbench-history-${stamp}-${format}.csv`;
}

/** An import error as CSV.md words it: `line 3, column 3 (value): expected a number…`. */
export function formatCsvError(e: CsvError): string {
  const where = e.column === null ? `line ${e.line}` : `line ${e.line}, column ${e.column}${e.columnName ? ` (${e.columnName})` : ""}`;
  return `${where}: ${e.message}`;
}
