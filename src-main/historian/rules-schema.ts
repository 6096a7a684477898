/**
 * Validation rules of one tag as declared in the scene (`validation:` under a tag), and the defaults
 * derived from the tag itself. Pure TypeScript + zod, so the scene schema can embed it:
 *
 *   validation: ValidationRules.optional()   // in the scene's Tag object
 *
 * Defaults (when the tag declares nothing): NaN/Infinity always; range = the tag's EURange `range`;
 * stale after 10 × `samplingMs` (at least 1 s) for measurements and heartbeats (values that keep
 * changing, so a silent tag means a dead link or sensor). Rate, stuck, spike and drift need numbers only
 * the engineer knows, so they are off until declared.
 */
import { z } from "zod";
import { QualityFlag, RULE_NAMES } from "./sample";

const TagId = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, "a tag id such as bufferTank.level");

export const RuleNameSchema = z.enum(["range", "rate", "stuck", "spike", "nonFinite", "stale", "drift"]);

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

/** What the rules need to know about a tag (a subset of the scene's Tag plus its id). */
export interface RuleTag {
  id: string;
  unit?: string;
  range?: [number, number];
  /** Expected interval between updates, ms (the scene's `samplingMs`). */
  samplingMs?: number;
  role?: string;
  dataType?: string;
  validation?: ValidationRulesInput;
}

/** The rules of one tag with every default applied; null means off. */
export interface ResolvedRules {
  tagId: string;
  unit: string;
  range: [number, number] | null;
  maxRatePerS: number | null;
  stuck: { windowMs: number; epsilon: number } | null;
  spike: { sigma: number; window: number; minDelta: number } | null;
  staleAfterMs: number | null;
  expectedIntervalMs: number;
  drift: { against: string; threshold: number; windowMs: number } | null;
  /** QualityFlag bits of the rules that quarantine when they fire. */
  quarantineMask: number;
}

export const DEFAULT_STALE_FACTOR = 10;
export const MIN_STALE_MS = 1_000;
/** Tag roles whose values keep changing, so silence is suspicious. */
const STALE_BY_DEFAULT = new Set(["measurement", "heartbeat"]);

export function resolveRules(tag: RuleTag): ResolvedRules {
  const v = ValidationRules.parse(tag.validation ?? {});
  const numeric = tag.dataType !== "Boolean";
  const range = v.range === false || !numeric ? null : (v.range ?? tag.range ?? null);
  const expectedIntervalMs = tag.samplingMs && tag.samplingMs > 0 ? tag.samplingMs : 100;
  const staleFactor = v.staleAfter === false ? null : (v.staleAfter ?? (STALE_BY_DEFAULT.has(tag.role ?? "") ? DEFAULT_STALE_FACTOR : null));
  const span = range ? range[1] - range[0] : 0;
  let quarantineMask = 0;
  // Stale marks a tag (no value came), never a value, so it never quarantines.
  for (const name of RULE_NAMES) if (name !== "stale" && !v.flagOnly.includes(name)) quarantineMask |= QualityFlag[name];
  return {
    tagId: tag.id,
    unit: tag.unit ?? "",
    range,
    maxRatePerS: v.maxRatePerS ?? null,
    stuck: v.stuck ? { windowMs: v.stuck.windowS * 1000, epsilon: v.stuck.epsilon } : null,
    spike: v.spike ? { sigma: v.spike.sigma, window: v.spike.window, minDelta: v.spike.minDelta ?? 0.05 * span } : null,
    staleAfterMs: staleFactor === null ? null : Math.max(MIN_STALE_MS, staleFactor * expectedIntervalMs),
    expectedIntervalMs,
    drift: v.drift ? { against: v.drift.against, threshold: v.drift.threshold, windowMs: v.drift.windowS * 1000 } : null,
    quarantineMask,
  };
}

/**
 * Checks that need the rest of the tag or the scene (for the scene's superRefine): a spike rule needs a
 * range or a minDelta, numeric rules need a numeric tag, drift must name a known, other tag.
 */
export function validationIssues(tag: RuleTag, knownTagIds?: ReadonlySet<string>): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const parsed = ValidationRules.safeParse(tag.validation ?? {});
  if (!parsed.success) return parsed.error.issues.map((i) => ({ path: ["validation", ...i.path.map(String)], message: i.message }));
  const v = parsed.data;
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
