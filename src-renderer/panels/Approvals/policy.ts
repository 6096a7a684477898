/**
 * The write policies of the scene as the approvals inbox needs them: by tag id, with the asset's name and the
 * tag's unit, and the range a modified value may take. Pure functions: the main process enforces the same
 * rules (src-main/governance/write-policy.ts); here they only shape the form and explain the risk.
 */
import type { SetpointValue } from "../../../src-main/common/api/governance";
import type { Scene, TagDataType, WritePolicy } from "../../../src-main/common/scene/schema";

export interface SetpointPolicy {
  /** `<asset id>.<tag key>` */
  tagId: string;
  assetName: string;
  key: string;
  dataType: TagDataType;
  unit?: string;
  description?: string;
  policy: WritePolicy;
}

/** Every tag of the scene that may be proposed (it has a write policy and read-write access), in scene order. */
export function writableSetpoints(scene: Scene | null): SetpointPolicy[] {
  if (!scene) return [];
  const out: SetpointPolicy[] = [];
  for (const asset of scene.assets) {
    for (const [key, tag] of Object.entries(asset.tags)) {
      if (!tag.write || tag.access !== "readWrite") continue;
      out.push({
        tagId: `${asset.id}.${key}`,
        assetName: asset.name,
        key,
        dataType: tag.dataType,
        ...(tag.unit !== undefined ? { unit: tag.unit } : {}),
        ...(tag.description !== undefined ? { description: tag.description } : {}),
        policy: tag.write,
      });
    }
  }
  return out;
}

export function setpointById(scene: Scene | null): Map<string, SetpointPolicy> {
  return new Map(writableSetpoints(scene).map((s) => [s.tagId, s]));
}

export const isBooleanTag = (s: Pick<SetpointPolicy, "dataType">): boolean => s.dataType === "Boolean";
const isIntegerTag = (s: Pick<SetpointPolicy, "dataType">): boolean => s.dataType === "Int32" || s.dataType === "UInt32";

export const asNumber = (v: SetpointValue): number => (typeof v === "boolean" ? (v ? 1 : 0) : v);

/**
 * The values a decision may set: within [min, max] and, when the starting value is known, within maxStep of it.
 * Null when the two do not overlap (the plant already sits further than maxStep outside the limits).
 */
export function allowedRange(policy: WritePolicy, from: SetpointValue | null): { lo: number; hi: number } | null {
  let lo = policy.min;
  let hi = policy.max;
  if (from !== null && policy.maxStep !== undefined) {
    const f = asNumber(from);
    // The main process allows a step this much over maxStep (float slack: 0.1 + 0.3 is not refused against
    // a maxStep of 0.4); the form must not refuse what it would accept.
    const step = policy.maxStep + STEP_SLACK_RELATIVE * policy.maxStep + STEP_SLACK_ABSOLUTE;
    lo = Math.max(lo, f - step);
    hi = Math.min(hi, f + step);
  }
  return lo <= hi ? { lo, hi } : null;
}

/** The slack of src-main/governance/write-policy.ts `within` for maxStep. */
const STEP_SLACK_RELATIVE = 1e-9;
const STEP_SLACK_ABSOLUTE = 1e-12;

export type ParsedValue = { value: SetpointValue } | { error: string };

/**
 * A value typed into a form, in the tag's type and within its allowed range. The messages say what is
 * expected; the main process checks again and its refusal is shown if it disagrees.
 */
export function parseSetpointInput(text: string, sp: SetpointPolicy, from: SetpointValue | null): ParsedValue {
  const t = text.trim();
  if (isBooleanTag(sp)) {
    if (/^(true|on|1)$/i.test(t)) return { value: true };
    if (/^(false|off|0)$/i.test(t)) return { value: false };
    return { error: `${sp.tagId} is a Boolean: enter ON or OFF` };
  }
  if (t === "") return { error: "enter a value" };
  const n = Number(t.replace(",", "."));
  if (!Number.isFinite(n)) return { error: `"${t}" is not a number` };
  if (isIntegerTag(sp) && !Number.isInteger(n)) return { error: `${sp.tagId} is an integer tag (${sp.dataType})` };
  const range = allowedRange(sp.policy, from);
  if (!range) return { error: `${sp.tagId}: no value within the limits is reachable in one step from ${String(from)}` };
  const u = sp.unit ? ` ${sp.unit}` : "";
  if (n < range.lo || n > range.hi) {
    const why = sp.policy.maxStep !== undefined && from !== null ? ` (limits ${sp.policy.min}…${sp.policy.max}, at most ${sp.policy.maxStep} from ${asNumber(from)})` : "";
    return { error: `allowed: ${trim(range.lo)} … ${trim(range.hi)}${u}${why}` };
  }
  return { value: n };
}

/** A number without float noise (6 significant digits). */
export function trim(n: number): string {
  return String(Number(n.toPrecision(6)));
}
