/**
 * How risky a proposed change looks to the person deciding on it: the step against the policy's largest step
 * and against the span of the limits, the distance left to a limit, the two-person (critical) flag, and any
 * check that failed. A summary for the inbox; the rules themselves are enforced by the main process.
 */
import type { PolicyCheck, Proposal } from "../../../src-main/common/api/governance";
import type { WritePolicy } from "../../../src-main/common/scene/schema";
import { asNumber } from "./policy";

export type RiskLevel = "low" | "medium" | "high";

export interface Risk {
  level: RiskLevel;
  /** |value − from| / maxStep; null when from or maxStep is unknown, or the tag is Boolean. */
  stepOfMaxStep: number | null;
  /** |value − from| / (max − min); null when from is unknown or the tag is Boolean. */
  stepOfSpan: number | null;
  /** Distance from the value to the nearer limit, as a share of the span; null without a policy. */
  limitMargin: number | null;
  /** Two-person tag (two approvals needed, password re-entry). */
  critical: boolean;
  /** Why, in a few words each, most serious first. */
  factors: string[];
}

/** A step above this share of maxStep (or of the span) is large; above the second it is at the edge. */
export const LARGE_STEP = 0.5;
export const EDGE_STEP = 0.8;
export const LARGE_SPAN = 0.25;
/** A value this close to a limit (share of the span) is near it. */
export const NEAR_LIMIT = 0.05;

const pct = (x: number) => `${Math.round(x * 100)} %`;

/**
 * Rules about who decides (approveRole, twoPerson, reauthentication: they fail for one approver, not for the
 * change) and the auto-approve band (it "fails" whenever it is off) say nothing about the change's risk.
 */
const NOT_ABOUT_THE_CHANGE: ReadonlySet<PolicyCheck["rule"]> = new Set(["approveRole", "twoPerson", "reauthentication", "autoApproveBand", "state"]);

export function assessRisk(p: Pick<Proposal, "from" | "value" | "checks" | "approvalsNeeded">, policy: WritePolicy | undefined): Risk {
  const high: string[] = [];
  const medium: string[] = [];
  const critical = (policy?.twoPerson ?? false) || p.approvalsNeeded > 1;
  if (critical) high.push("critical: two-person tag");
  const failing = p.checks.filter((c) => !c.pass && !NOT_ABOUT_THE_CHANGE.has(c.rule));
  for (const c of failing) high.push(`fails ${c.rule}`);

  let stepOfMaxStep: number | null = null;
  let stepOfSpan: number | null = null;
  let limitMargin: number | null = null;
  const boolean = typeof p.value === "boolean";
  if (boolean) {
    if (p.from === null || asNumber(p.from) !== asNumber(p.value)) medium.push(`switches ${p.value ? "ON" : "OFF"}`);
  } else if (p.from === null) {
    medium.push("starting value unknown");
  }
  if (policy && !boolean) {
    const span = policy.max - policy.min;
    const v = asNumber(p.value);
    if (p.from !== null) {
      const step = Math.abs(v - asNumber(p.from));
      stepOfSpan = span > 0 ? step / span : null;
      if (policy.maxStep !== undefined) stepOfMaxStep = step / policy.maxStep;
    }
    if (span > 0) limitMargin = Math.min(v - policy.min, policy.max - v) / span;
    if (stepOfMaxStep !== null && stepOfMaxStep > EDGE_STEP) high.push(`step ${pct(stepOfMaxStep)} of maxStep`);
    else if (stepOfMaxStep !== null && stepOfMaxStep > LARGE_STEP) medium.push(`step ${pct(stepOfMaxStep)} of maxStep`);
    if (stepOfSpan !== null && stepOfSpan > LARGE_SPAN) medium.push(`step ${pct(stepOfSpan)} of the range`);
    if (limitMargin !== null && limitMargin < 0) high.push("outside the limits");
    else if (limitMargin !== null && limitMargin < NEAR_LIMIT) medium.push(`within ${pct(NEAR_LIMIT)} of a limit`);
  }
  const level: RiskLevel = high.length > 0 ? "high" : medium.length > 0 ? "medium" : "low";
  return { level, stepOfMaxStep, stepOfSpan, limitMargin, critical, factors: [...high, ...medium] };
}
