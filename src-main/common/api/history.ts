/**
 * The history part of the API contract (requests, events, and the role each request needs), spread into
 * the main contract. Pure zod, no Node.
 *
 * The historian keeps every value with its quality and the validation flags the rules set. Charts ask for a
 * range with at most `maxPoints` points per series (about the chart's width in pixels): short ranges come
 * back as stored, long ones as min and max per column, from rollups when they are fine enough. CSV export
 * and import use the format of src-main/historian/CSV.md.
 */
import { z } from "zod";
import { RuleNameSchema } from "../scene/validation";
import type { Access } from "./governance";

/** A tag id: a scene tag (`bufferTank.level`) or a stored estimate (`est.feedPump.bearingWear`). */
const HistoryTagId = z.string().min(1).max(200);
const Quality = z.enum(["good", "uncertain", "bad"]);
/** Unix milliseconds. */
const Time = z.number().finite();

const Range = { from: Time, to: Time };
const rangeOrdered = (r: { from: number; to: number }) => r.from < r.to;
const RANGE_MESSAGE = { message: "from must be before to", path: ["to"] };

/** A flagged point of a series: which rules the values behind it broke, and whether they were quarantined. */
export const HistoryMarker = z.object({
  t: z.number(),
  /** The point's value; null when only bad values were there. */
  v: z.number().nullable(),
  /** Rules broken (flag names). Empty when only rollups served it: they keep the quarantine count, not the rule. */
  rules: z.array(RuleNameSchema),
  /** Kept from the estimator (a quarantining rule fired). */
  quarantined: z.boolean(),
});
export type HistoryMarker = z.infer<typeof HistoryMarker>;

export const HistorySeries = z.object({
  tagId: z.string(),
  /** Engineering unit from the scene, when the tag is a scene tag. */
  unit: z.string().optional(),
  /**
   * raw: the values as stored (the range held at most maxPoints); raw-minmax: min and max per column of the
   * raw values; rollup-minmax: min and max per column from rollups of `bucketMs`.
   */
  source: z.enum(["raw", "raw-minmax", "rollup-minmax"]),
  bucketMs: z.number().nullable(),
  /**
   * The newest value before `from`: the value in force at the left edge (values are reported on change, so a
   * tag that did not change in the range has its value only there). Null when there is none.
   */
  before: z.object({ t: z.number(), v: z.number().nullable(), q: Quality }).nullable(),
  /**
   * How long a value stands for the tag when no newer one came, ms: its stale limit (a measurement must
   * update within it). Null: until the next value (tags reported only on change: setpoints, states).
   */
  holdMs: z.number().positive().nullable(),
  /** Source times, Unix ms, ascending. */
  t: z.array(z.number()),
  /** Values; null where only bad values were (a gap in the curve). */
  v: z.array(z.number().nullable()),
  /** Per point: good; uncertain when some values behind it were uncertain or bad; bad for a gap. */
  q: z.array(Quality),
  markers: z.array(HistoryMarker),
});
export type HistorySeries = z.infer<typeof HistorySeries>;

export const ActiveRuleInfo = z.object({
  rule: RuleNameSchema,
  /** When it started firing: source time of the first value that broke it (for stale: when it went silent). */
  since: z.number(),
  lastAt: z.number(),
  /** Why, e.g. `bufferTank.level: rate of change 3.2 m/s exceeds 0.5 m/s`. */
  message: z.string(),
  quarantines: z.boolean(),
  /** Values flagged since it became active. */
  count: z.number().int().nonnegative(),
});
export type ActiveRuleInfo = z.infer<typeof ActiveRuleInfo>;

export const TagValidation = z.object({
  tagId: z.string(),
  /** No rule is active. */
  ok: z.boolean(),
  active: z.array(ActiveRuleInfo),
  /** The rules checked on this tag (declared or by default), each with its setting in words. */
  checks: z.array(z.object({ rule: RuleNameSchema, detail: z.string(), quarantines: z.boolean() })),
  /** Source time of the newest value, or null before the first one. */
  lastValueAt: z.number().nullable(),
});
export type TagValidation = z.infer<typeof TagValidation>;

/** Largest export an API answer carries; a larger range is refused with the count, to be narrowed. */
export const HISTORY_EXPORT_MAX_SAMPLES = 250_000;
/** Largest CSV text an import request carries (a request message is at most 1 MB). */
export const HISTORY_IMPORT_MAX_CHARS = 900_000;

export const historyRequests = {
  /** Chart data: per tag at most maxPoints points over [from, to], with quality and validation markers. */
  "history.query": {
    params: z
      .object({
        tagIds: z.array(HistoryTagId).min(1).max(16),
        ...Range,
        maxPoints: z.number().int().min(2).max(4_000).default(1_000),
      })
      .strict()
      .refine(rangeOrdered, RANGE_MESSAGE),
    result: z.object({ from: z.number(), to: z.number(), series: z.array(HistorySeries) }),
  },
  /** The validation state of each tag (all the historian knows when tagIds is left out). */
  "history.validation": {
    params: z.object({ tagIds: z.array(HistoryTagId).max(1_000).optional() }).strict(),
    result: z.array(TagValidation),
  },
  /** CSV of the tags over [from, to] (CSV.md), returned whole for the UI to save. */
  "history.export": {
    params: z
      .object({
        tagIds: z.array(HistoryTagId).min(1).max(64),
        ...Range,
        format: z.enum(["wide", "long"]).default("long"),
        /** full: every field (an import gives the stored rows back); basic: value and quality only. */
        detail: z.enum(["full", "basic"]).default("full"),
      })
      .strict()
      .refine(rangeOrdered, RANGE_MESSAGE),
    result: z.object({
      format: z.enum(["wide", "long"]),
      samples: z.number().int().nonnegative(),
      lines: z.number().int().nonnegative(),
      /** A file name that says what it holds, e.g. `twinbench-history-20250301T080000Z-long.csv`. */
      fileName: z.string(),
      content: z.string(),
    }),
  },
  /** Imports a CSV (CSV.md) into the historian; bad lines are skipped and reported. */
  "history.import": {
    params: z
      .object({
        content: z.string().min(1).max(HISTORY_IMPORT_MAX_CHARS),
        /** The file's name, for the log. */
        fileName: z.string().max(200).optional(),
        /** Also run the validation rules over the imported values (by default they keep the file's flags). */
        validate: z.boolean().default(false),
      })
      .strict(),
    result: z.object({
      format: z.enum(["wide", "long"]).nullable(),
      lines: z.number().int().nonnegative(),
      samples: z.number().int().nonnegative(),
      skippedLines: z.number().int().nonnegative(),
      errorCount: z.number().int().nonnegative(),
      /** The first errors, each naming its line, column and what was expected. */
      errors: z.array(z.string()),
    }),
  },
} as const;

export const historyEvents = {
  /** Tags whose active validation rules changed (batched); fetch the details with history.validation. */
  "history.validationChanged": z.object({ tagIds: z.array(z.string()) }),
} as const;

/** The role each method needs (checked in the main process by the governance guard). */
export const historyAccess: Readonly<Record<keyof typeof historyRequests, Access>> = {
  "history.query": "viewer",
  "history.validation": "viewer",
  "history.export": "viewer",
  "history.import": "engineer",
};
