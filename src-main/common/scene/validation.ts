/**
 * The validation rules a scene declares on a tag (`validation:`), and how long the historian keeps its values
 * (`history:`). Pure zod: the scene schema embeds them, the historian resolves them with the tag's defaults
 * (src-main/historian/rules-schema.ts), the UI shows them.
 *
 *   level:
 *     nodeId: ns=1;s=DemoCell.BufferTank.Level
 *     range: [0, 2.5]
 *     validation: { maxRatePerS: 0.05, spike: { sigma: 8 } }
 *
 * Defaults (when the tag declares nothing): NaN/Infinity always; range = the tag's EURange `range`; stale
 * after 10 × `samplingMs` (at least 1 s) for heartbeats. Stale for other tags, rate, stuck, spike and drift
 * need knowledge only the engineer has (does this sensor ever rest at one value?), so they are off until
 * declared.
 */
import { z } from "zod";

const TagId = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, "a tag id such as bufferTank.level");

/** One name per rule; also the flag names on stored values (plus `quarantined`). */
export const RuleNameSchema = z.enum(["range", "rate", "stuck", "spike", "nonFinite", "stale", "drift"]);
export type RuleNameValue = z.infer<typeof RuleNameSchema>;

export const ValidationRules = z
  .object({
    /** Valid values [low, high]; defaults to the tag's `range`; `false` turns the check off. */
    range: z.union([z.literal(false), z.tuple([z.number(), z.number()])]).optional(),
    /** Largest plausible rate of change, engineering units per second. */
    maxRatePerS: z.number().positive().optional(),
    /** Flatline: every value within ±epsilon of the first one for windowS seconds. */
    stuck: z.object({ windowS: z.number().positive(), epsilon: z.number().nonnegative().default(0) }).strict().optional(),
    /**
     * An isolated jump off the local trend: more than `sigma` × the typical deviation (mean absolute,
     * averaged over about `window` samples) and more than `minDelta` (default 5 % of the range span).
     */
    spike: z
      .object({
        sigma: z.number().positive().default(6),
        window: z.number().int().min(2).max(10_000).default(20),
        minDelta: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
    /** No update within this many expected intervals (`samplingMs`); `false` turns the default off. */
    staleAfter: z.union([z.literal(false), z.number().positive()]).optional(),
    /** Slow disagreement with a redundant sensor (a tag id) or with the model's prediction ("model"). */
    drift: z
      .object({
        against: z.union([z.literal("model"), TagId]),
        /** Largest tolerated mean difference, engineering units. */
        threshold: z.number().positive(),
        /** Averaging time of the difference, seconds. */
        windowS: z.number().positive().default(60),
      })
      .strict()
      .optional(),
    /** Rules that only mark a value; by default every rule that fires also quarantines it. */
    flagOnly: z.array(RuleNameSchema).default([]),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (Array.isArray(r.range) && !(r.range[0] < r.range[1])) {
      ctx.addIssue({ code: "custom", path: ["range"], message: "range must be [low, high] with low < high" });
    }
  });
export type ValidationRules = z.output<typeof ValidationRules>;
export type ValidationRulesInput = z.input<typeof ValidationRules>;

/** Per-tag retention (`history:` on a scene tag); the historian's defaults apply to what is left out. */
export const TagRetention = z
  .object({
    /** Raw values (and 1 s rollups), days. */
    rawDays: z.number().positive().optional(),
    /** The longer rollups (1 min, 1 h), days. */
    rollupDays: z.number().positive().optional(),
  })
  .strict();
export type TagRetention = z.infer<typeof TagRetention>;

export interface RuleIssue {
  /** Path below the tag, e.g. `["validation", "drift", "against"]`. */
  path: string[];
  message: string;
}

/**
 * Checks of already parsed rules that need the rest of the tag or the scene: a spike rule needs a range or a
 * minDelta, numeric rules need a scalar numeric tag, drift must name a known, other tag.
 */
export function ruleCrossIssues(
  tag: { id: string; dataType?: string; range?: [number, number] },
  v: ValidationRules,
  knownTagIds?: ReadonlySet<string>,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const numericRules = (["maxRatePerS", "stuck", "spike", "drift"] as const).filter((k) => v[k] !== undefined);
  if ((tag.dataType === "Boolean" || tag.dataType === "DoubleArray") && numericRules.length > 0) {
    issues.push({ path: ["validation", numericRules[0]!], message: `${numericRules.join(", ")} need a scalar numeric tag, not ${tag.dataType}` });
  }
  if (v.spike && v.spike.minDelta === undefined && !(Array.isArray(v.range) || tag.range)) {
    issues.push({ path: ["validation", "spike", "minDelta"], message: "a spike rule on a tag without range needs minDelta" });
  }
  if (v.drift && v.drift.against !== "model") {
    if (v.drift.against === tag.id) issues.push({ path: ["validation", "drift", "against"], message: "a tag cannot drift against itself" });
    else if (knownTagIds && !knownTagIds.has(v.drift.against)) {
      issues.push({ path: ["validation", "drift", "against"], message: `unknown tag ${v.drift.against}` });
    }
  }
  return issues;
}
