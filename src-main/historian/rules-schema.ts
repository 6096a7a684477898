/**
 * Validation rules of one tag as declared in the scene (`validation:` under a tag, schema in
 * src-main/common/scene/validation.ts), resolved with the defaults derived from the tag itself.
 *
 * Defaults (when the tag declares nothing): NaN/Infinity always; range = the tag's EURange `range`;
 * stale after 10 × `samplingMs` (at least 1 s) for heartbeats (values that change by design, so a
 * silent one means a dead link or device). Rate, stuck, spike and drift need numbers only
 * the engineer knows, so they are off until declared.
 */
import { RuleNameSchema, ruleCrossIssues, ValidationRules, type ValidationRulesInput } from "../common/scene/validation";
import { QualityFlag, RULE_NAMES } from "./sample";

// The zod lives in common (the scene schema embeds it); re-exported for the historian's callers.
export { RuleNameSchema, ValidationRules, type ValidationRulesInput };

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
/**
 * Tag roles whose values change every interval by design, so silence means a dead link or device. Not
 * measurements: an OPC UA subscription reports on change, and a flow at rest or a stopped belt is silent
 * for good reason (a measurement known to be noisy declares `staleAfter`).
 */
const STALE_BY_DEFAULT = new Set(["heartbeat"]);

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
  const parsed = ValidationRules.safeParse(tag.validation ?? {});
  if (!parsed.success) return parsed.error.issues.map((i) => ({ path: ["validation", ...i.path.map(String)], message: i.message }));
  return ruleCrossIssues(tag, parsed.data, knownTagIds);
}
