/**
 * The history methods of the API, implemented over the runtime's historian (src-main/historian): chart
 * queries, validation states, CSV export and import. Also pushes `history.validationChanged` when tags'
 * active rules change, batched so a flapping rule cannot flood the renderers.
 */
import { Readable } from "node:stream";
import { ApiError } from "../../common/api/contract";
import { HISTORY_EXPORT_MAX_SAMPLES, type historyRequests } from "../../common/api/history";
import { countInRange, exportCsvText, exportFileName, formatCsvError, seriesView, validationView } from "../../historian/api-views";
import type { TwinRuntime } from "../twin-runtime";
import type { AreaHandlers } from "./area-handlers";

/** Validation changes are gathered this long before one event tells the renderers. */
const VALIDATION_EVENT_EVERY_MS = 500;
/** Import errors returned in full (the report counts them all). */
const IMPORT_ERRORS_SHOWN = 50;
/** How long an estimate stands on a chart without a newer one. */
const ESTIMATE_HOLD_MS = 5_000;

export function historyHandlers(runtime: TwinRuntime): AreaHandlers<typeof historyRequests> {
  const historian = runtime.historian;
  announceValidationChanges(runtime);

  /** Scene tags, and anything stored (estimates `est.*`, imported tags). */
  const checkKnown = (tagIds: readonly string[]) => {
    const unknown = tagIds.filter((id) => !runtime.table.tag(id) && historian.store.tagKey(id) === undefined);
    if (unknown.length > 0) {
      throw new ApiError("invalid_params", `unknown tag id(s): ${unknown.join(", ")} (neither a tag of the scene nor stored in the historian)`, [
        { path: "tagIds", message: `unknown: ${unknown.join(", ")}` },
      ]);
    }
  };

  const unitOf = (tagId: string): string | undefined => {
    const tag = runtime.table.tag(tagId);
    if (tag) return tag.unit;
    // Estimates are stored as est.<variable> and est.<variable>.sd.
    const name = tagId.startsWith("est.") ? tagId.slice(4).replace(/\.sd$/, "") : undefined;
    return name ? runtime.estimator.info().variables.find((v) => v.name === name)?.unit : undefined;
  };

  /** A value stands until the tag's stale limit; estimates come every loop tick, so a few seconds without one is a gap. */
  const holdOf = (tagId: string): number | null => historian.rules.rulesOf(tagId)?.staleAfterMs ?? (tagId.startsWith("est.") ? ESTIMATE_HOLD_MS : null);

  return {
    "history.query": ({ tagIds, from, to, maxPoints }) => {
      checkKnown(tagIds);
      return { from, to, series: tagIds.map((id) => seriesView(historian, id, { from, to, maxPoints }, { unit: unitOf(id), holdMs: holdOf(id) })) };
    },

    "history.validation": ({ tagIds }) => {
      const wanted = tagIds ? new Set(tagIds) : null;
      return historian
        .validationStates()
        .filter((s) => wanted === null || wanted.has(s.tagId))
        .map((s) => validationView(s, historian.rules.rulesOf(s.tagId)));
    },

    "history.export": async ({ tagIds, from, to, format, detail }) => {
      checkKnown(tagIds);
      const count = countInRange(historian, tagIds, from, to, HISTORY_EXPORT_MAX_SAMPLES);
      if (count > HISTORY_EXPORT_MAX_SAMPLES) {
        throw new ApiError(
          "refused",
          `the export of ${tagIds.length} tag(s) from ${new Date(from).toISOString()} to ${new Date(to).toISOString()} holds more than ` +
            `${HISTORY_EXPORT_MAX_SAMPLES.toLocaleString("en")} values, more than one answer carries: narrow the range or export fewer tags`,
        );
      }
      const csv = await exportCsvText(historian, { tagIds, from, to, format, detail });
      return { format, samples: csv.samples, lines: csv.lines, fileName: exportFileName(from, format), content: csv.content };
    },

    "history.import": async ({ content, fileName, validate }, caller) => {
      const report = await historian.importCsv(Readable.from([content]), { validate });
      if (report.format === null) {
        const why = report.errors[0] ? formatCsvError(report.errors[0]) : "the file has no header line";
        throw new ApiError("invalid_params", `${fileName ?? "the CSV"} is not a historian CSV (see CSV.md): ${why}`);
      }
      runtime.governance.audit.append({
        actor: caller?.user.username ?? "anonymous",
        action: "history.imported",
        target: `historian:${fileName ?? "csv"}`,
        after: { format: report.format, samples: report.samples, lines: report.lines, skippedLines: report.skippedLines },
        details: { validate },
      });
      runtime.log(
        `history: ${caller?.user.username ?? "?"} imported ${report.samples} values from ${fileName ?? "a CSV"} ` +
          `(${report.lines} lines, ${report.skippedLines} skipped)`,
      );
      return {
        format: report.format,
        lines: report.lines,
        samples: report.samples,
        skippedLines: report.skippedLines,
        errorCount: report.errorCount,
        errors: report.errors.slice(0, IMPORT_ERRORS_SHOWN).map(formatCsvError),
      };
    },
  };
}

/** Tells the renderers which tags' validation changed, at most every VALIDATION_EVENT_EVERY_MS. */
function announceValidationChanges(runtime: TwinRuntime): void {
  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  runtime.historian.rules.onChange((state) => {
    changed.add(state.tagId);
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const tagIds = [...changed];
      changed.clear();
      runtime.emit("history.validationChanged", { tagIds });
    }, VALIDATION_EVENT_EVERY_MS);
    // A pending announcement must not keep a stopping process alive.
    timer.unref();
  });
}
